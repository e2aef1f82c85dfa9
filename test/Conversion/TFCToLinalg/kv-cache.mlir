// tfc-lower-to-linalg on the KV-cache ops: position p lives in row p mod rows.
// RUN: tfc-opt %s --tfc-lower-to-linalg | FileCheck %s

// Append keeps the last min(n, rows) tokens: tokens [skip, skip + head) go to
// rows [start, start + head), the rest wrap to rows [0, tail); keys fill
// columns [0, 8) of a row, values [8, 16).
// CHECK-LABEL: func.func @append
// CHECK-SAME: (%[[K:.*]]: tensor<?x2x4xf32>, %[[V:.*]]: tensor<?x2x4xf32>, %[[CACHE:.*]]: memref<?x16xf32>, %[[POS:.*]]: index)
// CHECK: %[[ROWS:.*]] = memref.dim %[[CACHE]], %{{.*}}
// CHECK: %[[N:.*]] = tensor.dim %[[K]], %{{.*}}
// CHECK: %[[KEPT0:.*]] = arith.minui %[[N]], %[[ROWS]]
// CHECK: %[[SKIP:.*]] = arith.subi %[[N]], %[[KEPT0]]
// CHECK: %[[KEPT:.*]] = arith.subi %[[N]], %[[SKIP]]
// CHECK: %[[FIRST:.*]] = arith.addi %[[POS]], %[[SKIP]]
// CHECK: %[[START:.*]] = arith.remui %[[FIRST]], %[[ROWS]]
// CHECK: %[[ROOM:.*]] = arith.subi %[[ROWS]], %[[START]]
// CHECK: %[[HEAD:.*]] = arith.minui %[[KEPT]], %[[ROOM]]
// CHECK: %[[TAIL:.*]] = arith.subi %[[KEPT]], %[[HEAD]]
// CHECK: %[[WRAP:.*]] = arith.addi %[[SKIP]], %[[HEAD]]
// CHECK: %[[FLATK:.*]] = tensor.collapse_shape %[[K]] {{\[}}[0], [1, 2]]
// CHECK: %[[K1:.*]] = tensor.extract_slice %[[FLATK]][%[[SKIP]], 0] [%[[HEAD]], 8] [1, 1]
// CHECK: %[[D1:.*]] = memref.subview %[[CACHE]][%[[START]], 0] [%[[HEAD]], 8] [1, 1]
// CHECK: bufferization.materialize_in_destination %[[K1]] in writable %[[D1]]
// CHECK: %[[K2:.*]] = tensor.extract_slice %[[FLATK]][%[[WRAP]], 0] [%[[TAIL]], 8] [1, 1]
// CHECK: %[[D2:.*]] = memref.subview %[[CACHE]][%{{.*}}, 0] [%[[TAIL]], 8] [1, 1]
// CHECK: bufferization.materialize_in_destination %[[K2]] in writable %[[D2]]
// CHECK: %[[FLATV:.*]] = tensor.collapse_shape %[[V]]
// CHECK: memref.subview %[[CACHE]][%[[START]], 8] [%[[HEAD]], 8] [1, 1]
// CHECK: memref.subview %[[CACHE]][%{{.*}}, 8] [%[[TAIL]], 8] [1, 1]
func.func @append(%k: tensor<?x2x4xf32>, %v: tensor<?x2x4xf32>, %cache: memref<?x16xf32>, %pos: index) {
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x4xf32>, tensor<?x2x4xf32>, memref<?x16xf32>
  return
}

// From position 0 the span cannot wrap: the cache is read in place.
// CHECK-LABEL: func.func @read_from_start
// CHECK-NOT: tensor.concat
// CHECK: %[[KEYS:.*]] = memref.subview %{{.*}}[0, 0] [%{{.*}}, 8] [1, 1]
// CHECK: bufferization.to_tensor %[[KEYS]] restrict
// CHECK: %[[VALUES:.*]] = memref.subview %{{.*}}[0, 8] [%{{.*}}, 8] [1, 1]
// CHECK: bufferization.to_tensor %[[VALUES]] restrict
// CHECK-NOT: tensor.concat
func.func @read_from_start(%cache: memref<?x16xf32>, %end: index) -> (tensor<?x2x4xf32>, tensor<?x2x4xf32>) {
  %c0 = arith.constant 0 : index
  %k, %v = tfc.kv_cache_read %cache[%c0, %end] : memref<?x16xf32> -> tensor<?x2x4xf32>, tensor<?x2x4xf32>
  return %k, %v : tensor<?x2x4xf32>, tensor<?x2x4xf32>
}

