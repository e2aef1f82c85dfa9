// Round trip of tfc.weight_decl and tfc.weight.
// RUN: tfc-opt %s | FileCheck %s
// RUN: tfc-opt %s | tfc-opt | FileCheck %s
// RUN: tfc-opt %s --mlir-print-op-generic | tfc-opt | FileCheck %s

// A checkpoint name with dots is a single flat symbol.
// CHECK: tfc.weight_decl @model.layers.0.self_attn.q_proj.weight : tensor<64x64xf32>
tfc.weight_decl @model.layers.0.self_attn.q_proj.weight : tensor<64x64xf32>
// A vector weight.
// CHECK: tfc.weight_decl @model.norm.weight : tensor<64xf32>
tfc.weight_decl @model.norm.weight : tensor<64xf32>
// A name that is not a bare identifier is quoted.
// CHECK: tfc.weight_decl @"transformer.h.0.attn.c_attn/weight" : tensor<64x192xf32>
tfc.weight_decl @"transformer.h.0.attn.c_attn/weight" : tensor<64x192xf32>
// Weights stored as bf16 or f16 are read in that type.
// CHECK: tfc.weight_decl @model.embed_tokens.weight : tensor<128x64xbf16>
tfc.weight_decl @model.embed_tokens.weight : tensor<128x64xbf16>
// CHECK: tfc.weight_decl @model.layers.0.mlp.up_proj.weight : tensor<256x64xf16>
tfc.weight_decl @model.layers.0.mlp.up_proj.weight : tensor<256x64xf16>
// A rank-3 tensor (a stacked expert weight).
// CHECK: tfc.weight_decl @experts.w1 : tensor<4x32x64xf32>
tfc.weight_decl @experts.w1 : tensor<4x32x64xf32>

// tfc.weight reads a declared weight by its symbol.
// CHECK-LABEL: func.func @weights
// CHECK: %[[Q:.*]] = tfc.weight @model.layers.0.self_attn.q_proj.weight : tensor<64x64xf32>
// CHECK: %[[N:.*]] = tfc.weight @model.norm.weight : tensor<64xf32>
// CHECK: %[[C:.*]] = tfc.weight @"transformer.h.0.attn.c_attn/weight" : tensor<64x192xf32>
// CHECK: %[[E:.*]] = tfc.weight @experts.w1 : tensor<4x32x64xf32>
// CHECK: return %[[Q]], %[[N]]
func.func @weights() -> (tensor<64x64xf32>, tensor<64xf32>) {
  %q = tfc.weight @model.layers.0.self_attn.q_proj.weight : tensor<64x64xf32>
  %n = tfc.weight @model.norm.weight : tensor<64xf32>
  %c = tfc.weight @"transformer.h.0.attn.c_attn/weight" : tensor<64x192xf32>
  %e = tfc.weight @experts.w1 : tensor<4x32x64xf32>
  return %q, %n : tensor<64x64xf32>, tensor<64xf32>
}

// A q8_0 matrix: int8 values and one f16 scale per 32 of a row, read through
// tfc.quantized_weight and tfc.dequantize.
// CHECK: tfc.weight_decl @model.layers.0.mlp.down_proj.weight : tensor<64x256xi8> quantized <q8_0>
tfc.weight_decl @model.layers.0.mlp.down_proj.weight : tensor<64x256xi8> quantized <q8_0>
// CHECK-LABEL: func.func @quantized
// CHECK: %[[V:.*]], %[[S:.*]] = tfc.quantized_weight @model.layers.0.mlp.down_proj.weight : tensor<64x256xi8>, tensor<64x8xf16>
// CHECK: %[[W:.*]] = tfc.dequantize %[[V]], %[[S]] : tensor<64x256xi8>, tensor<64x8xf16> -> tensor<64x256xf32>
// CHECK: return %[[W]]
func.func @quantized() -> tensor<64x256xf32> {
  %q, %s = tfc.quantized_weight @model.layers.0.mlp.down_proj.weight : tensor<64x256xi8>, tensor<64x8xf16>
  %w = tfc.dequantize %q, %s : tensor<64x256xi8>, tensor<64x8xf16> -> tensor<64x256xf32>
  return %w : tensor<64x256xf32>
}

// Activations rounded to q8_0 blocks (any number of rows), read back through
// tfc.dequantize.
// CHECK-LABEL: func.func @quantized_activations
// CHECK: %[[V:.*]], %[[S:.*]] = tfc.quantize %{{.*}} : tensor<?x256xf32> -> tensor<?x256xi8>, tensor<?x8xf16>
// CHECK: tfc.dequantize %[[V]], %[[S]] : tensor<?x256xi8>, tensor<?x8xf16> -> tensor<?x256xf32>
func.func @quantized_activations(%x: tensor<?x256xf32>) -> tensor<?x256xf32> {
  %q, %s = tfc.quantize %x : tensor<?x256xf32> -> tensor<?x256xi8>, tensor<?x8xf16>
  %y = tfc.dequantize %q, %s : tensor<?x256xi8>, tensor<?x8xf16> -> tensor<?x256xf32>
  return %y : tensor<?x256xf32>
}
