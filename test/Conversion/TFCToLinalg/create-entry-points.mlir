// tfc-create-entry-points: every weight is a view of the runtime's weight
// region at the byte offset its table entry gives, in the dtype it is
// declared with; the layers' KV caches are views of one byte buffer, each
// starting at a multiple of 64 bytes: max_context rows for a full-attention
// layer, min(2 * window - 1, max_context) for one marked tfc.kv_window. What comes
// before the LM head is @tfc_hidden, called by the three entry points (so the
// layers' calls exist once); each entry has its own head. @tfc_decode_batch
// calls @tfc_hidden_batch, its copy for a batch of sequences. The manifest
// table (docs/ABI.md) is checked in manifest-table.mlir.
// RUN: tfc-opt %s --tfc-create-entry-points | FileCheck %s

// CHECK-LABEL: func.func private @tfc_hidden
// CHECK-SAME: (%[[W:.*]]: memref<?xi8>, %[[OFFS:.*]]: memref<?xi64>, %[[KV:.*]]: memref<?xi8>, %{{.*}}: tensor<?xi64>, %[[POS:.*]]: index, %[[MAXCTX:.*]]: index) -> tensor<?x8xf32>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// A row of 12 f16 is 24 bytes; the next cache starts at the next multiple of 64.
// CHECK: %[[C24:.*]] = arith.constant 24 : index
// CHECK: %[[BYTES:.*]] = arith.muli %[[MAXCTX]], %[[C24]] : index
// CHECK: %[[END:.*]] = arith.addi %[[C0]], %[[BYTES]] : index
// CHECK: %[[C63:.*]] = arith.constant 63 : index
// CHECK: %[[UP:.*]] = arith.addi %[[END]], %[[C63]] : index
// CHECK: %[[MASK:.*]] = arith.constant -64 : index
// CHECK: %[[START:.*]] = arith.andi %[[UP]], %[[MASK]] : index
// The ring of window 4: its window and the rows of a call of 4 tokens.
// CHECK: %[[C7:.*]] = arith.constant 7 : index
// CHECK: %[[ROWS:.*]] = arith.minui %[[MAXCTX]], %[[C7]] : index
// CHECK: %[[FULL:.*]] = memref.view %[[KV]][%[[C0]]][%[[MAXCTX]]] : memref<?xi8> to memref<?x12xf16>
// CHECK: %[[RING:.*]] = memref.view %[[KV]][%[[START]]][%[[ROWS]]] : memref<?xi8> to memref<?x12xf16>
// Weight 0 (bf16) and weight 1 (f32) at the offsets of table entries 0 and 1.
// CHECK: %[[I0:.*]] = arith.constant 0 : index
// CHECK: %[[O0:.*]] = memref.load %[[OFFS]][%[[I0]]] : memref<?xi64>
// CHECK: %[[B0:.*]] = arith.index_cast %[[O0]] : i64 to index
// CHECK: %[[EMBED:.*]] = memref.view %[[W]][%[[B0]]][] : memref<?xi8> to memref<16x8xbf16>
// CHECK: bufferization.to_tensor %[[EMBED]] restrict : memref<16x8xbf16> to tensor<16x8xbf16>
// CHECK: %[[I1:.*]] = arith.constant 1 : index
// CHECK: %[[O1:.*]] = memref.load %[[OFFS]][%[[I1]]] : memref<?xi64>
// CHECK: %[[B1:.*]] = arith.index_cast %[[O1]] : i64 to index
// CHECK: memref.view %[[W]][%[[B1]]][] : memref<?xi8> to memref<8xf32>
// CHECK: %[[H:.*]] = tfc.rms_norm
// CHECK: tfc.kv_cache_append %{{.*}}, %{{.*}} into %[[FULL]] at %[[POS]]
// CHECK: tfc.kv_cache_append %{{.*}}, %{{.*}} into %[[RING]] at %[[POS]]
// CHECK-NOT: tfc.lm_head
// CHECK: return %[[H]] : tensor<?x8xf32>

