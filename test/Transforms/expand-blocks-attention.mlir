// tfc-expand-blocks on the attention variants: which projections a block
// reads (and their biases), how fused QKV is split, where QK-norm and RoPE
// come, and MLA's latent path. Each case is a pre-norm block with a ReLU MLP
// (placements: expand-blocks-placement.mlir, KV cache use:
// expand-blocks-kv-cache.mlir).
// RUN: tfc-opt %s -split-input-file --tfc-expand-blocks=outline-layers=false | FileCheck %s

// One fused projection, packed [q heads | k heads | v heads]: one linear with
// its bias (qkv_bias), split by tfc.split_qkv; the split's k and v are cached,
// its q attends.
// CHECK-LABEL: func.func @qkv_concat
// CHECK: %[[WN:.*]] = tfc.weight @attn_norm
// CHECK-NEXT: %[[N:.*]] = tfc.rms_norm %{{.*}}, %[[WN]]
// CHECK-NEXT: %[[W:.*]] = tfc.weight @qkv_proj : tensor<24x8xf32>
// CHECK-NEXT: %[[B:.*]] = tfc.weight @qkv_bias : tensor<24xf32>
// CHECK-NEXT: %[[QKV:.*]] = tfc.linear %[[N]], %[[W]], %[[B]] : {{.*}} -> tensor<?x24xf32>
// CHECK-NEXT: %[[Q:.*]], %[[K:.*]], %[[V:.*]] = tfc.split_qkv %[[QKV]] {heads = 2 : i64, kv_heads = 2 : i64, packing = #tfc.qkv_packing<concat>} : tensor<?x24xf32> -> tensor<?x2x4xf32>, tensor<?x2x4xf32>, tensor<?x2x4xf32>
// CHECK-NOT: tfc.linear
// CHECK: tfc.kv_cache_append %[[K]], %[[V]] into
// CHECK: tfc.attention %[[Q]],
// CHECK: %[[WO:.*]] = tfc.weight @o_proj
// CHECK-NEXT: tfc.linear %{{.*}}, %[[WO]] :
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  tfc.weight_decl @qkv_proj : tensor<24x8xf32>
  tfc.weight_decl @qkv_bias : tensor<24xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  func.func @qkv_concat(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        qkv_packing = #tfc.qkv_packing<concat>,
        attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4, qkv_bias = true>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, up_proj = @up_proj, down_proj = @down_proj, qkv_proj = @qkv_proj, qkv_bias = @qkv_bias, o_proj = @o_proj}} : tensor<?x8xf32>, memref<?x16xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// Grouped packing (gpt_neox, falcon's new architecture), GQA: 4 query heads
