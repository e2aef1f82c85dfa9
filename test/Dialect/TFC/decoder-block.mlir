// Round trip of tfc.decoder_block for the block shapes of real model families.
// Each model is a nested module: its own symbol table of checkpoint weights.
// RUN: tfc-opt %s | FileCheck %s
// RUN: tfc-opt %s | tfc-opt | FileCheck %s
// RUN: tfc-opt %s --mlir-print-op-generic | tfc-opt | FileCheck %s

// llama (GQA, SwiGLU, RoPE): two layers chained through one KV cache.
// CHECK-LABEL: module @llama
// CHECK: func.func @forward(%[[X:[^:]*]]: tensor<?x64xf32>, %[[POS:[^:]*]]: index, %[[C:[^:]*]]: memref<?x?xf32>)
// CHECK: %[[H:.*]] = tfc.decoder_block %[[X]] at %[[POS]] cache %[[C]] {attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16>,
// CHECK-SAME: ffn = #tfc.ffn<silu, gated = true, intermediate = 128>, layer = 0 : i64,
// CHECK-SAME: norm = #tfc.norm<rms_norm, eps = 1.000000e-05>, placement = #tfc.norm_placement<pre>,
// CHECK-SAME: position_encoding = #tfc.rope<theta = 5.000000e+05, scaling = <llama3, factor = 8.000000e+00, low_freq_factor = 1.000000e+00, high_freq_factor = 4.000000e+00, original_max_position = 8192>>,
// CHECK-SAME: shape = #tfc.block_shape<serial>,
// CHECK-SAME: weights = {attn_norm = @model.layers.0.input_layernorm.weight, down_proj = @model.layers.0.mlp.down_proj.weight, ffn_norm = @model.layers.0.post_attention_layernorm.weight, gate_proj = @model.layers.0.mlp.gate_proj.weight, k_proj = @model.layers.0.self_attn.k_proj.weight, o_proj = @model.layers.0.self_attn.o_proj.weight, q_proj = @model.layers.0.self_attn.q_proj.weight, up_proj = @model.layers.0.mlp.up_proj.weight, v_proj = @model.layers.0.self_attn.v_proj.weight}}
// CHECK-SAME: : tensor<?x64xf32>, memref<?x?xf32>
// CHECK: %[[Y:.*]] = tfc.decoder_block %[[H]] at %[[POS]] cache %[[C]] {
// CHECK-SAME: layer = 1 : i64
// CHECK-SAME: weights = {attn_norm = @model.layers.1.input_layernorm.weight,
// CHECK: return %[[Y]]
module @llama {
  tfc.weight_decl @model.layers.0.input_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.post_attention_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.self_attn.q_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.k_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.v_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.o_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.mlp.gate_proj.weight : tensor<128x64xf32>
  tfc.weight_decl @model.layers.0.mlp.up_proj.weight : tensor<128x64xf32>
  tfc.weight_decl @model.layers.0.mlp.down_proj.weight : tensor<64x128xf32>
  tfc.weight_decl @model.layers.1.input_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.1.post_attention_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.1.self_attn.q_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.1.self_attn.k_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.1.self_attn.v_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.1.self_attn.o_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.1.mlp.gate_proj.weight : tensor<128x64xf32>
  tfc.weight_decl @model.layers.1.mlp.up_proj.weight : tensor<128x64xf32>
  tfc.weight_decl @model.layers.1.mlp.down_proj.weight : tensor<64x128xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x64xf32> {
    %h = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>,
        position_encoding = #tfc.rope<theta = 5.0e5, scaling = #tfc.rope_scaling<llama3, factor = 8.0, low_freq_factor = 1.0, high_freq_factor = 4.0, original_max_position = 8192>>,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16>,
        ffn = #tfc.ffn<silu, gated = true, intermediate = 128>,
        weights = {attn_norm = @model.layers.0.input_layernorm.weight, ffn_norm = @model.layers.0.post_attention_layernorm.weight,
          q_proj = @model.layers.0.self_attn.q_proj.weight, k_proj = @model.layers.0.self_attn.k_proj.weight,
          v_proj = @model.layers.0.self_attn.v_proj.weight, o_proj = @model.layers.0.self_attn.o_proj.weight,
          gate_proj = @model.layers.0.mlp.gate_proj.weight, up_proj = @model.layers.0.mlp.up_proj.weight,
          down_proj = @model.layers.0.mlp.down_proj.weight}} : tensor<?x64xf32>, memref<?x?xf32>
    %y = tfc.decoder_block %h at %pos cache %cache {layer = 1 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>,
        position_encoding = #tfc.rope<theta = 5.0e5, scaling = #tfc.rope_scaling<llama3, factor = 8.0, low_freq_factor = 1.0, high_freq_factor = 4.0, original_max_position = 8192>>,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16>,
        ffn = #tfc.ffn<silu, gated = true, intermediate = 128>,
        weights = {attn_norm = @model.layers.1.input_layernorm.weight, ffn_norm = @model.layers.1.post_attention_layernorm.weight,
          q_proj = @model.layers.1.self_attn.q_proj.weight, k_proj = @model.layers.1.self_attn.k_proj.weight,
          v_proj = @model.layers.1.self_attn.v_proj.weight, o_proj = @model.layers.1.self_attn.o_proj.weight,
          gate_proj = @model.layers.1.mlp.gate_proj.weight, up_proj = @model.layers.1.mlp.up_proj.weight,
          down_proj = @model.layers.1.mlp.down_proj.weight}} : tensor<?x64xf32>, memref<?x?xf32>
    return %y : tensor<?x64xf32>
  }
}

