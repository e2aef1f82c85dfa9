// tfc-expand-blocks: where each norm placement and block shape puts the
// block's norms and residual adds (getNormSlots), which value each norm and
// each sublayer reads, and which weight role fills each norm. One case per
// placement (serial), then the parallel shapes. The attention is a minimal
// MHA (its own cases: expand-blocks-attention.mlir), the MLP a ReLU one.
// RUN: tfc-opt %s -split-input-file --tfc-expand-blocks=outline-layers=false | FileCheck %s

// pre (llama): h = x + attn(n1(x)); y = h + mlp(n2(h)).
// CHECK-LABEL: func.func @pre
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<?x8xf32>
// CHECK: %[[WN1:.*]] = tfc.weight @attn_norm
// CHECK-NEXT: %[[N1:.*]] = tfc.rms_norm %[[X]], %[[WN1]]
// CHECK: %[[WQ:.*]] = tfc.weight @q_proj
// CHECK-NEXT: tfc.linear %[[N1]], %[[WQ]]
// CHECK: %[[WV:.*]] = tfc.weight @v_proj
// CHECK-NEXT: tfc.linear %[[N1]], %[[WV]]
// CHECK: tfc.attention
// CHECK: %[[WO:.*]] = tfc.weight @o_proj
// CHECK-NEXT: %[[A:.*]] = tfc.linear %{{.*}}, %[[WO]]
// CHECK-NOT: _norm
// CHECK: %[[H:.*]] = tfc.residual_add %[[X]], %[[A]] :
// CHECK: %[[WN2:.*]] = tfc.weight @ffn_norm
// CHECK-NEXT: %[[N2:.*]] = tfc.rms_norm %[[H]], %[[WN2]]
// CHECK: %[[WUP:.*]] = tfc.weight @up_proj
// CHECK-NEXT: tfc.linear %[[N2]], %[[WUP]]
// CHECK: %[[WDOWN:.*]] = tfc.weight @down_proj
// CHECK-NEXT: %[[M:.*]] = tfc.linear %{{.*}}, %[[WDOWN]]
// CHECK-NOT: _norm
// CHECK: %[[Y:.*]] = tfc.residual_add %[[H]], %[[M]] :
// CHECK-NEXT: return %[[Y]]
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @q_proj : tensor<8x8xf32>
  tfc.weight_decl @k_proj : tensor<8x8xf32>
  tfc.weight_decl @v_proj : tensor<8x8xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  func.func @pre(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, o_proj = @o_proj, up_proj = @up_proj, down_proj = @down_proj}} : tensor<?x8xf32>, memref<?x16xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// post (original Transformer): h = n1(x + attn(x)); y = n2(h + mlp(h)).
// CHECK-LABEL: func.func @post
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<?x8xf32>
// CHECK-NOT: _norm
// CHECK: %[[WQ:.*]] = tfc.weight @q_proj
// CHECK-NEXT: tfc.linear %[[X]], %[[WQ]]
// CHECK: %[[WV:.*]] = tfc.weight @v_proj
// CHECK-NEXT: tfc.linear %[[X]], %[[WV]]
// CHECK: tfc.attention
// CHECK: %[[WO:.*]] = tfc.weight @o_proj
// CHECK-NEXT: %[[A:.*]] = tfc.linear %{{.*}}, %[[WO]]
// CHECK-NOT: _norm
// CHECK: %[[S1:.*]] = tfc.residual_add %[[X]], %[[A]] :
// CHECK: %[[WH:.*]] = tfc.weight @attn_norm
// CHECK-NEXT: %[[H:.*]] = tfc.rms_norm %[[S1]], %[[WH]]
// CHECK: %[[WUP:.*]] = tfc.weight @up_proj
// CHECK-NEXT: tfc.linear %[[H]], %[[WUP]]
// CHECK: %[[WDOWN:.*]] = tfc.weight @down_proj
// CHECK-NEXT: %[[M:.*]] = tfc.linear %{{.*}}, %[[WDOWN]]
// CHECK-NOT: _norm
// CHECK: %[[S2:.*]] = tfc.residual_add %[[H]], %[[M]] :
// CHECK: %[[WY:.*]] = tfc.weight @ffn_norm
// CHECK-NEXT: %[[Y:.*]] = tfc.rms_norm %[[S2]], %[[WY]]
// CHECK-NEXT: return %[[Y]]
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @q_proj : tensor<8x8xf32>
  tfc.weight_decl @k_proj : tensor<8x8xf32>
  tfc.weight_decl @v_proj : tensor<8x8xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  func.func @post(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<post>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, o_proj = @o_proj, up_proj = @up_proj, down_proj = @down_proj}} : tensor<?x8xf32>, memref<?x16xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// sandwich (gemma2): h = x + n2(attn(n1(x))); y = h + n4(mlp(n3(h))).
