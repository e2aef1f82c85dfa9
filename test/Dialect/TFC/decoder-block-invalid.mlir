// Verifier errors of tfc.decoder_block: the op verifier (DecoderBlockOp::verify)
// and the weight checks against tfc.weight_decl (verifySymbolUses).
// RUN: tfc-opt %s -split-input-file -verify-diagnostics

// Unless stated otherwise a case is a minimal MHA block: hidden 8, 2 heads of
// 4, RMSNorm pre-norm, NoPE, ReLU MLP of width 16. Cases for the op verifier
// pass an empty weights dictionary: symbol uses are checked only once the op
// itself verifies.

// The hidden size must be static.
func.func @f(%x: tensor<?x?xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x?xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op the hidden size (input dimension 1) must be static}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x?xf32>, memref<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// The input is [tokens, hidden].
func.func @f(%x: tensor<?x8x2xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8x2xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op operand #0 must be 2D tensor of 32-bit float values, but got 'tensor<?x8x2xf32>'}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8x2xf32>, memref<?x?xf32>
  return %y : tensor<?x8x2xf32>
}

// -----

// deep_norm placement needs deepnorm_alpha.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op 'deepnorm_alpha' is required with deep_norm placement and only then}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<deep_norm>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// deepnorm_alpha is only valid with deep_norm placement.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op 'deepnorm_alpha' is required with deep_norm placement and only then}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      deepnorm_alpha = 2.0 : f64, shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
      attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>, ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// deepnorm_alpha must be positive.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op 'deepnorm_alpha' must be positive, got 0}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<deep_norm>,
      deepnorm_alpha = 0.0 : f64, shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
      attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>, ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// A parallel block normalises its input: sandwich placement is rejected.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op a parallel block normalises its input once for both sublayers: 'placement' must be pre, got sandwich}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<sandwich>,
      shape = #tfc.block_shape<parallel>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// A parallel block normalises its input: deep_norm placement is rejected.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op a parallel block normalises its input once for both sublayers: 'placement' must be pre, got deep_norm}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<deep_norm>,
      deepnorm_alpha = 2.0 : f64, shape = #tfc.block_shape<parallel>, position_encoding = #tfc.nope,
      attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>, ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// A parallel block's residual is its input: pre_normed_residual is rejected.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op a parallel block normalises its input once for both sublayers: 'placement' must be pre, got pre_normed_residual}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre_normed_residual>,
      shape = #tfc.block_shape<parallel>, position_encoding = #tfc.nope,
      attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>, ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// shared_norm needs a parallel block.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op 'shared_norm' needs a parallel block}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, shared_norm, position_encoding = #tfc.nope,
      attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>, ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// MLA rotates qk_rope_head_dim dims: a RoPE fraction is rejected.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op mla rotates qk_rope_head_dim dims; 'fraction' must not be given}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e4, fraction = 0.5>, attention = #tfc.attention<mla, heads = 2, kv_heads = 2, head_dim = 12, mla = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 8, qk_nope_head_dim = 8, qk_rope_head_dim = 4, v_head_dim = 4>>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// RoPE must rotate an even number of dims (0.25 * 12 = 3).
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op 'fraction' (0.25) rotates int(12 * 0.25) = 3 of the 'head_dim' (12) dims of each head; RoPE needs an even, positive number}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e4, fraction = 0.25>, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 12>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// RoPE must rotate at least one pair (0.1 * 4 = 0).
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op 'fraction' (0.1) rotates int(4 * 0.1) = 0 of the 'head_dim' (4) dims of each head; RoPE needs an even, positive number}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e4, fraction = 0.1>, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// MLA needs RoPE positions (not NoPE).
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op mla attention needs #tfc.rope positions}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mla, heads = 2, kv_heads = 2, head_dim = 12, mla = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 8, qk_nope_head_dim = 8, qk_rope_head_dim = 4, v_head_dim = 4>>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// MLA needs RoPE positions (not ALiBi).
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op mla attention needs #tfc.rope positions}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.alibi<max_bias = 8.0>, attention = #tfc.attention<mla, heads = 2, kv_heads = 2, head_dim = 12, mla = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 8, qk_nope_head_dim = 8, qk_rope_head_dim = 4, v_head_dim = 4>>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// A fused QKV projection does not apply to MLA.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op 'qkv_packing' does not apply to mla attention}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e4>, attention = #tfc.attention<mla, heads = 2, kv_heads = 2, head_dim = 12, mla = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 8, qk_nope_head_dim = 8, qk_rope_head_dim = 4, v_head_dim = 4>>,
      ffn = #tfc.ffn<relu, intermediate = 16>, qkv_packing = #tfc.qkv_packing<concat>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// MoE experts have no biases.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op MoE experts have no biases; 'ffn' must not set bias}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<silu, gated = true, intermediate = 16, bias = true>, moe = #tfc.moe<experts = 2, top_k = 1, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Each weight role maps to a symbol, not a string.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op weight role 'attn_norm' must map to a symbol (@name), got "w.attn_norm"}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {attn_norm = "w.attn_norm"}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Each weight role maps to a flat symbol.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op weight role 'attn_norm' must map to a symbol (@name), got @w::@attn_norm}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {attn_norm = @w::@attn_norm}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// The position encoding is one of #tfc.rope, #tfc.alibi, #tfc.relative_bias, #tfc.nope.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{attribute 'position_encoding' failed to satisfy constraint: rotary position embedding or attention with linear biases (Press et al.) or T5-style bucketed relative position bias or no position information in the block (NoPE)}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope_scaling<linear, factor = 2.0>, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// The weights dictionary is required.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op requires attribute 'weights'}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// The norm is required.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op requires attribute 'norm'}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, placement = #tfc.norm_placement<pre>, shape = #tfc.block_shape<serial>,
      position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>, ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: every role the attributes call for must be given.
