// RUN: tfc-opt %s -tfc-lower-to-linalg -canonicalize | FileCheck %s

// A sliding-window layer's step (tfc-expand-blocks): the window before the
// step read from the ring, joined with the step's new keys, attended, then
// appended. The flash form walks the ring's two pieces (views of the cache)
// and the new keys in place: no tensor.concat, no copy of the window. Each
// piece's keys are indexed from its offset in the joined list, so masks see
// first + offset + t.
// CHECK-LABEL: func.func @window_step
// CHECK-SAME: (%[[Q:[a-z0-9]+]]: tensor<?x8x16xf32>, %[[K:[a-z0-9]+]]: tensor<?x2x16xf32>, %[[V:[a-z0-9]+]]: tensor<?x2x16xf32>, %[[CACHE:[a-z0-9]+]]: memref<?x64xf32>
// CHECK-NOT: tensor.concat
// CHECK: %[[ROWS:.*]] = memref.dim %[[CACHE]], %c0
// CHECK: %[[START:.*]] = arith.remui %{{.*}}, %[[ROWS]]
// CHECK: memref.subview %[[CACHE]][%[[START]], 0]
// CHECK: bufferization.to_tensor {{.*}} restrict
// CHECK: memref.subview %[[CACHE]][0, 0]
// CHECK: bufferization.to_tensor {{.*}} restrict
// CHECK: scf.forall
// Three segments (ring head, ring tail, new keys), each in static tiles
// then one dynamic tile.
// CHECK-COUNT-6: scf.for
// CHECK: scf.forall.in_parallel
// CHECK-NOT: tensor.concat
// The append after the attention writes the new keys in place.
// CHECK: bufferization.materialize_in_destination
// CHECK-NOT: tensor.concat
func.func @window_step(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x64xf32>, %pos: index, %first: index) -> tensor<?x8x16xf32> {
  %rk, %rv = tfc.kv_cache_read %cache[%first, %pos] : memref<?x64xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
  %keys = tensor.concat dim(0) %rk, %k : (tensor<?x2x16xf32>, tensor<?x2x16xf32>) -> tensor<?x2x16xf32>
  %values = tensor.concat dim(0) %rv, %v : (tensor<?x2x16xf32>, tensor<?x2x16xf32>) -> tensor<?x2x16xf32>
  %o = tfc.attention %q, %keys, %values at %pos keys_from %first {scale = 0.25 : f64, window = 8 : i64, tfc.kv_tile = 64 : i64, tfc.query_tile = 16 : i64, tfc.kv_chunk = 128 : i64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x64xf32>
  return %o : tensor<?x8x16xf32>
}

// The materialised form (no tfc.kv_tile) is the reference: it keeps the
// joined keys.
// CHECK-LABEL: func.func @window_step_materialised
// CHECK: tensor.concat
func.func @window_step_materialised(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x64xf32>, %pos: index, %first: index) -> tensor<?x8x16xf32> {
  %rk, %rv = tfc.kv_cache_read %cache[%first, %pos] : memref<?x64xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
  %keys = tensor.concat dim(0) %rk, %k : (tensor<?x2x16xf32>, tensor<?x2x16xf32>) -> tensor<?x2x16xf32>
  %values = tensor.concat dim(0) %rv, %v : (tensor<?x2x16xf32>, tensor<?x2x16xf32>) -> tensor<?x2x16xf32>
  %o = tfc.attention %q, %keys, %values at %pos keys_from %first {scale = 0.25 : f64, window = 8 : i64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x64xf32>
  return %o : tensor<?x8x16xf32>
}