// CHECK-LABEL: func.func @sandwich
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<?x8xf32>
// CHECK: %[[WN1:.*]] = tfc.weight @attn_norm
// CHECK-NEXT: %[[N1:.*]] = tfc.rms_norm %[[X]], %[[WN1]]
// CHECK: %[[WQ:.*]] = tfc.weight @q_proj
// CHECK-NEXT: tfc.linear %[[N1]], %[[WQ]]
// CHECK: %[[WV:.*]] = tfc.weight @v_proj
// CHECK-NEXT: tfc.linear %[[N1]], %[[WV]]
// CHECK: tfc.attention
// CHECK: %[[WO:.*]] = tfc.weight @o_proj
// CHECK-NEXT: %[[A:.*]] = tfc.linear %{{.*}}, %[[WO]]
// CHECK: %[[WN2:.*]] = tfc.weight @post_attn_norm
// CHECK-NEXT: %[[N2:.*]] = tfc.rms_norm %[[A]], %[[WN2]]
// CHECK-NEXT: %[[H:.*]] = tfc.residual_add %[[X]], %[[N2]] :
// CHECK: %[[WN3:.*]] = tfc.weight @ffn_norm
// CHECK-NEXT: %[[N3:.*]] = tfc.rms_norm %[[H]], %[[WN3]]
// CHECK: %[[WUP:.*]] = tfc.weight @up_proj
// CHECK-NEXT: tfc.linear %[[N3]], %[[WUP]]
// CHECK: %[[WDOWN:.*]] = tfc.weight @down_proj
// CHECK-NEXT: %[[M:.*]] = tfc.linear %{{.*}}, %[[WDOWN]]
// CHECK: %[[WN4:.*]] = tfc.weight @post_ffn_norm
// CHECK-NEXT: %[[N4:.*]] = tfc.rms_norm %[[M]], %[[WN4]]
// CHECK-NEXT: %[[Y:.*]] = tfc.residual_add %[[H]], %[[N4]] :
// CHECK-NEXT: return %[[Y]]
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @post_attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @post_ffn_norm : tensor<8xf32>
  tfc.weight_decl @q_proj : tensor<8x8xf32>
  tfc.weight_decl @k_proj : tensor<8x8xf32>
  tfc.weight_decl @v_proj : tensor<8x8xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  func.func @sandwich(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<sandwich>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, post_attn_norm = @post_attn_norm, ffn_norm = @ffn_norm, post_ffn_norm = @post_ffn_norm, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, o_proj = @o_proj, up_proj = @up_proj, down_proj = @down_proj}} : tensor<?x8xf32>, memref<?x16xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// deep_norm: post-norm with the residual scaled by alpha: h = n1(2 x + attn(x)).
// CHECK-LABEL: func.func @deep_norm
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<?x8xf32>
// CHECK-NOT: _norm
// CHECK: %[[WQ:.*]] = tfc.weight @q_proj
// CHECK-NEXT: tfc.linear %[[X]], %[[WQ]]
// CHECK: %[[WV:.*]] = tfc.weight @v_proj
// CHECK-NEXT: tfc.linear %[[X]], %[[WV]]
// CHECK: tfc.attention
// CHECK: %[[WO:.*]] = tfc.weight @o_proj
// CHECK-NEXT: %[[A:.*]] = tfc.linear %{{.*}}, %[[WO]]
// CHECK-NOT: _norm
// CHECK: %[[S1:.*]] = tfc.residual_add %[[X]], %[[A]] {alpha = 2.000000e+00 : f64} :
// CHECK: %[[WH:.*]] = tfc.weight @attn_norm
// CHECK-NEXT: %[[H:.*]] = tfc.rms_norm %[[S1]], %[[WH]]
// CHECK: %[[WUP:.*]] = tfc.weight @up_proj
// CHECK-NEXT: tfc.linear %[[H]], %[[WUP]]
// CHECK: %[[WDOWN:.*]] = tfc.weight @down_proj
// CHECK-NEXT: %[[M:.*]] = tfc.linear %{{.*}}, %[[WDOWN]]
// CHECK-NOT: _norm
// CHECK: %[[S2:.*]] = tfc.residual_add %[[H]], %[[M]] {alpha = 2.000000e+00 : f64} :
// CHECK: %[[WY:.*]] = tfc.weight @ffn_norm
// CHECK-NEXT: %[[Y:.*]] = tfc.rms_norm %[[S2]], %[[WY]]
// CHECK-NEXT: return %[[Y]]
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @q_proj : tensor<8x8xf32>
  tfc.weight_decl @k_proj : tensor<8x8xf32>
  tfc.weight_decl @v_proj : tensor<8x8xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  func.func @deep_norm(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<deep_norm>,
        deepnorm_alpha = 2.0 : f64,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, o_proj = @o_proj, up_proj = @up_proj, down_proj = @down_proj}} : tensor<?x8xf32>, memref<?x16xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// post_sublayer (olmo2): h = x + n1(attn(x)); y = h + n2(mlp(h)).
