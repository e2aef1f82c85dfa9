// RUN: tfc-opt %s -tfc-lower-to-linalg -canonicalize | FileCheck %s

// A sliding-window layer's step (tfc-expand-blocks): the step's keys
// appended to the ring, then the window of its first token on read back and
// attended. The flash form walks the ring's two pieces (views of the cache)
// in place: no tensor.concat, no copy of the window. Each piece's keys are
// indexed from its offset in the span, so masks see first + offset + t.
// CHECK-LABEL: func.func @window_step
// CHECK-SAME: (%[[Q:[a-z0-9]+]]: tensor<?x8x16xf32>, %[[K:[a-z0-9]+]]: tensor<?x2x16xf32>, %[[V:[a-z0-9]+]]: tensor<?x2x16xf32>, %[[CACHE:[a-z0-9]+]]: memref<?x64xf32>
// CHECK-NOT: tensor.concat
// The append writes the new keys in place, before the read.
// CHECK: bufferization.materialize_in_destination
// CHECK-NOT: tensor.concat
// CHECK: %[[ROWS:.*]] = memref.dim %[[CACHE]], %c0
// CHECK: %[[START:.*]] = arith.remui %{{.*}}, %[[ROWS]]
// CHECK: memref.subview %[[CACHE]][%[[START]], 0]
// CHECK: bufferization.to_tensor {{.*}} restrict
// CHECK: memref.subview %[[CACHE]][0, 0]
// CHECK: bufferization.to_tensor {{.*}} restrict
// CHECK: scf.forall
// Two segments (ring head, ring tail), each in static tiles then one
// dynamic tile.
// CHECK-COUNT-4: scf.for
// CHECK: scf.forall.in_parallel
// CHECK-NOT: tensor.concat
func.func @window_step(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x64xf32>, %pos: index, %first: index, %end: index) -> tensor<?x8x16xf32> {
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x64xf32>
  %rk, %rv = tfc.kv_cache_read %cache[%first, %end] : memref<?x64xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
  %o = tfc.attention %q, %rk, %rv at %pos keys_from %first {scale = 0.25 : f64, window = 8 : i64, tfc.kv_tile = 64 : i64, tfc.query_tile = 16 : i64, tfc.kv_chunk = 128 : i64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
  return %o : tensor<?x8x16xf32>
}

// The materialised form (no tfc.kv_tile) is the reference: it copies the
// ring's two pieces into one list of keys.
// CHECK-LABEL: func.func @window_step_materialised
// CHECK: tensor.concat
func.func @window_step_materialised(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x64xf32>, %pos: index, %first: index, %end: index) -> tensor<?x8x16xf32> {
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x64xf32>
  %rk, %rv = tfc.kv_cache_read %cache[%first, %end] : memref<?x64xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
  %o = tfc.attention %q, %rk, %rv at %pos keys_from %first {scale = 0.25 : f64, window = 8 : i64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
  return %o : tensor<?x8x16xf32>
}