// @tfc_hidden_batch: one token of each of a batch of sequences. The row-wise
// ops see the batch as tokens; what reads a position or a cache runs per
// sequence (one scf.forall per cache), on its row, at its position, with its
// caches at its byte offset in the pool.
// CHECK-LABEL: func.func private @tfc_hidden_batch
// CHECK-SAME: (%{{.*}}: memref<?xi8>, %{{.*}}: memref<?xi64>, %[[POOL:.*]]: memref<?xi8>, %{{.*}}: tensor<?xi64>, %[[POSITIONS:.*]]: tensor<?xi64>, %[[KVOFFS:.*]]: tensor<?xi64>, %[[BMAXCTX:.*]]: index) -> tensor<?x8xf32>
// CHECK: %[[BC0:.*]] = arith.constant 0 : index
// CHECK: %[[BSTART:.*]] = arith.andi
// CHECK: %[[BROWS:.*]] = arith.minui %[[BMAXCTX]]
// CHECK: %[[K:.*]] = tensor.expand_shape
// CHECK: %[[COUNT:.*]] = tensor.dim %[[POSITIONS]]
// CHECK: scf.forall (%[[SEQ:.*]]) in (%[[COUNT]]) {
// CHECK:   %[[KROW:.*]] = tensor.extract_slice %[[K]][%[[SEQ]], 0, 0] [1, 2, 3] [1, 1, 1]
// CHECK:   %[[KCAST:.*]] = tensor.cast %[[KROW]] : tensor<1x2x3xf32> to tensor<?x2x3xf32>
// CHECK:   %[[AT:.*]] = tensor.extract %[[KVOFFS]][%[[SEQ]]]
// CHECK:   %[[ATI:.*]] = arith.index_cast %[[AT]]
// CHECK:   %[[OFF:.*]] = arith.addi %[[ATI]], %[[BC0]]
// CHECK:   %[[SFULL:.*]] = memref.view %[[POOL]][%[[OFF]]][%[[BMAXCTX]]] : memref<?xi8> to memref<?x12xf16>
// CHECK:   %[[P:.*]] = tensor.extract %[[POSITIONS]][%[[SEQ]]]
// CHECK:   %[[PI:.*]] = arith.index_cast %[[P]]
// CHECK:   tfc.kv_cache_append %[[KCAST]], %[[KCAST]] into %[[SFULL]] at %[[PI]]
// CHECK: scf.forall
// CHECK:   arith.addi %{{.*}}, %[[BSTART]]
// CHECK:   memref.view %[[POOL]][%{{.*}}][%[[BROWS]]]
// CHECK:   tfc.kv_cache_append
// CHECK-NOT: tfc.lm_head
// CHECK: return