// gemma2: sandwich norms with a (1 + w) scale, soft-capped sliding-window
// attention with query_pre_attn_scalar scaling, GeGLU; hidden (48) differs
// from heads * head_dim (64).
// CHECK-LABEL: module @gemma2
// CHECK: tfc.decoder_block {{.*}} {attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, scale = 6.250000e-02, window = 32, softcap = 5.000000e+01>,
// CHECK-SAME: ffn = #tfc.ffn<gelu_tanh, gated = true, intermediate = 96>,
// CHECK-SAME: norm = #tfc.norm<rms_norm, eps = 9.9999999999999995E-7, weight_offset = 1.000000e+00>, placement = #tfc.norm_placement<sandwich>,
// CHECK-SAME: position_encoding = #tfc.rope<theta = 1.000000e+04>, shape = #tfc.block_shape<serial>,
// CHECK-SAME: ffn_norm = @model.layers.0.pre_feedforward_layernorm.weight,
// CHECK-SAME: post_attn_norm = @model.layers.0.post_attention_layernorm.weight, post_ffn_norm = @model.layers.0.post_feedforward_layernorm.weight,
// CHECK-SAME: : tensor<?x48xf32>, memref<?x?xf32>
module @gemma2 {
  tfc.weight_decl @model.layers.0.input_layernorm.weight : tensor<48xf32>
  tfc.weight_decl @model.layers.0.post_attention_layernorm.weight : tensor<48xf32>
  tfc.weight_decl @model.layers.0.pre_feedforward_layernorm.weight : tensor<48xf32>
  tfc.weight_decl @model.layers.0.post_feedforward_layernorm.weight : tensor<48xf32>
  tfc.weight_decl @model.layers.0.self_attn.q_proj.weight : tensor<64x48xf32>
  tfc.weight_decl @model.layers.0.self_attn.k_proj.weight : tensor<32x48xf32>
  tfc.weight_decl @model.layers.0.self_attn.v_proj.weight : tensor<32x48xf32>
  tfc.weight_decl @model.layers.0.self_attn.o_proj.weight : tensor<48x64xf32>
  tfc.weight_decl @model.layers.0.mlp.gate_proj.weight : tensor<96x48xf32>
  tfc.weight_decl @model.layers.0.mlp.up_proj.weight : tensor<96x48xf32>
  tfc.weight_decl @model.layers.0.mlp.down_proj.weight : tensor<48x96xf32>
  func.func @forward(%x: tensor<?x48xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x48xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-6, weight_offset = 1.0>, placement = #tfc.norm_placement<sandwich>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e4>,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, scale = 0.0625, window = 32, softcap = 50.0>,
        ffn = #tfc.ffn<gelu_tanh, gated = true, intermediate = 96>,
        weights = {attn_norm = @model.layers.0.input_layernorm.weight,
          post_attn_norm = @model.layers.0.post_attention_layernorm.weight,
          ffn_norm = @model.layers.0.pre_feedforward_layernorm.weight,
          post_ffn_norm = @model.layers.0.post_feedforward_layernorm.weight,
          q_proj = @model.layers.0.self_attn.q_proj.weight, k_proj = @model.layers.0.self_attn.k_proj.weight,
          v_proj = @model.layers.0.self_attn.v_proj.weight, o_proj = @model.layers.0.self_attn.o_proj.weight,
          gate_proj = @model.layers.0.mlp.gate_proj.weight, up_proj = @model.layers.0.mlp.up_proj.weight,
          down_proj = @model.layers.0.mlp.down_proj.weight}} : tensor<?x48xf32>, memref<?x?xf32>
    return %y : tensor<?x48xf32>
  }
}

// gpt2: Conv1D weights stored [in, out], one fused concat QKV projection,
// biases everywhere, LayerNorm with bias, learned absolute positions outside
// the block (#tfc.nope inside), tied LM head.
// CHECK-LABEL: module @gpt2
// CHECK: %[[WTE:.*]] = tfc.weight @transformer.wte.weight : tensor<100x64xf32>
// CHECK: %[[WPE:.*]] = tfc.weight @transformer.wpe.weight : tensor<128x64xf32>
// CHECK: %[[E:.*]] = tfc.embedding %{{.*}}, %[[WTE]]
// CHECK: %[[X:.*]] = tfc.learned_positions %[[E]], %[[WPE]]
// CHECK: %[[H:.*]] = tfc.decoder_block %[[X]] at %{{.*}} cache %{{.*}} {attention = #tfc.attention<mha, heads = 4, kv_heads = 4, head_dim = 16, qkv_bias = true, out_bias = true>,
// CHECK-SAME: ffn = #tfc.ffn<gelu_tanh, intermediate = 256, bias = true>, layer = 0 : i64, layout = #tfc.layout<in_out>,
// CHECK-SAME: norm = #tfc.norm<layer_norm, eps = 1.000000e-05, bias = true>, placement = #tfc.norm_placement<pre>,
// CHECK-SAME: position_encoding = #tfc.nope, qkv_packing = #tfc.qkv_packing<concat>, shape = #tfc.block_shape<serial>,
// CHECK-SAME: weights = {attn_norm = @transformer.h.0.ln_1.weight, attn_norm_bias = @transformer.h.0.ln_1.bias, down_bias = @transformer.h.0.mlp.c_proj.bias, down_proj = @transformer.h.0.mlp.c_proj.weight, ffn_norm = @transformer.h.0.ln_2.weight, ffn_norm_bias = @transformer.h.0.ln_2.bias, o_bias = @transformer.h.0.attn.c_proj.bias, o_proj = @transformer.h.0.attn.c_proj.weight, qkv_bias = @transformer.h.0.attn.c_attn.bias, qkv_proj = @transformer.h.0.attn.c_attn.weight, up_bias = @transformer.h.0.mlp.c_fc.bias, up_proj = @transformer.h.0.mlp.c_fc.weight}}
// CHECK: %[[N:.*]] = tfc.layer_norm %[[H]]
// CHECK: tfc.lm_head %[[N]], %[[WTE]] : tensor<?x64xf32>, tensor<100x64xf32> -> tensor<?x100xf32>
module @gpt2 {
  tfc.weight_decl @transformer.wte.weight : tensor<100x64xf32>
  tfc.weight_decl @transformer.wpe.weight : tensor<128x64xf32>
  tfc.weight_decl @transformer.h.0.ln_1.weight : tensor<64xf32>
  tfc.weight_decl @transformer.h.0.ln_1.bias : tensor<64xf32>
  tfc.weight_decl @transformer.h.0.attn.c_attn.weight : tensor<64x192xf32>
  tfc.weight_decl @transformer.h.0.attn.c_attn.bias : tensor<192xf32>
  tfc.weight_decl @transformer.h.0.attn.c_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @transformer.h.0.attn.c_proj.bias : tensor<64xf32>
  tfc.weight_decl @transformer.h.0.ln_2.weight : tensor<64xf32>
  tfc.weight_decl @transformer.h.0.ln_2.bias : tensor<64xf32>
  tfc.weight_decl @transformer.h.0.mlp.c_fc.weight : tensor<64x256xf32>
  tfc.weight_decl @transformer.h.0.mlp.c_fc.bias : tensor<256xf32>
  tfc.weight_decl @transformer.h.0.mlp.c_proj.weight : tensor<256x64xf32>
  tfc.weight_decl @transformer.h.0.mlp.c_proj.bias : tensor<64xf32>
  tfc.weight_decl @transformer.ln_f.weight : tensor<64xf32>
  tfc.weight_decl @transformer.ln_f.bias : tensor<64xf32>
  func.func @forward(%tokens: tensor<?xi64>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x100xf32> {
    %wte = tfc.weight @transformer.wte.weight : tensor<100x64xf32>
    %wpe = tfc.weight @transformer.wpe.weight : tensor<128x64xf32>
    %e = tfc.embedding %tokens, %wte : tensor<?xi64>, tensor<100x64xf32> -> tensor<?x64xf32>
    %x = tfc.learned_positions %e, %wpe at %pos : tensor<?x64xf32>, tensor<128x64xf32>
    %h = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<layer_norm, eps = 1.0e-5, bias = true>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<mha, heads = 4, kv_heads = 4, head_dim = 16, qkv_bias = true, out_bias = true>,
        ffn = #tfc.ffn<gelu_tanh, intermediate = 256, bias = true>,
        layout = #tfc.layout<in_out>, qkv_packing = #tfc.qkv_packing<concat>,
        weights = {attn_norm = @transformer.h.0.ln_1.weight, attn_norm_bias = @transformer.h.0.ln_1.bias,
          qkv_proj = @transformer.h.0.attn.c_attn.weight, qkv_bias = @transformer.h.0.attn.c_attn.bias,
          o_proj = @transformer.h.0.attn.c_proj.weight, o_bias = @transformer.h.0.attn.c_proj.bias,
          ffn_norm = @transformer.h.0.ln_2.weight, ffn_norm_bias = @transformer.h.0.ln_2.bias,
          up_proj = @transformer.h.0.mlp.c_fc.weight, up_bias = @transformer.h.0.mlp.c_fc.bias,
          down_proj = @transformer.h.0.mlp.c_proj.weight, down_bias = @transformer.h.0.mlp.c_proj.bias}}
        : tensor<?x64xf32>, memref<?x?xf32>
    %lnw = tfc.weight @transformer.ln_f.weight : tensor<64xf32>
    %lnb = tfc.weight @transformer.ln_f.bias : tensor<64xf32>
    %n = tfc.layer_norm %h, %lnw, %lnb {eps = 1.0e-5 : f64} : tensor<?x64xf32>, tensor<64xf32>, tensor<64xf32>
    %logits = tfc.lm_head %n, %wte : tensor<?x64xf32>, tensor<100x64xf32> -> tensor<?x100xf32>
    return %logits : tensor<?x100xf32>
  }
}

