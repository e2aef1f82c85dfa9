// tfc.decoder_block rejects a negative layer index in the op verifier.
// Regression test: the check once read the I64Attr's unsigned getter, so
// layer = -1 passed and failed later as "layer 18446744073709551615 is missing
// weight ...".
//
// RUN: tfc-opt %s -verify-diagnostics

func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op 'layer' must not be negative, got -1}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = -1 : i64,
      norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
      attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>, weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}
