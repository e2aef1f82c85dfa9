// tfc-expand-blocks on the feed-forward variants: a dense gated MLP with
// biases, and mixtures of experts with and without a shared expert. Each case
// is a pre-norm block with a minimal MHA; the checks start at the MLP's norm.
// RUN: tfc-opt %s -split-input-file --tfc-expand-blocks=outline-layers=false | FileCheck %s

// A dense GeGLU MLP with biases: each projection reads the bias role of its
// weight role (gate_proj: gate_bias, ...); the GLU gates with gate, multiplies
// up.
// CHECK-LABEL: func.func @dense_gated_bias
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<?x8xf32>
// CHECK: %[[H:.*]] = tfc.residual_add %[[X]], %{{.*}} :
// CHECK-NEXT: %[[WN:.*]] = tfc.weight @ffn_norm
// CHECK-NEXT: %[[N:.*]] = tfc.rms_norm %[[H]], %[[WN]]
// CHECK-NEXT: %[[WU:.*]] = tfc.weight @up_proj : tensor<16x8xf32>
// CHECK-NEXT: %[[BU:.*]] = tfc.weight @up_bias : tensor<16xf32>
// CHECK-NEXT: %[[U:.*]] = tfc.linear %[[N]], %[[WU]], %[[BU]]
// CHECK-NEXT: %[[WG:.*]] = tfc.weight @gate_proj : tensor<16x8xf32>
// CHECK-NEXT: %[[BG:.*]] = tfc.weight @gate_bias : tensor<16xf32>
// CHECK-NEXT: %[[G:.*]] = tfc.linear %[[N]], %[[WG]], %[[BG]]
// CHECK-NEXT: %[[A:.*]] = tfc.glu gelu %[[G]], %[[U]]
// CHECK-NEXT: %[[WD:.*]] = tfc.weight @down_proj : tensor<8x16xf32>
// CHECK-NEXT: %[[BD:.*]] = tfc.weight @down_bias : tensor<8xf32>
// CHECK-NEXT: %[[M:.*]] = tfc.linear %[[A]], %[[WD]], %[[BD]]
// CHECK-NEXT: %[[Y:.*]] = tfc.residual_add %[[H]], %[[M]] :
// CHECK-NEXT: return %[[Y]]
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @q_proj : tensor<8x8xf32>
  tfc.weight_decl @k_proj : tensor<8x8xf32>
  tfc.weight_decl @v_proj : tensor<8x8xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  tfc.weight_decl @gate_proj : tensor<16x8xf32>
  tfc.weight_decl @up_proj : tensor<16x8xf32>
  tfc.weight_decl @down_proj : tensor<8x16xf32>
  tfc.weight_decl @gate_bias : tensor<16xf32>
  tfc.weight_decl @up_bias : tensor<16xf32>
  tfc.weight_decl @down_bias : tensor<8xf32>
  func.func @dense_gated_bias(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
        ffn = #tfc.ffn<gelu, gated = true, intermediate = 16, bias = true>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, o_proj = @o_proj, gate_proj = @gate_proj, up_proj = @up_proj, down_proj = @down_proj, gate_bias = @gate_bias, up_bias = @up_bias, down_bias = @down_bias}} : tensor<?x8xf32>, memref<?x16xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// A MoE without shared experts (mixtral): one tfc.moe over the normed input
// with the router and each expert's weights (roles expert.<e>.<proj>) in
// expert order; no dense MLP.
// CHECK-LABEL: func.func @moe
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<?x8xf32>
// CHECK: %[[H:.*]] = tfc.residual_add %[[X]], %{{.*}} :
// CHECK-NEXT: %[[WN:.*]] = tfc.weight @ffn_norm
// CHECK-NEXT: %[[N:.*]] = tfc.rms_norm %[[H]], %[[WN]]
// CHECK-NEXT: %[[G0:.*]] = tfc.weight @expert_0_gate_proj
// CHECK-NEXT: %[[U0:.*]] = tfc.weight @expert_0_up_proj
// CHECK-NEXT: %[[D0:.*]] = tfc.weight @expert_0_down_proj
// CHECK-NEXT: %[[G1:.*]] = tfc.weight @expert_1_gate_proj
// CHECK-NEXT: %[[U1:.*]] = tfc.weight @expert_1_up_proj
// CHECK-NEXT: %[[D1:.*]] = tfc.weight @expert_1_down_proj
// CHECK-NEXT: %[[R:.*]] = tfc.weight @router
// CHECK-NEXT: %[[M:.*]] = tfc.moe %[[N]], %[[R]] gate(%[[G0]], %[[G1]]) up(%[[U0]], %[[U1]]) down(%[[D0]], %[[D1]]) {activation = #tfc.activation<silu>, renormalize, top_k = 1 : i64}
// CHECK-NEXT: %[[Y:.*]] = tfc.residual_add %[[H]], %[[M]] :
// CHECK-NEXT: return %[[Y]]
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @q_proj : tensor<8x8xf32>
  tfc.weight_decl @k_proj : tensor<8x8xf32>
  tfc.weight_decl @v_proj : tensor<8x8xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  tfc.weight_decl @router : tensor<2x8xf32>
  tfc.weight_decl @expert_0_gate_proj : tensor<4x8xf32>
  tfc.weight_decl @expert_0_up_proj : tensor<4x8xf32>
  tfc.weight_decl @expert_0_down_proj : tensor<8x4xf32>
  tfc.weight_decl @expert_1_gate_proj : tensor<4x8xf32>
  tfc.weight_decl @expert_1_up_proj : tensor<4x8xf32>
  tfc.weight_decl @expert_1_down_proj : tensor<8x4xf32>
  func.func @moe(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
        ffn = #tfc.ffn<silu, gated = true, intermediate = 16>,
        moe = #tfc.moe<experts = 2, top_k = 1, intermediate = 4, renormalize = true>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, o_proj = @o_proj, router = @router, "expert.0.gate_proj" = @expert_0_gate_proj, "expert.0.up_proj" = @expert_0_up_proj, "expert.0.down_proj" = @expert_0_down_proj, "expert.1.gate_proj" = @expert_1_gate_proj, "expert.1.up_proj" = @expert_1_up_proj, "expert.1.down_proj" = @expert_1_down_proj}} : tensor<?x8xf32>, memref<?x16xf32>
    return %y : tensor<?x8xf32>
  }
}

