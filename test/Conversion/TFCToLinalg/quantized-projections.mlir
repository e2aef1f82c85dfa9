// tfc-lower-to-linalg of q8_0 weights: a projection (tfc.linear, tfc.lm_head,
// tfc.gated_linear) whose weight is a tfc.dequantize reads the int8 values and
// their block scales (map (o, k floordiv 32)) in its contraction, so no f32
// copy of the matrix exists; a tfc.dequantize that something else reads
// becomes an elementwise map; an embedding gathers rows of values and scales.
// RUN: tfc-opt %s --tfc-lower-to-linalg --canonicalize | FileCheck %s

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[BLOCK2:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 32)>
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[SCALE:.*]] = affine_map<(d0, d1, d2) -> (d1, d2 floordiv 32)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @f(
// The returned matrix itself.
// CHECK: %[[MATRIX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[BLOCK2]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%{{.*}}, %{{.*}} : tensor<32x64xi8>, tensor<32x2xf16>) outs(%{{.*}} : tensor<32x64xf32>)
// CHECK: arith.sitofp %{{.*}} : i8 to f32
// The linear: value * scale, times x, accumulated.
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[SCALE]], #[[Y]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<?x64xf32>, tensor<32x64xi8>, tensor<32x2xf16>) outs(%{{.*}} : tensor<?x32xf32>)
// CHECK-NEXT: ^bb0(%[[XV:.*]]: f32, %[[Q:.*]]: i8, %[[S:.*]]: f16, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[QF:.*]] = arith.sitofp %[[Q]] : i8 to f32
// CHECK-NEXT: %[[SF:.*]] = arith.extf %[[S]] : f16 to f32
// CHECK-NEXT: %[[WV:.*]] = arith.mulf %[[QF]], %[[SF]] : f32
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[XV]], %[[WV]] fastmath<reassoc,contract> : f32
// CHECK-NEXT: arith.addf %[[ACC]], %[[M]] fastmath<reassoc,contract> : f32
// The gated projection: values and scales of the gate, then of the up matrix.
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[SCALE]], #[[W]], #[[SCALE]], #[[Y]], #[[Y]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}} : tensor<?x64xf32>, tensor<16x64xi8>, tensor<16x2xf16>, tensor<16x64xi8>, tensor<16x2xf16>)
// The head.
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[SCALE]], #[[Y]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}} : tensor<?x64xf32>, tensor<32x64xi8>, tensor<32x2xf16>)
// CHECK: return %{{.*}}, %{{.*}}, %[[MATRIX]], %{{.*}}
func.func @f(%x: tensor<?x64xf32>, %q: tensor<32x64xi8>, %s: tensor<32x2xf16>, %gq: tensor<16x64xi8>, %gs: tensor<16x2xf16>, %uq: tensor<16x64xi8>, %us: tensor<16x2xf16>) -> (tensor<?x32xf32>, tensor<?x16xf32>, tensor<32x64xf32>, tensor<?x32xf32>) {
  %w = tfc.dequantize %q, %s : tensor<32x64xi8>, tensor<32x2xf16> -> tensor<32x64xf32>
  %y = tfc.linear %x, %w : tensor<?x64xf32>, tensor<32x64xf32> -> tensor<?x32xf32>
  %g = tfc.dequantize %gq, %gs : tensor<16x64xi8>, tensor<16x2xf16> -> tensor<16x64xf32>
  %u = tfc.dequantize %uq, %us : tensor<16x64xi8>, tensor<16x2xf16> -> tensor<16x64xf32>
  %h = tfc.gated_linear silu %x, %g, %u : tensor<?x64xf32>, tensor<16x64xf32>, tensor<16x64xf32> -> tensor<?x16xf32>
  %l = tfc.lm_head %x, %w : tensor<?x64xf32>, tensor<32x64xf32> -> tensor<?x32xf32>
  return %y, %h, %w, %l : tensor<?x32xf32>, tensor<?x16xf32>, tensor<32x64xf32>, tensor<?x32xf32>
}

// An embedding gathers its token's row of int8 values and their scales.
// CHECK-LABEL: func.func @embedding(
// CHECK-SAME: %[[TOK:[^:]*]]: tensor<?xi64>, %[[Q:[^:]*]]: tensor<32x64xi8>, %[[S:[^:]*]]: tensor<32x2xf16>)
// CHECK: linalg.generic {{.*}} ins(%[[TOK]] : tensor<?xi64>)
// CHECK: %[[ROW:.*]] = arith.index_cast
// CHECK: %[[COL:.*]] = linalg.index 1
// CHECK: %[[BLOCK:.*]] = arith.divui %[[COL]], %{{.*}}
// CHECK: %[[V:.*]] = tensor.extract %[[Q]][%[[ROW]], %[[COL]]] : tensor<32x64xi8>
// CHECK: %[[D:.*]] = tensor.extract %[[S]][%[[ROW]], %[[BLOCK]]] : tensor<32x2xf16>
// CHECK: %[[VF:.*]] = arith.sitofp %[[V]] : i8 to f32
// CHECK: %[[DF:.*]] = arith.extf %[[D]] : f16 to f32
// CHECK: arith.mulf %[[VF]], %[[DF]] : f32
func.func @embedding(%tok: tensor<?xi64>, %q: tensor<32x64xi8>, %s: tensor<32x2xf16>) -> tensor<?x64xf32> {
  %w = tfc.dequantize %q, %s : tensor<32x64xi8>, tensor<32x2xf16> -> tensor<32x64xf32>
  %e = tfc.embedding %tok, %w : tensor<?xi64>, tensor<32x64xf32> -> tensor<?x64xf32>
  return %e : tensor<?x64xf32>
}
