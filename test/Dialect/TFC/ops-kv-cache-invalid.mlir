// Verifier errors of tfc.kv_cache_append and tfc.kv_cache_read.
// RUN: tfc-opt %s -split-input-file -verify-diagnostics

// The key is [tokens, kv_heads, head_dim].
func.func @f(%k: tensor<?x32xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op operand #0 must be 3D tensor of 32-bit float values, but got 'tensor<?x32xf32>'}}
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x32xf32>, tensor<?x2x16xf32>, memref<?x?xf32>
  return
}

// -----

// The value is [tokens, kv_heads, value_dim].
func.func @f(%k: tensor<?x2x16xf32>, %v: tensor<?x32xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op operand #1 must be 3D tensor of 32-bit float values, but got 'tensor<?x32xf32>'}}
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x16xf32>, tensor<?x32xf32>, memref<?x?xf32>
  return
}

// -----

// Key heads must be static.
func.func @f(%k: tensor<?x?x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op key and value heads and dims must be static}}
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x?x16xf32>, tensor<?x2x16xf32>, memref<?x?xf32>
  return
}

// -----

// Key head_dim must be static.
func.func @f(%k: tensor<?x2x?xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op key and value heads and dims must be static}}
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x?xf32>, tensor<?x2x16xf32>, memref<?x?xf32>
  return
}

// -----

// Value head dim must be static.
func.func @f(%k: tensor<?x2x16xf32>, %v: tensor<?x2x?xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op key and value heads and dims must be static}}
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x16xf32>, tensor<?x2x?xf32>, memref<?x?xf32>
  return
}

// -----

// One value per key.
func.func @f(%k: tensor<3x2x16xf32>, %v: tensor<4x2x16xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op 'value' dimension 0 (4) must equal the number of keys (3)}}
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<3x2x16xf32>, tensor<4x2x16xf32>, memref<?x?xf32>
  return
}

// -----

// Values have the key head count.
func.func @f(%k: tensor<?x2x16xf32>, %v: tensor<?x1x16xf32>, %cache: memref<?x?xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op 'value' dimension 1 (1) must equal the number of key heads (2)}}
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x16xf32>, tensor<?x1x16xf32>, memref<?x?xf32>
  return
}

// -----

// The cache row holds exactly one position's keys and values: 2 * (16 + 16) = 64.
func.func @f(%k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x128xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op keys and values take 64 floats per position but a cache row has 128}}
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x128xf32>
  return
}

// -----

// The row counts value dims as well as key dims: 4 * (24 + 16) = 160.
func.func @f(%k: tensor<?x4x24xf32>, %v: tensor<?x4x16xf32>, %cache: memref<?x128xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op keys and values take 160 floats per position but a cache row has 128}}
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x4x24xf32>, tensor<?x4x16xf32>, memref<?x128xf32>
  return
}

// -----

// The cache is a rank-2 f32 memref.
func.func @f(%k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x2x64xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op operand #2 must be 2D memref of 32-bit float or bfloat16 type or 16-bit float values}}
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x2x64xf32>
  return
}

// -----

// kv_cache_read: the key is [length, kv_heads, head_dim].
func.func @f(%cache: memref<?x?xf32>, %c0: index, %len: index) {
  // expected-error@+1 {{'tfc.kv_cache_read' op result #0 must be 3D tensor of 32-bit float values, but got 'tensor<?x32xf32>'}}
  %k, %v = tfc.kv_cache_read %cache[%c0, %len] : memref<?x?xf32> -> tensor<?x32xf32>, tensor<?x2x16xf32>
  return
}

// -----

// kv_cache_read: heads and dims must be static.
func.func @f(%cache: memref<?x?xf32>, %c0: index, %len: index) {
  // expected-error@+1 {{'tfc.kv_cache_read' op key and value heads and dims must be static}}
  %k, %v = tfc.kv_cache_read %cache[%c0, %len] : memref<?x?xf32> -> tensor<?x?x16xf32>, tensor<?x2x16xf32>
  return
}

// -----

// kv_cache_read: one value per key.
func.func @f(%cache: memref<?x?xf32>, %c0: index, %len: index) {
  // expected-error@+1 {{'tfc.kv_cache_read' op 'value' dimension 0 (5) must equal the number of keys (6)}}
  %k, %v = tfc.kv_cache_read %cache[%c0, %len] : memref<?x?xf32> -> tensor<6x2x16xf32>, tensor<5x2x16xf32>
  return
}

// -----

// kv_cache_read: values have the key head count.
func.func @f(%cache: memref<?x?xf32>, %c0: index, %len: index) {
  // expected-error@+1 {{'tfc.kv_cache_read' op 'value' dimension 1 (4) must equal the number of key heads (2)}}
  %k, %v = tfc.kv_cache_read %cache[%c0, %len] : memref<?x?xf32> -> tensor<?x2x16xf32>, tensor<?x4x16xf32>
  return
}

// -----

// kv_cache_read: the row width must match.
func.func @f(%cache: memref<256x128xf32>, %start: index, %end: index) {
  // expected-error@+1 {{'tfc.kv_cache_read' op keys and values take 64 floats per position but a cache row has 128}}
  %k, %v = tfc.kv_cache_read %cache[%start, %end] : memref<256x128xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
  return
}

// -----

// tfc-fuse-rope's key rotation: a fraction that leaves no pair.
func.func @f(%k: tensor<?x2x8xf32>, %cache: memref<?x32xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op rotated dimensions (fraction 1.000000e-01 of head_dim 8 = 0) must be even and positive}}
  tfc.kv_cache_append %k, %k into %cache at %pos {rope = #tfc.rope<theta = 1.0e4, fraction = 0.1>} : tensor<?x2x8xf32>, tensor<?x2x8xf32>, memref<?x32xf32>
  return
}
