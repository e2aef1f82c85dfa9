// tfc-quantize-weights: projection matrices become q8_0 (their tfc.weight a
// tfc.quantized_weight and a tfc.dequantize before each projection; a layer
// function's weight argument the values and the scales); everything else stays.
// RUN: tfc-opt %s --tfc-quantize-weights | FileCheck %s
// RUN: tfc-opt %s --tfc-quantize-weights | tfc-opt | FileCheck %s
// RUN: not tfc-opt %s --tfc-quantize-weights=scheme=q4_k 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: tfc-quantize-weights: scheme=q4_k is not one of q8_0

// The embedding table, read by the embedding and the tied head, is quantized;
// a norm, a matrix whose rows are not whole blocks of 32, an in_out matrix,
// and a weight that a call passes to a function argument that is read as an
// in_out matrix too, stay.
// CHECK-DAG: tfc.weight_decl @embed : tensor<16x64xi8> quantized <q8_0>
// CHECK-DAG: tfc.weight_decl @norm : tensor<64xf32>{{$}}
// CHECK-DAG: tfc.weight_decl @odd : tensor<16x48xf32>{{$}}
// CHECK-DAG: tfc.weight_decl @conv1d : tensor<64x64xf32>{{$}}
// CHECK-DAG: tfc.weight_decl @gate : tensor<128x64xi8> quantized <q8_0>
// CHECK-DAG: tfc.weight_decl @q0 : tensor<64x64xi8> quantized <q8_0>
// CHECK-DAG: tfc.weight_decl @q1 : tensor<64x64xi8> quantized <q8_0>
// CHECK-DAG: tfc.weight_decl @up : tensor<128x64xi8> quantized <q8_0>
// CHECK-DAG: tfc.weight_decl @head : tensor<16x64xi8> quantized <q8_0>
// CHECK-DAG: tfc.weight_decl @mixed : tensor<64x64xf32>{{$}}

tfc.weight_decl @embed : tensor<16x64xf32>
tfc.weight_decl @norm : tensor<64xf32>
tfc.weight_decl @odd : tensor<16x48xf32>
tfc.weight_decl @conv1d : tensor<64x64xf32>
tfc.weight_decl @gate : tensor<128x64xf16>
tfc.weight_decl @up : tensor<128x64xf16>
tfc.weight_decl @q0 : tensor<64x64xf32>
tfc.weight_decl @q1 : tensor<64x64xf32>
tfc.weight_decl @head : tensor<16x64xf32>
tfc.weight_decl @mixed : tensor<64x64xf32>

