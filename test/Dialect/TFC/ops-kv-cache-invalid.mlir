// Verifier errors of tfc.kv_cache_append and tfc.kv_cache_read.
// RUN: tfc-opt %s -split-input-file -verify-diagnostics

// The key is [tokens, kv_heads, head_dim].
func.func @f(%k: tensor<?x32xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op 'key' must have rank 3, got 'tensor<?x32xf32>'}}
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = 0 : i64} : tensor<?x32xf32>, tensor<?x2x16xf32>, memref<?x?xf32>
  return
}

// -----

// The value is [tokens, kv_heads, value_dim].
func.func @f(%k: tensor<?x2x16xf32>, %v: tensor<?x32xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op 'value' must have rank 3, got 'tensor<?x32xf32>'}}
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = 0 : i64} : tensor<?x2x16xf32>, tensor<?x32xf32>, memref<?x?xf32>
  return
}

// -----

// Key heads must be static.
func.func @f(%k: tensor<?x?x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op key and value heads and dims must be static}}
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = 0 : i64} : tensor<?x?x16xf32>, tensor<?x2x16xf32>, memref<?x?xf32>
  return
}

// -----

// Key head_dim must be static.
func.func @f(%k: tensor<?x2x?xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op key and value heads and dims must be static}}
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = 0 : i64} : tensor<?x2x?xf32>, tensor<?x2x16xf32>, memref<?x?xf32>
  return
}

// -----

// Value head dim must be static.
func.func @f(%k: tensor<?x2x16xf32>, %v: tensor<?x2x?xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op key and value heads and dims must be static}}
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = 0 : i64} : tensor<?x2x16xf32>, tensor<?x2x?xf32>, memref<?x?xf32>
  return
}

// -----

// One value per key.
func.func @f(%k: tensor<3x2x16xf32>, %v: tensor<4x2x16xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op 'value' dimension 0 (4) must equal the number of keys (3)}}
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = 0 : i64} : tensor<3x2x16xf32>, tensor<4x2x16xf32>, memref<?x?xf32>
  return
}

// -----

// Values have the key head count.
func.func @f(%k: tensor<?x2x16xf32>, %v: tensor<?x1x16xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op 'value' dimension 1 (1) must equal the number of key heads (2)}}
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = 0 : i64} : tensor<?x2x16xf32>, tensor<?x1x16xf32>, memref<?x?xf32>
  return
}

// -----

// The offset must not be negative.
func.func @f(%k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op 'offset' must not be negative, got -1}}
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = -1 : i64} : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x?xf32>
  return
}

// -----

// The layer's slice must fit in a static cache row: 2 * (16 + 16) = 64 floats from 96.
func.func @f(%k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x128xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op layer slice [96, 160) does not fit in a cache row of 128 floats}}
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = 96 : i64} : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x128xf32>
  return
}

// -----

// The slice counts value dims as well as key dims: 4 * (24 + 16) = 160 > 128.
func.func @f(%k: tensor<?x4x24xf32>, %v: tensor<?x4x16xf32>, %cache: memref<?x128xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op layer slice [0, 160) does not fit in a cache row of 128 floats}}
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = 0 : i64} : tensor<?x4x24xf32>, tensor<?x4x16xf32>, memref<?x128xf32>
  return
}

// -----

// The cache is a rank-2 f32 memref.
func.func @f(%k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x2x64xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op operand #2 must be 2D memref of 32-bit float values}}
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = 0 : i64} : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x2x64xf32>
  return
}

// -----

// The offset is required.
func.func @f(%k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op requires attribute 'offset'}}
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x?xf32>
  return
}

// -----

// kv_cache_read: the key is [length, kv_heads, head_dim].
func.func @f(%cache: memref<?x?xf32>, %len: index) {
  // expected-error@+1 {{'tfc.kv_cache_read' op 'key' must have rank 3, got 'tensor<?x32xf32>'}}
  %k, %v = tfc.kv_cache_read %cache[%len] {offset = 0 : i64} : memref<?x?xf32> -> tensor<?x32xf32>, tensor<?x2x16xf32>
  return
}

// -----

// kv_cache_read: heads and dims must be static.
func.func @f(%cache: memref<?x?xf32>, %len: index) {
  // expected-error@+1 {{'tfc.kv_cache_read' op key and value heads and dims must be static}}
  %k, %v = tfc.kv_cache_read %cache[%len] {offset = 0 : i64} : memref<?x?xf32> -> tensor<?x?x16xf32>, tensor<?x2x16xf32>
  return
}

// -----

// kv_cache_read: one value per key.
func.func @f(%cache: memref<?x?xf32>, %len: index) {
  // expected-error@+1 {{'tfc.kv_cache_read' op 'value' dimension 0 (5) must equal the number of keys (6)}}
  %k, %v = tfc.kv_cache_read %cache[%len] {offset = 0 : i64} : memref<?x?xf32> -> tensor<6x2x16xf32>, tensor<5x2x16xf32>
  return
}

// -----

// kv_cache_read: values have the key head count.
func.func @f(%cache: memref<?x?xf32>, %len: index) {
  // expected-error@+1 {{'tfc.kv_cache_read' op 'value' dimension 1 (4) must equal the number of key heads (2)}}
  %k, %v = tfc.kv_cache_read %cache[%len] {offset = 0 : i64} : memref<?x?xf32> -> tensor<?x2x16xf32>, tensor<?x4x16xf32>
  return
}

// -----

// kv_cache_read: the offset must not be negative.
func.func @f(%cache: memref<?x?xf32>, %len: index) {
  // expected-error@+1 {{'tfc.kv_cache_read' op 'offset' must not be negative, got -64}}
  %k, %v = tfc.kv_cache_read %cache[%len] {offset = -64 : i64} : memref<?x?xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
  return
}

// -----

// kv_cache_read: the slice must fit in a static cache row.
func.func @f(%cache: memref<256x128xf32>, %len: index) {
  // expected-error@+1 {{'tfc.kv_cache_read' op layer slice [65, 129) does not fit in a cache row of 128 floats}}
  %k, %v = tfc.kv_cache_read %cache[%len] {offset = 65 : i64} : memref<256x128xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
  return
}