tfc.weight_decl @w.attn_norm : tensor<8xf32>
tfc.weight_decl @w.q_proj : tensor<8x8xf32>
tfc.weight_decl @w.k_proj : tensor<8x8xf32>
tfc.weight_decl @w.v_proj : tensor<8x8xf32>
tfc.weight_decl @w.o_proj : tensor<8x8xf32>
tfc.weight_decl @w.up_proj : tensor<16x8xf32>
tfc.weight_decl @w.down_proj : tensor<8x16xf32>
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op layer 0 is missing weight 'ffn_norm' of shape 'tensor<8xf32>'}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {attn_norm = @w.attn_norm, q_proj = @w.q_proj, k_proj = @w.k_proj, v_proj = @w.v_proj,
          o_proj = @w.o_proj, up_proj = @w.up_proj, down_proj = @w.down_proj}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: a relative_bias position needs its [buckets, heads] table.
tfc.weight_decl @w.attn_norm : tensor<8xf32>
tfc.weight_decl @w.ffn_norm : tensor<8xf32>
tfc.weight_decl @w.q_proj : tensor<8x8xf32>
tfc.weight_decl @w.k_proj : tensor<8x8xf32>
tfc.weight_decl @w.v_proj : tensor<8x8xf32>
tfc.weight_decl @w.o_proj : tensor<8x8xf32>
tfc.weight_decl @w.up_proj : tensor<16x8xf32>
tfc.weight_decl @w.down_proj : tensor<8x16xf32>
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op layer 0 is missing weight 'rel_bias' of shape 'tensor<8x2xf32>'}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.relative_bias<buckets = 8, max_distance = 16>,
      attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {attn_norm = @w.attn_norm, ffn_norm = @w.ffn_norm, q_proj = @w.q_proj, k_proj = @w.k_proj, v_proj = @w.v_proj,
          o_proj = @w.o_proj, up_proj = @w.up_proj, down_proj = @w.down_proj}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: a LayerNorm with bias needs the bias vector too.
tfc.weight_decl @w.attn_norm : tensor<8xf32>
tfc.weight_decl @w.ffn_norm : tensor<8xf32>
tfc.weight_decl @w.q_proj : tensor<8x8xf32>
tfc.weight_decl @w.k_proj : tensor<8x8xf32>
tfc.weight_decl @w.v_proj : tensor<8x8xf32>
tfc.weight_decl @w.o_proj : tensor<8x8xf32>
tfc.weight_decl @w.up_proj : tensor<16x8xf32>
tfc.weight_decl @w.down_proj : tensor<8x16xf32>
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op layer 0 is missing weight 'attn_norm_bias' of shape 'tensor<8xf32>'}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<layer_norm, eps = 1.0e-5, bias = true>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {attn_norm = @w.attn_norm, ffn_norm = @w.ffn_norm, q_proj = @w.q_proj, k_proj = @w.k_proj,
          v_proj = @w.v_proj, o_proj = @w.o_proj, up_proj = @w.up_proj, down_proj = @w.down_proj}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: qkv_bias needs q/k/v bias vectors.
