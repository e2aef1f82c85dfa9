// tfc-create-entry-points lays the layers' KV caches out one after another in
// the flat cache buffer: max_context rows for a full-attention layer,
// min(window, max_context) for one marked tfc.kv_window; the manifest lists
// each cache's row width and window (docs/ABI.md).
// RUN: tfc-opt %s --tfc-create-entry-points | FileCheck %s

// CHECK-LABEL: func.func @tfc_prefill
// CHECK-SAME: (%{{.*}}: memref<?xi8>, %[[KV:.*]]: memref<?xf32>, %{{.*}}: memref<?xi64>, %[[POS:.*]]: index, %[[MAXCTX:.*]]: index, %{{.*}}: memref<?x?xf32>)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[FULL:.*]] = memref.reinterpret_cast %[[KV]] to offset: [%[[C0]]], sizes: [%[[MAXCTX]], 16], strides: [16, 1]
// CHECK: %[[FULLSIZE:.*]] = arith.muli %[[MAXCTX]], %{{.*}} : index
// CHECK: %[[OFFSET:.*]] = arith.addi %[[C0]], %[[FULLSIZE]] : index
// CHECK: %[[C4:.*]] = arith.constant 4 : index
// CHECK: %[[ROWS:.*]] = arith.minui %[[MAXCTX]], %[[C4]] : index
// CHECK: %[[RING:.*]] = memref.reinterpret_cast %[[KV]] to offset: [%[[OFFSET]]], sizes: [%[[ROWS]], 16], strides: [16, 1]
// CHECK: tfc.kv_cache_append %{{.*}}, %{{.*}} into %[[FULL]] at %[[POS]]
// CHECK: tfc.kv_cache_append %{{.*}}, %{{.*}} into %[[RING]] at %[[POS]]
// The head of tfc_prefill_last reads the last row only.
// CHECK-LABEL: func.func @tfc_prefill_last
// CHECK: %[[H:.*]] = tfc.embedding
// CHECK: tfc.kv_cache_append
// CHECK: tfc.kv_cache_append
// CHECK: %[[ROWS:.*]] = tensor.dim %[[H]], %{{.*}} : tensor<?x8xf32>
// CHECK: %[[LAST:.*]] = arith.subi %[[ROWS]], %{{.*}} : index
// CHECK: %[[ROW:.*]] = tensor.extract_slice %[[H]][%[[LAST]], 0] [1, 8] [1, 1] : tensor<?x8xf32> to tensor<1x8xf32>
// CHECK: %[[CAST:.*]] = tensor.cast %[[ROW]] : tensor<1x8xf32> to tensor<?x8xf32>
// CHECK: tfc.lm_head %[[CAST]], %{{.*}} : tensor<?x8xf32>, tensor<16x8xf32> -> tensor<?x16xf32>
// CHECK-LABEL: func.func @tfc_decode
// CHECK-SAME: memref<1xi64>
// CHECK: llvm.mlir.global external constant @tfc_manifest("tfc-manifest 2\0Amodel test\0Avocab_size 16\0Ahidden_size 8\0Anum_layers 2\0Aarena_bytes 512\0Akv_caches 2\0Akv_cache 16 0\0Akv_cache 16 4\0Aweight embed f32 16x8 0\0Aend\0A\00")
// CHECK-NOT: func.func @forward

module attributes {tfc.model_type = "test", tfc.num_layers = 2 : i64} {
  tfc.weight_decl @embed : tensor<16x8xf32>
  func.func @forward(%tokens: tensor<?xi64>, %pos: index, %full: memref<?x16xf32>, %ring: memref<?x16xf32> {tfc.kv_window = 4 : i64}) -> tensor<?x16xf32> {
    %e = tfc.weight @embed : tensor<16x8xf32>
    %h = tfc.embedding %tokens, %e : tensor<?xi64>, tensor<16x8xf32> -> tensor<?x8xf32>
    %c0 = arith.constant 0 : index
    %n = tensor.dim %h, %c0 : tensor<?x8xf32>
    %k = tensor.expand_shape %h [[0], [1, 2]] output_shape [%n, 2, 4] : tensor<?x8xf32> into tensor<?x2x4xf32>
    tfc.kv_cache_append %k, %k into %full at %pos : tensor<?x2x4xf32>, tensor<?x2x4xf32>, memref<?x16xf32>
    tfc.kv_cache_append %k, %k into %ring at %pos : tensor<?x2x4xf32>, tensor<?x2x4xf32>, memref<?x16xf32>
    %logits = tfc.lm_head %h, %e : tensor<?x8xf32>, tensor<16x8xf32> -> tensor<?x16xf32>
    return %logits : tensor<?x16xf32>
  }
}
