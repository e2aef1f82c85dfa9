// tfc.residual_norm -> linalg: one row reduction that writes the sum and
// accumulates its square (its value for LayerNorm's mean), then the scale map
// over the sum. No separate residual-add generic.
// RUN: tfc-opt %s --split-input-file --tfc-lower-to-linalg --mlir-print-local-scope | FileCheck %s

// CHECK-LABEL: func.func @rms
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[A:.*]]: tensor<?x8xf32>, %[[W:.*]]: tensor<8xbf16>)
// CHECK: %[[R:.*]]:2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[A]] : tensor<?x8xf32>, tensor<?x8xf32>) outs(%{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<?xf32>)
// CHECK: %[[RS:.*]] = arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK: %[[S:.*]] = arith.addf %[[RS]], %{{.*}} : f32
// CHECK: %[[SQ:.*]] = arith.mulf %[[S]], %[[S]] : f32
// CHECK: %[[ACC:.*]] = arith.addf %{{.*}}, %[[SQ]] : f32
// CHECK: linalg.yield %[[S]], %[[ACC]] : f32, f32
// CHECK: %[[N:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%[[R]]#0, %[[R]]#1, %[[W]] : tensor<?x8xf32>, tensor<?xf32>, tensor<8xbf16>)
// CHECK: math.rsqrt
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]#0, %[[N]]
func.func @rms(%x: tensor<?x8xf32>, %a: tensor<?x8xf32>, %w: tensor<8xbf16>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %s, %n = tfc.residual_norm %x, %a, %w {alpha = 2.0 : f64, norm = #tfc.norm<rms_norm, eps = 1.0e-6>} : tensor<?x8xf32>, tensor<8xbf16>
  return %s, %n : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// LayerNorm: the fused reduction sums the sum for the mean; the centred sum of
// squares (two-pass, as the unfused norm) and the scale read the sum.
// CHECK-LABEL: func.func @layer
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<?x8xf32>)
// CHECK: %[[S:.*]] = arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: %[[ACC:.*]] = arith.addf %{{.*}}, %[[S]] : f32
// CHECK: linalg.yield %[[S]], %[[ACC]] : f32, f32
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[R]]#1 : tensor<?xf32>)
// CHECK: %[[SS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[R]]#0, %[[MEAN]] : tensor<?x8xf32>, tensor<?xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[R]]#0, %[[SS]], %{{.*}}, %[[MEAN]], %{{.*}} : tensor<?x8xf32>, tensor<?xf32>, tensor<8xf32>, tensor<?xf32>, tensor<8xf32>)
func.func @layer(%x: tensor<?x8xf32>, %a: tensor<?x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %s, %n = tfc.residual_norm %x, %a, %w, %b {norm = #tfc.norm<layer_norm, eps = 1.0e-5, bias = true>} : tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>
  return %s, %n : tensor<?x8xf32>, tensor<?x8xf32>
}
