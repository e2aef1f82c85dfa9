// tfc-fuse-rope: the query's tfc.rope becomes tfc.attention's prologue and
// the keys' is done by tfc.kv_cache_append as it writes them (the `rope`
// attribute, `rope_offset` where only a trailing part of each head rotates);
// no tfc.rope is left where its one consumer is one of those at its position.
// RUN: tfc-opt %s --split-input-file --tfc-fuse-rope | FileCheck %s

// Rotate-half, GQA (8 query heads, 2 kv heads): both rotations fused.
// CHECK-LABEL: func.func @rotate_half
// CHECK-SAME: (%[[Q:[a-z0-9]+]]: tensor<?x8x16xf32>, %[[K:[a-z0-9]+]]: tensor<?x2x16xf32>, %[[V:[a-z0-9]+]]: tensor<?x2x16xf32>, %[[C:[a-z0-9]+]]: memref<?x64xf32>, %[[POS:[a-z0-9]+]]: index, %[[END:[a-z0-9]+]]: index)
// CHECK-NOT: tfc.rope
// CHECK: tfc.kv_cache_append %[[K]], %[[V]] into %[[C]] at %[[POS]] {rope = #tfc.rope<theta = 1.000000e+04>}
// CHECK: %[[KS:.*]], %[[VS:.*]] = tfc.kv_cache_read
// CHECK: tfc.attention %[[Q]], %[[KS]], %[[VS]] at %[[POS]] {rope = #tfc.rope<theta = 1.000000e+04>, scale = 2.500000e-01 : f64}
// CHECK-NOT: tfc.rope
func.func @rotate_half(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x64xf32>, %pos: index, %end: index) -> tensor<?x8x16xf32> {
  %qr = tfc.rope %q at %pos <theta = 1.0e4> : tensor<?x8x16xf32>
  %kr = tfc.rope %k at %pos <theta = 1.0e4> : tensor<?x2x16xf32>
  tfc.kv_cache_append %kr, %v into %cache at %pos : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x64xf32>
  %c0 = arith.constant 0 : index
  %ks, %vs = tfc.kv_cache_read %cache[%c0, %end] : memref<?x64xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
  %o = tfc.attention %qr, %ks, %vs at %pos {scale = 0.25 : f64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
  return %o : tensor<?x8x16xf32>
}

// -----

// Interleaved pairing and a partial rotary fraction carry over as the
// attribute says them; the flash form's mark stays.
// CHECK-LABEL: func.func @interleaved_partial
// CHECK-NOT: tfc.rope
// CHECK: tfc.kv_cache_append %{{.*}} {rope = #tfc.rope<theta = 1.000000e+04, fraction = 5.000000e-01, style = interleaved>}
// CHECK: tfc.attention {{.*}} {rope = #tfc.rope<theta = 1.000000e+04, fraction = 5.000000e-01, style = interleaved>, scale = 2.500000e-01 : f64, tfc.kv_tile = 64 : i64}
func.func @interleaved_partial(%q: tensor<?x4x16xf32>, %k: tensor<?x4x16xf32>, %v: tensor<?x4x16xf32>, %cache: memref<?x128xf32>, %pos: index, %end: index) -> tensor<?x4x16xf32> {
  %qr = tfc.rope %q at %pos <theta = 1.0e4, fraction = 0.5, style = interleaved> : tensor<?x4x16xf32>
  %kr = tfc.rope %k at %pos <theta = 1.0e4, fraction = 0.5, style = interleaved> : tensor<?x4x16xf32>
  tfc.kv_cache_append %kr, %v into %cache at %pos : tensor<?x4x16xf32>, tensor<?x4x16xf32>, memref<?x128xf32>
  %c0 = arith.constant 0 : index
  %ks, %vs = tfc.kv_cache_read %cache[%c0, %end] : memref<?x128xf32> -> tensor<?x4x16xf32>, tensor<?x4x16xf32>
  %o = tfc.attention %qr, %ks, %vs at %pos {scale = 0.25 : f64, tfc.kv_tile = 64 : i64} : tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x4x16xf32> -> tensor<?x4x16xf32>
  return %o : tensor<?x4x16xf32>
}

// -----

// MLA as tfc-expand-blocks builds it (2 heads of 4 nope + 2 rope dims): the
// query's slices put back together fold to the projection's heads, which
// attention rotates from dimension 4 on; the shared rotated key, one copy
// per head, is rotated as it is cached, also from dimension 4 on.
// CHECK-LABEL: func.func @mla
// CHECK-SAME: (%[[QH:[a-z0-9]+]]: tensor<?x2x6xf32>, %[[KNOPE:[a-z0-9]+]]: tensor<?x2x4xf32>, %[[KROT:[a-z0-9]+]]: tensor<?x1x2xf32>, %[[V:[a-z0-9]+]]: tensor<?x2x4xf32>
// CHECK-NOT: tfc.rope
// CHECK-NOT: tensor.extract_slice
// CHECK: %[[KROTS:.*]] = tensor.concat dim(1) %[[KROT]], %[[KROT]]
// CHECK-NEXT: %[[K:.*]] = tensor.concat dim(2) %[[KNOPE]], %[[KROTS]]
// CHECK-NEXT: tfc.kv_cache_append %[[K]], %[[V]] into %{{.*}} at %{{.*}} {rope = #tfc.rope<theta = 1.000000e+04>, rope_offset = 4 : i64}
// CHECK: tfc.attention %[[QH]], {{.*}} {rope = #tfc.rope<theta = 1.000000e+04>, rope_offset = 4 : i64, scale = 4.082480e-01 : f64}
// CHECK-NOT: tfc.rope
func.func @mla(%qh: tensor<?x2x6xf32>, %knope: tensor<?x2x4xf32>, %krot: tensor<?x1x2xf32>, %v: tensor<?x2x4xf32>, %cache: memref<?x20xf32>, %pos: index, %end: index) -> tensor<?x2x4xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %qh, %c0 : tensor<?x2x6xf32>
  %qnope = tensor.extract_slice %qh[0, 0, 0] [%n, 2, 4] [1, 1, 1] : tensor<?x2x6xf32> to tensor<?x2x4xf32>
  %qrot = tensor.extract_slice %qh[0, 0, 4] [%n, 2, 2] [1, 1, 1] : tensor<?x2x6xf32> to tensor<?x2x2xf32>
  %qrope = tfc.rope %qrot at %pos <theta = 1.0e4> : tensor<?x2x2xf32>
  %krope = tfc.rope %krot at %pos <theta = 1.0e4> : tensor<?x1x2xf32>
  %kropes = tensor.concat dim(1) %krope, %krope : (tensor<?x1x2xf32>, tensor<?x1x2xf32>) -> tensor<?x2x2xf32>
  %q = tensor.concat dim(2) %qnope, %qrope : (tensor<?x2x4xf32>, tensor<?x2x2xf32>) -> tensor<?x2x6xf32>
  %k = tensor.concat dim(2) %knope, %kropes : (tensor<?x2x4xf32>, tensor<?x2x2xf32>) -> tensor<?x2x6xf32>
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x6xf32>, tensor<?x2x4xf32>, memref<?x20xf32>
  %ks, %vs = tfc.kv_cache_read %cache[%c0, %end] : memref<?x20xf32> -> tensor<?x2x6xf32>, tensor<?x2x4xf32>
  %o = tfc.attention %q, %ks, %vs at %pos {scale = 0.408248 : f64} : tensor<?x2x6xf32>, tensor<?x2x6xf32>, tensor<?x2x4xf32> -> tensor<?x2x4xf32>
  return %o : tensor<?x2x4xf32>
}

