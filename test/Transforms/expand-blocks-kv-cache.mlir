// tfc-expand-blocks: how a layer uses its KV cache. A full-attention layer
// appends, then attends over positions [0, pos + n); a sliding-window layer
// appends too, then reads from its first token's window on (the first
// position it passes as keys_from); its cache argument is marked as one that
// may be a ring of 2 * window - 1 rows.
// RUN: tfc-opt %s --tfc-expand-blocks=outline-layers=false | FileCheck %s

// CHECK-LABEL: func.func @forward
// CHECK-SAME: %[[POS:[a-z0-9]+]]: index, %[[FULL:[a-z0-9]+]]: memref<?x64xf32>, %[[RING:[a-z0-9]+]]: memref<?x64xf32> {tfc.kv_window = 8 : i64}
// CHECK-DAG: %[[C7:.*]] = arith.constant 7 : index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index

// Layer 0.
// CHECK: tfc.kv_cache_append %[[K0:.*]], %[[V0:.*]] into %[[FULL]] at %[[POS]] : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x64xf32>
// CHECK: %[[END:.*]] = arith.addi %[[POS]], %{{.*}} : index
// CHECK-NEXT: %[[KEY:.*]], %[[VALUE:.*]] = tfc.kv_cache_read %[[FULL]][%[[C0]], %[[END]]]
// CHECK-NEXT: tfc.attention %{{.*}}, %[[KEY]], %[[VALUE]] at %[[POS]] {scale = 2.500000e-01 : f64} :

// Layer 1: the same order, reading only the window of the step's first
// token on.
// CHECK: tfc.kv_cache_append %[[K1:.*]], %[[V1:.*]] into %[[RING]] at %[[POS]] : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x64xf32>
// CHECK-NEXT: %[[BACK:.*]] = arith.subi %[[POS]], %[[C7]] : index
// CHECK-NEXT: %[[FIRST:.*]] = arith.maxsi %[[C0]], %[[BACK]] : index
// CHECK: %[[END1:.*]] = arith.addi %[[POS]], %{{.*}} : index
// CHECK-NEXT: %[[KEYS:.*]], %[[VALUES:.*]] = tfc.kv_cache_read %[[RING]][%[[FIRST]], %[[END1]]]
// CHECK-NEXT: tfc.attention %{{.*}}, %[[KEYS]], %[[VALUES]] at %[[POS]] keys_from %[[FIRST]] {scale = 2.500000e-01 : f64, window = 8 : i64}
// CHECK-NOT: tfc.decoder_block

module {
  tfc.weight_decl @n1 : tensor<64xf32>
  tfc.weight_decl @n2 : tensor<64xf32>
  tfc.weight_decl @q : tensor<64x64xf32>
  tfc.weight_decl @k : tensor<32x64xf32>
  tfc.weight_decl @v : tensor<32x64xf32>
  tfc.weight_decl @o : tensor<64x64xf32>
  tfc.weight_decl @up : tensor<128x64xf32>
  tfc.weight_decl @down : tensor<64x128xf32>
  func.func @forward(%x: tensor<?x64xf32>, %pos: index, %full: memref<?x64xf32>, %ring: memref<?x64xf32>) -> tensor<?x64xf32> {
    %0 = tfc.decoder_block %x at %pos cache %full {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16>,
        ffn = #tfc.ffn<relu, intermediate = 128>,
        weights = {attn_norm = @n1, ffn_norm = @n2, q_proj = @q, k_proj = @k, v_proj = @v, o_proj = @o, up_proj = @up, down_proj = @down}} : tensor<?x64xf32>, memref<?x64xf32>
    %1 = tfc.decoder_block %0 at %pos cache %ring {layer = 1 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16, window = 8>,
        ffn = #tfc.ffn<relu, intermediate = 128>,
        weights = {attn_norm = @n1, ffn_norm = @n2, q_proj = @q, k_proj = @k, v_proj = @v, o_proj = @o, up_proj = @up, down_proj = @down}} : tensor<?x64xf32>, memref<?x64xf32>
    return %1 : tensor<?x64xf32>
  }
}
