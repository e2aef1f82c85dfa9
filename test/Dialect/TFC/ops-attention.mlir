// Round trip of tfc.split_qkv, tfc.rope, tfc.attention, tfc.relative_position_bias.
// RUN: tfc-opt %s | FileCheck %s
// RUN: tfc-opt %s | tfc-opt | FileCheck %s
// RUN: tfc-opt %s --mlir-print-op-generic | tfc-opt | FileCheck %s

// CHECK-LABEL: func.func @split_qkv
// CHECK-SAME: (%[[QKV:.*]]: tensor<?x128xf32>, %[[F96:.*]]: tensor<?x96xf32>)
func.func @split_qkv(%qkv: tensor<?x128xf32>, %f96: tensor<?x96xf32>) {
  // GQA, concat packing: (4 + 2 * 2) * 16 = 128.
  // CHECK: %{{.*}}, %{{.*}}, %{{.*}} = tfc.split_qkv %[[QKV]] {heads = 4 : i64, kv_heads = 2 : i64, packing = #tfc.qkv_packing<concat>} : tensor<?x128xf32> -> tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>
  %q, %k, %v = tfc.split_qkv %qkv {packing = #tfc.qkv_packing<concat>, heads = 4 : i64, kv_heads = 2 : i64}
      : tensor<?x128xf32> -> tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>
  // MHA, grouped packing (gpt_neox): (2 + 2 * 2) * 16 = 96.
  // CHECK: tfc.split_qkv %[[F96]] {heads = 2 : i64, kv_heads = 2 : i64, packing = #tfc.qkv_packing<grouped>} : tensor<?x96xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>
  %q2:3 = tfc.split_qkv %f96 {packing = #tfc.qkv_packing<grouped>, heads = 2 : i64, kv_heads = 2 : i64}
      : tensor<?x96xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>
  // MQA (falcon-7b): (4 + 2 * 1) * 16 = 96.
  // CHECK: tfc.split_qkv %[[F96]] {heads = 4 : i64, kv_heads = 1 : i64, packing = #tfc.qkv_packing<concat>} : tensor<?x96xf32> -> tensor<?x4x16xf32>, tensor<?x1x16xf32>, tensor<?x1x16xf32>
  %q3:3 = tfc.split_qkv %f96 {packing = #tfc.qkv_packing<concat>, heads = 4 : i64, kv_heads = 1 : i64}
      : tensor<?x96xf32> -> tensor<?x4x16xf32>, tensor<?x1x16xf32>, tensor<?x1x16xf32>
  return
}

// The RoPE attribute follows the position operand; it is printed (and must be
// written) without its `#tfc.rope` prefix.
// CHECK-LABEL: func.func @rope
// CHECK-SAME: (%[[Q:.*]]: tensor<?x4x16xf32>, %[[POS:.*]]: index)
func.func @rope(%q: tensor<?x4x16xf32>, %pos: index) -> (tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32>) {
  // CHECK: tfc.rope %[[Q]] at %[[POS]] <theta = 1.000000e+04> : tensor<?x4x16xf32>
  %0 = tfc.rope %q at %pos <theta = 1.0e4> : tensor<?x4x16xf32>
  // Partial rotary: 0.25 * 16 = 4 dims.
  // CHECK: tfc.rope %[[Q]] at %[[POS]] <theta = 1.000000e+04, fraction = 2.500000e-01> : tensor<?x4x16xf32>
  %1 = tfc.rope %q at %pos <theta = 1.0e4, fraction = 0.25> : tensor<?x4x16xf32>
  // Interleaved pairs (GPT-J).
  // CHECK: tfc.rope %[[Q]] at %[[POS]] <theta = 1.000000e+04, style = interleaved> : tensor<?x4x16xf32>
  %2 = tfc.rope %q at %pos <theta = 1.0e4, style = interleaved> : tensor<?x4x16xf32>
  // llama3 frequency scaling.
  // CHECK: tfc.rope %[[Q]] at %[[POS]] <theta = 5.000000e+05, scaling = <llama3, factor = 8.000000e+00, low_freq_factor = 1.000000e+00, high_freq_factor = 4.000000e+00, original_max_position = 8192>> : tensor<?x4x16xf32>
  %3 = tfc.rope %q at %pos <theta = 5.0e5, scaling = <llama3, factor = 8.0, low_freq_factor = 1.0, high_freq_factor = 4.0, original_max_position = 8192>> : tensor<?x4x16xf32>
  return %0, %1, %2, %3 : tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32>
}

// CHECK-LABEL: func.func @attention
// CHECK-SAME: (%[[Q:.*]]: tensor<?x4x16xf32>, %[[K:.*]]: tensor<?x2x16xf32>, %[[V:.*]]: tensor<?x2x16xf32>, %[[POS:.*]]: index, %[[B:.*]]: tensor<4x?x?xf32>)
func.func @attention(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %bias: tensor<4x?x?xf32>)
    -> (tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32>) {
  // Causal GQA attention.
  // CHECK: tfc.attention %[[Q]], %[[K]], %[[V]] at %[[POS]] {scale = 2.500000e-01 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  // Sliding window (mistral).
  // CHECK: tfc.attention %[[Q]], %[[K]], %[[V]] at %[[POS]] {scale = 2.500000e-01 : f64, window = 4096 : i64}
  %1 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64, window = 4096 : i64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  // Score soft-capping (gemma2).
  // CHECK: tfc.attention %[[Q]], %[[K]], %[[V]] at %[[POS]] {scale = 6.250000e-02 : f64, softcap = 5.000000e+01 : f64}
  %2 = tfc.attention %q, %k, %v at %pos {scale = 0.0625 : f64, softcap = 50.0 : f64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  // ALiBi (bloom, mpt).
  // CHECK: tfc.attention %[[Q]], %[[K]], %[[V]] at %[[POS]] {alibi = #tfc.alibi<max_bias = 8.000000e+00>, scale = 2.500000e-01 : f64}
  %3 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64, alibi = #tfc.alibi<max_bias = 8.0>}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  // An additive [heads, queries, keys] bias (T5 relative positions).
  // CHECK: tfc.attention %[[Q]], %[[K]], %[[V]] at %[[POS]] bias %[[B]] {scale = 1.000000e+00 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<4x?x?xf32> -> tensor<?x4x16xf32>
  %4 = tfc.attention %q, %k, %v at %pos bias %bias {scale = 1.0 : f64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<4x?x?xf32> -> tensor<?x4x16xf32>
  // Everything at once.
  // CHECK: tfc.attention %[[Q]], %[[K]], %[[V]] at %[[POS]] bias %[[B]] {alibi = #tfc.alibi<max_bias = 8.000000e+00>, scale = 2.500000e-01 : f64, softcap = 3.000000e+01 : f64, window = 128 : i64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<4x?x?xf32> -> tensor<?x4x16xf32>
  %5 = tfc.attention %q, %k, %v at %pos bias %bias {scale = 0.25 : f64, window = 128 : i64, softcap = 30.0 : f64, alibi = #tfc.alibi<max_bias = 8.0>}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<4x?x?xf32> -> tensor<?x4x16xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32>
}

// Keys from a sliding-window ring start at a position of their own; the
// generic form carries it as the second optional operand segment.
// CHECK-LABEL: func.func @attention_key_position
// CHECK-SAME: (%[[Q:.*]]: tensor<?x4x16xf32>, %[[K:.*]]: tensor<?x2x16xf32>, %[[V:.*]]: tensor<?x2x16xf32>, %[[POS:.*]]: index, %[[LO:.*]]: index, %[[B:.*]]: tensor<4x?x?xf32>)
func.func @attention_key_position(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %lo: index, %bias: tensor<4x?x?xf32>)
    -> (tensor<?x4x16xf32>, tensor<?x4x16xf32>) {
  // CHECK: tfc.attention %[[Q]], %[[K]], %[[V]] at %[[POS]] keys_from %[[LO]] {scale = 2.500000e-01 : f64, window = 8 : i64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  %0 = tfc.attention %q, %k, %v at %pos keys_from %lo {scale = 0.25 : f64, window = 8 : i64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  // CHECK: tfc.attention %[[Q]], %[[K]], %[[V]] at %[[POS]] keys_from %[[LO]] bias %[[B]] {scale = 2.500000e-01 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<4x?x?xf32> -> tensor<?x4x16xf32>
  %1 = tfc.attention %q, %k, %v at %pos keys_from %lo bias %bias {scale = 0.25 : f64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<4x?x?xf32> -> tensor<?x4x16xf32>
  return %0, %1 : tensor<?x4x16xf32>, tensor<?x4x16xf32>
}

// The T5 relative bias as part of the op: the [buckets, heads] table in its
// stored dtype, the config printed without its prefix; with keys_from (a
// sliding-window ring) and next to a `bias`.
// CHECK-LABEL: func.func @attention_relative_bias
// CHECK-SAME: (%[[Q:.*]]: tensor<?x4x16xf32>, %[[K:.*]]: tensor<?x2x16xf32>, %[[V:.*]]: tensor<?x2x16xf32>, %[[POS:.*]]: index, %[[LO:.*]]: index, %[[T:.*]]: tensor<32x4xbf16>, %[[B:.*]]: tensor<4x?x?xf32>)
func.func @attention_relative_bias(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %lo: index, %table: tensor<32x4xbf16>, %bias: tensor<4x?x?xf32>)
    -> (tensor<?x4x16xf32>, tensor<?x4x16xf32>) {
  // CHECK: tfc.attention %[[Q]], %[[K]], %[[V]] at %[[POS]] relative_bias <buckets = 32, max_distance = 128>(%[[T]] : tensor<32x4xbf16>) {scale = 1.000000e+00 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  %0 = tfc.attention %q, %k, %v at %pos relative_bias <buckets = 32, max_distance = 128>(%table : tensor<32x4xbf16>) {scale = 1.0 : f64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  // CHECK: tfc.attention %[[Q]], %[[K]], %[[V]] at %[[POS]] keys_from %[[LO]] relative_bias <buckets = 32, max_distance = 128, bidirectional = true>(%[[T]] : tensor<32x4xbf16>) bias %[[B]] {scale = 1.000000e+00 : f64, window = 8 : i64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<4x?x?xf32> -> tensor<?x4x16xf32>
  %1 = tfc.attention %q, %k, %v at %pos keys_from %lo relative_bias <buckets = 32, max_distance = 128, bidirectional = true>(%table : tensor<32x4xbf16>) bias %bias {scale = 1.0 : f64, window = 8 : i64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<4x?x?xf32> -> tensor<?x4x16xf32>
  return %0, %1 : tensor<?x4x16xf32>, tensor<?x4x16xf32>
}

// MLA-shaped attention: value heads narrower than query/key heads.
// CHECK-LABEL: func.func @attention_value_dim
// CHECK: tfc.attention %{{.*}}, %{{.*}}, %{{.*}} at %{{.*}} {scale = 0.20412414523193151 : f64} : tensor<?x4x24xf32>, tensor<?x4x24xf32>, tensor<?x4x16xf32> -> tensor<?x4x16xf32>
func.func @attention_value_dim(%q: tensor<?x4x24xf32>, %k: tensor<?x4x24xf32>, %v: tensor<?x4x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.20412414523193151 : f64}
      : tensor<?x4x24xf32>, tensor<?x4x24xf32>, tensor<?x4x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// The config follows the key-length operand, printed without its prefix.
// CHECK-LABEL: func.func @relative_position_bias
// CHECK-SAME: (%[[T:.*]]: tensor<32x4xf32>, %[[POS:.*]]: index, %[[N:.*]]: index, %[[L:.*]]: index)
func.func @relative_position_bias(%table: tensor<32x4xf32>, %pos: index, %n: index, %len: index) -> (tensor<4x?x?xf32>, tensor<4x1x9xf32>) {
  // CHECK: tfc.relative_position_bias %[[T]] at %[[POS]], %[[N]], %[[L]] <buckets = 32, max_distance = 128> : tensor<32x4xf32> -> tensor<4x?x?xf32>
  %0 = tfc.relative_position_bias %table at %pos, %n, %len <buckets = 32, max_distance = 128> : tensor<32x4xf32> -> tensor<4x?x?xf32>
  // CHECK: tfc.relative_position_bias %[[T]] at %[[POS]], %[[N]], %[[L]] <buckets = 32, max_distance = 128, bidirectional = true> : tensor<32x4xf32> -> tensor<4x1x9xf32>
  %1 = tfc.relative_position_bias %table at %pos, %n, %len <buckets = 32, max_distance = 128, bidirectional = true> : tensor<32x4xf32> -> tensor<4x1x9xf32>
  return %0, %1 : tensor<4x?x?xf32>, tensor<4x1x9xf32>
}