// falcon-7b: parallel attention and MLP reading one shared LayerNorm, MQA with
// a fused concat QKV projection, plain GELU MLP without biases.
// CHECK-LABEL: module @falcon
// CHECK: tfc.decoder_block {{.*}} {attention = #tfc.attention<mqa, heads = 4, kv_heads = 1, head_dim = 16>,
// CHECK-SAME: ffn = #tfc.ffn<gelu, intermediate = 256>,
// CHECK-SAME: norm = #tfc.norm<layer_norm, eps = 1.000000e-05, bias = true>, placement = #tfc.norm_placement<pre>,
// CHECK-SAME: position_encoding = #tfc.rope<theta = 1.000000e+04>, qkv_packing = #tfc.qkv_packing<concat>,
// CHECK-SAME: shape = #tfc.block_shape<parallel>, shared_norm,
// CHECK-SAME: weights = {attn_norm = @transformer.h.0.input_layernorm.weight, attn_norm_bias = @transformer.h.0.input_layernorm.bias, down_proj = @transformer.h.0.mlp.dense_4h_to_h.weight, o_proj = @transformer.h.0.self_attention.dense.weight, qkv_proj = @transformer.h.0.self_attention.query_key_value.weight, up_proj = @transformer.h.0.mlp.dense_h_to_4h.weight}}
module @falcon {
  tfc.weight_decl @transformer.h.0.input_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @transformer.h.0.input_layernorm.bias : tensor<64xf32>
  tfc.weight_decl @transformer.h.0.self_attention.query_key_value.weight : tensor<96x64xf32>
  tfc.weight_decl @transformer.h.0.self_attention.dense.weight : tensor<64x64xf32>
  tfc.weight_decl @transformer.h.0.mlp.dense_h_to_4h.weight : tensor<256x64xf32>
  tfc.weight_decl @transformer.h.0.mlp.dense_4h_to_h.weight : tensor<64x256xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x64xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<layer_norm, eps = 1.0e-5, bias = true>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<parallel>, shared_norm, position_encoding = #tfc.rope<theta = 1.0e4>,
        attention = #tfc.attention<mqa, heads = 4, kv_heads = 1, head_dim = 16>,
        ffn = #tfc.ffn<gelu, intermediate = 256>, qkv_packing = #tfc.qkv_packing<concat>,
        weights = {attn_norm = @transformer.h.0.input_layernorm.weight,
          attn_norm_bias = @transformer.h.0.input_layernorm.bias,
          qkv_proj = @transformer.h.0.self_attention.query_key_value.weight,
          o_proj = @transformer.h.0.self_attention.dense.weight,
          up_proj = @transformer.h.0.mlp.dense_h_to_4h.weight,
          down_proj = @transformer.h.0.mlp.dense_4h_to_h.weight}} : tensor<?x64xf32>, memref<?x?xf32>
    return %y : tensor<?x64xf32>
  }
}

