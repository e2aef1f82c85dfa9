// tfc.gated_linear -> linalg: one contraction with a gate and an up
// accumulator (each half the mul-add of a projection), then the GLU map.
// RUN: tfc-opt %s --split-input-file --tfc-lower-to-linalg --mlir-print-local-scope | FileCheck %s

// CHECK-LABEL: func.func @swiglu
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[G:.*]]: tensor<16x8xbf16>, %[[U:.*]]: tensor<16x8xbf16>)
// CHECK: %[[C:.*]]:2 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]], %[[G]], %[[U]] : tensor<?x8xf32>, tensor<16x8xbf16>, tensor<16x8xbf16>)
// CHECK: arith.mulf %{{.*}}, %{{.*}} fastmath<reassoc,contract> : f32
// CHECK: arith.mulf %{{.*}}, %{{.*}} fastmath<reassoc,contract> : f32
// CHECK: linalg.yield %{{.*}}, %{{.*}} : f32, f32
// CHECK: %[[H:.*]] = linalg.generic {{.*}} ins(%[[C]]#0, %[[C]]#1 : tensor<?x16xf32>, tensor<?x16xf32>)
// CHECK: math.exp
// CHECK: return %[[H]]
func.func @swiglu(%x: tensor<?x8xf32>, %g: tensor<16x8xbf16>, %u: tensor<16x8xbf16>) -> tensor<?x16xf32> {
  %h = tfc.gated_linear silu %x, %g, %u : tensor<?x8xf32>, tensor<16x8xbf16>, tensor<16x8xbf16> -> tensor<?x16xf32>
  return %h : tensor<?x16xf32>
}

// -----

// in_out layout: the weights are read through (d2, d1).
// CHECK-LABEL: func.func @in_out
// CHECK: affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d2, d1)>
func.func @in_out(%x: tensor<?x8xf32>, %g: tensor<8x16xf32>, %u: tensor<8x16xf32>) -> tensor<?x16xf32> {
  %h = tfc.gated_linear relu %x, %g, %u {layout = #tfc.layout<in_out>} : tensor<?x8xf32>, tensor<8x16xf32>, tensor<8x16xf32> -> tensor<?x16xf32>
  return %h : tensor<?x16xf32>
}