// CHECK-LABEL: func.func @tfc_prefill
// CHECK-SAME: (%[[W:.*]]: memref<?xi8>, %[[OFFS:.*]]: memref<?xi64>, %[[KV:.*]]: memref<?xi8>, %[[TOK:.*]]: memref<?xi64>, %[[POS:.*]]: index, %[[MAXCTX:.*]]: index, %[[OUT:.*]]: memref<?x?xf32>)
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[TOK]] restrict
// CHECK: %[[S:.*]] = call @tfc_hidden(%[[W]], %[[OFFS]], %[[KV]], %[[T]], %[[POS]], %[[MAXCTX]])
// The head's (tied) weight is viewed again in the entry.
// CHECK: memref.view %[[W]][%{{.*}}][] : memref<?xi8> to memref<16x8xbf16>
// CHECK: %[[L:.*]] = tfc.lm_head %[[S]], %{{.*}} : tensor<?x8xf32>, tensor<16x8xbf16> -> tensor<?x16xf32>
// CHECK: bufferization.materialize_in_destination %[[L]] in restrict writable
// The head of tfc_prefill_last reads the last row only.
// CHECK-LABEL: func.func @tfc_prefill_last
// CHECK: %[[S:.*]] = call @tfc_hidden
// CHECK: %[[NROWS:.*]] = tensor.dim %[[S]], %{{.*}} : tensor<?x8xf32>
// CHECK: %[[LAST:.*]] = arith.subi %[[NROWS]], %{{.*}} : index
// CHECK: %[[ROW:.*]] = tensor.extract_slice %[[S]][%[[LAST]], 0] [1, 8] [1, 1] : tensor<?x8xf32> to tensor<1x8xf32>
// CHECK: %[[CAST:.*]] = tensor.cast %[[ROW]] : tensor<1x8xf32> to tensor<?x8xf32>
// CHECK: tfc.lm_head %[[CAST]], %{{.*}} : tensor<?x8xf32>, tensor<16x8xbf16> -> tensor<?x16xf32>
// CHECK-LABEL: func.func @tfc_decode
// CHECK-SAME: memref<1xi64>
// CHECK: %[[T1:.*]] = bufferization.to_tensor %{{.*}} restrict : memref<1xi64> to tensor<1xi64>
// CHECK: %[[TD:.*]] = tensor.cast %[[T1]] : tensor<1xi64> to tensor<?xi64>
// CHECK: call @tfc_hidden(%{{.*}}, %{{.*}}, %{{.*}}, %[[TD]],
// CHECK-LABEL: func.func @tfc_decode_batch
// CHECK-SAME: (%[[W:.*]]: memref<?xi8>, %[[OFFS:.*]]: memref<?xi64>, %[[KV:.*]]: memref<?xi8>, %[[TOK:.*]]: memref<?xi64>, %[[POSS:.*]]: memref<?xi64>, %[[KVO:.*]]: memref<?xi64>, %[[MAXCTX:.*]]: index, %{{.*}}: memref<?x?xf32>)
// CHECK: %[[TT:.*]] = bufferization.to_tensor %[[TOK]] restrict
// CHECK: %[[PT:.*]] = bufferization.to_tensor %[[POSS]] restrict
// CHECK: %[[OT:.*]] = bufferization.to_tensor %[[KVO]] restrict
// CHECK: call @tfc_hidden_batch(%[[W]], %[[OFFS]], %[[KV]], %[[TT]], %[[PT]], %[[OT]], %[[MAXCTX]])
// CHECK: tfc.lm_head
// The manifest table (its fields: manifest-table.mlir).
// CHECK: llvm.mlir.global external constant @tfc_manifest() {{.*}} : !llvm.struct<"tfc_manifest_v4",
// CHECK-NOT: func.func @forward

module attributes {tfc.model_type = "test", tfc.num_layers = 2 : i64, tfc.trained_context = 32 : i64, tfc.position_limit = 32 : i64, tfc.base_model_prefix = "transformer.", tfc.optional_weights = ["lm_head.weight"]} {
  tfc.weight_decl @embed : tensor<16x8xbf16>
  tfc.weight_decl @norm : tensor<8xf32>
  func.func @forward(%tokens: tensor<?xi64>, %pos: index, %full: memref<?x12xf16>, %ring: memref<?x12xf16> {tfc.kv_window = 4 : i64}) -> tensor<?x16xf32> {
    %e = tfc.weight @embed : tensor<16x8xbf16>
    %w = tfc.weight @norm : tensor<8xf32>
    %h0 = tfc.embedding %tokens, %e : tensor<?xi64>, tensor<16x8xbf16> -> tensor<?x8xf32>
    %h = tfc.rms_norm %h0, %w {eps = 1.0e-5 : f64} : tensor<?x8xf32>, tensor<8xf32>
    %c0 = arith.constant 0 : index
    %n = tensor.dim %h, %c0 : tensor<?x8xf32>
    %k = tensor.extract_slice %h[0, 0] [%n, 6] [1, 1] : tensor<?x8xf32> to tensor<?x6xf32>
    %k3 = tensor.expand_shape %k [[0], [1, 2]] output_shape [%n, 2, 3] : tensor<?x6xf32> into tensor<?x2x3xf32>
    tfc.kv_cache_append %k3, %k3 into %full at %pos : tensor<?x2x3xf32>, tensor<?x2x3xf32>, memref<?x12xf16>
    tfc.kv_cache_append %k3, %k3 into %ring at %pos : tensor<?x2x3xf32>, tensor<?x2x3xf32>, memref<?x12xf16>
    %logits = tfc.lm_head %h, %e : tensor<?x8xf32>, tensor<16x8xbf16> -> tensor<?x16xf32>
    return %logits : tensor<?x16xf32>
  }
}
