// tfc-create-entry-points' batched decode: a layer function passed the
// position and a cache gets a copy, @<name>_batch, that takes the positions,
// the cache's (start, rows) and the pool and offsets of the batch. Its
// row-wise ops stay on all rows; the cache append, the read and attention
// (joined by the read's keys and the end position) are one scf.forall over
// the sequences, reading row b of the projections and writing row b of the
// attention output, the only value that leaves it.
// RUN: tfc-opt %s --tfc-create-entry-points | FileCheck %s

// CHECK-LABEL: func.func private @layer_batch(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x16xf32> {tfc.name = "x"}, %[[POSITIONS:[^:]*]]: tensor<?xi64> {tfc.name = "positions"}, %[[START:[^:]*]]: index {tfc.name = "kv_start"}, %[[ROWS:[^:]*]]: index {tfc.name = "kv_rows"}, %[[WQ:[^:]*]]: tensor<16x16xf32>, %[[WK:[^:]*]]: tensor<8x16xf32>, %[[POOL:[^:]*]]: memref<?xi8> {tfc.name = "kv_pool"}, %[[OFFSETS:[^:]*]]: tensor<?xi64> {tfc.name = "kv_offsets"}) -> tensor<?x16xf32>
// CHECK: %[[Q:.*]] = tfc.linear %[[X]], %[[WQ]]
// CHECK: %[[K:.*]] = tfc.linear %[[X]], %[[WK]]
// CHECK: %[[Q3:.*]] = tensor.expand_shape %[[Q]]
// CHECK: %[[K3:.*]] = tensor.expand_shape %[[K]]
// CHECK: %[[COUNT:.*]] = tensor.dim %[[POSITIONS]]
// CHECK: %[[INIT:.*]] = tensor.empty(%[[COUNT]]) : tensor<?x2x8xf32>
// CHECK: %[[ATT:.*]] = scf.forall (%[[SEQ:.*]]) in (%[[COUNT]]) shared_outs(%[[OUT:.*]] = %[[INIT]]) -> (tensor<?x2x8xf32>) {
// CHECK:   %[[KROW:.*]] = tensor.extract_slice %[[K3]][%[[SEQ]], 0, 0] [1, 1, 8] [1, 1, 1]
// CHECK:   %[[KSEQ:.*]] = tensor.cast %[[KROW]] : tensor<1x1x8xf32> to tensor<?x1x8xf32>
// CHECK:   %[[AT:.*]] = tensor.extract %[[OFFSETS]][%[[SEQ]]]
// CHECK:   %[[ATI:.*]] = arith.index_cast %[[AT]] : i64 to index
// CHECK:   %[[BYTE:.*]] = arith.addi %[[ATI]], %[[START]]
// CHECK:   %[[CACHE:.*]] = memref.view %[[POOL]][%[[BYTE]]][%[[ROWS]]] : memref<?xi8> to memref<?x16xf32>
// CHECK:   %[[P:.*]] = tensor.extract %[[POSITIONS]][%[[SEQ]]]
// CHECK:   %[[PI:.*]] = arith.index_cast %[[P]] : i64 to index
// CHECK:   tfc.kv_cache_append %[[KSEQ]], %[[KSEQ]] into %[[CACHE]] at %[[PI]]
// The token count of the sequence's row (1), recomputed from it.
// CHECK:   %[[XROW:.*]] = tensor.extract_slice %[[X]][%[[SEQ]], 0] [1, 16] [1, 1]
// CHECK:   %[[XSEQ:.*]] = tensor.cast %[[XROW]]
// CHECK:   %[[N:.*]] = tensor.dim %[[XSEQ]]
// CHECK:   %[[END:.*]] = arith.addi %[[PI]], %[[N]] : index
// CHECK:   %[[KEY:.*]], %[[VALUE:.*]] = tfc.kv_cache_read %[[CACHE]][%{{.*}}, %[[END]]]
// CHECK:   %[[QROW:.*]] = tensor.extract_slice %[[Q3]][%[[SEQ]], 0, 0] [1, 2, 8] [1, 1, 1]
// CHECK:   %[[QSEQ:.*]] = tensor.cast %[[QROW]]
// CHECK:   %[[A:.*]] = tfc.attention %[[QSEQ]], %[[KEY]], %[[VALUE]] at %[[PI]]
// CHECK:   %[[AROW:.*]] = tensor.cast %[[A]] : tensor<?x2x8xf32> to tensor<1x2x8xf32>
// CHECK:   scf.forall.in_parallel {
// CHECK:     tensor.parallel_insert_slice %[[AROW]] into %[[OUT]][%[[SEQ]], 0, 0] [1, 2, 8] [1, 1, 1]
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[ATT]]
// CHECK: %[[Y:.*]] = tfc.residual_add %[[X]], %[[FLAT]]
// CHECK: return %[[Y]]