tfc.weight_decl @w.attn_norm : tensor<8xf32>
tfc.weight_decl @w.ffn_norm : tensor<8xf32>
tfc.weight_decl @w.q_proj : tensor<8x8xf32>
tfc.weight_decl @w.k_proj : tensor<8x8xf32>
tfc.weight_decl @w.v_proj : tensor<8x8xf32>
tfc.weight_decl @w.o_proj : tensor<8x8xf32>
tfc.weight_decl @w.up_proj : tensor<16x8xf32>
tfc.weight_decl @w.down_proj : tensor<8x16xf32>
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op layer 0 is missing weight 'q_bias' of shape 'tensor<8xf32>'}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4, qkv_bias = true>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {attn_norm = @w.attn_norm, ffn_norm = @w.ffn_norm, q_proj = @w.q_proj, k_proj = @w.k_proj,
          v_proj = @w.v_proj, o_proj = @w.o_proj, up_proj = @w.up_proj, down_proj = @w.down_proj}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: a gated FFN needs gate_proj.
tfc.weight_decl @w.attn_norm : tensor<8xf32>
tfc.weight_decl @w.ffn_norm : tensor<8xf32>
tfc.weight_decl @w.q_proj : tensor<8x8xf32>
tfc.weight_decl @w.k_proj : tensor<8x8xf32>
tfc.weight_decl @w.v_proj : tensor<8x8xf32>
tfc.weight_decl @w.o_proj : tensor<8x8xf32>
tfc.weight_decl @w.up_proj : tensor<16x8xf32>
tfc.weight_decl @w.down_proj : tensor<8x16xf32>
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op layer 0 is missing weight 'gate_proj' of shape 'tensor<16x8xf32>'}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<silu, gated = true, intermediate = 16>,
      weights = {attn_norm = @w.attn_norm, ffn_norm = @w.ffn_norm, q_proj = @w.q_proj, k_proj = @w.k_proj,
          v_proj = @w.v_proj, o_proj = @w.o_proj, up_proj = @w.up_proj, down_proj = @w.down_proj}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: a fused QKV block needs qkv_proj instead of q/k/v_proj.
tfc.weight_decl @w.attn_norm : tensor<8xf32>
tfc.weight_decl @w.ffn_norm : tensor<8xf32>
tfc.weight_decl @w.q_proj : tensor<8x8xf32>
tfc.weight_decl @w.k_proj : tensor<8x8xf32>
tfc.weight_decl @w.v_proj : tensor<8x8xf32>
tfc.weight_decl @w.o_proj : tensor<8x8xf32>
tfc.weight_decl @w.up_proj : tensor<16x8xf32>
tfc.weight_decl @w.down_proj : tensor<8x16xf32>
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op layer 0 is missing weight 'qkv_proj' of shape 'tensor<24x8xf32>'}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>, qkv_packing = #tfc.qkv_packing<grouped>,
      weights = {attn_norm = @w.attn_norm, ffn_norm = @w.ffn_norm, q_proj = @w.q_proj, k_proj = @w.k_proj,
          v_proj = @w.v_proj, o_proj = @w.o_proj, up_proj = @w.up_proj, down_proj = @w.down_proj}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: a MoE block needs one FFN per expert.
tfc.weight_decl @w.attn_norm : tensor<8xf32>
tfc.weight_decl @w.ffn_norm : tensor<8xf32>
tfc.weight_decl @w.q_proj : tensor<8x8xf32>
tfc.weight_decl @w.k_proj : tensor<8x8xf32>
tfc.weight_decl @w.v_proj : tensor<8x8xf32>
tfc.weight_decl @w.o_proj : tensor<8x8xf32>
tfc.weight_decl @w.router : tensor<2x8xf32>
tfc.weight_decl @w.expert.0.up_proj : tensor<16x8xf32>
tfc.weight_decl @w.expert.0.down_proj : tensor<8x16xf32>
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op layer 0 is missing weight 'expert.1.up_proj' of shape 'tensor<16x8xf32>'}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>, moe = #tfc.moe<experts = 2, top_k = 1, intermediate = 16>,
      weights = {attn_norm = @w.attn_norm, ffn_norm = @w.ffn_norm, q_proj = @w.q_proj, k_proj = @w.k_proj,
          v_proj = @w.v_proj, o_proj = @w.o_proj, router = @w.router, expert.0.up_proj = @w.expert.0.up_proj,
          expert.0.down_proj = @w.expert.0.down_proj}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: a role must name a tfc.weight_decl, not another symbol.