// gpt_neox / pythia: parallel block with two norms, grouped fused QKV with
// biases, partial rotary (rotary_pct = 0.25).
// CHECK-LABEL: module @gpt_neox
// CHECK: tfc.decoder_block {{.*}} {attention = #tfc.attention<mha, heads = 4, kv_heads = 4, head_dim = 16, qkv_bias = true, out_bias = true>,
// CHECK-SAME: ffn = #tfc.ffn<gelu, intermediate = 256, bias = true>,
// CHECK-SAME: position_encoding = #tfc.rope<theta = 1.000000e+04, fraction = 2.500000e-01>, qkv_packing = #tfc.qkv_packing<grouped>,
// CHECK-SAME: shape = #tfc.block_shape<parallel>, weights = {
// CHECK-SAME: ffn_norm = @gpt_neox.layers.0.post_attention_layernorm.weight, ffn_norm_bias = @gpt_neox.layers.0.post_attention_layernorm.bias,
module @gpt_neox {
  tfc.weight_decl @gpt_neox.layers.0.input_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @gpt_neox.layers.0.input_layernorm.bias : tensor<64xf32>
  tfc.weight_decl @gpt_neox.layers.0.post_attention_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @gpt_neox.layers.0.post_attention_layernorm.bias : tensor<64xf32>
  tfc.weight_decl @gpt_neox.layers.0.attention.query_key_value.weight : tensor<192x64xf32>
  tfc.weight_decl @gpt_neox.layers.0.attention.query_key_value.bias : tensor<192xf32>
  tfc.weight_decl @gpt_neox.layers.0.attention.dense.weight : tensor<64x64xf32>
  tfc.weight_decl @gpt_neox.layers.0.attention.dense.bias : tensor<64xf32>
  tfc.weight_decl @gpt_neox.layers.0.mlp.dense_h_to_4h.weight : tensor<256x64xf32>
  tfc.weight_decl @gpt_neox.layers.0.mlp.dense_h_to_4h.bias : tensor<256xf32>
  tfc.weight_decl @gpt_neox.layers.0.mlp.dense_4h_to_h.weight : tensor<64x256xf32>
  tfc.weight_decl @gpt_neox.layers.0.mlp.dense_4h_to_h.bias : tensor<64xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x64xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<layer_norm, eps = 1.0e-5, bias = true>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<parallel>, position_encoding = #tfc.rope<theta = 1.0e4, fraction = 0.25>,
        attention = #tfc.attention<mha, heads = 4, kv_heads = 4, head_dim = 16, qkv_bias = true, out_bias = true>,
        ffn = #tfc.ffn<gelu, intermediate = 256, bias = true>, qkv_packing = #tfc.qkv_packing<grouped>,
        weights = {attn_norm = @gpt_neox.layers.0.input_layernorm.weight,
          attn_norm_bias = @gpt_neox.layers.0.input_layernorm.bias,
          ffn_norm = @gpt_neox.layers.0.post_attention_layernorm.weight,
          ffn_norm_bias = @gpt_neox.layers.0.post_attention_layernorm.bias,
          qkv_proj = @gpt_neox.layers.0.attention.query_key_value.weight,
          qkv_bias = @gpt_neox.layers.0.attention.query_key_value.bias,
          o_proj = @gpt_neox.layers.0.attention.dense.weight, o_bias = @gpt_neox.layers.0.attention.dense.bias,
          up_proj = @gpt_neox.layers.0.mlp.dense_h_to_4h.weight, up_bias = @gpt_neox.layers.0.mlp.dense_h_to_4h.bias,
          down_proj = @gpt_neox.layers.0.mlp.dense_4h_to_h.weight, down_bias = @gpt_neox.layers.0.mlp.dense_4h_to_h.bias}}
        : tensor<?x64xf32>, memref<?x?xf32>
    return %y : tensor<?x64xf32>
  }
}

// bloom: ALiBi positions, grouped fused QKV, biases, GELU-tanh MLP.
// CHECK-LABEL: module @bloom
// CHECK: tfc.decoder_block {{.*}} {attention = #tfc.attention<mha, heads = 4, kv_heads = 4, head_dim = 16, qkv_bias = true, out_bias = true>,
// CHECK-SAME: position_encoding = #tfc.alibi<max_bias = 8.000000e+00>, qkv_packing = #tfc.qkv_packing<grouped>,
// CHECK-SAME: qkv_bias = @h.0.self_attention.query_key_value.bias, qkv_proj = @h.0.self_attention.query_key_value.weight,
module @bloom {
  tfc.weight_decl @h.0.input_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @h.0.input_layernorm.bias : tensor<64xf32>
  tfc.weight_decl @h.0.post_attention_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @h.0.post_attention_layernorm.bias : tensor<64xf32>
  tfc.weight_decl @h.0.self_attention.query_key_value.weight : tensor<192x64xf32>
  tfc.weight_decl @h.0.self_attention.query_key_value.bias : tensor<192xf32>
  tfc.weight_decl @h.0.self_attention.dense.weight : tensor<64x64xf32>
  tfc.weight_decl @h.0.self_attention.dense.bias : tensor<64xf32>
  tfc.weight_decl @h.0.mlp.dense_h_to_4h.weight : tensor<256x64xf32>
  tfc.weight_decl @h.0.mlp.dense_h_to_4h.bias : tensor<256xf32>
  tfc.weight_decl @h.0.mlp.dense_4h_to_h.weight : tensor<64x256xf32>
  tfc.weight_decl @h.0.mlp.dense_4h_to_h.bias : tensor<64xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x64xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<layer_norm, eps = 1.0e-5, bias = true>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.alibi<max_bias = 8.0>,
        attention = #tfc.attention<mha, heads = 4, kv_heads = 4, head_dim = 16, qkv_bias = true, out_bias = true>,
        ffn = #tfc.ffn<gelu_tanh, intermediate = 256, bias = true>, qkv_packing = #tfc.qkv_packing<grouped>,
        weights = {attn_norm = @h.0.input_layernorm.weight, attn_norm_bias = @h.0.input_layernorm.bias,
          ffn_norm = @h.0.post_attention_layernorm.weight, ffn_norm_bias = @h.0.post_attention_layernorm.bias,
          qkv_proj = @h.0.self_attention.query_key_value.weight, qkv_bias = @h.0.self_attention.query_key_value.bias,
          o_proj = @h.0.self_attention.dense.weight, o_bias = @h.0.self_attention.dense.bias,
          up_proj = @h.0.mlp.dense_h_to_4h.weight, up_bias = @h.0.mlp.dense_h_to_4h.bias,
          down_proj = @h.0.mlp.dense_4h_to_h.weight, down_bias = @h.0.mlp.dense_4h_to_h.bias}}
        : tensor<?x64xf32>, memref<?x?xf32>
    return %y : tensor<?x64xf32>
  }
}