// -----

// A MoE with a shared expert (DeepSeek-V2): the routed experts (scaled by
// routed_scale) plus a dense MLP of the shared.<proj> roles on the same normed
// input, then the residual add.
// CHECK-LABEL: func.func @moe_shared
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<?x8xf32>
// CHECK: %[[H:.*]] = tfc.residual_add %[[X]], %{{.*}} :
// CHECK-NEXT: %[[WN:.*]] = tfc.weight @ffn_norm
// CHECK-NEXT: %[[N:.*]] = tfc.rms_norm %[[H]], %[[WN]]
// CHECK: %[[R:.*]] = tfc.weight @router
// CHECK-NEXT: %[[ROUTED:.*]] = tfc.moe %[[N]], %[[R]] {{.*}}routed_scale = 2.500000e+00 : f64, top_k = 1 : i64}
// CHECK-NEXT: %[[WU:.*]] = tfc.weight @shared_up_proj : tensor<6x8xf32>
// CHECK-NEXT: %[[U:.*]] = tfc.linear %[[N]], %[[WU]] :
// CHECK-NEXT: %[[WG:.*]] = tfc.weight @shared_gate_proj : tensor<6x8xf32>
// CHECK-NEXT: %[[G:.*]] = tfc.linear %[[N]], %[[WG]] :
// CHECK-NEXT: %[[A:.*]] = tfc.glu silu %[[G]], %[[U]]
// CHECK-NEXT: %[[WD:.*]] = tfc.weight @shared_down_proj : tensor<8x6xf32>
// CHECK-NEXT: %[[S:.*]] = tfc.linear %[[A]], %[[WD]] :
// CHECK-NEXT: %[[M:.*]] = tfc.residual_add %[[ROUTED]], %[[S]] :
// CHECK-NEXT: %[[Y:.*]] = tfc.residual_add %[[H]], %[[M]] :
// CHECK-NEXT: return %[[Y]]
module {
  tfc.weight_decl @attn_norm : tensor<8xf32>
  tfc.weight_decl @ffn_norm : tensor<8xf32>
  tfc.weight_decl @q_proj : tensor<8x8xf32>
  tfc.weight_decl @k_proj : tensor<8x8xf32>
  tfc.weight_decl @v_proj : tensor<8x8xf32>
  tfc.weight_decl @o_proj : tensor<8x8xf32>
  tfc.weight_decl @router : tensor<2x8xf32>
  tfc.weight_decl @expert_0_gate_proj : tensor<4x8xf32>
  tfc.weight_decl @expert_0_up_proj : tensor<4x8xf32>
  tfc.weight_decl @expert_0_down_proj : tensor<8x4xf32>
  tfc.weight_decl @expert_1_gate_proj : tensor<4x8xf32>
  tfc.weight_decl @expert_1_up_proj : tensor<4x8xf32>
  tfc.weight_decl @expert_1_down_proj : tensor<8x4xf32>
  tfc.weight_decl @shared_gate_proj : tensor<6x8xf32>
  tfc.weight_decl @shared_up_proj : tensor<6x8xf32>
  tfc.weight_decl @shared_down_proj : tensor<8x6xf32>
  func.func @moe_shared(%x: tensor<?x8xf32>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x8xf32> {
    %y = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<mha, heads = 2, kv_heads = 2, head_dim = 4>,
        ffn = #tfc.ffn<silu, gated = true, intermediate = 16>,
        moe = #tfc.moe<experts = 2, top_k = 1, intermediate = 4, shared = 1, shared_intermediate = 6, routed_scale = 2.5>,
        weights = {attn_norm = @attn_norm, ffn_norm = @ffn_norm, q_proj = @q_proj, k_proj = @k_proj, v_proj = @v_proj, o_proj = @o_proj, router = @router, "expert.0.gate_proj" = @expert_0_gate_proj, "expert.0.up_proj" = @expert_0_up_proj, "expert.0.down_proj" = @expert_0_down_proj, "expert.1.gate_proj" = @expert_1_gate_proj, "expert.1.up_proj" = @expert_1_up_proj, "expert.1.down_proj" = @expert_1_down_proj, "shared.gate_proj" = @shared_gate_proj, "shared.up_proj" = @shared_up_proj, "shared.down_proj" = @shared_down_proj}} : tensor<?x8xf32>, memref<?x16xf32>
    return %y : tensor<?x8xf32>
  }
}