// CHECK-LABEL: func.func @post_sublayer
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<?x8xf32>
// CHECK-NOT: _norm
// CHECK: %[[WQ:.*]] = tfc.weight @q_proj
// CHECK-NEXT: tfc.linear %[[X]], %[[WQ]]
// CHECK: %[[WV:.*]] = tfc.weight @v_proj
// CHECK-NEXT: tfc.linear %[[X]], %[[WV]]
// CHECK: tfc.attention
// CHECK: %[[WO:.*]] = tfc.weight @o_proj
// CHECK-NEXT: %[[A:.*]] = tfc.linear %{{.*}}, %[[WO]]
// CHECK: %[[WN1:.*]] = tfc.weight @post_attn_norm
// CHECK-NEXT: %[[N1:.*]] = tfc.rms_norm %[[A]], %[[WN1]]
// CHECK-NEXT: %[[H:.*]] = tfc.residual_add %[[X]], %[[N1]] :
// CHECK-NOT: _norm
// CHECK: %[[WUP:.*]] = tfc.weight @up_proj
// CHECK-NEXT: tfc.linear %[[H]], %[[WUP]]
// CHECK: %[[WDOWN:.*]] = tfc.weight @down_proj
// CHECK-NEXT: %[[M:.*]] = tfc.linear %{{.*}}, %[[WDOWN]]
// CHECK: %[[WN2:.*]] = tfc.weight @post_ffn_norm
// CHECK-NEXT: %[[N2:.*]] = tfc.rms_norm %[[M]], %[[WN2]]
// CHECK-NEXT: %[[Y:.*]] = tfc.residual_add %[[H]], %[[N2]] :
// CHECK-NEXT: return %[[Y]]
module {
  tfc.weight_decl @post_attn_norm : tensor<8xf32>
  tfc.weight_decl @post_ffn_norm : tensor<8xf32>
  tfc.weight_decl @q_proj : tensor<8x8xf32>
  tfc.weight_decl @k_proj : tensor<8x8xf32>
  tfc.weight_decl @v_proj : tensor<8x8xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  func.func @post_sublayer(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<post_sublayer>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {post_attn_norm = @post_attn_norm, post_ffn_norm = @post_ffn_norm, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, o_proj = @o_proj, up_proj = @up_proj, down_proj = @down_proj}} : tensor<?x8xf32>, memref<?x16xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// pre_normed_residual (HF bloom with apply_residual_connection_post_layernorm):
// pre-norm whose residual is the normed input, not the input:
// h = n1(x) + attn(n1(x)); y = n2(h) + mlp(n2(h)).
// CHECK-LABEL: func.func @pre_normed_residual
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<?x8xf32>
// CHECK: %[[WN1:.*]] = tfc.weight @attn_norm
// CHECK-NEXT: %[[N1:.*]] = tfc.rms_norm %[[X]], %[[WN1]]
// CHECK: %[[WQ:.*]] = tfc.weight @q_proj
// CHECK-NEXT: tfc.linear %[[N1]], %[[WQ]]
// CHECK: %[[WO:.*]] = tfc.weight @o_proj
// CHECK-NEXT: %[[A:.*]] = tfc.linear %{{.*}}, %[[WO]]
// CHECK-NOT: _norm
// CHECK: %[[H:.*]] = tfc.residual_add %[[N1]], %[[A]] :
// CHECK-NEXT: %[[WN2:.*]] = tfc.weight @ffn_norm
// CHECK-NEXT: %[[N2:.*]] = tfc.rms_norm %[[H]], %[[WN2]]
// CHECK: %[[WUP:.*]] = tfc.weight @up_proj
// CHECK-NEXT: tfc.linear %[[N2]], %[[WUP]]
// CHECK: %[[WDOWN:.*]] = tfc.weight @down_proj
// CHECK-NEXT: %[[M:.*]] = tfc.linear %{{.*}}, %[[WDOWN]]
// CHECK-NEXT: %[[Y:.*]] = tfc.residual_add %[[N2]], %[[M]] :
// CHECK-NEXT: return %[[Y]]
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @q_proj : tensor<8x8xf32>
  tfc.weight_decl @k_proj : tensor<8x8xf32>
  tfc.weight_decl @v_proj : tensor<8x8xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  func.func @pre_normed_residual(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre_normed_residual>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, o_proj = @o_proj, up_proj = @up_proj, down_proj = @down_proj}} : tensor<?x8xf32>, memref<?x16xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// A parallel block (gpt_neox): both sublayers read the input, normalised