// -----

// A sliding-window layer appends first, as a full one does, and reads its
// window back from the ring: both rotations fuse, the keys' into the write.
// CHECK-LABEL: func.func @window
// CHECK-SAME: (%[[Q:[a-z0-9]+]]: tensor<?x2x8xf32>, %[[K:[a-z0-9]+]]: tensor<?x2x8xf32>
// CHECK-NOT: tfc.rope %
// CHECK: tfc.kv_cache_append %[[K]], %{{.*}} into %{{.*}} at %{{.*}} {rope = #tfc.rope<theta = 1.000000e+04>} : tensor
// CHECK: %[[KEYS:.*]], %[[VALUES:.*]] = tfc.kv_cache_read
// CHECK: tfc.attention %[[Q]], %[[KEYS]], %[[VALUES]] {{.*}} {rope = #tfc.rope<theta = 1.000000e+04>, scale = 3.535530e-01 : f64, window = 4 : i64}
func.func @window(%q: tensor<?x2x8xf32>, %k: tensor<?x2x8xf32>, %v: tensor<?x2x8xf32>, %cache: memref<?x32xf32>, %pos: index, %first: index, %end: index) -> tensor<?x2x8xf32> {
  %qr = tfc.rope %q at %pos <theta = 1.0e4> : tensor<?x2x8xf32>
  %kr = tfc.rope %k at %pos <theta = 1.0e4> : tensor<?x2x8xf32>
  tfc.kv_cache_append %kr, %v into %cache at %pos : tensor<?x2x8xf32>, tensor<?x2x8xf32>, memref<?x32xf32>
  %ks, %vs = tfc.kv_cache_read %cache[%first, %end] : memref<?x32xf32> -> tensor<?x2x8xf32>, tensor<?x2x8xf32>
  %o = tfc.attention %qr, %ks, %vs at %pos keys_from %first {scale = 0.353553 : f64, window = 4 : i64} : tensor<?x2x8xf32>, tensor<?x2x8xf32>, tensor<?x2x8xf32> -> tensor<?x2x8xf32>
  return %o : tensor<?x2x8xf32>
}

// -----

// Left alone: a rotation at another position than its consumer's, and one
// whose result has a user besides attention.
// CHECK-LABEL: func.func @unfused
// CHECK: %[[QR:.*]] = tfc.rope %{{.*}} at %[[OTHER:[a-z0-9]+]]
// CHECK: %[[O:.*]] = tfc.attention %[[QR]], {{.*}} {scale = 2.500000e-01 : f64}
// CHECK: %[[QR2:.*]] = tfc.rope
// CHECK: %[[O2:.*]] = tfc.attention %[[QR2]], {{.*}} {scale = 2.500000e-01 : f64}
// CHECK: return %[[O]], %[[O2]], %[[QR2]]
func.func @unfused(%q: tensor<?x2x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %other: index) -> (tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>) {
  %qr = tfc.rope %q at %other <theta = 1.0e4> : tensor<?x2x16xf32>
  %o = tfc.attention %qr, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x2x16xf32>
  %qr2 = tfc.rope %q at %pos <theta = 1.0e4> : tensor<?x2x16xf32>
  %o2 = tfc.attention %qr2, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x2x16xf32>
  return %o, %o2, %qr2 : tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>
}