// Elsewhere the span may wrap: rows [start mod rows, ..) then [0, tail),
// copied out in order.
// CHECK-LABEL: func.func @read_ring
// CHECK-SAME: (%[[CACHE:.*]]: memref<?x16xf32>, %[[FROM:.*]]: index, %[[TO:.*]]: index)
// CHECK: %[[COUNT:.*]] = arith.subi %[[TO]], %[[FROM]]
// CHECK: %[[ROWS:.*]] = memref.dim %[[CACHE]]
// CHECK: %[[START:.*]] = arith.remui %[[FROM]], %[[ROWS]]
// CHECK: %[[ROOM:.*]] = arith.subi %[[ROWS]], %[[START]]
// CHECK: %[[HEAD:.*]] = arith.minui %[[COUNT]], %[[ROOM]]
// CHECK: %[[TAIL:.*]] = arith.subi %[[COUNT]], %[[HEAD]]
// CHECK: %[[P1:.*]] = memref.subview %[[CACHE]][%[[START]], 0] [%[[HEAD]], 8] [1, 1]
// CHECK: %[[T1:.*]] = bufferization.to_tensor %[[P1]]
// CHECK: %[[E1:.*]] = tensor.expand_shape %[[T1]] {{\[}}[0], [1, 2]] output_shape [%[[HEAD]], 2, 4]
// CHECK: memref.subview %[[CACHE]][%[[START]], 8] [%[[HEAD]], 8] [1, 1]
// CHECK: %[[P2:.*]] = memref.subview %[[CACHE]][0, 0] [%[[TAIL]], 8] [1, 1]
// CHECK: %[[T2:.*]] = bufferization.to_tensor %[[P2]]
// CHECK: %[[E2:.*]] = tensor.expand_shape %[[T2]] {{\[}}[0], [1, 2]] output_shape [%[[TAIL]], 2, 4]
// CHECK: memref.subview %[[CACHE]][0, 8] [%[[TAIL]], 8] [1, 1]
// CHECK: tensor.concat dim(0) %[[E1]], %[[E2]]
// CHECK: tensor.concat dim(0)
func.func @read_ring(%cache: memref<?x16xf32>, %start: index, %end: index) -> (tensor<?x2x4xf32>, tensor<?x2x4xf32>) {
  %k, %v = tfc.kv_cache_read %cache[%start, %end] : memref<?x16xf32> -> tensor<?x2x4xf32>, tensor<?x2x4xf32>
  return %k, %v : tensor<?x2x4xf32>, tensor<?x2x4xf32>
}

// With keys_from, the mask compares the query position with first + j.
// CHECK-LABEL: func.func @attention_keys_from
// CHECK-SAME: %[[POS:[a-z0-9]+]]: index, %[[FIRST:[a-z0-9]+]]: index)
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK: %[[J:.*]] = linalg.index 2 : index
// CHECK: %[[KEYPOS:.*]] = arith.addi %[[FIRST]], %[[J]] : index
// CHECK: %[[QPOS:.*]] = arith.addi %[[POS]], %{{.*}} : index
// CHECK: arith.cmpi ule, %[[KEYPOS]], %[[QPOS]] : index
// CHECK: %[[AGE:.*]] = arith.subi %[[QPOS]], %[[KEYPOS]] : index
// CHECK: arith.cmpi ult, %[[AGE]], %{{.*}} : index
func.func @attention_keys_from(%q: tensor<?x4x4xf32>, %k: tensor<?x2x4xf32>, %v: tensor<?x2x4xf32>, %pos: index, %first: index) -> tensor<?x4x4xf32> {
  %0 = tfc.attention %q, %k, %v at %pos keys_from %first {scale = 0.5 : f64, window = 8 : i64}
      : tensor<?x4x4xf32>, tensor<?x2x4xf32>, tensor<?x2x4xf32> -> tensor<?x4x4xf32>
  return %0 : tensor<?x4x4xf32>
}

// A read from position 0 followed by an append to the same cache is copied
// out: the append must not change keys already read.
// CHECK-LABEL: func.func @read_then_append
// CHECK: tensor.concat
// CHECK: tensor.concat
// CHECK: bufferization.materialize_in_destination
func.func @read_then_append(%cache: memref<?x16xf32>, %end: index, %k: tensor<?x2x4xf32>, %pos: index) -> tensor<?x2x4xf32> {
  %c0 = arith.constant 0 : index
  %key, %value = tfc.kv_cache_read %cache[%c0, %end] : memref<?x16xf32> -> tensor<?x2x4xf32>, tensor<?x2x4xf32>
  tfc.kv_cache_append %k, %k into %cache at %pos : tensor<?x2x4xf32>, tensor<?x2x4xf32>, memref<?x16xf32>
  return %key : tensor<?x2x4xf32>
}