// deepseek-v3 style: MLA with a query bottleneck (q_lora_rank > 0), MoE with
// shared experts and a routed scale, interleaved RoPE.
// CHECK-LABEL: module @deepseek
// CHECK: tfc.decoder_block {{.*}} {attention = #tfc.attention<mla, heads = 4, kv_heads = 4, head_dim = 24, mla = <q_lora_rank = 32, kv_lora_rank = 32, qk_nope_head_dim = 16, qk_rope_head_dim = 8, v_head_dim = 16>>,
// CHECK-SAME: ffn = #tfc.ffn<silu, gated = true, intermediate = 128>, layer = 1 : i64,
// CHECK-SAME: moe = #tfc.moe<experts = 4, top_k = 2, intermediate = 32, shared = 2, shared_intermediate = 64, routed_scale = 2.500000e+00>,
// CHECK-SAME: position_encoding = #tfc.rope<theta = 1.000000e+04, style = interleaved>,
// CHECK-SAME: weights = {attn_norm = @model.layers.1.input_layernorm.weight,
// CHECK-SAME: expert.0.down_proj = @model.layers.1.mlp.experts.0.down_proj.weight, expert.0.gate_proj = @model.layers.1.mlp.experts.0.gate_proj.weight, expert.0.up_proj = @model.layers.1.mlp.experts.0.up_proj.weight,
// CHECK-SAME: expert.3.up_proj = @model.layers.1.mlp.experts.3.up_proj.weight,
// CHECK-SAME: kv_a_norm = @model.layers.1.self_attn.kv_a_layernorm.weight, kv_a_proj = @model.layers.1.self_attn.kv_a_proj_with_mqa.weight, kv_b_proj = @model.layers.1.self_attn.kv_b_proj.weight,
// CHECK-SAME: q_a_norm = @model.layers.1.self_attn.q_a_layernorm.weight, q_a_proj = @model.layers.1.self_attn.q_a_proj.weight, q_b_proj = @model.layers.1.self_attn.q_b_proj.weight,
// CHECK-SAME: router = @model.layers.1.mlp.gate.weight,
// CHECK-SAME: shared.down_proj = @model.layers.1.mlp.shared_experts.down_proj.weight, shared.gate_proj = @model.layers.1.mlp.shared_experts.gate_proj.weight, shared.up_proj = @model.layers.1.mlp.shared_experts.up_proj.weight}}
module @deepseek {
  tfc.weight_decl @model.layers.1.input_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.1.post_attention_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.1.self_attn.q_a_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.1.self_attn.q_a_layernorm.weight : tensor<32xf32>
  tfc.weight_decl @model.layers.1.self_attn.q_b_proj.weight : tensor<96x32xf32>
  tfc.weight_decl @model.layers.1.self_attn.kv_a_proj_with_mqa.weight : tensor<40x64xf32>
  tfc.weight_decl @model.layers.1.self_attn.kv_a_layernorm.weight : tensor<32xf32>
  tfc.weight_decl @model.layers.1.self_attn.kv_b_proj.weight : tensor<128x32xf32>
  tfc.weight_decl @model.layers.1.self_attn.o_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.1.mlp.gate.weight : tensor<4x64xf32>
  tfc.weight_decl @model.layers.1.mlp.experts.0.gate_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.1.mlp.experts.0.up_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.1.mlp.experts.0.down_proj.weight : tensor<64x32xf32>
  tfc.weight_decl @model.layers.1.mlp.experts.1.gate_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.1.mlp.experts.1.up_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.1.mlp.experts.1.down_proj.weight : tensor<64x32xf32>
  tfc.weight_decl @model.layers.1.mlp.experts.2.gate_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.1.mlp.experts.2.up_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.1.mlp.experts.2.down_proj.weight : tensor<64x32xf32>
  tfc.weight_decl @model.layers.1.mlp.experts.3.gate_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.1.mlp.experts.3.up_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.1.mlp.experts.3.down_proj.weight : tensor<64x32xf32>
  tfc.weight_decl @model.layers.1.mlp.shared_experts.gate_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.1.mlp.shared_experts.up_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.1.mlp.shared_experts.down_proj.weight : tensor<64x64xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x64xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 1 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-6>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e4, style = interleaved>,
        attention = #tfc.attention<mla, heads = 4, kv_heads = 4, head_dim = 24,
            mla = #tfc.mla<q_lora_rank = 32, kv_lora_rank = 32, qk_nope_head_dim = 16, qk_rope_head_dim = 8, v_head_dim = 16>>,
        ffn = #tfc.ffn<silu, gated = true, intermediate = 128>,
        moe = #tfc.moe<experts = 4, top_k = 2, intermediate = 32, shared = 2, shared_intermediate = 64, routed_scale = 2.5>,
        weights = {attn_norm = @model.layers.1.input_layernorm.weight,
          ffn_norm = @model.layers.1.post_attention_layernorm.weight,
          q_a_proj = @model.layers.1.self_attn.q_a_proj.weight,
          q_a_norm = @model.layers.1.self_attn.q_a_layernorm.weight,
          q_b_proj = @model.layers.1.self_attn.q_b_proj.weight,
          kv_a_proj = @model.layers.1.self_attn.kv_a_proj_with_mqa.weight,
          kv_a_norm = @model.layers.1.self_attn.kv_a_layernorm.weight,
          kv_b_proj = @model.layers.1.self_attn.kv_b_proj.weight,
          o_proj = @model.layers.1.self_attn.o_proj.weight,
          router = @model.layers.1.mlp.gate.weight,
          expert.0.gate_proj = @model.layers.1.mlp.experts.0.gate_proj.weight,
          expert.0.up_proj = @model.layers.1.mlp.experts.0.up_proj.weight,
          expert.0.down_proj = @model.layers.1.mlp.experts.0.down_proj.weight,
          expert.1.gate_proj = @model.layers.1.mlp.experts.1.gate_proj.weight,
          expert.1.up_proj = @model.layers.1.mlp.experts.1.up_proj.weight,
          expert.1.down_proj = @model.layers.1.mlp.experts.1.down_proj.weight,
          expert.2.gate_proj = @model.layers.1.mlp.experts.2.gate_proj.weight,
          expert.2.up_proj = @model.layers.1.mlp.experts.2.up_proj.weight,
          expert.2.down_proj = @model.layers.1.mlp.experts.2.down_proj.weight,
          expert.3.gate_proj = @model.layers.1.mlp.experts.3.gate_proj.weight,
          expert.3.up_proj = @model.layers.1.mlp.experts.3.up_proj.weight,
          expert.3.down_proj = @model.layers.1.mlp.experts.3.down_proj.weight,
          shared.gate_proj = @model.layers.1.mlp.shared_experts.gate_proj.weight,
          shared.up_proj = @model.layers.1.mlp.shared_experts.up_proj.weight,
          shared.down_proj = @model.layers.1.mlp.shared_experts.down_proj.weight}}
        : tensor<?x64xf32>, memref<?x?xf32>
    return %y : tensor<?x64xf32>
  }
}

