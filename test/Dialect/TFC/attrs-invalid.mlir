// Attribute verifiers and malformed attribute syntax.
// RUN: tfc-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// #tfc.norm
//===----------------------------------------------------------------------===//

// eps must be positive: zero.
// expected-error@+1 {{'eps' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.norm<rms_norm, eps = 0.0>}

// -----

// eps must be positive: negative.
// expected-error@+1 {{'eps' must be positive, got -1e-05}}
func.func private @f() attributes {a = #tfc.norm<layer_norm, eps = -1.0e-5>}

// -----

// Only LayerNorm has a bias.
// expected-error@+1 {{'bias' needs kind layer_norm; rms_norm has none}}
func.func private @f() attributes {a = #tfc.norm<rms_norm, eps = 1.0e-5, bias = true>}

// -----

// Only RMSNorm has the (1 + w) form; a LayerNorm offset would be ignored.
// expected-error@+1 {{'weight_offset' needs kind rms_norm (the 1 + w form); layer_norm has none}}
func.func private @f() attributes {a = #tfc.norm<layer_norm, eps = 1.0e-5, weight_offset = 1.0>}

// -----

// Malformed: a bool parameter takes `true` or `false` only.
// expected-error@+2 {{expected 'true' or 'false'}}
// expected-error@+1 {{failed to parse TFC_NormAttr parameter 'bias' which is to be a `bool`}}
func.func private @f() attributes {a = #tfc.norm<layer_norm, eps = 1.0e-5, bias = yes>}

// -----

// Malformed: unknown norm kind keyword.
// expected-error@+2 {{expected one of [layer_norm, rms_norm] for normalisation, got: batch_norm}}
// expected-error@+1 {{failed to parse TFC_NormAttr parameter 'kind'}}
func.func private @f() attributes {a = #tfc.norm<batch_norm, eps = 1.0e-5>}

// -----

// Malformed: eps is required.
// expected-error@+1 {{struct is missing required parameter: eps}}
func.func private @f() attributes {a = #tfc.norm<rms_norm, weight_offset = 1.0>}

// -----

// Malformed: the kind must be followed by the parameters.
// expected-error@+1 {{expected ','}}
func.func private @f() attributes {a = #tfc.norm<rms_norm>}

// -----

// Malformed: a float parameter takes a float.
// expected-error@+2 {{expected floating point literal}}
// expected-error@+1 {{failed to parse TFC_NormAttr parameter 'eps'}}
func.func private @f() attributes {a = #tfc.norm<rms_norm, eps = small>}

//===----------------------------------------------------------------------===//
// #tfc.rope_scaling
//===----------------------------------------------------------------------===//

// -----

// factor must be positive.
// expected-error@+1 {{'factor' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.rope_scaling<linear, factor = 0.0>}

// -----

// llama3 scaling needs high_freq_factor.
// expected-error@+1 {{llama3 rope scaling needs 'low_freq_factor', 'high_freq_factor' and a positive 'original_max_position'}}
func.func private @f() attributes {a = #tfc.rope_scaling<llama3, factor = 8.0, low_freq_factor = 1.0, original_max_position = 8192>}

// -----

// llama3 scaling needs low_freq_factor.
// expected-error@+1 {{llama3 rope scaling needs 'low_freq_factor', 'high_freq_factor' and a positive 'original_max_position'}}
func.func private @f() attributes {a = #tfc.rope_scaling<llama3, factor = 8.0, high_freq_factor = 4.0, original_max_position = 8192>}

// -----

// llama3 scaling needs original_max_position (default 0 is not positive).
// expected-error@+1 {{llama3 rope scaling needs 'low_freq_factor', 'high_freq_factor' and a positive 'original_max_position'}}
func.func private @f() attributes {a = #tfc.rope_scaling<llama3, factor = 8.0, low_freq_factor = 1.0, high_freq_factor = 4.0>}

// -----

// llama3 scaling needs a positive original_max_position.
// expected-error@+1 {{llama3 rope scaling needs 'low_freq_factor', 'high_freq_factor' and a positive 'original_max_position'}}
func.func private @f() attributes {a = #tfc.rope_scaling<llama3, factor = 8.0, low_freq_factor = 1.0, high_freq_factor = 4.0, original_max_position = -1>}

// -----

// llama3 scaling: high_freq_factor must exceed low_freq_factor.
// expected-error@+1 {{'high_freq_factor' (4) must exceed 'low_freq_factor' (4)}}
func.func private @f() attributes {a = #tfc.rope_scaling<llama3, factor = 8.0, low_freq_factor = 4.0, high_freq_factor = 4.0, original_max_position = 8192>}

// -----

// Malformed: unknown scaling kind (e.g. yarn is not supported).
// expected-error@+2 {{expected one of [linear, llama3] for RoPE frequency scaling, got: yarn}}
// expected-error@+1 {{failed to parse TFC_RopeScalingAttr parameter 'kind'}}
func.func private @f() attributes {a = #tfc.rope_scaling<yarn, factor = 4.0>}

//===----------------------------------------------------------------------===//
// #tfc.rope
//===----------------------------------------------------------------------===//

// -----

// theta must be positive.
// expected-error@+1 {{'theta' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.rope<theta = 0.0>}

// -----

// fraction must be in (0, 1]: zero.
// expected-error@+1 {{'fraction' must be in (0, 1], got 0}}
func.func private @f() attributes {a = #tfc.rope<theta = 1.0e4, fraction = 0.0>}

// -----

// fraction must be in (0, 1]: above one.
// expected-error@+1 {{'fraction' must be in (0, 1], got 1.5}}
func.func private @f() attributes {a = #tfc.rope<theta = 1.0e4, fraction = 1.5>}

// -----

// A nested invalid scaling is reported.
// expected-error@+2 {{'factor' must be positive, got -2}}
// expected-error@+1 {{failed to parse TFC_RopeAttr parameter 'scaling'}}
func.func private @f() attributes {a = #tfc.rope<theta = 1.0e4, scaling = <linear, factor = -2.0>>}

// -----

// Malformed: unknown RoPE style keyword.
// expected-error@+2 {{expected one of [rotate_half, interleaved] for how RoPE pairs dimensions, got: zigzag}}
// expected-error@+1 {{failed to parse TFC_RopeAttr parameter 'style'}}
func.func private @f() attributes {a = #tfc.rope<theta = 1.0e4, style = zigzag>}

// -----

// Malformed: theta is required.
// expected-error@+1 {{struct is missing required parameter: theta}}
func.func private @f() attributes {a = #tfc.rope<fraction = 0.5>}

// -----

// Malformed: a parameter given twice.
// expected-error@+1 {{duplicate or unknown struct parameter name: theta}}
func.func private @f() attributes {a = #tfc.rope<theta = 1.0e4, theta = 2.0e4>}

// -----

// Malformed: an unknown parameter name.
// expected-error@+1 {{duplicate or unknown struct parameter name: frac}}
func.func private @f() attributes {a = #tfc.rope<theta = 1.0e4, frac = 0.5>}

//===----------------------------------------------------------------------===//
// #tfc.alibi, #tfc.relative_bias
//===----------------------------------------------------------------------===//

// -----

// Malformed: max_bias is required.
// expected-error@+2 {{expected valid keyword}}
// expected-error@+1 {{expected a parameter name in struct}}
func.func private @f() attributes {a = #tfc.alibi<>}

// -----

// A direction needs an exact bucket (HF divides by max_exact = buckets / 2).
// expected-error@+1 {{'buckets' must be at least 2 (a direction needs an exact bucket), got 1}}
func.func private @f() attributes {a = #tfc.relative_bias<buckets = 1, max_distance = 128>}

// -----

// Bidirectional: half the buckets per direction, so at least 4.
// expected-error@+1 {{'buckets' must be at least 4 with 'bidirectional' (a direction needs an exact bucket), got 3}}
func.func private @f() attributes {a = #tfc.relative_bias<buckets = 3, max_distance = 128, bidirectional = true>}

// -----

// max_distance must exceed the exact buckets (HF divides by
// log(max_distance / max_exact)): negative.
// expected-error@+1 {{'max_distance' (-1) must exceed the exact buckets of a direction (buckets / 2 = 16)}}
func.func private @f() attributes {a = #tfc.relative_bias<buckets = 32, max_distance = -1>}

// -----

// max_distance equal to the exact buckets: log(1) = 0.
// expected-error@+1 {{'max_distance' (8) must exceed the exact buckets of a direction (buckets / 4 = 8)}}
func.func private @f() attributes {a = #tfc.relative_bias<buckets = 32, max_distance = 8, bidirectional = true>}

// -----

// Malformed: bool parameter given as an integer.
// expected-error@+2 {{expected 'true' or 'false'}}
// expected-error@+1 {{failed to parse TFC_RelativeBiasAttr parameter 'bidirectional'}}
func.func private @f() attributes {a = #tfc.relative_bias<buckets = 32, max_distance = 128, bidirectional = 1>}

//===----------------------------------------------------------------------===//
// #tfc.mla
//===----------------------------------------------------------------------===//

// -----

// q_lora_rank must be 0 or positive.
// expected-error@+1 {{'q_lora_rank' must be 0 (no bottleneck) or positive, got -1}}
func.func private @f() attributes {a = #tfc.mla<q_lora_rank = -1, kv_lora_rank = 512, qk_nope_head_dim = 128, qk_rope_head_dim = 64, v_head_dim = 128>}

// -----

// kv_lora_rank must be positive.
// expected-error@+1 {{'kv_lora_rank' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 0, qk_nope_head_dim = 128, qk_rope_head_dim = 64, v_head_dim = 128>}

// -----

// qk_nope_head_dim must be positive.
// expected-error@+1 {{'qk_nope_head_dim' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 512, qk_nope_head_dim = 0, qk_rope_head_dim = 64, v_head_dim = 128>}

// -----

// qk_rope_head_dim must be positive.
// expected-error@+1 {{'qk_rope_head_dim' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 512, qk_nope_head_dim = 128, qk_rope_head_dim = 0, v_head_dim = 128>}

// -----

// v_head_dim must be positive.
// expected-error@+1 {{'v_head_dim' must be positive, got -128}}
func.func private @f() attributes {a = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 512, qk_nope_head_dim = 128, qk_rope_head_dim = 64, v_head_dim = -128>}

// -----

// qk_rope_head_dim must be even (RoPE rotates pairs).
// expected-error@+1 {{'qk_rope_head_dim' must be even, got 63}}
func.func private @f() attributes {a = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 512, qk_nope_head_dim = 128, qk_rope_head_dim = 63, v_head_dim = 128>}

//===----------------------------------------------------------------------===//
// #tfc.attention
//===----------------------------------------------------------------------===//

// -----

// heads must be positive.
// expected-error@+1 {{'heads' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.attention<gqa, heads = 0, kv_heads = 1, head_dim = 16>}

// -----

// kv_heads must be positive.
// expected-error@+1 {{'kv_heads' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.attention<gqa, heads = 4, kv_heads = 0, head_dim = 16>}

// -----

// head_dim must be positive.
// expected-error@+1 {{'head_dim' must be positive, got -16}}
func.func private @f() attributes {a = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = -16>}

// -----

// scale must be positive.
// expected-error@+1 {{'scale' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, scale = 0.0>}

// -----

// softcap must be positive.
// expected-error@+1 {{'softcap' must be positive, got -50}}
func.func private @f() attributes {a = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, softcap = -50.0>}

// -----

// clip_qkv must be positive.
// expected-error@+1 {{'clip_qkv' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, clip_qkv = 0.0>}

// -----

// window must be positive: zero.
// expected-error@+1 {{'window' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, window = 0>}

// -----

// window must be positive: negative.
// expected-error@+1 {{'window' must be positive, got -4096}}
func.func private @f() attributes {a = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, window = -4096>}

// -----

// heads must be divisible by kv_heads.
// expected-error@+1 {{'kv_heads' (4) must divide 'heads' (6)}}
func.func private @f() attributes {a = #tfc.attention<gqa, heads = 6, kv_heads = 4, head_dim = 16>}

// -----

// mha needs kv_heads == heads.
// expected-error@+1 {{mha needs 'kv_heads' == 'heads', got kv_heads = 2, heads = 4}}
func.func private @f() attributes {a = #tfc.attention<mha, heads = 4, kv_heads = 2, head_dim = 16>}

// -----

// mqa needs kv_heads == 1.
// expected-error@+1 {{mqa needs 'kv_heads' = 1, got 2}}
func.func private @f() attributes {a = #tfc.attention<mqa, heads = 4, kv_heads = 2, head_dim = 16>}

// -----

// mla needs the mla shapes.
// expected-error@+1 {{mla attention needs the 'mla' shapes}}
func.func private @f() attributes {a = #tfc.attention<mla, heads = 4, kv_heads = 4, head_dim = 24>}

// -----

// mla needs kv_heads == heads.
// expected-error@+1 {{mla needs 'kv_heads' == 'heads', got kv_heads = 2, heads = 4}}
func.func private @f() attributes {a = #tfc.attention<mla, heads = 4, kv_heads = 2, head_dim = 24, mla = <q_lora_rank = 0, kv_lora_rank = 32, qk_nope_head_dim = 16, qk_rope_head_dim = 8, v_head_dim = 16>>}

// -----

// mla head_dim is qk_nope_head_dim + qk_rope_head_dim.
// expected-error@+1 {{mla 'head_dim' (16) must be qk_nope_head_dim + qk_rope_head_dim (24)}}
func.func private @f() attributes {a = #tfc.attention<mla, heads = 4, kv_heads = 4, head_dim = 16, mla = <q_lora_rank = 0, kv_lora_rank = 32, qk_nope_head_dim = 16, qk_rope_head_dim = 8, v_head_dim = 16>>}

// -----

// mla has no qk_norm.
// expected-error@+1 {{mla attention has no 'qk_norm'}}
func.func private @f() attributes {a = #tfc.attention<mla, heads = 4, kv_heads = 4, head_dim = 24, qk_norm = per_head, mla = <q_lora_rank = 0, kv_lora_rank = 32, qk_nope_head_dim = 16, qk_rope_head_dim = 8, v_head_dim = 16>>}

// -----

// mla shapes only with mla attention.
// expected-error@+1 {{'mla' shapes given for gqa attention}}
func.func private @f() attributes {a = #tfc.attention<gqa, heads = 4, kv_heads = 4, head_dim = 24, mla = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 32, qk_nope_head_dim = 16, qk_rope_head_dim = 8, v_head_dim = 16>>}

// -----

// mla shapes only with mla attention (mha).
// expected-error@+1 {{'mla' shapes given for mha attention}}
func.func private @f() attributes {a = #tfc.attention<mha, heads = 4, kv_heads = 4, head_dim = 24, mla = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 32, qk_nope_head_dim = 16, qk_rope_head_dim = 8, v_head_dim = 16>>}

// -----

// Malformed: unknown attention kind.
// expected-error@+2 {{expected one of [mha, mqa, gqa, mla] for attention variant, got: sparse}}
// expected-error@+1 {{failed to parse TFC_AttentionAttr parameter 'kind'}}
func.func private @f() attributes {a = #tfc.attention<sparse, heads = 4, kv_heads = 2, head_dim = 16>}

// -----

// Malformed: unknown qk_norm keyword.
// expected-error@+2 {{expected one of [none, per_head, full] for normalisation of queries and keys, got: partial}}
// expected-error@+1 {{failed to parse TFC_AttentionAttr parameter 'qk_norm'}}
func.func private @f() attributes {a = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, qk_norm = partial>}

// -----

// Malformed: kv_heads is required.
// expected-error@+1 {{struct is missing required parameter: kv_heads}}
func.func private @f() attributes {a = #tfc.attention<gqa, heads = 4, head_dim = 16>}

// -----

// Malformed: bool parameter in the wrong case.
// expected-error@+2 {{expected 'true' or 'false'}}
// expected-error@+1 {{failed to parse TFC_AttentionAttr parameter 'qkv_bias'}}
func.func private @f() attributes {a = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, qkv_bias = True>}

//===----------------------------------------------------------------------===//
// #tfc.ffn, #tfc.moe
//===----------------------------------------------------------------------===//

// -----

// intermediate must be positive.
// expected-error@+1 {{'intermediate' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.ffn<silu, gated = true, intermediate = 0>}

// -----

// Malformed: unknown activation keyword.
// expected-error@+2 {{expected one of [relu, gelu, gelu_tanh, silu] for activation function, got: swish}}
// expected-error@+1 {{failed to parse TFC_FFNAttr parameter 'activation'}}
func.func private @f() attributes {a = #tfc.ffn<swish, intermediate = 64>}

// -----

// Malformed: bool parameter in the wrong case.
// expected-error@+2 {{expected 'true' or 'false'}}
// expected-error@+1 {{failed to parse TFC_FFNAttr parameter 'gated'}}
func.func private @f() attributes {a = #tfc.ffn<silu, gated = True, intermediate = 64>}

// -----

// experts must be positive.
// expected-error@+1 {{'experts' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.moe<experts = 0, top_k = 1, intermediate = 64>}

// -----

// top_k must be positive.
// expected-error@+1 {{'top_k' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.moe<experts = 8, top_k = 0, intermediate = 64>}

// -----

// intermediate must be positive.
// expected-error@+1 {{'intermediate' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.moe<experts = 8, top_k = 2, intermediate = 0>}

// -----

// routed_scale must be positive.
// expected-error@+1 {{'routed_scale' must be positive, got 0}}
func.func private @f() attributes {a = #tfc.moe<experts = 8, top_k = 2, intermediate = 64, routed_scale = 0.0>}

// -----

// top_k must not exceed experts.
// expected-error@+1 {{'top_k' (9) must not exceed 'experts' (8)}}
func.func private @f() attributes {a = #tfc.moe<experts = 8, top_k = 9, intermediate = 64>}

// -----

// shared must not be negative.
// expected-error@+1 {{'shared' must not be negative, got -1}}
func.func private @f() attributes {a = #tfc.moe<experts = 8, top_k = 2, intermediate = 64, shared = -1, shared_intermediate = 64>}

// -----

// shared experts need shared_intermediate.
// expected-error@+1 {{'shared' (2) and 'shared_intermediate' (0) must both be positive or both be 0}}
func.func private @f() attributes {a = #tfc.moe<experts = 8, top_k = 2, intermediate = 64, shared = 2>}

// -----

// shared_intermediate needs shared experts.
// expected-error@+1 {{'shared' (0) and 'shared_intermediate' (64) must both be positive or both be 0}}
func.func private @f() attributes {a = #tfc.moe<experts = 8, top_k = 2, intermediate = 64, shared_intermediate = 64>}

// -----

// Malformed: top_k is required.
// expected-error@+1 {{struct is missing required parameter: top_k}}
func.func private @f() attributes {a = #tfc.moe<experts = 8, intermediate = 64>}

//===----------------------------------------------------------------------===//
// Enum attributes and unknown mnemonics
//===----------------------------------------------------------------------===//

// -----

// Malformed: unknown norm kind.
// expected-error@+2 {{expected ::mlir::tfc::NormKind to be one of: layer_norm, rms_norm}}
// expected-error@+1 {{failed to parse TFC_NormKindAttr parameter 'value'}}
func.func private @f() attributes {a = #tfc.norm_kind<group_norm>}

// -----

// Malformed: unknown norm placement.
// expected-error@+2 {{expected ::mlir::tfc::NormPlacement to be one of: pre, post, sandwich, deep_norm, post_sublayer, pre_normed_residual}}
// expected-error@+1 {{failed to parse TFC_NormPlacementAttr parameter 'value'}}
func.func private @f() attributes {a = #tfc.norm_placement<middle>}

// -----

// Malformed: unknown activation.
// expected-error@+2 {{expected ::mlir::tfc::Activation to be one of: relu, gelu, gelu_tanh, silu}}
// expected-error@+1 {{failed to parse TFC_ActivationAttr parameter 'value'}}
func.func private @f() attributes {a = #tfc.activation<tanh>}

// -----

// Malformed: unknown block shape.
// expected-error@+2 {{expected ::mlir::tfc::BlockShape to be one of: serial, parallel}}
// expected-error@+1 {{failed to parse TFC_BlockShapeAttr parameter 'value'}}
func.func private @f() attributes {a = #tfc.block_shape<diagonal>}

// -----

// Malformed: unknown weight layout.
// expected-error@+2 {{expected ::mlir::tfc::WeightLayout to be one of: out_in, in_out}}
// expected-error@+1 {{failed to parse TFC_WeightLayoutAttr parameter 'value'}}
func.func private @f() attributes {a = #tfc.layout<row_major>}

// -----

// Malformed: unknown QKV packing.
// expected-error@+2 {{expected ::mlir::tfc::QKVPacking to be one of: concat, grouped}}
// expected-error@+1 {{failed to parse TFC_QKVPackingAttr parameter 'value'}}
func.func private @f() attributes {a = #tfc.qkv_packing<interleaved>}

// -----

// Malformed: unknown attribute mnemonic.
// expected-error@+1 {{unknown attribute `rmsnorm` in dialect `tfc`}}
func.func private @f() attributes {a = #tfc.rmsnorm<eps = 1.0>}

// -----

// Malformed: the rope_style / attention_kind enums have no attribute of their own.
// expected-error@+1 {{unknown attribute `rope_style` in dialect `tfc`}}
func.func private @f() attributes {a = #tfc.rope_style<interleaved>}
