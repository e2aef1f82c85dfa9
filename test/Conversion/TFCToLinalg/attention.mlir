// tfc-lower-to-linalg on the attention family: the QKV split is slices and
// reshapes (no copy); attention is a q.k contraction into [heads, queries,
// keys], one map for scale / soft-cap / ALiBi / mask, a softmax over the keys,
// and a contraction with v. Query head h reads kv head h floordiv group.
// RUN: tfc-opt %s --tfc-lower-to-linalg --mlir-print-local-scope | FileCheck %s

// [q heads | k heads | v heads], each a column slice reshaped to heads.
// CHECK-LABEL: func.func @split_qkv_concat
// CHECK-SAME: (%[[X:.*]]: tensor<?x128xf32>)
// CHECK-NOT: linalg.generic
// CHECK: %[[Q:.*]] = tensor.extract_slice %[[X]][0, 0] [%{{.*}}, 64] [1, 1]
// CHECK: tensor.expand_shape %[[Q]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 4, 16]
// CHECK: %[[K:.*]] = tensor.extract_slice %[[X]][0, 64] [%{{.*}}, 32] [1, 1]
// CHECK: tensor.expand_shape %[[K]] {{\[}}[0], [1, 2]] output_shape [%{{.*}}, 2, 16]
// CHECK: %[[V:.*]] = tensor.extract_slice %[[X]][0, 96] [%{{.*}}, 32] [1, 1]
// CHECK-NOT: linalg.generic
func.func @split_qkv_concat(%qkv: tensor<?x128xf32>) -> (tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>) {
  %q, %k, %v = tfc.split_qkv %qkv {packing = #tfc.qkv_packing<concat>, heads = 4 : i64, kv_heads = 2 : i64}
      : tensor<?x128xf32> -> tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>
  return %q, %k, %v : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>
}

// Per kv group [group q heads, k, v]: [n, kv_heads, group + 2, head_dim].
// CHECK-LABEL: func.func @split_qkv_grouped
// CHECK: %[[G:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2, 3]] output_shape [%{{.*}}, 2, 4, 16]
// CHECK: %[[Q:.*]] = tensor.extract_slice %[[G]][0, 0, 0, 0] [%{{.*}}, 2, 2, 16] [1, 1, 1, 1]
// CHECK: tensor.collapse_shape %[[Q]] {{\[}}[0], [1, 2], [3]] : tensor<?x2x2x16xf32> into tensor<?x4x16xf32>
// CHECK: tensor.extract_slice %[[G]][0, 0, 2, 0] [%{{.*}}, 2, 1, 16]
// CHECK: tensor.extract_slice %[[G]][0, 0, 3, 0] [%{{.*}}, 2, 1, 16]
func.func @split_qkv_grouped(%qkv: tensor<?x128xf32>) -> (tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>) {
  %q, %k, %v = tfc.split_qkv %qkv {packing = #tfc.qkv_packing<grouped>, heads = 4 : i64, kv_heads = 2 : i64}
      : tensor<?x128xf32> -> tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>
  return %q, %k, %v : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>
}

// GQA, group 2. d0 = head, d1 = query, d2 = key, d3 = head dim (reduced).
// CHECK-LABEL: func.func @attention_gqa
// CHECK-SAME: (%[[Q:.*]]: tensor<?x4x16xf32>, %[[K:.*]]: tensor<?x2x16xf32>, %[[V:.*]]: tensor<?x2x16xf32>, %[[POS:.*]]: index)
// CHECK: %[[DOTS:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1, d0, d3)>, affine_map<(d0, d1, d2, d3) -> (d2, d0 floordiv 2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[Q]], %[[K]] : tensor<?x4x16xf32>, tensor<?x2x16xf32>) outs(%{{.*}} : tensor<4x?x?xf32>)
// CHECK: arith.mulf {{.*}} fastmath<reassoc,contract>
// Scale and causal mask: key j is visible iff j <= position + i.
// CHECK: %[[SCORES:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[DOTS]] : tensor<4x?x?xf32>)
// CHECK: arith.constant 2.500000e-01 : f32
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[J:.*]] = linalg.index 2 : index
// CHECK: %[[P:.*]] = arith.addi %[[POS]], %[[I]] : index
// CHECK: %[[VIS:.*]] = arith.cmpi ule, %[[J]], %[[P]] : index
// CHECK: arith.select %[[VIS]], %{{.*}}, %{{.*}} : f32
// Softmax over the keys: max, sum of exp, divide.
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[SCORES]] : tensor<4x?x?xf32>)
// CHECK: arith.maximumf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[SCORES]], %{{.*}} : tensor<4x?x?xf32>, tensor<4x?xf32>)
// CHECK: math.exp
// CHECK: %[[PROBS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[SCORES]], %{{.*}}, %{{.*}} : tensor<4x?x?xf32>, tensor<4x?xf32>, tensor<4x?xf32>)
// CHECK: arith.divf
// out[i, h, c] = sum_j probs[h, i, j] v[j, h floordiv 2, c].
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1, d0, d2)>, affine_map<(d0, d1, d2, d3) -> (d2, d1 floordiv 2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%[[PROBS]], %[[V]] : tensor<4x?x?xf32>, tensor<?x2x16xf32>) outs(%{{.*}} : tensor<?x4x16xf32>)
func.func @attention_gqa(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// Soft-cap before the mask (HF gemma2); keys from %lo; the window keeps keys
// with position + i - j < window.
// CHECK-LABEL: func.func @attention_window_softcap
// CHECK-SAME: %[[POS:[^:]*]]: index, %[[LO:[^:]*]]: index)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK: %[[CAP:.*]] = arith.constant 5.000000e+01 : f32
// CHECK: arith.divf %{{.*}}, %[[CAP]]
// CHECK: math.tanh
// CHECK: %[[J0:.*]] = linalg.index 2 : index
// CHECK: %[[J:.*]] = arith.addi %[[LO]], %[[J0]] : index
// CHECK: %[[P:.*]] = arith.addi %[[POS]], %{{.*}} : index
// CHECK: %[[CAUSAL:.*]] = arith.cmpi ule, %[[J]], %[[P]] : index
// CHECK: %[[AGE:.*]] = arith.subi %[[P]], %[[J]] : index
// CHECK: %[[W:.*]] = arith.constant 8 : index
// CHECK: %[[IN:.*]] = arith.cmpi ult, %[[AGE]], %[[W]] : index
// CHECK: arith.andi %[[CAUSAL]], %[[IN]] : i1
func.func @attention_window_softcap(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %lo: index) -> tensor<?x4x16xf32> {
  %0 = tfc.attention %q, %k, %v at %pos keys_from %lo {scale = 0.25 : f64, window = 8 : i64, softcap = 50.0 : f64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// AlibiAttr::getSlopes: 2^(-8 (h + 1) / 4) for 4 heads (MHA: no floordiv);
// score += slope[h] * j.
// CHECK-LABEL: func.func @attention_alibi
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1, d0, d3)>, affine_map<(d0, d1, d2, d3) -> (d2, d0, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>]
// CHECK: %[[SLOPES:.*]] = arith.constant dense<[2.500000e-01, 6.250000e-02, 1.562500e-02, 3.906250e-03]> : tensor<4xf32>
// CHECK: %[[H:.*]] = linalg.index 0 : index
// CHECK: %[[JF:.*]] = arith.uitofp
// CHECK: %[[SLOPE:.*]] = tensor.extract %[[SLOPES]][%[[H]]] : tensor<4xf32>
// CHECK: %[[BIAS:.*]] = arith.mulf %[[SLOPE]], %[[JF]] : f32
// CHECK: arith.addf %{{.*}}, %[[BIAS]] : f32
func.func @attention_alibi(%q: tensor<?x4x16xf32>, %k: tensor<?x4x16xf32>, %v: tensor<?x4x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64, alibi = #tfc.alibi<max_bias = 8.0>}
      : tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// 6 heads (not a power of two, HF bloom): the 4-head slopes, then the odd
// powers of 2^(-8 / 8): 0.5, 0.125.
// CHECK-LABEL: func.func @attention_alibi_6_heads
// CHECK: arith.constant dense<[2.500000e-01, 6.250000e-02, 1.562500e-02, 3.906250e-03, 5.000000e-01, 1.250000e-01]> : tensor<6xf32>
func.func @attention_alibi_6_heads(%q: tensor<?x6x16xf32>, %k: tensor<?x6x16xf32>, %v: tensor<?x6x16xf32>, %pos: index) -> tensor<?x6x16xf32> {
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64, alibi = #tfc.alibi<max_bias = 8.0>}
      : tensor<?x6x16xf32>, tensor<?x6x16xf32>, tensor<?x6x16xf32> -> tensor<?x6x16xf32>
  return %0 : tensor<?x6x16xf32>
}

// MLA-shaped: value heads (16) narrower than query/key heads (24).
// CHECK-LABEL: func.func @attention_value_dim
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x4x24xf32>, tensor<?x4x24xf32>) outs(%{{.*}} : tensor<4x?x?xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<4x?x?xf32>, tensor<?x4x16xf32>) outs(%{{.*}} : tensor<?x4x16xf32>)
func.func @attention_value_dim(%q: tensor<?x4x24xf32>, %k: tensor<?x4x24xf32>, %v: tensor<?x4x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.20412414523193151 : f64}
      : tensor<?x4x24xf32>, tensor<?x4x24xf32>, tensor<?x4x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// T5 relative bias, materialised form: RelativeBiasAttr::getBucket for
// r = j - p in [-16, 16] as a constant (8 buckets, causal: keys after the
// query share bucket 0; r = -8 is bucket 6 in HF's f32 arithmetic), r clamped
// to that range, the bf16 table read at [bucket, h] and widened, added after
// the scale.
// CHECK-LABEL: func.func @attention_relative_bias
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4x?x?xf32>)
// CHECK: %[[BUCKETS:.*]] = arith.constant dense<[7, 7, 7, 7, 7, 6, 6, 6, 6, 5, 5, 4, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]> : tensor<33xi32>
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4x?x?xf32>)
// CHECK: %[[S:.*]] = arith.mulf
// CHECK: %[[H:.*]] = linalg.index 0 : index
// CHECK: %[[R:.*]] = arith.subi %{{.*}}, %{{.*}} : index
// CHECK: %[[RMIN:.*]] = arith.minsi %[[R]], %{{.*}} : index
// CHECK: %[[RC:.*]] = arith.maxsi %[[RMIN]], %{{.*}} : index
// CHECK: %[[OFF:.*]] = arith.addi %[[RC]], %{{.*}} : index
// CHECK: %[[B32:.*]] = tensor.extract %[[BUCKETS]][%[[OFF]]] : tensor<33xi32>
// CHECK: %[[B:.*]] = arith.index_cast %[[B32]] : i32 to index
// CHECK: %[[W:.*]] = tensor.extract %{{.*}}[%[[B]], %[[H]]] : tensor<8x4xbf16>
// CHECK: %[[WF:.*]] = arith.extf %[[W]] : bf16 to f32
// CHECK: arith.addf %[[S]], %[[WF]] : f32
func.func @attention_relative_bias(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %t: tensor<8x4xbf16>) -> tensor<?x4x16xf32> {
  %0 = tfc.attention %q, %k, %v at %pos relative_bias <buckets = 8, max_distance = 16>(%t : tensor<8x4xbf16>) {scale = 0.25 : f64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// tfc.relative_position_bias on its own: the same reading of the table into
// a [heads, n, T] tensor (bidirectional: keys after the query in buckets 4 to
// 7), which the materialised attention adds from its `bias` operand.
// CHECK-LABEL: func.func @relative_position_bias
// CHECK: %[[BUCKETS:.*]] = arith.constant dense<[3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1, 0, 5, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7]> : tensor<33xi32>
// CHECK: %[[BIAS:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<4x?x?xf32>)
// CHECK: tensor.extract %[[BUCKETS]]
// CHECK: tensor.extract %{{.*}} : tensor<8x4xf32>
// CHECK: linalg.yield
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4x?x?xf32>)
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4x?x?xf32>)
// CHECK: %[[H:.*]] = linalg.index 0 : index
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[J:.*]] = linalg.index 2 : index
// CHECK: %[[X:.*]] = tensor.extract %[[BIAS]][%[[H]], %[[I]], %[[J]]] : tensor<4x?x?xf32>
// CHECK: arith.addf %{{.*}}, %[[X]] : f32
func.func @relative_position_bias(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %t: tensor<8x4xf32>) -> tensor<?x4x16xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %q, %c0 : tensor<?x4x16xf32>
  %T = tensor.dim %k, %c0 : tensor<?x2x16xf32>
  %b = tfc.relative_position_bias %t at %pos, %n, %T <buckets = 8, max_distance = 16, bidirectional = true> : tensor<8x4xf32> -> tensor<4x?x?xf32>
  %0 = tfc.attention %q, %k, %v at %pos bias %b {scale = 0.25 : f64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<4x?x?xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}