// deepseek-v2-lite style: MLA without a query bottleneck (q_lora_rank = 0:
// a plain q_proj), a dense first layer.
// CHECK-LABEL: module @deepseek_v2_lite
// CHECK: tfc.decoder_block {{.*}} {attention = #tfc.attention<mla, heads = 4, kv_heads = 4, head_dim = 24, mla = <q_lora_rank = 0, kv_lora_rank = 32, qk_nope_head_dim = 16, qk_rope_head_dim = 8, v_head_dim = 16>>,
// CHECK-SAME: kv_b_proj = @model.layers.0.self_attn.kv_b_proj.weight, o_proj = @model.layers.0.self_attn.o_proj.weight, q_proj = @model.layers.0.self_attn.q_proj.weight,
module @deepseek_v2_lite {
  tfc.weight_decl @model.layers.0.input_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.post_attention_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.self_attn.q_proj.weight : tensor<96x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.kv_a_proj_with_mqa.weight : tensor<40x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.kv_a_layernorm.weight : tensor<32xf32>
  tfc.weight_decl @model.layers.0.self_attn.kv_b_proj.weight : tensor<128x32xf32>
  tfc.weight_decl @model.layers.0.self_attn.o_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.mlp.gate_proj.weight : tensor<128x64xf32>
  tfc.weight_decl @model.layers.0.mlp.up_proj.weight : tensor<128x64xf32>
  tfc.weight_decl @model.layers.0.mlp.down_proj.weight : tensor<64x128xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x64xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-6>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e4>,
        attention = #tfc.attention<mla, heads = 4, kv_heads = 4, head_dim = 24,
            mla = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 32, qk_nope_head_dim = 16, qk_rope_head_dim = 8, v_head_dim = 16>>,
        ffn = #tfc.ffn<silu, gated = true, intermediate = 128>,
        weights = {attn_norm = @model.layers.0.input_layernorm.weight,
          ffn_norm = @model.layers.0.post_attention_layernorm.weight,
          q_proj = @model.layers.0.self_attn.q_proj.weight,
          kv_a_proj = @model.layers.0.self_attn.kv_a_proj_with_mqa.weight,
          kv_a_norm = @model.layers.0.self_attn.kv_a_layernorm.weight,
          kv_b_proj = @model.layers.0.self_attn.kv_b_proj.weight,
          o_proj = @model.layers.0.self_attn.o_proj.weight,
          gate_proj = @model.layers.0.mlp.gate_proj.weight, up_proj = @model.layers.0.mlp.up_proj.weight,
          down_proj = @model.layers.0.mlp.down_proj.weight}} : tensor<?x64xf32>, memref<?x?xf32>
    return %y : tensor<?x64xf32>
  }
}

// mixtral: GQA with a sliding window, MoE of SwiGLU experts with top-2
// renormalised routing, no shared experts.
// CHECK-LABEL: module @mixtral
// CHECK: tfc.decoder_block {{.*}} {attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, window = 4096>,
// CHECK-SAME: moe = #tfc.moe<experts = 2, top_k = 2, intermediate = 96, renormalize = true>,
// CHECK-SAME: expert.1.gate_proj = @model.layers.0.block_sparse_moe.experts.1.w1.weight,
// CHECK-SAME: router = @model.layers.0.block_sparse_moe.gate.weight,
module @mixtral {
  tfc.weight_decl @model.layers.0.input_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.post_attention_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.self_attn.q_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.k_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.v_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.o_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.block_sparse_moe.gate.weight : tensor<2x64xf32>
  tfc.weight_decl @model.layers.0.block_sparse_moe.experts.0.w1.weight : tensor<96x64xf32>
  tfc.weight_decl @model.layers.0.block_sparse_moe.experts.0.w3.weight : tensor<96x64xf32>
  tfc.weight_decl @model.layers.0.block_sparse_moe.experts.0.w2.weight : tensor<64x96xf32>
  tfc.weight_decl @model.layers.0.block_sparse_moe.experts.1.w1.weight : tensor<96x64xf32>
  tfc.weight_decl @model.layers.0.block_sparse_moe.experts.1.w3.weight : tensor<96x64xf32>
  tfc.weight_decl @model.layers.0.block_sparse_moe.experts.1.w2.weight : tensor<64x96xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x64xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e6>,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, window = 4096>,
        ffn = #tfc.ffn<silu, gated = true, intermediate = 96>,
        moe = #tfc.moe<experts = 2, top_k = 2, intermediate = 96, renormalize = true>,
        weights = {attn_norm = @model.layers.0.input_layernorm.weight,
          ffn_norm = @model.layers.0.post_attention_layernorm.weight,
          q_proj = @model.layers.0.self_attn.q_proj.weight, k_proj = @model.layers.0.self_attn.k_proj.weight,
          v_proj = @model.layers.0.self_attn.v_proj.weight, o_proj = @model.layers.0.self_attn.o_proj.weight,
          router = @model.layers.0.block_sparse_moe.gate.weight,
          expert.0.gate_proj = @model.layers.0.block_sparse_moe.experts.0.w1.weight,
          expert.0.up_proj = @model.layers.0.block_sparse_moe.experts.0.w3.weight,
          expert.0.down_proj = @model.layers.0.block_sparse_moe.experts.0.w2.weight,
          expert.1.gate_proj = @model.layers.0.block_sparse_moe.experts.1.w1.weight,
          expert.1.up_proj = @model.layers.0.block_sparse_moe.experts.1.w3.weight,
          expert.1.down_proj = @model.layers.0.block_sparse_moe.experts.1.w2.weight}}
        : tensor<?x64xf32>, memref<?x?xf32>
    return %y : tensor<?x64xf32>
  }
}

