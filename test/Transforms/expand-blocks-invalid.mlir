// tfc-expand-blocks refuses layers that share a KV cache: each would
// overwrite the other's keys.
// RUN: tfc-opt %s --tfc-expand-blocks -split-input-file -verify-diagnostics

tfc.weight_decl @q : tensor<8x8xf32>
tfc.weight_decl @k : tensor<8x8xf32>
tfc.weight_decl @v : tensor<8x8xf32>
tfc.weight_decl @o : tensor<8x8xf32>
tfc.weight_decl @up : tensor<16x8xf32>
tfc.weight_decl @down : tensor<8x16xf32>
func.func @forward(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x8xf32> {
  // expected-note@+1 {{the other layer}}
  %0 = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<post_sublayer>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {q_proj = @q, k_proj = @k, v_proj = @v, o_proj = @o, up_proj = @up, down_proj = @down, post_attn_norm = @n, post_ffn_norm = @n}} : tensor<?x8xf32>, memref<?x16xf32>
  // expected-error@+1 {{'tfc.decoder_block' op shares its KV cache with layer 0; every layer needs a cache of its own}}
  %1 = tfc.decoder_block %0 at %pos cache %cache {layer = 1 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<post_sublayer>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {q_proj = @q, k_proj = @k, v_proj = @v, o_proj = @o, up_proj = @up, down_proj = @down, post_attn_norm = @n, post_ffn_norm = @n}} : tensor<?x8xf32>, memref<?x16xf32>
  return %1 : tensor<?x8xf32>
}
tfc.weight_decl @n : tensor<8xf32>
