// tfc-quantize-weights' activations (on by default): the input of every
// projection whose weights are all q8_0 is rounded to q8_0 blocks too
// (tfc.quantize, then tfc.dequantize); a projection of a weight that stays
// in its dtype reads its input as it is.
// RUN: tfc-opt %s --tfc-quantize-weights | FileCheck %s
// RUN: tfc-opt %s --tfc-quantize-weights=activations=false | FileCheck %s --check-prefix=OFF
// OFF-NOT: tfc.quantize {{%}}

tfc.weight_decl @q : tensor<64x64xf32>
tfc.weight_decl @gate : tensor<128x64xbf16>
tfc.weight_decl @up : tensor<128x64xbf16>
tfc.weight_decl @conv1d : tensor<64x64xf32>
tfc.weight_decl @head : tensor<16x64xf32>

// CHECK-LABEL: func.func @forward(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x64xf32>
func.func @forward(%x: tensor<?x64xf32>) -> (tensor<?x64xf32>, tensor<?x128xf32>, tensor<?x64xf32>, tensor<?x16xf32>) {
  // CHECK: %[[W:.*]] = tfc.dequantize
  // CHECK: %[[XV:[^,]*]], %[[XS:[^ ]*]] = tfc.quantize %[[X]] : tensor<?x64xf32> -> tensor<?x64xi8>, tensor<?x2xf16>
  // CHECK: %[[XQ:.*]] = tfc.dequantize %[[XV]], %[[XS]] : tensor<?x64xi8>, tensor<?x2xf16> -> tensor<?x64xf32>
  // CHECK: tfc.linear %[[XQ]], %[[W]] :
  %w = tfc.weight @q : tensor<64x64xf32>
  %y = tfc.linear %x, %w : tensor<?x64xf32>, tensor<64x64xf32> -> tensor<?x64xf32>
  // CHECK: tfc.quantize %[[X]]
  // CHECK: %[[XG:.*]] = tfc.dequantize
  // CHECK: tfc.gated_linear silu %[[XG]],
  %g = tfc.weight @gate : tensor<128x64xbf16>
  %u = tfc.weight @up : tensor<128x64xbf16>
  %f = tfc.gated_linear silu %x, %g, %u : tensor<?x64xf32>, tensor<128x64xbf16>, tensor<128x64xbf16> -> tensor<?x128xf32>
  // An in_out matrix stays f32, and so does its input.
  // CHECK: %[[C:.*]] = tfc.weight @conv1d
  // CHECK-NEXT: tfc.linear %[[X]], %[[C]] {layout = #tfc.layout<in_out>}
  %c = tfc.weight @conv1d : tensor<64x64xf32>
  %d = tfc.linear %x, %c {layout = #tfc.layout<in_out>} : tensor<?x64xf32>, tensor<64x64xf32> -> tensor<?x64xf32>
  // CHECK: tfc.quantize %[[X]]
  // CHECK: %[[XH:.*]] = tfc.dequantize
  // CHECK: tfc.lm_head %[[XH]],
  %h = tfc.weight @head : tensor<16x64xf32>
  %l = tfc.lm_head %x, %h : tensor<?x64xf32>, tensor<16x64xf32> -> tensor<?x16xf32>
  return %y, %f, %d, %l : tensor<?x64xf32>, tensor<?x128xf32>, tensor<?x64xf32>, tensor<?x16xf32>
}