// each by its own norm: y = x + attn(n1(x)) + mlp(n2(x)).
// CHECK-LABEL: func.func @parallel
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<?x8xf32>
// CHECK: %[[WN1:.*]] = tfc.weight @attn_norm
// CHECK-NEXT: %[[N1:.*]] = tfc.rms_norm %[[X]], %[[WN1]]
// CHECK: %[[WN2:.*]] = tfc.weight @ffn_norm
// CHECK-NEXT: %[[N2:.*]] = tfc.rms_norm %[[X]], %[[WN2]]
// CHECK: %[[WQ:.*]] = tfc.weight @q_proj
// CHECK-NEXT: tfc.linear %[[N1]], %[[WQ]]
// CHECK: %[[WV:.*]] = tfc.weight @v_proj
// CHECK-NEXT: tfc.linear %[[N1]], %[[WV]]
// CHECK: tfc.attention
// CHECK: %[[WO:.*]] = tfc.weight @o_proj
// CHECK-NEXT: %[[A:.*]] = tfc.linear %{{.*}}, %[[WO]]
// CHECK: %[[WUP:.*]] = tfc.weight @up_proj
// CHECK-NEXT: tfc.linear %[[N2]], %[[WUP]]
// CHECK: %[[WDOWN:.*]] = tfc.weight @down_proj
// CHECK-NEXT: %[[M:.*]] = tfc.linear %{{.*}}, %[[WDOWN]]
// CHECK-NOT: _norm
// CHECK: %[[S:.*]] = tfc.residual_add %[[X]], %[[A]] :
// CHECK-NEXT: %[[Y:.*]] = tfc.residual_add %[[S]], %[[M]] :
// CHECK-NEXT: return %[[Y]]
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @q_proj : tensor<8x8xf32>
  tfc.weight_decl @k_proj : tensor<8x8xf32>
  tfc.weight_decl @v_proj : tensor<8x8xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  func.func @parallel(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<parallel>, position_encoding = #tfc.nope,
        attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, o_proj = @o_proj, up_proj = @up_proj, down_proj = @down_proj}} : tensor<?x8xf32>, memref<?x16xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// A parallel block with one shared LayerNorm (phi, falcon-7b): its weight and
// bias are attn_norm and attn_norm_bias, and the MLP reads the same normed
// input: y = x + attn(n(x)) + mlp(n(x)).
// CHECK-LABEL: func.func @parallel_shared_norm
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<?x8xf32>
// CHECK: %[[WN:.*]] = tfc.weight @attn_norm
// CHECK-NEXT: %[[BN:.*]] = tfc.weight @attn_norm_bias
// CHECK-NEXT: %[[N:.*]] = tfc.layer_norm %[[X]], %[[WN]], %[[BN]]
// CHECK-NOT: _norm
// CHECK: %[[WQ:.*]] = tfc.weight @q_proj
// CHECK-NEXT: tfc.linear %[[N]], %[[WQ]]
// CHECK: %[[WV:.*]] = tfc.weight @v_proj
// CHECK-NEXT: tfc.linear %[[N]], %[[WV]]
// CHECK: tfc.attention
// CHECK: %[[WO:.*]] = tfc.weight @o_proj
// CHECK-NEXT: %[[A:.*]] = tfc.linear %{{.*}}, %[[WO]]
// CHECK: %[[WUP:.*]] = tfc.weight @up_proj
// CHECK-NEXT: tfc.linear %[[N]], %[[WUP]]
// CHECK: %[[WDOWN:.*]] = tfc.weight @down_proj
// CHECK-NEXT: %[[M:.*]] = tfc.linear %{{.*}}, %[[WDOWN]]
// CHECK-NOT: _norm
// CHECK: %[[S:.*]] = tfc.residual_add %[[X]], %[[A]] :
// CHECK-NEXT: %[[Y:.*]] = tfc.residual_add %[[S]], %[[M]] :
// CHECK-NEXT: return %[[Y]]
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @attn_norm_bias : tensor<8xf32>
  tfc.weight_decl @q_proj : tensor<8x8xf32>
  tfc.weight_decl @k_proj : tensor<8x8xf32>
  tfc.weight_decl @v_proj : tensor<8x8xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  func.func @parallel_shared_norm(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<layer_norm, eps = 1.0e-5, bias = true>, placement = #tfc.norm_placement<pre>,
        shared_norm,
        shape = #tfc.block_shape<parallel>, position_encoding = #tfc.nope,
        attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
        ffn = #tfc.ffn<relu, intermediate = 16>,
        weights = {attn_norm = @attn_norm, attn_norm_bias = @attn_norm_bias, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, o_proj = @o_proj, up_proj = @up_proj, down_proj = @down_proj}} : tensor<?x8xf32>, memref<?x16xf32>
    return %y : tensor<?x8xf32>
  }
}
