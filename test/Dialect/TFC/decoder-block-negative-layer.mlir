// tfc.decoder_block must reject a negative layer index.
//
// Known bug: `layer` is an I64Attr, whose getter returns uint64_t, so the
// check `getLayer() < 0` in DecoderBlockOp::verify is never true. A block
// with layer = -1 passes the op verifier; here it then fails symbol-use
// verification with "layer 18446744073709551615 is missing weight ...".
// Remove the XFAIL once the check reads the signed value.
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
