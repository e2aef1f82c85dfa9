// A one-layer model at the model level (GQA, no positions, ReLU MLP) for the
// pipeline tests.
module attributes {tfc.model_type = "llama", tfc.num_layers = 1 : i64} {
  tfc.weight_decl @embed : tensor<32x64xf32>
  tfc.weight_decl @n1 : tensor<64xf32>
  tfc.weight_decl @n2 : tensor<64xf32>
  tfc.weight_decl @q : tensor<64x64xf32>
  tfc.weight_decl @k : tensor<32x64xf32>
  tfc.weight_decl @v : tensor<32x64xf32>
  tfc.weight_decl @o : tensor<64x64xf32>
  tfc.weight_decl @up : tensor<128x64xf32>
  tfc.weight_decl @down : tensor<64x128xf32>
  func.func @forward(%tokens: tensor<?xi64>, %pos: index, %cache: memref<?x64xf32> {tfc.name = "kv_cache.0"}) -> tensor<?x32xf32> {
    %e = tfc.weight @embed : tensor<32x64xf32>
    %x = tfc.embedding %tokens, %e : tensor<?xi64>, tensor<32x64xf32> -> tensor<?x64xf32>
    %0 = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16>,
        ffn = #tfc.ffn<relu, intermediate = 128>,
        weights = {attn_norm = @n1, ffn_norm = @n2, q_proj = @q, k_proj = @k, v_proj = @v, o_proj = @o, up_proj = @up, down_proj = @down}} : tensor<?x64xf32>, memref<?x64xf32>
    %l = tfc.lm_head %0, %e : tensor<?x64xf32>, tensor<32x64xf32> -> tensor<?x32xf32>
    return %l : tensor<?x32xf32>
  }
}
