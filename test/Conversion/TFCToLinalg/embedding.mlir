// tfc-lower-to-linalg on the embedding family: a gather from the token table
// inside a parallel generic over [tokens, width], and absolute positions added
// to the embedding.
// RUN: tfc-opt %s --tfc-lower-to-linalg --mlir-print-local-scope | FileCheck %s

// The row is the token, the column the generic's second index; a bf16 table is
// widened where it is read; gemma's scale multiplies after the gather.
// CHECK-LABEL: func.func @embedding
// CHECK-SAME: (%[[TOK:.*]]: tensor<?xi64>, %[[TABLE:.*]]: tensor<32x8xbf16>)
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[TOK]] : tensor<?xi64>) outs(%{{.*}} : tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[T:.*]]: i64, %{{.*}}: f32):
// CHECK-NEXT: %[[ROW:.*]] = arith.index_cast %[[T]] : i64 to index
// CHECK-NEXT: %[[COL:.*]] = linalg.index 1 : index
// CHECK-NEXT: %[[E:.*]] = tensor.extract %[[TABLE]][%[[ROW]], %[[COL]]] : tensor<32x8xbf16>
// CHECK-NEXT: %[[EF:.*]] = arith.extf %[[E]] : bf16 to f32
// CHECK-NEXT: linalg.yield %[[EF]]
// CHECK: linalg.generic
// CHECK: arith.extf
// CHECK-NEXT: %[[SCALE:.*]] = arith.constant 8.000000e+00 : f32
// CHECK-NEXT: arith.mulf %{{.*}}, %[[SCALE]]
func.func @embedding(%tok: tensor<?xi64>, %table: tensor<32x8xbf16>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %0 = tfc.embedding %tok, %table : tensor<?xi64>, tensor<32x8xbf16> -> tensor<?x8xf32>
  %1 = tfc.embedding %tok, %table {scale = 8.0 : f64} : tensor<?xi64>, tensor<32x8xbf16> -> tensor<?x8xf32>
  return %0, %1 : tensor<?x8xf32>, tensor<?x8xf32>
}

// Token i reads row position + i of the learned table.
// CHECK-LABEL: func.func @learned_positions
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[WPE:.*]]: tensor<64x8xf32>, %[[POS:.*]]: index)
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[XI:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[I:.*]] = linalg.index 0 : index
// CHECK-NEXT: %[[ROW:.*]] = arith.addi %[[POS]], %[[I]] : index
// CHECK-NEXT: %[[COL:.*]] = linalg.index 1 : index
// CHECK-NEXT: %[[P:.*]] = tensor.extract %[[WPE]][%[[ROW]], %[[COL]]]
// CHECK-NEXT: arith.addf %[[XI]], %[[P]]
func.func @learned_positions(%x: tensor<?x8xf32>, %wpe: tensor<64x8xf32>, %pos: index) -> tensor<?x8xf32> {
  %0 = tfc.learned_positions %x, %wpe at %pos : tensor<?x8xf32>, tensor<64x8xf32>
  return %0 : tensor<?x8xf32>
}

// sin on even columns, cos on odd, of p * exp(-2k ln(base) / width), k = j / 2:
// -2 ln(1e4) / 8 = -2.30258512.
// CHECK-LABEL: func.func @sinusoidal_positions
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
// CHECK: arith.divui
// CHECK: arith.constant -2.30258512 : f32
// CHECK: math.exp
// CHECK: arith.remui
// CHECK: %[[EVEN:.*]] = arith.cmpi eq
// CHECK: %[[SIN:.*]] = math.sin
// CHECK: %[[COS:.*]] = math.cos
// CHECK: %[[ENC:.*]] = arith.select %[[EVEN]], %[[SIN]], %[[COS]]
// CHECK: arith.addf %{{.*}}, %[[ENC]]
func.func @sinusoidal_positions(%x: tensor<?x8xf32>, %pos: index) -> tensor<?x8xf32> {
  %0 = tfc.sinusoidal_positions %x at %pos {base = 1.0e4 : f64} : tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}