// @tfc_hidden_batch passes the batch to it, with the cache's place.
// CHECK-LABEL: func.func private @tfc_hidden_batch
// CHECK-SAME: (%{{.*}}: memref<?xi8>, %{{.*}}: memref<?xi64>, %[[HPOOL:.*]]: memref<?xi8>, %{{.*}}: tensor<?xi64>, %[[HPOS:.*]]: tensor<?xi64>, %[[HOFFS:.*]]: tensor<?xi64>, %[[HMAX:.*]]: index)
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: call @layer_batch(%{{.*}}, %[[HPOS]], %[[C0]], %[[HMAX]], %{{.*}}, %{{.*}}, %[[HPOOL]], %[[HOFFS]])
// CHECK-LABEL: func.func @tfc_decode_batch
// CHECK: call @tfc_hidden_batch

module attributes {tfc.model_type = "test", tfc.num_layers = 1 : i64} {
  tfc.weight_decl @embed : tensor<32x16xf32>
  tfc.weight_decl @q : tensor<16x16xf32>
  tfc.weight_decl @k : tensor<8x16xf32>
  func.func private @layer(%x: tensor<?x16xf32> {tfc.name = "x"}, %pos: index {tfc.name = "position"}, %cache: memref<?x16xf32> {tfc.name = "kv_cache"}, %wq: tensor<16x16xf32>, %wk: tensor<8x16xf32>) -> tensor<?x16xf32> {
    %c0 = arith.constant 0 : index
    %q = tfc.linear %x, %wq : tensor<?x16xf32>, tensor<16x16xf32> -> tensor<?x16xf32>
    %k = tfc.linear %x, %wk : tensor<?x16xf32>, tensor<8x16xf32> -> tensor<?x8xf32>
    %n = tensor.dim %x, %c0 : tensor<?x16xf32>
    %q3 = tensor.expand_shape %q [[0], [1, 2]] output_shape [%n, 2, 8] : tensor<?x16xf32> into tensor<?x2x8xf32>
    %k3 = tensor.expand_shape %k [[0], [1, 2]] output_shape [%n, 1, 8] : tensor<?x8xf32> into tensor<?x1x8xf32>
    tfc.kv_cache_append %k3, %k3 into %cache at %pos {rope = #tfc.rope<theta = 1.000000e+04>} : tensor<?x1x8xf32>, tensor<?x1x8xf32>, memref<?x16xf32>
    %end = arith.addi %pos, %n : index
    %key, %value = tfc.kv_cache_read %cache[%c0, %end] : memref<?x16xf32> -> tensor<?x1x8xf32>, tensor<?x1x8xf32>
    %a = tfc.attention %q3, %key, %value at %pos {rope = #tfc.rope<theta = 1.000000e+04>, scale = 0.35355339059327373 : f64} : tensor<?x2x8xf32>, tensor<?x1x8xf32>, tensor<?x1x8xf32> -> tensor<?x2x8xf32>
    %flat = tensor.collapse_shape %a [[0], [1, 2]] : tensor<?x2x8xf32> into tensor<?x16xf32>
    %y = tfc.residual_add %x, %flat : tensor<?x16xf32>
    return %y : tensor<?x16xf32>
  }
  func.func @forward(%tokens: tensor<?xi64>, %pos: index, %cache: memref<?x16xf32>) -> tensor<?x32xf32> {
    %e = tfc.weight @embed : tensor<32x16xf32>
    %wq = tfc.weight @q : tensor<16x16xf32>
    %wk = tfc.weight @k : tensor<8x16xf32>
    %h = tfc.embedding %tokens, %e : tensor<?xi64>, tensor<32x16xf32> -> tensor<?x16xf32>
    %y = call @layer(%h, %pos, %cache, %wq, %wk) : (tensor<?x16xf32>, index, memref<?x16xf32>, tensor<16x16xf32>, tensor<8x16xf32>) -> tensor<?x16xf32>
    %logits = tfc.lm_head %y, %e : tensor<?x16xf32>, tensor<32x16xf32> -> tensor<?x32xf32>
    return %logits : tensor<?x32xf32>
  }
}
