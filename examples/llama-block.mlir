module {
  tfc.weight_decl @model.layers.0.input_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.post_attention_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.self_attn.q_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.k_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.v_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.o_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.mlp.gate_proj.weight : tensor<128x64xf32>
  tfc.weight_decl @model.layers.0.mlp.up_proj.weight : tensor<128x64xf32>
  tfc.weight_decl @model.layers.0.mlp.down_proj.weight : tensor<64x128xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %cache: memref<?x64xf32>) -> tensor<?x64xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 5.0e5>,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16>,
        ffn = #tfc.ffn<silu, gated = true, intermediate = 128>,
        weights = {attn_norm = @model.layers.0.input_layernorm.weight, ffn_norm = @model.layers.0.post_attention_layernorm.weight,
          q_proj = @model.layers.0.self_attn.q_proj.weight, k_proj = @model.layers.0.self_attn.k_proj.weight,
          v_proj = @model.layers.0.self_attn.v_proj.weight, o_proj = @model.layers.0.self_attn.o_proj.weight,
          gate_proj = @model.layers.0.mlp.gate_proj.weight, up_proj = @model.layers.0.mlp.up_proj.weight,
          down_proj = @model.layers.0.mlp.down_proj.weight}} : tensor<?x64xf32>, memref<?x64xf32>
    return %y : tensor<?x64xf32>
  }
}
