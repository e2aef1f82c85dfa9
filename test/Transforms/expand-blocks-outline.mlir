// tfc-expand-blocks outlines one function per layer kind: layers 0 and 2 have
// the same attributes and weight types and share @layer_kind_0; layer 1 (a
// sliding window) and layer 3 (a bf16 q_proj) are kinds of their own. Each
// block becomes a call that passes the layer's weights in role order and its
// own cache; the function reads its weights from its arguments.
// RUN: tfc-opt %s --tfc-expand-blocks | FileCheck %s

// CHECK-LABEL: func.func private @layer_kind_0(
// CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<?x64xf32> {tfc.name = "x"}, %[[POS:[a-z0-9]+]]: index {tfc.name = "position"}, %[[CACHE:[a-z0-9]+]]: memref<?x64xf32> {tfc.name = "kv_cache"},
// CHECK-SAME: %[[N1:[a-z0-9]+]]: tensor<64xf32> {tfc.name = "attn_norm"}, %[[DOWN:[a-z0-9]+]]: tensor<64x128xf32> {tfc.name = "down_proj"}, %{{.*}}: tensor<64xf32> {tfc.name = "ffn_norm"},
// CHECK-SAME: %{{.*}}: tensor<32x64xf32> {tfc.name = "k_proj"}, %{{.*}}: tensor<64x64xf32> {tfc.name = "o_proj"}, %[[Q:[a-z0-9]+]]: tensor<64x64xf32> {tfc.name = "q_proj"},
// CHECK-SAME: %{{.*}}: tensor<128x64xf32> {tfc.name = "up_proj"}, %{{.*}}: tensor<32x64xf32> {tfc.name = "v_proj"}) -> tensor<?x64xf32>
// CHECK-SAME: tfc.layers = array<i64: 0, 2>
// CHECK-NOT: tfc.weight
// CHECK: %[[NORMED:.*]] = tfc.rms_norm %[[X]], %[[N1]]
// CHECK: tfc.linear %[[NORMED]], %[[Q]]
// CHECK: tfc.kv_cache_append %{{.*}}, %{{.*}} into %[[CACHE]] at %[[POS]]
// CHECK: return
// CHECK-LABEL: func.func private @layer_kind_1(
// CHECK-SAME: tfc.layers = array<i64: 1>
// CHECK: tfc.attention {{.*}} window = 8
// CHECK-LABEL: func.func private @layer_kind_2(
// CHECK-SAME: tensor<64x64xbf16> {tfc.name = "q_proj"}
// CHECK-SAME: tfc.layers = array<i64: 3>
// CHECK: tfc.linear %{{.*}}, %{{.*}} : tensor<?x64xf32>, tensor<64x64xbf16> -> tensor<?x64xf32>

// CHECK-LABEL: func.func @forward(
// CHECK-SAME: %[[FX:[a-z0-9]+]]: tensor<?x64xf32>, %[[FPOS:[a-z0-9]+]]: index, %[[C0:[a-z0-9]+]]: memref<?x64xf32>, %[[C1:[a-z0-9]+]]: memref<?x64xf32> {tfc.kv_window = 8 : i64}, %[[C2:[a-z0-9]+]]: memref<?x64xf32>, %[[C3:[a-z0-9]+]]: memref<?x64xf32>)
// CHECK: %[[W0:.*]] = tfc.weight @l0.n1 : tensor<64xf32>
// CHECK-NEXT: %[[W1:.*]] = tfc.weight @l0.down : tensor<64x128xf32>
// CHECK: %[[Y0:.*]] = call @layer_kind_0(%[[FX]], %[[FPOS]], %[[C0]], %[[W0]], %[[W1]], %{{.*}}) : (tensor<?x64xf32>, index, memref<?x64xf32>, tensor<64xf32>, tensor<64x128xf32>,
// CHECK: %[[Y1:.*]] = call @layer_kind_1(%[[Y0]], %[[FPOS]], %[[C1]],
// CHECK: %[[W2:.*]] = tfc.weight @l2.n1 : tensor<64xf32>
// CHECK: %[[Y2:.*]] = call @layer_kind_0(%[[Y1]], %[[FPOS]], %[[C2]], %[[W2]],
// CHECK: tfc.weight @l3.q : tensor<64x64xbf16>
// CHECK: %[[Y3:.*]] = call @layer_kind_2(%[[Y2]], %[[FPOS]], %[[C3]],
// CHECK: return %[[Y3]]
// CHECK-NOT: tfc.decoder_block

