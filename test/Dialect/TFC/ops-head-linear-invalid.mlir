// Verifier errors of tfc.head_linear and of the keys-only cache ops.
// RUN: tfc-opt %s -split-input-file -verify-diagnostics

// A head's block must lie within its rows.
func.func @f(%x: tensor<?x4x16xf32>, %w: tensor<56x16xbf16>) -> tensor<?x4x8xf32> {
  // expected-error@+1 {{'tfc.head_linear' op a head's block, rows [8, 16), must lie within its 'head_rows' (14)}}
  %0 = tfc.head_linear %x, %w {head_rows = 14 : i64, row_offset = 8 : i64}
      : tensor<?x4x16xf32>, tensor<56x16xbf16> -> tensor<?x4x8xf32>
  return %0 : tensor<?x4x8xf32>
}

// -----

// The weight holds heads * head_rows rows.
func.func @f(%x: tensor<?x4x16xf32>, %w: tensor<48x16xbf16>) -> tensor<?x4x6xf32> {
  // expected-error@+1 {{'tfc.head_linear' op 'weight' dimension 0 (48) must equal heads * head_rows (56)}}
  %0 = tfc.head_linear %x, %w {head_rows = 14 : i64, row_offset = 8 : i64}
      : tensor<?x4x16xf32>, tensor<48x16xbf16> -> tensor<?x4x6xf32>
  return %0 : tensor<?x4x6xf32>
}

// -----

func.func @f(%x: tensor<?x4x16xf32>, %w: tensor<56x16xbf16>) -> tensor<?x4x6xf32> {
  // expected-error@+1 {{'tfc.head_linear' op 'head_rows' must be positive and 'row_offset' not negative, got 14 and -1}}
  %0 = tfc.head_linear %x, %w {head_rows = 14 : i64, row_offset = -1 : i64}
      : tensor<?x4x16xf32>, tensor<56x16xbf16> -> tensor<?x4x6xf32>
  return %0 : tensor<?x4x6xf32>
}

// -----

// value_in_key: the value is a prefix of each key head.
func.func @f(%cache: memref<?x20xf32>, %end: index) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'tfc.kv_cache_read' op with 'value_in_key' the value is the leading dims of each key head: value_dim (24) must not exceed head_dim (20)}}
  %k, %v = tfc.kv_cache_read %cache[%c0, %end] value_in_key : memref<?x20xf32> -> tensor<?x1x20xf32>, tensor<?x1x24xf32>
  return
}

// -----

// A keys-only row is the keys' width.
func.func @f(%k: tensor<?x1x20xf32>, %cache: memref<?x36xf32>, %pos: index) {
  // expected-error@+1 {{'tfc.kv_cache_append' op keys (the values in them) take 20 floats per position but a cache row has 36}}
  tfc.kv_cache_append %k into %cache at %pos : tensor<?x1x20xf32>, memref<?x36xf32>
  return
}