func.func private @g()
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op weight 'attn_norm' refers to @g, which is not a tfc.weight_decl}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {attn_norm = @g}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: a role must name an existing symbol.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op weight 'attn_norm' refers to @nowhere, which is not a tfc.weight_decl}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {attn_norm = @nowhere}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: a weight's declared shape must be the one the attributes need.
tfc.weight_decl @w.attn_norm : tensor<8xf32>
tfc.weight_decl @w.ffn_norm : tensor<8xf32>
tfc.weight_decl @w.q_proj : tensor<8x8xf32>
tfc.weight_decl @w.k_proj : tensor<8x8xf32>
tfc.weight_decl @w.v_proj : tensor<8x8xf32>
tfc.weight_decl @w.o_proj : tensor<8x8xf32>
tfc.weight_decl @w.up_proj : tensor<32x8xf32>
tfc.weight_decl @w.down_proj : tensor<8x16xf32>
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op weight 'up_proj' (@w.up_proj) has shape 'tensor<32x8xf32>' but the block's attributes need 'tensor<16x8xf32>'}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {attn_norm = @w.attn_norm, ffn_norm = @w.ffn_norm, q_proj = @w.q_proj, k_proj = @w.k_proj,
          v_proj = @w.v_proj, o_proj = @w.o_proj, up_proj = @w.up_proj, down_proj = @w.down_proj}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: with layout in_out every matrix is stored [in, out].
tfc.weight_decl @w.attn_norm : tensor<8xf32>
tfc.weight_decl @w.ffn_norm : tensor<8xf32>
tfc.weight_decl @w.q_proj : tensor<8x8xf32>
tfc.weight_decl @w.k_proj : tensor<8x8xf32>
tfc.weight_decl @w.v_proj : tensor<8x8xf32>
tfc.weight_decl @w.o_proj : tensor<8x8xf32>
tfc.weight_decl @w.up_proj : tensor<16x8xf32>
tfc.weight_decl @w.down_proj : tensor<8x16xf32>
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op weight 'up_proj' (@w.up_proj) has shape 'tensor<16x8xf32>' but the block's attributes need 'tensor<8x16xf32>'}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>, layout = #tfc.layout<in_out>,
      weights = {attn_norm = @w.attn_norm, ffn_norm = @w.ffn_norm, q_proj = @w.q_proj, k_proj = @w.k_proj,
          v_proj = @w.v_proj, o_proj = @w.o_proj, up_proj = @w.up_proj, down_proj = @w.down_proj}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: a GQA block's k_proj has kv_heads * head_dim rows.
tfc.weight_decl @w.attn_norm : tensor<8xf32>
tfc.weight_decl @w.ffn_norm : tensor<8xf32>
tfc.weight_decl @w.q_proj : tensor<8x8xf32>
tfc.weight_decl @w.k_proj : tensor<8x8xf32>
tfc.weight_decl @w.v_proj : tensor<8x8xf32>
tfc.weight_decl @w.o_proj : tensor<8x8xf32>
tfc.weight_decl @w.up_proj : tensor<16x8xf32>
tfc.weight_decl @w.down_proj : tensor<8x16xf32>
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op weight 'k_proj' (@w.k_proj) has shape 'tensor<8x8xf32>' but the block's attributes need 'tensor<4x8xf32>'}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mqa, heads = 2, kv_heads = 1, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {attn_norm = @w.attn_norm, ffn_norm = @w.ffn_norm, q_proj = @w.q_proj, k_proj = @w.k_proj,
          v_proj = @w.v_proj, o_proj = @w.o_proj, up_proj = @w.up_proj, down_proj = @w.down_proj}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: a role the attributes do not call for is rejected.