// olmo2: norms after each sublayer (x + norm(f(x))) and full-width qk norm.
// CHECK-LABEL: module @olmo2
// CHECK: tfc.decoder_block {{.*}} {attention = #tfc.attention<mha, heads = 4, kv_heads = 4, head_dim = 16, qk_norm = full>,
// CHECK-SAME: placement = #tfc.norm_placement<post_sublayer>,
// CHECK-SAME: weights = {down_proj = @model.layers.0.mlp.down_proj.weight, gate_proj = @model.layers.0.mlp.gate_proj.weight, k_norm = @model.layers.0.self_attn.k_norm.weight, k_proj = @model.layers.0.self_attn.k_proj.weight, o_proj = @model.layers.0.self_attn.o_proj.weight, post_attn_norm = @model.layers.0.post_attention_layernorm.weight, post_ffn_norm = @model.layers.0.post_feedforward_layernorm.weight, q_norm = @model.layers.0.self_attn.q_norm.weight, q_proj = @model.layers.0.self_attn.q_proj.weight, up_proj = @model.layers.0.mlp.up_proj.weight, v_proj = @model.layers.0.self_attn.v_proj.weight}}
module @olmo2 {
  tfc.weight_decl @model.layers.0.post_attention_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.post_feedforward_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.self_attn.q_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.k_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.v_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.q_norm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.self_attn.k_norm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.self_attn.o_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.mlp.gate_proj.weight : tensor<128x64xf32>
  tfc.weight_decl @model.layers.0.mlp.up_proj.weight : tensor<128x64xf32>
  tfc.weight_decl @model.layers.0.mlp.down_proj.weight : tensor<64x128xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x64xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-6>, placement = #tfc.norm_placement<post_sublayer>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 5.0e5>,
        attention = #tfc.attention<mha, heads = 4, kv_heads = 4, head_dim = 16, qk_norm = full>,
        ffn = #tfc.ffn<silu, gated = true, intermediate = 128>,
        weights = {post_attn_norm = @model.layers.0.post_attention_layernorm.weight,
          post_ffn_norm = @model.layers.0.post_feedforward_layernorm.weight,
          q_proj = @model.layers.0.self_attn.q_proj.weight, k_proj = @model.layers.0.self_attn.k_proj.weight,
          v_proj = @model.layers.0.self_attn.v_proj.weight, o_proj = @model.layers.0.self_attn.o_proj.weight,
          q_norm = @model.layers.0.self_attn.q_norm.weight, k_norm = @model.layers.0.self_attn.k_norm.weight,
          gate_proj = @model.layers.0.mlp.gate_proj.weight, up_proj = @model.layers.0.mlp.up_proj.weight,
          down_proj = @model.layers.0.mlp.down_proj.weight}} : tensor<?x64xf32>, memref<?x?xf32>
    return %y : tensor<?x64xf32>
  }
}

// qwen3: GQA with per-head qk norm (weights [head_dim]).
// CHECK-LABEL: module @qwen3
// CHECK: tfc.decoder_block {{.*}} {attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, qk_norm = per_head>,
// CHECK-SAME: k_norm = @model.layers.0.self_attn.k_norm.weight,
// CHECK-SAME: q_norm = @model.layers.0.self_attn.q_norm.weight,
module @qwen3 {
  tfc.weight_decl @model.layers.0.input_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.post_attention_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.self_attn.q_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.k_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.v_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.q_norm.weight : tensor<16xf32>
  tfc.weight_decl @model.layers.0.self_attn.k_norm.weight : tensor<16xf32>
  tfc.weight_decl @model.layers.0.self_attn.o_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.mlp.gate_proj.weight : tensor<128x64xf32>
  tfc.weight_decl @model.layers.0.mlp.up_proj.weight : tensor<128x64xf32>
  tfc.weight_decl @model.layers.0.mlp.down_proj.weight : tensor<64x128xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x64xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-6>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e6>,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, qk_norm = per_head>,
        ffn = #tfc.ffn<silu, gated = true, intermediate = 128>,
        weights = {attn_norm = @model.layers.0.input_layernorm.weight,
          ffn_norm = @model.layers.0.post_attention_layernorm.weight,
          q_proj = @model.layers.0.self_attn.q_proj.weight, k_proj = @model.layers.0.self_attn.k_proj.weight,
          v_proj = @model.layers.0.self_attn.v_proj.weight, o_proj = @model.layers.0.self_attn.o_proj.weight,
          q_norm = @model.layers.0.self_attn.q_norm.weight, k_norm = @model.layers.0.self_attn.k_norm.weight,
          gate_proj = @model.layers.0.mlp.gate_proj.weight, up_proj = @model.layers.0.mlp.up_proj.weight,
          down_proj = @model.layers.0.mlp.down_proj.weight}} : tensor<?x64xf32>, memref<?x?xf32>
    return %y : tensor<?x64xf32>
  }
}

// qwen2: separate q/k/v projections with biases (qkv_bias), none on o_proj.
// CHECK-LABEL: module @qwen2
// CHECK: tfc.decoder_block {{.*}} {attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, qkv_bias = true>,
// CHECK-SAME: k_bias = @model.layers.0.self_attn.k_proj.bias,
// CHECK-SAME: q_bias = @model.layers.0.self_attn.q_proj.bias,
// CHECK-SAME: v_bias = @model.layers.0.self_attn.v_proj.bias,
module @qwen2 {
  tfc.weight_decl @model.layers.0.input_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.post_attention_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @model.layers.0.self_attn.q_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.q_proj.bias : tensor<64xf32>
  tfc.weight_decl @model.layers.0.self_attn.k_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.k_proj.bias : tensor<32xf32>
  tfc.weight_decl @model.layers.0.self_attn.v_proj.weight : tensor<32x64xf32>
  tfc.weight_decl @model.layers.0.self_attn.v_proj.bias : tensor<32xf32>
  tfc.weight_decl @model.layers.0.self_attn.o_proj.weight : tensor<64x64xf32>
  tfc.weight_decl @model.layers.0.mlp.gate_proj.weight : tensor<128x64xf32>
  tfc.weight_decl @model.layers.0.mlp.up_proj.weight : tensor<128x64xf32>
  tfc.weight_decl @model.layers.0.mlp.down_proj.weight : tensor<64x128xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x64xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-6>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e6>,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, qkv_bias = true>,
        ffn = #tfc.ffn<silu, gated = true, intermediate = 128>,
        weights = {attn_norm = @model.layers.0.input_layernorm.weight,
          ffn_norm = @model.layers.0.post_attention_layernorm.weight,
          q_proj = @model.layers.0.self_attn.q_proj.weight, q_bias = @model.layers.0.self_attn.q_proj.bias,
          k_proj = @model.layers.0.self_attn.k_proj.weight, k_bias = @model.layers.0.self_attn.k_proj.bias,
          v_proj = @model.layers.0.self_attn.v_proj.weight, v_bias = @model.layers.0.self_attn.v_proj.bias,
          o_proj = @model.layers.0.self_attn.o_proj.weight,
          gate_proj = @model.layers.0.mlp.gate_proj.weight, up_proj = @model.layers.0.mlp.up_proj.weight,
          down_proj = @model.layers.0.mlp.down_proj.weight}} : tensor<?x64xf32>, memref<?x?xf32>
    return %y : tensor<?x64xf32>
  }
}

