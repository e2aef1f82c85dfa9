// Round trip of every tfc attribute: parse, print, parse the printed form.
// RUN: tfc-opt %s | FileCheck %s
// RUN: tfc-opt %s | tfc-opt | FileCheck %s
// RUN: tfc-opt %s --mlir-print-op-generic | tfc-opt | FileCheck %s

//===----------------------------------------------------------------------===//
// #tfc.norm
//===----------------------------------------------------------------------===//

// RMSNorm: only eps.
// CHECK-LABEL: func.func private @norm_rms()
// CHECK-SAME: {attr = #tfc.norm<rms_norm, eps = 1.000000e-05>}
func.func private @norm_rms() attributes {attr = #tfc.norm<rms_norm, eps = 1.0e-5>}

// Gemma-style scale offset; 1e-6 is printed with all the digits it needs to round-trip.
// CHECK-LABEL: func.func private @norm_rms_offset()
// CHECK-SAME: {attr = #tfc.norm<rms_norm, eps = 9.9999999999999995E-7, weight_offset = 1.000000e+00>}
func.func private @norm_rms_offset() attributes {attr = #tfc.norm<rms_norm, eps = 1.0e-6, weight_offset = 1.0>}

// LayerNorm with a bias.
// CHECK-LABEL: func.func private @norm_layer_bias()
// CHECK-SAME: {attr = #tfc.norm<layer_norm, eps = 1.000000e-05, bias = true>}
func.func private @norm_layer_bias() attributes {attr = #tfc.norm<layer_norm, eps = 1.0e-5, bias = true>}

// `bias = false` is the default and is not printed.
// CHECK-LABEL: func.func private @norm_layer_no_bias()
// CHECK-SAME: {attr = #tfc.norm<layer_norm, eps = 1.000000e-05>}
func.func private @norm_layer_no_bias() attributes {attr = #tfc.norm<layer_norm, eps = 1.0e-5, bias = false>}

// Struct parameters may come in any order; they print in declaration order.
// CHECK-LABEL: func.func private @norm_any_order()
// CHECK-SAME: {attr = #tfc.norm<rms_norm, eps = 1.000000e-05, weight_offset = 5.000000e-01>}
func.func private @norm_any_order() attributes {attr = #tfc.norm<rms_norm, weight_offset = 0.5, eps = 1.0e-5>}

//===----------------------------------------------------------------------===//
// #tfc.rope_scaling and #tfc.rope
//===----------------------------------------------------------------------===//

// Linear scaling needs only a factor.
// CHECK-LABEL: func.func private @rope_scaling_linear()
// CHECK-SAME: {attr = #tfc.rope_scaling<linear, factor = 2.000000e+00>}
func.func private @rope_scaling_linear() attributes {attr = #tfc.rope_scaling<linear, factor = 2.0>}

// llama3 scaling with all its fields.
// CHECK-LABEL: func.func private @rope_scaling_llama3()
// CHECK-SAME: {attr = #tfc.rope_scaling<llama3, factor = 8.000000e+00, low_freq_factor = 1.000000e+00, high_freq_factor = 4.000000e+00, original_max_position = 8192>}
func.func private @rope_scaling_llama3() attributes {attr = #tfc.rope_scaling<llama3, factor = 8.0, low_freq_factor = 1.0, high_freq_factor = 4.0, original_max_position = 8192>}

// Plain RoPE: only theta.
// CHECK-LABEL: func.func private @rope_plain()
// CHECK-SAME: {attr = #tfc.rope<theta = 5.000000e+05>}
func.func private @rope_plain() attributes {attr = #tfc.rope<theta = 5.0e5>}

// Partial rotary (gpt_neox rotary_pct, phi partial_rotary_factor).
// CHECK-LABEL: func.func private @rope_fraction()
// CHECK-SAME: {attr = #tfc.rope<theta = 1.000000e+04, fraction = 2.500000e-01>}
func.func private @rope_fraction() attributes {attr = #tfc.rope<theta = 1.0e4, fraction = 0.25>}

// Interleaved pairing (GPT-J).
// CHECK-LABEL: func.func private @rope_interleaved()
// CHECK-SAME: {attr = #tfc.rope<theta = 1.000000e+04, style = interleaved>}
func.func private @rope_interleaved() attributes {attr = #tfc.rope<theta = 1.0e4, style = interleaved>}

// `style = rotate_half` is the default and is not printed.
// CHECK-LABEL: func.func private @rope_rotate_half()
// CHECK-SAME: {attr = #tfc.rope<theta = 1.000000e+04>}
func.func private @rope_rotate_half() attributes {attr = #tfc.rope<theta = 1.0e4, style = rotate_half>}

// Nested scaling, written in full; printed without the dialect prefix.
// CHECK-LABEL: func.func private @rope_llama3()
// CHECK-SAME: {attr = #tfc.rope<theta = 5.000000e+05, scaling = <llama3, factor = 8.000000e+00, low_freq_factor = 1.000000e+00, high_freq_factor = 4.000000e+00, original_max_position = 8192>>}
func.func private @rope_llama3() attributes {attr = #tfc.rope<theta = 5.0e5, scaling = #tfc.rope_scaling<llama3, factor = 8.0, low_freq_factor = 1.0, high_freq_factor = 4.0, original_max_position = 8192>>}

// Every parameter at once, the nested scaling written in the short form.
// CHECK-LABEL: func.func private @rope_all()
// CHECK-SAME: {attr = #tfc.rope<theta = 1.000000e+04, fraction = 5.000000e-01, style = interleaved, scaling = <linear, factor = 4.000000e+00>>}
func.func private @rope_all() attributes {attr = #tfc.rope<scaling = <linear, factor = 4.0>, style = interleaved, fraction = 0.5, theta = 1.0e4>}

//===----------------------------------------------------------------------===//
// Other position encodings
//===----------------------------------------------------------------------===//

// ALiBi.
// CHECK-LABEL: func.func private @alibi()
// CHECK-SAME: {attr = #tfc.alibi<max_bias = 8.000000e+00>}
func.func private @alibi() attributes {attr = #tfc.alibi<max_bias = 8.0>}

// T5 relative bias, causal (bidirectional = false is the default).
// CHECK-LABEL: func.func private @relative_bias()
// CHECK-SAME: {attr = #tfc.relative_bias<buckets = 32, max_distance = 128>}
func.func private @relative_bias() attributes {attr = #tfc.relative_bias<buckets = 32, max_distance = 128, bidirectional = false>}

// T5 relative bias, both directions.
// CHECK-LABEL: func.func private @relative_bias_bidirectional()
// CHECK-SAME: {attr = #tfc.relative_bias<buckets = 32, max_distance = 128, bidirectional = true>}
func.func private @relative_bias_bidirectional() attributes {attr = #tfc.relative_bias<buckets = 32, max_distance = 128, bidirectional = true>}

// NoPE has no parameters.
// CHECK-LABEL: func.func private @nope()
// CHECK-SAME: {attr = #tfc.nope}
func.func private @nope() attributes {attr = #tfc.nope}

//===----------------------------------------------------------------------===//
// #tfc.mla and #tfc.attention
//===----------------------------------------------------------------------===//

// MLA shapes without a query bottleneck (DeepSeek-V2-Lite).
// CHECK-LABEL: func.func private @mla()
// CHECK-SAME: {attr = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 512, qk_nope_head_dim = 128, qk_rope_head_dim = 64, v_head_dim = 128>}
func.func private @mla() attributes {attr = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 512, qk_nope_head_dim = 128, qk_rope_head_dim = 64, v_head_dim = 128>}

// Multi-head attention.
// CHECK-LABEL: func.func private @attention_mha()
// CHECK-SAME: {attr = #tfc.attention<mha, heads = 12, kv_heads = 12, head_dim = 64>}
func.func private @attention_mha() attributes {attr = #tfc.attention<mha, heads = 12, kv_heads = 12, head_dim = 64>}

// Multi-query attention.
// CHECK-LABEL: func.func private @attention_mqa()
// CHECK-SAME: {attr = #tfc.attention<mqa, heads = 71, kv_heads = 1, head_dim = 64>}
func.func private @attention_mqa() attributes {attr = #tfc.attention<mqa, heads = 71, kv_heads = 1, head_dim = 64>}

// Grouped-query attention; the default qk_norm/qkv_bias/out_bias are not printed.
// CHECK-LABEL: func.func private @attention_gqa()
// CHECK-SAME: {attr = #tfc.attention<gqa, heads = 32, kv_heads = 8, head_dim = 128>}
func.func private @attention_gqa() attributes {attr = #tfc.attention<gqa, heads = 32, kv_heads = 8, head_dim = 128, qk_norm = none, qkv_bias = false, out_bias = false>}

// Every optional parameter of a non-MLA attention.
// CHECK-LABEL: func.func private @attention_all()
// CHECK-SAME: {attr = #tfc.attention<gqa, heads = 16, kv_heads = 8, head_dim = 256, scale = 6.250000e-02, window = 4096, softcap = 5.000000e+01, qk_norm = per_head, qkv_bias = true, out_bias = true, clip_qkv = 8.000000e+00>}
func.func private @attention_all() attributes {attr = #tfc.attention<gqa, clip_qkv = 8.0, out_bias = true, qkv_bias = true, qk_norm = per_head, softcap = 50.0, window = 4096, scale = 0.0625, head_dim = 256, kv_heads = 8, heads = 16>}

// Full-width qk norm (olmo2).
// CHECK-LABEL: func.func private @attention_qk_norm_full()
// CHECK-SAME: {attr = #tfc.attention<mha, heads = 16, kv_heads = 16, head_dim = 128, qk_norm = full>}
func.func private @attention_qk_norm_full() attributes {attr = #tfc.attention<mha, heads = 16, kv_heads = 16, head_dim = 128, qk_norm = full>}

// MLA attention: head_dim = qk_nope_head_dim + qk_rope_head_dim.
// CHECK-LABEL: func.func private @attention_mla()
// CHECK-SAME: {attr = #tfc.attention<mla, heads = 16, kv_heads = 16, head_dim = 192, mla = <q_lora_rank = 1536, kv_lora_rank = 512, qk_nope_head_dim = 128, qk_rope_head_dim = 64, v_head_dim = 128>>}
func.func private @attention_mla() attributes {attr = #tfc.attention<mla, heads = 16, kv_heads = 16, head_dim = 192, mla = #tfc.mla<q_lora_rank = 1536, kv_lora_rank = 512, qk_nope_head_dim = 128, qk_rope_head_dim = 64, v_head_dim = 128>>}

//===----------------------------------------------------------------------===//
// #tfc.ffn and #tfc.moe
//===----------------------------------------------------------------------===//

// SwiGLU.
// CHECK-LABEL: func.func private @ffn_swiglu()
// CHECK-SAME: {attr = #tfc.ffn<silu, gated = true, intermediate = 14336>}
func.func private @ffn_swiglu() attributes {attr = #tfc.ffn<silu, gated = true, intermediate = 14336>}

// GPT-2 MLP with biases; gated = false is the default.
// CHECK-LABEL: func.func private @ffn_gelu_bias()
// CHECK-SAME: {attr = #tfc.ffn<gelu_tanh, intermediate = 3072, bias = true>}
func.func private @ffn_gelu_bias() attributes {attr = #tfc.ffn<gelu_tanh, gated = false, intermediate = 3072, bias = true>}

// Every activation keyword.
// CHECK-LABEL: func.func private @ffn_activations()
// CHECK-SAME: {a = #tfc.ffn<relu, intermediate = 8>, b = #tfc.ffn<gelu, gated = true, intermediate = 8>, c = #tfc.ffn<gelu_tanh, intermediate = 8>, d = #tfc.ffn<silu, intermediate = 8>}
func.func private @ffn_activations() attributes {a = #tfc.ffn<relu, intermediate = 8>, b = #tfc.ffn<gelu, gated = true, intermediate = 8>, c = #tfc.ffn<gelu_tanh, intermediate = 8>, d = #tfc.ffn<silu, intermediate = 8>}

// Mixtral routing: defaults (shared = 0, shared_intermediate = 0) are not printed.
// CHECK-LABEL: func.func private @moe_mixtral()
// CHECK-SAME: {attr = #tfc.moe<experts = 8, top_k = 2, intermediate = 14336, renormalize = true>}
func.func private @moe_mixtral() attributes {attr = #tfc.moe<experts = 8, top_k = 2, intermediate = 14336, shared = 0, shared_intermediate = 0, renormalize = true>}

// DeepSeek routing with shared experts and a routed scale.
// CHECK-LABEL: func.func private @moe_deepseek()
// CHECK-SAME: {attr = #tfc.moe<experts = 64, top_k = 6, intermediate = 1408, shared = 2, shared_intermediate = 2816, routed_scale = 1.000000e+00>}
func.func private @moe_deepseek() attributes {attr = #tfc.moe<experts = 64, top_k = 6, intermediate = 1408, shared = 2, shared_intermediate = 2816, routed_scale = 1.0>}

//===----------------------------------------------------------------------===//
// Enum attributes
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func private @norm_kind()
// CHECK-SAME: {a = #tfc.norm_kind<layer_norm>, b = #tfc.norm_kind<rms_norm>}
func.func private @norm_kind() attributes {a = #tfc.norm_kind<layer_norm>, b = #tfc.norm_kind<rms_norm>}

// CHECK-LABEL: func.func private @norm_placement()
// CHECK-SAME: {a = #tfc.norm_placement<pre>, b = #tfc.norm_placement<post>, c = #tfc.norm_placement<sandwich>, d = #tfc.norm_placement<deep_norm>, e = #tfc.norm_placement<post_sublayer>, f = #tfc.norm_placement<pre_normed_residual>}
func.func private @norm_placement() attributes {a = #tfc.norm_placement<pre>, b = #tfc.norm_placement<post>, c = #tfc.norm_placement<sandwich>, d = #tfc.norm_placement<deep_norm>, e = #tfc.norm_placement<post_sublayer>, f = #tfc.norm_placement<pre_normed_residual>}

// CHECK-LABEL: func.func private @activation()
// CHECK-SAME: {a = #tfc.activation<relu>, b = #tfc.activation<gelu>, c = #tfc.activation<gelu_tanh>, d = #tfc.activation<silu>}
func.func private @activation() attributes {a = #tfc.activation<relu>, b = #tfc.activation<gelu>, c = #tfc.activation<gelu_tanh>, d = #tfc.activation<silu>}

// CHECK-LABEL: func.func private @block_shape()
// CHECK-SAME: {a = #tfc.block_shape<serial>, b = #tfc.block_shape<parallel>}
func.func private @block_shape() attributes {a = #tfc.block_shape<serial>, b = #tfc.block_shape<parallel>}

// CHECK-LABEL: func.func private @layout()
// CHECK-SAME: {a = #tfc.layout<out_in>, b = #tfc.layout<in_out>}
func.func private @layout() attributes {a = #tfc.layout<out_in>, b = #tfc.layout<in_out>}

// CHECK-LABEL: func.func private @qkv_packing()
// CHECK-SAME: {a = #tfc.qkv_packing<concat>, b = #tfc.qkv_packing<grouped>}
func.func private @qkv_packing() attributes {a = #tfc.qkv_packing<concat>, b = #tfc.qkv_packing<grouped>}