// over 2 KV heads from a 16-row matrix, no bias.
// CHECK-LABEL: func.func @qkv_grouped
// CHECK: %[[WN:.*]] = tfc.weight @attn_norm
// CHECK-NEXT: %[[N:.*]] = tfc.rms_norm %{{.*}}, %[[WN]]
// CHECK-NEXT: %[[W:.*]] = tfc.weight @qkv_proj : tensor<16x8xf32>
// CHECK-NEXT: %[[QKV:.*]] = tfc.linear %[[N]], %[[W]] : {{.*}} -> tensor<?x16xf32>
// CHECK-NEXT: %[[Q:.*]], %[[K:.*]], %[[V:.*]] = tfc.split_qkv %[[QKV]] {heads = 4 : i64, kv_heads = 2 : i64, packing = #tfc.qkv_packing<grouped>} : tensor<?x16xf32> -> tensor<?x4x2xf32>, tensor<?x2x2xf32>, tensor<?x2x2xf32>
// CHECK: tfc.kv_cache_append %[[K]], %[[V]] into
// CHECK: tfc.attention %[[Q]],
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  tfc.weight_decl @qkv_proj : tensor<16x8xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  func.func @qkv_grouped(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x8xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        qkv_packing = #tfc.qkv_packing<grouped>,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 2>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, up_proj = @up_proj, down_proj = @down_proj, qkv_proj = @qkv_proj, o_proj = @o_proj}} : tensor<?x8xf32>, memref<?x8xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// Separate projections with biases (qkv_bias, out_bias): each projection
// reads the bias role of its weight role (q_proj: q_bias, ..., o_proj: o_bias).
// CHECK-LABEL: func.func @separate_biases
// CHECK: %[[WN:.*]] = tfc.weight @attn_norm
// CHECK-NEXT: %[[N:.*]] = tfc.rms_norm %{{.*}}, %[[WN]]
// CHECK-NEXT: %[[WQ:.*]] = tfc.weight @q_proj : tensor<8x8xf32>
// CHECK-NEXT: %[[BQ:.*]] = tfc.weight @q_bias : tensor<8xf32>
// CHECK-NEXT: tfc.linear %[[N]], %[[WQ]], %[[BQ]] :
// CHECK-NEXT: %[[WK:.*]] = tfc.weight @k_proj : tensor<4x8xf32>
// CHECK-NEXT: %[[BK:.*]] = tfc.weight @k_bias : tensor<4xf32>
// CHECK-NEXT: tfc.linear %[[N]], %[[WK]], %[[BK]] :
// CHECK-NEXT: %[[WV:.*]] = tfc.weight @v_proj : tensor<4x8xf32>
// CHECK-NEXT: %[[BV:.*]] = tfc.weight @v_bias : tensor<4xf32>
// CHECK-NEXT: tfc.linear %[[N]], %[[WV]], %[[BV]] :
// CHECK: tfc.attention
// CHECK: %[[WO:.*]] = tfc.weight @o_proj : tensor<8x8xf32>
// CHECK-NEXT: %[[BO:.*]] = tfc.weight @o_bias : tensor<8xf32>
// CHECK-NEXT: tfc.linear %{{.*}}, %[[WO]], %[[BO]] :
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  tfc.weight_decl @q_proj : tensor<8x8xf32>
  tfc.weight_decl @k_proj : tensor<4x8xf32>
  tfc.weight_decl @v_proj : tensor<4x8xf32>
  tfc.weight_decl @q_bias : tensor<8xf32>
  tfc.weight_decl @k_bias : tensor<4xf32>
  tfc.weight_decl @v_bias : tensor<4xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  tfc.weight_decl @o_bias : tensor<8xf32>
  func.func @separate_biases(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x8xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<gqa, heads = 2, kv_heads = 1, head_dim = 4, qkv_bias = true, out_bias = true>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, up_proj = @up_proj, down_proj = @down_proj, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, q_bias = @q_bias, k_bias = @k_bias, v_bias = @v_bias, o_proj = @o_proj, o_bias = @o_bias}} : tensor<?x8xf32>, memref<?x8xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// QK-norm per head (qwen3): q and k are split into heads, each head
