// tfc-lower-to-linalg on the contraction family: x [n, in] . W -> [n, out] is
// one generic (d0 = token, d1 = output, d2 = input, reduced), accumulating
// into zeros or into the broadcast bias; the multiply-add may be reassociated.
// RUN: tfc-opt %s --tfc-lower-to-linalg --mlir-print-local-scope | FileCheck %s

// torch.nn.Linear's [out, in] weight: read at (d1, d2).
// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[W:.*]]: tensor<16x8xf32>)
// CHECK: %[[ZERO:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<?x16xf32>)
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]], %[[W]] : tensor<?x8xf32>, tensor<16x8xf32>) outs(%[[ZERO]] : tensor<?x16xf32>)
// CHECK-NEXT: ^bb0(%[[XI:.*]]: f32, %[[WI:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[XI]], %[[WI]] fastmath<reassoc,contract> : f32
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[ACC]], %[[M]] fastmath<reassoc,contract> : f32
// CHECK-NEXT: linalg.yield %[[S]]
func.func @linear(%x: tensor<?x8xf32>, %w: tensor<16x8xf32>) -> tensor<?x16xf32> {
  %0 = tfc.linear %x, %w : tensor<?x8xf32>, tensor<16x8xf32> -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// GPT-2's Conv1D [in, out] weight: read at (d2, d1); the bias, broadcast over
// the tokens, is the initial accumulator.
// CHECK-LABEL: func.func @linear_bias_in_out
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[W:.*]]: tensor<8x16xf32>, %[[B:.*]]: tensor<16xf32>)
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[B]] : tensor<16xf32>)
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]], %[[W]] : tensor<?x8xf32>, tensor<8x16xf32>) outs(%[[INIT]] : tensor<?x16xf32>)
func.func @linear_bias_in_out(%x: tensor<?x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<?x16xf32> {
  %0 = tfc.linear %x, %w, %b {layout = #tfc.layout<in_out>} : tensor<?x8xf32>, tensor<8x16xf32>, tensor<16xf32> -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// The LM head is the same contraction over the vocabulary.
// CHECK-LABEL: func.func @lm_head
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<32x8xf32>) outs(%{{.*}} : tensor<?x32xf32>)
func.func @lm_head(%x: tensor<?x8xf32>, %wte: tensor<32x8xf32>) -> tensor<?x32xf32> {
  %0 = tfc.lm_head %x, %wte : tensor<?x8xf32>, tensor<32x8xf32> -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}