// DeepNorm (GLM-130B style): norm(alpha * x + f(x)) with alpha = (2N)^(1/4)
// for N = 8 layers; LayerNorm with bias, plain GELU MLP with biases.
// CHECK-LABEL: module @deepnorm
// CHECK: tfc.decoder_block {{.*}} {attention = #tfc.attention<mha, heads = 4, kv_heads = 4, head_dim = 16>, deepnorm_alpha = 2.000000e+00 : f64,
// CHECK-SAME: ffn = #tfc.ffn<gelu, intermediate = 256, bias = true>,
// CHECK-SAME: placement = #tfc.norm_placement<deep_norm>,
// CHECK-SAME: position_encoding = #tfc.rope<theta = 1.000000e+04, fraction = 5.000000e-01>,
module @deepnorm {
  tfc.weight_decl @layers.0.input_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @layers.0.input_layernorm.bias : tensor<64xf32>
  tfc.weight_decl @layers.0.post_attention_layernorm.weight : tensor<64xf32>
  tfc.weight_decl @layers.0.post_attention_layernorm.bias : tensor<64xf32>
  tfc.weight_decl @layers.0.attention.q.weight : tensor<64x64xf32>
  tfc.weight_decl @layers.0.attention.k.weight : tensor<64x64xf32>
  tfc.weight_decl @layers.0.attention.v.weight : tensor<64x64xf32>
  tfc.weight_decl @layers.0.attention.dense.weight : tensor<64x64xf32>
  tfc.weight_decl @layers.0.mlp.dense_h_to_4h.weight : tensor<256x64xf32>
  tfc.weight_decl @layers.0.mlp.dense_h_to_4h.bias : tensor<256xf32>
  tfc.weight_decl @layers.0.mlp.dense_4h_to_h.weight : tensor<64x256xf32>
  tfc.weight_decl @layers.0.mlp.dense_4h_to_h.bias : tensor<64xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x64xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<layer_norm, eps = 1.0e-5, bias = true>, placement = #tfc.norm_placement<deep_norm>,
        deepnorm_alpha = 2.0 : f64,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e4, fraction = 0.5>,
        attention = #tfc.attention<mha, heads = 4, kv_heads = 4, head_dim = 16>,
        ffn = #tfc.ffn<gelu, intermediate = 256, bias = true>,
        weights = {attn_norm = @layers.0.input_layernorm.weight, attn_norm_bias = @layers.0.input_layernorm.bias,
          ffn_norm = @layers.0.post_attention_layernorm.weight, ffn_norm_bias = @layers.0.post_attention_layernorm.bias,
          q_proj = @layers.0.attention.q.weight, k_proj = @layers.0.attention.k.weight,
          v_proj = @layers.0.attention.v.weight, o_proj = @layers.0.attention.dense.weight,
          up_proj = @layers.0.mlp.dense_h_to_4h.weight, up_bias = @layers.0.mlp.dense_h_to_4h.bias,
          down_proj = @layers.0.mlp.dense_4h_to_h.weight, down_bias = @layers.0.mlp.dense_4h_to_h.bias}}
        : tensor<?x64xf32>, memref<?x?xf32>
    return %y : tensor<?x64xf32>
  }
}

// The original post-LN Transformer: norm(x + f(x)), ReLU MLP, no positions in
// the block.
// CHECK-LABEL: module @post_ln
// CHECK: tfc.decoder_block {{.*}} {attention = #tfc.attention<mha, heads = 4, kv_heads = 4, head_dim = 16>, ffn = #tfc.ffn<relu, intermediate = 256>, layer = 0 : i64,
// CHECK-SAME: norm = #tfc.norm<layer_norm, eps = 1.000000e-05>, placement = #tfc.norm_placement<post>, position_encoding = #tfc.nope, shape = #tfc.block_shape<serial>,
// CHECK-SAME: weights = {attn_norm = @l0.attn_norm, down_proj = @l0.down, ffn_norm = @l0.ffn_norm, k_proj = @l0.k, o_proj = @l0.o, q_proj = @l0.q, up_proj = @l0.up, v_proj = @l0.v}}
module @post_ln {
  tfc.weight_decl @l0.attn_norm : tensor<64xf32>
  tfc.weight_decl @l0.ffn_norm : tensor<64xf32>
  tfc.weight_decl @l0.q : tensor<64x64xf32>
  tfc.weight_decl @l0.k : tensor<64x64xf32>
  tfc.weight_decl @l0.v : tensor<64x64xf32>
  tfc.weight_decl @l0.o : tensor<64x64xf32>
  tfc.weight_decl @l0.up : tensor<256x64xf32>
  tfc.weight_decl @l0.down : tensor<64x256xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x64xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<layer_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<post>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<mha, heads = 4, kv_heads = 4, head_dim = 16>,
        ffn = #tfc.ffn<relu, intermediate = 256>,
        weights = {attn_norm = @l0.attn_norm, ffn_norm = @l0.ffn_norm, q_proj = @l0.q, k_proj = @l0.k,
          v_proj = @l0.v, o_proj = @l0.o, up_proj = @l0.up, down_proj = @l0.down}}
        : tensor<?x64xf32>, memref<?x?xf32>
    return %y : tensor<?x64xf32>
  }
}