// The argument became (values, scales), named after it.
// CHECK-LABEL: func.func private @layer(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x64xf32>, %[[Q:[^:]*]]: tensor<64x64xi8> {tfc.name = "q_proj"}, %[[S:[^:]*]]: tensor<64x2xf16> {tfc.name = "q_proj.scales"}, %[[N:[^:]*]]: tensor<64xf32> {tfc.name = "norm"})
// CHECK-NEXT: %[[W:.*]] = tfc.dequantize %[[Q]], %[[S]] : tensor<64x64xi8>, tensor<64x2xf16> -> tensor<64x64xf32>
// CHECK: tfc.linear %{{.*}}, %[[W]] :
func.func private @layer(%x: tensor<?x64xf32>, %w: tensor<64x64xf32> {tfc.name = "q_proj"},
                         %n: tensor<64xf32> {tfc.name = "norm"}) -> tensor<?x64xf32> {
  %h = tfc.rms_norm %x, %n {eps = 1.0e-5 : f64} : tensor<?x64xf32>, tensor<64xf32>
  %y = tfc.linear %h, %w : tensor<?x64xf32>, tensor<64x64xf32> -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// A function that also reads its matrix argument as [in, out]: that use
// cannot read blocks of a row, so the weight it is passed stays, in every call.
// CHECK-LABEL: func.func private @both_layouts(
// CHECK-SAME: tensor<64x64xf32>)
func.func private @both_layouts(%x: tensor<?x64xf32>, %w: tensor<64x64xf32>) -> tensor<?x64xf32> {
  %y = tfc.linear %x, %w : tensor<?x64xf32>, tensor<64x64xf32> -> tensor<?x64xf32>
  %t = tfc.linear %x, %w {layout = #tfc.layout<in_out>} : tensor<?x64xf32>, tensor<64x64xf32> -> tensor<?x64xf32>
  %z = tfc.residual_add %y, %t : tensor<?x64xf32>
  return %z : tensor<?x64xf32>
}

// CHECK-LABEL: func.func @forward(
func.func @forward(%tokens: tensor<?xi64>, %x48: tensor<?x48xf32>) -> (tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x64xf32>, tensor<?x128xf32>, tensor<?x64xf32>) {
  // CHECK: %[[E:[^,]*]], %[[ES:[^ ]*]] = tfc.quantized_weight @embed : tensor<16x64xi8>, tensor<16x2xf16>
  // CHECK: %[[EW:.*]] = tfc.dequantize %[[E]], %[[ES]]
  // CHECK: tfc.embedding %{{.*}}, %[[EW]]
  %e = tfc.weight @embed : tensor<16x64xf32>
  %h = tfc.embedding %tokens, %e : tensor<?xi64>, tensor<16x64xf32> -> tensor<?x64xf32>
  %n = tfc.weight @norm : tensor<64xf32>
  // CHECK: %[[Q0:[^,]*]], %[[S0:[^ ]*]] = tfc.quantized_weight @q0 : tensor<64x64xi8>, tensor<64x2xf16>
  // CHECK: call @layer(%{{.*}}, %[[Q0]], %[[S0]], %{{.*}})
  %w0 = tfc.weight @q0 : tensor<64x64xf32>
  %a = call @layer(%h, %w0, %n) : (tensor<?x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
  // CHECK: %[[Q1:[^,]*]], %[[S1:[^ ]*]] = tfc.quantized_weight @q1
  // CHECK: call @layer(%{{.*}}, %[[Q1]], %[[S1]], %{{.*}})
  %w1 = tfc.weight @q1 : tensor<64x64xf32>
  %b = call @layer(%a, %w1, %n) : (tensor<?x64xf32>, tensor<64x64xf32>, tensor<64xf32>) -> tensor<?x64xf32>
  // CHECK: tfc.weight @mixed
  // CHECK: call @both_layouts(
  %m = tfc.weight @mixed : tensor<64x64xf32>
  %c = call @both_layouts(%b, %m) : (tensor<?x64xf32>, tensor<64x64xf32>) -> tensor<?x64xf32>
  // CHECK: tfc.weight @conv1d
  // CHECK: tfc.linear {{.*}}layout = #tfc.layout<in_out>
  %cw = tfc.weight @conv1d : tensor<64x64xf32>
  %d = tfc.linear %c, %cw {layout = #tfc.layout<in_out>} : tensor<?x64xf32>, tensor<64x64xf32> -> tensor<?x64xf32>
  // CHECK: %[[G:[^,]*]], %[[GS:[^ ]*]] = tfc.quantized_weight @gate : tensor<128x64xi8>, tensor<128x2xf16>
  // CHECK: %[[U:[^,]*]], %[[US:[^ ]*]] = tfc.quantized_weight @up
  // CHECK: %[[GW:.*]] = tfc.dequantize %[[G]], %[[GS]] : tensor<128x64xi8>, tensor<128x2xf16> -> tensor<128x64xf32>
  // CHECK: %[[UW:.*]] = tfc.dequantize %[[U]], %[[US]]
  // CHECK: tfc.gated_linear silu %{{.*}}, %[[GW]], %[[UW]] : tensor<?x64xf32>, tensor<128x64xf32>, tensor<128x64xf32>
  %g = tfc.weight @gate : tensor<128x64xf16>
  %u = tfc.weight @up : tensor<128x64xf16>
  %f = tfc.gated_linear silu %d, %g, %u : tensor<?x64xf32>, tensor<128x64xf16>, tensor<128x64xf16> -> tensor<?x128xf32>
  // CHECK: tfc.weight @odd
  %o = tfc.weight @odd : tensor<16x48xf32>
  %l0 = tfc.lm_head %x48, %o : tensor<?x48xf32>, tensor<16x48xf32> -> tensor<?x16xf32>
  // The tied head reads the table quantized, as the untied one its matrix.
  // CHECK: %[[TW:.*]] = tfc.dequantize %[[E]], %[[ES]]
  // CHECK: tfc.lm_head %{{.*}}, %[[TW]] : tensor<?x64xf32>, tensor<16x64xf32>
  %l1 = tfc.lm_head %d, %e : tensor<?x64xf32>, tensor<16x64xf32> -> tensor<?x16xf32>
  // CHECK: %[[H:[^,]*]], %[[HS:[^ ]*]] = tfc.quantized_weight @head
  // CHECK: %[[HW:.*]] = tfc.dequantize %[[H]], %[[HS]]
  // CHECK: tfc.lm_head %{{.*}}, %[[HW]]
  %hw = tfc.weight @head : tensor<16x64xf32>
  %l2 = tfc.lm_head %d, %hw : tensor<?x64xf32>, tensor<16x64xf32> -> tensor<?x16xf32>
  return %l0, %l1, %l2, %d, %f, %c : tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x64xf32>, tensor<?x128xf32>, tensor<?x64xf32>
}