tfc.weight_decl @w.attn_norm : tensor<8xf32>
tfc.weight_decl @w.ffn_norm : tensor<8xf32>
tfc.weight_decl @w.q_proj : tensor<8x8xf32>
tfc.weight_decl @w.k_proj : tensor<8x8xf32>
tfc.weight_decl @w.v_proj : tensor<8x8xf32>
tfc.weight_decl @w.o_proj : tensor<8x8xf32>
tfc.weight_decl @w.up_proj : tensor<16x8xf32>
tfc.weight_decl @w.down_proj : tensor<8x16xf32>
tfc.weight_decl @w.lm_head : tensor<8x8xf32>
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op unexpected weight role 'lm_head' for this block's attributes}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {attn_norm = @w.attn_norm, ffn_norm = @w.ffn_norm, q_proj = @w.q_proj, k_proj = @w.k_proj,
          v_proj = @w.v_proj, o_proj = @w.o_proj, up_proj = @w.up_proj, down_proj = @w.down_proj,
          lm_head = @w.lm_head}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: a parallel block with shared_norm has no ffn_norm.
tfc.weight_decl @w.attn_norm : tensor<8xf32>
tfc.weight_decl @w.ffn_norm : tensor<8xf32>
tfc.weight_decl @w.q_proj : tensor<8x8xf32>
tfc.weight_decl @w.k_proj : tensor<8x8xf32>
tfc.weight_decl @w.v_proj : tensor<8x8xf32>
tfc.weight_decl @w.o_proj : tensor<8x8xf32>
tfc.weight_decl @w.up_proj : tensor<16x8xf32>
tfc.weight_decl @w.down_proj : tensor<8x16xf32>
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op unexpected weight role 'ffn_norm' for this block's attributes}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<parallel>, shared_norm, position_encoding = #tfc.nope,
      attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>, ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {attn_norm = @w.attn_norm, ffn_norm = @w.ffn_norm, q_proj = @w.q_proj, k_proj = @w.k_proj,
          v_proj = @w.v_proj, o_proj = @w.o_proj, up_proj = @w.up_proj, down_proj = @w.down_proj}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: an RMSNorm block has no norm bias.
tfc.weight_decl @w.attn_norm : tensor<8xf32>
tfc.weight_decl @w.ffn_norm : tensor<8xf32>
tfc.weight_decl @w.q_proj : tensor<8x8xf32>
tfc.weight_decl @w.k_proj : tensor<8x8xf32>
tfc.weight_decl @w.v_proj : tensor<8x8xf32>
tfc.weight_decl @w.o_proj : tensor<8x8xf32>
tfc.weight_decl @w.up_proj : tensor<16x8xf32>
tfc.weight_decl @w.down_proj : tensor<8x16xf32>
tfc.weight_decl @w.attn_norm_bias : tensor<8xf32>
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op unexpected weight role 'attn_norm_bias' for this block's attributes}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {attn_norm = @w.attn_norm, ffn_norm = @w.ffn_norm, q_proj = @w.q_proj, k_proj = @w.k_proj,
          v_proj = @w.v_proj, o_proj = @w.o_proj, up_proj = @w.up_proj, down_proj = @w.down_proj,
          attn_norm_bias = @w.attn_norm_bias}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Symbol uses: a post_sublayer block has no pre-norms.
tfc.weight_decl @w.attn_norm : tensor<8xf32>
tfc.weight_decl @w.ffn_norm : tensor<8xf32>
tfc.weight_decl @w.q_proj : tensor<8x8xf32>
tfc.weight_decl @w.k_proj : tensor<8x8xf32>
tfc.weight_decl @w.v_proj : tensor<8x8xf32>
tfc.weight_decl @w.o_proj : tensor<8x8xf32>
tfc.weight_decl @w.up_proj : tensor<16x8xf32>
tfc.weight_decl @w.down_proj : tensor<8x16xf32>
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op layer 0 is missing weight 'post_attn_norm' of shape 'tensor<8xf32>'}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<post_sublayer>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {attn_norm = @w.attn_norm, ffn_norm = @w.ffn_norm, q_proj = @w.q_proj, k_proj = @w.k_proj,
          v_proj = @w.v_proj, o_proj = @w.o_proj, up_proj = @w.up_proj, down_proj = @w.down_proj}} : tensor<?x8xf32>, memref<?x?xf32>
  return %y : tensor<?x8xf32>
}

// -----

// A static cache row must hold the layer's keys and values: 2 * (4 + 4) = 16.
func.func @f(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x32xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.decoder_block' op the cache row holds 32 floats but the layer caches 16 per position (kv_heads * (head_dim + value_dim))}}
  %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64, norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
      shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope, attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
      ffn = #tfc.ffn<relu, intermediate = 16>,
      weights = {}} : tensor<?x8xf32>, memref<?x32xf32>
  return %y : tensor<?x8xf32>
}