// RMS-normalised over head_dim (q_norm, k_norm: [head_dim]), then rotated.
// CHECK-LABEL: func.func @qk_norm_per_head
// CHECK: %[[WN:.*]] = tfc.weight @attn_norm
// CHECK-NEXT: %[[N:.*]] = tfc.rms_norm %{{.*}}, %[[WN]]
// CHECK-NEXT: %[[WQ:.*]] = tfc.weight @q_proj
// CHECK-NEXT: %[[QP:.*]] = tfc.linear %[[N]], %[[WQ]]
// CHECK-NEXT: %[[WK:.*]] = tfc.weight @k_proj
// CHECK-NEXT: %[[KP:.*]] = tfc.linear %[[N]], %[[WK]]
// CHECK: %[[QH:.*]] = tensor.expand_shape %[[QP]] {{.*}} into tensor<?x2x4xf32>
// CHECK: %[[KH:.*]] = tensor.expand_shape %[[KP]] {{.*}} into tensor<?x1x4xf32>
// CHECK-NEXT: %[[WQN:.*]] = tfc.weight @q_norm : tensor<4xf32>
// CHECK-NEXT: %[[QN:.*]] = tfc.rms_norm %[[QH]], %[[WQN]] {{.*}} : tensor<?x2x4xf32>, tensor<4xf32>
// CHECK-NEXT: %[[WKN:.*]] = tfc.weight @k_norm : tensor<4xf32>
// CHECK-NEXT: %[[KN:.*]] = tfc.rms_norm %[[KH]], %[[WKN]] {{.*}} : tensor<?x1x4xf32>, tensor<4xf32>
// CHECK-NEXT: %[[Q:.*]] = tfc.rope %[[QN]]
// CHECK-NEXT: %[[K:.*]] = tfc.rope %[[KN]]
// CHECK: tfc.kv_cache_append %[[K]],
// CHECK: tfc.attention %[[Q]],
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  tfc.weight_decl @q_proj : tensor<8x8xf32>
  tfc.weight_decl @k_proj : tensor<4x8xf32>
  tfc.weight_decl @v_proj : tensor<4x8xf32>
  tfc.weight_decl @q_norm : tensor<4xf32>
  tfc.weight_decl @k_norm : tensor<4xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  func.func @qk_norm_per_head(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x8xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e4>,
        attention = #tfc.attention<gqa, heads = 2, kv_heads = 1, head_dim = 4, qk_norm = per_head>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, up_proj = @up_proj, down_proj = @down_proj, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, q_norm = @q_norm, k_norm = @k_norm, o_proj = @o_proj}} : tensor<?x8xf32>, memref<?x8xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// QK-norm over the whole projection (olmo2): q and k are RMS-normalised
// before they are split into heads (q_norm: [heads * head_dim], k_norm:
// [kv_heads * head_dim]), then rotated.
// CHECK-LABEL: func.func @qk_norm_full
// CHECK: %[[WN:.*]] = tfc.weight @attn_norm
// CHECK-NEXT: %[[N:.*]] = tfc.rms_norm %{{.*}}, %[[WN]]
// CHECK-NEXT: %[[WQ:.*]] = tfc.weight @q_proj
// CHECK-NEXT: %[[QP:.*]] = tfc.linear %[[N]], %[[WQ]]
// CHECK-NEXT: %[[WK:.*]] = tfc.weight @k_proj
// CHECK-NEXT: %[[KP:.*]] = tfc.linear %[[N]], %[[WK]]
// CHECK: %[[WQN:.*]] = tfc.weight @q_norm : tensor<8xf32>
// CHECK-NEXT: %[[QN:.*]] = tfc.rms_norm %[[QP]], %[[WQN]] {{.*}} : tensor<?x8xf32>, tensor<8xf32>
// CHECK-NEXT: %[[WKN:.*]] = tfc.weight @k_norm : tensor<4xf32>
// CHECK-NEXT: %[[KN:.*]] = tfc.rms_norm %[[KP]], %[[WKN]] {{.*}} : tensor<?x4xf32>, tensor<4xf32>
// CHECK: %[[QH:.*]] = tensor.expand_shape %[[QN]] {{.*}} into tensor<?x2x4xf32>
// CHECK: %[[KH:.*]] = tensor.expand_shape %[[KN]] {{.*}} into tensor<?x1x4xf32>
// CHECK-NEXT: %[[Q:.*]] = tfc.rope %[[QH]]
// CHECK-NEXT: %[[K:.*]] = tfc.rope %[[KH]]
// CHECK: tfc.kv_cache_append %[[K]],
// CHECK: tfc.attention %[[Q]],
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  tfc.weight_decl @q_proj : tensor<8x8xf32>
  tfc.weight_decl @k_proj : tensor<4x8xf32>
  tfc.weight_decl @v_proj : tensor<4x8xf32>
  tfc.weight_decl @q_norm : tensor<8xf32>
  tfc.weight_decl @k_norm : tensor<4xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  func.func @qk_norm_full(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x8xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e4>,
        attention = #tfc.attention<gqa, heads = 2, kv_heads = 1, head_dim = 4, qk_norm = full>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, up_proj = @up_proj, down_proj = @down_proj, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, q_norm = @q_norm, k_norm = @k_norm, o_proj = @o_proj}} : tensor<?x8xf32>, memref<?x8xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// MLA without a query bottleneck (q_lora_rank = 0, DeepSeek-V2-Lite), in the
// absorbed form: q_proj gives each head 4 unrotated + 2 rotated dims; kv_a_proj
// gives the latent (4, RMS-normalised by kv_a_norm) and one rotated key (2).
// The cache row is that one kv head [latent | rope] = 6 floats, read back with
// the latent as the value; kv_b_proj [2 * (4 + 4), 4] is never applied to the
// latent: its W_uk rows take the query's nope part to the latent and its W_uv
// rows take attention's latent output to the value heads.
// CHECK-LABEL: func.func @mla
// CHECK: %[[QH:.*]] = tensor.expand_shape %{{.*}} into tensor<?x2x6xf32>
// CHECK: %[[QROT:.*]] = tensor.extract_slice %[[QH]][0, 0, 4] [%{{.*}}, 2, 2]
// CHECK-NEXT: %[[QROPE:.*]] = tfc.rope %[[QROT]]
// CHECK: %[[LATN:.*]] = tfc.rms_norm
// CHECK: %[[KROPE:.*]] = tfc.rope %{{.*}} : tensor<?x1x2xf32>
// CHECK-NEXT: %[[WKVB:.*]] = tfc.weight @kv_b_proj : tensor<16x4xf32>
// CHECK-NOT: tfc.linear %[[LATN]]
// CHECK: %[[QNOPE:.*]] = tensor.extract_slice %[[QH]][0, 0, 0] [%{{.*}}, 2, 4]
// CHECK-NEXT: %[[QLAT:.*]] = tfc.head_linear %[[QNOPE]], %[[WKVB]] {head_rows = 8 : i64, layout = #tfc.layout<in_out>, row_offset = 0 : i64} : tensor<?x2x4xf32>, tensor<16x4xf32> -> tensor<?x2x4xf32>
// CHECK-NEXT: %[[Q:.*]] = tensor.concat dim(2) %[[QLAT]], %[[QROPE]] {{.*}} -> tensor<?x2x6xf32>
// CHECK: %[[K:.*]] = tensor.concat dim(2) %{{.*}}, %[[KROPE]] {{.*}} -> tensor<?x1x6xf32>
// CHECK: tfc.kv_cache_append %[[K]] into %{{.*}} at %{{.*}} : tensor<?x1x6xf32>, memref<?x6xf32>
// CHECK: %[[KS:.*]], %[[VS:.*]] = tfc.kv_cache_read %{{.*}} value_in_key : memref<?x6xf32> -> tensor<?x1x6xf32>, tensor<?x1x4xf32>
// CHECK-NEXT: %[[O:.*]] = tfc.attention %[[Q]], %[[KS]], %[[VS]] {{.*}} : tensor<?x2x6xf32>, tensor<?x1x6xf32>, tensor<?x1x4xf32> -> tensor<?x2x4xf32>
// CHECK-NEXT: %{{.*}} = tfc.head_linear %[[O]], %[[WKVB]] {head_rows = 8 : i64, row_offset = 4 : i64} : tensor<?x2x4xf32>, tensor<16x4xf32> -> tensor<?x2x4xf32>
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  tfc.weight_decl @q_proj : tensor<12x8xf32>
  tfc.weight_decl @kv_a_proj : tensor<6x8xf32>
  tfc.weight_decl @kv_a_norm : tensor<4xf32>
  tfc.weight_decl @kv_b_proj : tensor<16x4xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  func.func @mla(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x6xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e4>,
        attention = #tfc.attention<mla, heads = 2, kv_heads = 2, head_dim = 6, mla = #tfc.mla<q_lora_rank = 0, kv_lora_rank = 4, qk_nope_head_dim = 4, qk_rope_head_dim = 2, v_head_dim = 4>>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, up_proj = @up_proj, down_proj = @down_proj, q_proj = @q_proj, kv_a_proj = @kv_a_proj, kv_a_norm = @kv_a_norm, kv_b_proj = @kv_b_proj, o_proj = @o_proj}} : tensor<?x8xf32>, memref<?x6xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// MLA with a query bottleneck (q_lora_rank = 3, DeepSeek-V2): q_a_proj, its
// RMSNorm (q_a_norm), q_b_proj; the keys and values as above.
// CHECK-LABEL: func.func @mla_q_lora
// CHECK: %[[WN:.*]] = tfc.weight @attn_norm
// CHECK-NEXT: %[[N:.*]] = tfc.rms_norm %{{.*}}, %[[WN]]
// CHECK-NEXT: %[[WQA:.*]] = tfc.weight @q_a_proj : tensor<3x8xf32>
// CHECK-NEXT: %[[QA:.*]] = tfc.linear %[[N]], %[[WQA]]
// CHECK-NEXT: %[[WQAN:.*]] = tfc.weight @q_a_norm : tensor<3xf32>
// CHECK-NEXT: %[[QAN:.*]] = tfc.rms_norm %[[QA]], %[[WQAN]]
// CHECK-NEXT: %[[WQB:.*]] = tfc.weight @q_b_proj : tensor<12x3xf32>
// CHECK-NEXT: %[[QP:.*]] = tfc.linear %[[QAN]], %[[WQB]]
// CHECK: tensor.expand_shape %[[QP]] {{.*}} into tensor<?x2x6xf32>
// CHECK: %[[WKVA:.*]] = tfc.weight @kv_a_proj : tensor<6x8xf32>
// CHECK-NEXT: tfc.linear %[[N]], %[[WKVA]]
// CHECK: tfc.weight @kv_a_norm
// CHECK: tfc.weight @kv_b_proj
// CHECK: tfc.attention
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  tfc.weight_decl @q_a_proj : tensor<3x8xf32>
  tfc.weight_decl @q_a_norm : tensor<3xf32>
  tfc.weight_decl @q_b_proj : tensor<12x3xf32>
  tfc.weight_decl @kv_a_proj : tensor<6x8xf32>
  tfc.weight_decl @kv_a_norm : tensor<4xf32>
  tfc.weight_decl @kv_b_proj : tensor<16x4xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  func.func @mla_q_lora(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x6xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.rope<theta = 1.0e4>,
        attention = #tfc.attention<mla, heads = 2, kv_heads = 2, head_dim = 6, mla = #tfc.mla<q_lora_rank = 3, kv_lora_rank = 4, qk_nope_head_dim = 4, qk_rope_head_dim = 2, v_head_dim = 4>>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, up_proj = @up_proj, down_proj = @down_proj, q_a_proj = @q_a_proj, q_a_norm = @q_a_norm, q_b_proj = @q_b_proj, kv_a_proj = @kv_a_proj, kv_a_norm = @kv_a_norm, kv_b_proj = @kv_b_proj, o_proj = @o_proj}} : tensor<?x8xf32>, memref<?x6xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// T5 relative position bias (GQA, 4 query heads over 2 KV heads): no RoPE,
// the block's rel_bias table [buckets, heads] goes into tfc.attention as its
// relative_bias operand, with the config; no [heads, n, T] bias tensor.
// CHECK-LABEL: func.func @relative_bias
// CHECK-NOT: tfc.rope
// CHECK-NOT: tfc.relative_position_bias
// CHECK: %[[T:.*]] = tfc.weight @rel_bias : tensor<8x4xf32>
// CHECK: tfc.kv_cache_append
// CHECK: tfc.attention %{{.*}}, %{{.*}}, %{{.*}} at %{{.*}} relative_bias <buckets = 8, max_distance = 16>(%[[T]] : tensor<8x4xf32>) {scale = 5.000000e-01 : f64} : tensor<?x4x4xf32>, tensor<?x2x4xf32>, tensor<?x2x4xf32> -> tensor<?x4x4xf32>
// CHECK-NOT: tfc.relative_position_bias
module {
  tfc.weight_decl @attn_norm : tensor<16xf32>
  tfc.weight_decl @ffn_norm : tensor<16xf32>
  tfc.weight_decl @up_proj : tensor<16x16xf32>
  tfc.weight_decl @down_proj : tensor<16x16xf32>
  tfc.weight_decl @q_proj : tensor<16x16xf32>
  tfc.weight_decl @k_proj : tensor<8x16xf32>
  tfc.weight_decl @v_proj : tensor<8x16xf32>
  tfc.weight_decl @o_proj : tensor<16x16xf32>
  tfc.weight_decl @rel_bias : tensor<8x4xf32>
  func.func @relative_bias(%x: tensor<?x16xf32>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x16xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.relative_bias<buckets = 8, max_distance = 16>,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 4>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, up_proj = @up_proj, down_proj = @down_proj, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, o_proj = @o_proj, rel_bias = @rel_bias}} : tensor<?x16xf32>, memref<?x16xf32>
    return %y : tensor<?x16xf32>
  }
}