module {
  tfc.weight_decl @l0.n1 : tensor<64xf32>
  tfc.weight_decl @l0.n2 : tensor<64xf32>
  tfc.weight_decl @l0.q : tensor<64x64xf32>
  tfc.weight_decl @l0.k : tensor<32x64xf32>
  tfc.weight_decl @l0.v : tensor<32x64xf32>
  tfc.weight_decl @l0.o : tensor<64x64xf32>
  tfc.weight_decl @l0.up : tensor<128x64xf32>
  tfc.weight_decl @l0.down : tensor<64x128xf32>
  tfc.weight_decl @l1.n1 : tensor<64xf32>
  tfc.weight_decl @l1.n2 : tensor<64xf32>
  tfc.weight_decl @l1.q : tensor<64x64xf32>
  tfc.weight_decl @l1.k : tensor<32x64xf32>
  tfc.weight_decl @l1.v : tensor<32x64xf32>
  tfc.weight_decl @l1.o : tensor<64x64xf32>
  tfc.weight_decl @l1.up : tensor<128x64xf32>
  tfc.weight_decl @l1.down : tensor<64x128xf32>
  tfc.weight_decl @l2.n1 : tensor<64xf32>
  tfc.weight_decl @l2.n2 : tensor<64xf32>
  tfc.weight_decl @l2.q : tensor<64x64xf32>
  tfc.weight_decl @l2.k : tensor<32x64xf32>
  tfc.weight_decl @l2.v : tensor<32x64xf32>
  tfc.weight_decl @l2.o : tensor<64x64xf32>
  tfc.weight_decl @l2.up : tensor<128x64xf32>
  tfc.weight_decl @l2.down : tensor<64x128xf32>
  tfc.weight_decl @l3.n1 : tensor<64xf32>
  tfc.weight_decl @l3.n2 : tensor<64xf32>
  tfc.weight_decl @l3.q : tensor<64x64xbf16>
  tfc.weight_decl @l3.k : tensor<32x64xf32>
  tfc.weight_decl @l3.v : tensor<32x64xf32>
  tfc.weight_decl @l3.o : tensor<64x64xf32>
  tfc.weight_decl @l3.up : tensor<128x64xf32>
  tfc.weight_decl @l3.down : tensor<64x128xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %c0: memref<?x64xf32>, %c1: memref<?x64xf32>, %c2: memref<?x64xf32>, %c3: memref<?x64xf32>) -> tensor<?x64xf32> {
    %0 = tfc.decoder_block %x at %pos cache %c0 {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16>,
        ffn = #tfc.ffn<relu, intermediate = 128>,
        weights = {attn_norm = @l0.n1, ffn_norm = @l0.n2, q_proj = @l0.q, k_proj = @l0.k, v_proj = @l0.v, o_proj = @l0.o, up_proj = @l0.up, down_proj = @l0.down}} : tensor<?x64xf32>, memref<?x64xf32>
    %1 = tfc.decoder_block %0 at %pos cache %c1 {layer = 1 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, window = 8>,
        ffn = #tfc.ffn<relu, intermediate = 128>,
        weights = {attn_norm = @l1.n1, ffn_norm = @l1.n2, q_proj = @l1.q, k_proj = @l1.k, v_proj = @l1.v, o_proj = @l1.o, up_proj = @l1.up, down_proj = @l1.down}} : tensor<?x64xf32>, memref<?x64xf32>
    %2 = tfc.decoder_block %1 at %pos cache %c2 {layer = 2 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16>,
        ffn = #tfc.ffn<relu, intermediate = 128>,
        weights = {attn_norm = @l2.n1, ffn_norm = @l2.n2, q_proj = @l2.q, k_proj = @l2.k, v_proj = @l2.v, o_proj = @l2.o, up_proj = @l2.up, down_proj = @l2.down}} : tensor<?x64xf32>, memref<?x64xf32>
    %3 = tfc.decoder_block %2 at %pos cache %c3 {layer = 3 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16>,
        ffn = #tfc.ffn<relu, intermediate = 128>,
        weights = {attn_norm = @l3.n1, ffn_norm = @l3.n2, q_proj = @l3.q, k_proj = @l3.k, v_proj = @l3.v, o_proj = @l3.o, up_proj = @l3.up, down_proj = @l3.down}} : tensor<?x64xf32>, memref<?x64xf32>
    return %3 : tensor<?x64xf32>
  }
}
