// Verifier errors of tfc.split_qkv, tfc.rope, tfc.attention, tfc.relative_position_bias.
// RUN: tfc-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// tfc.split_qkv
//===----------------------------------------------------------------------===//

// heads must be positive.
func.func @f(%x: tensor<?x96xf32>) {
  // expected-error@+1 {{'tfc.split_qkv' op 'heads' (0) must be a positive multiple of 'kv_heads' (1)}}
  %q, %k, %v = tfc.split_qkv %x {packing = #tfc.qkv_packing<concat>, heads = 0 : i64, kv_heads = 1 : i64}
      : tensor<?x96xf32> -> tensor<?x4x16xf32>, tensor<?x1x16xf32>, tensor<?x1x16xf32>
  return
}

// -----

// kv_heads must be positive.
func.func @f(%x: tensor<?x96xf32>) {
  // expected-error@+1 {{'tfc.split_qkv' op 'heads' (4) must be a positive multiple of 'kv_heads' (0)}}
  %q, %k, %v = tfc.split_qkv %x {packing = #tfc.qkv_packing<concat>, heads = 4 : i64, kv_heads = 0 : i64}
      : tensor<?x96xf32> -> tensor<?x4x16xf32>, tensor<?x1x16xf32>, tensor<?x1x16xf32>
  return
}

// -----

// heads must be a multiple of kv_heads.
func.func @f(%x: tensor<?x96xf32>) {
  // expected-error@+1 {{'tfc.split_qkv' op 'heads' (4) must be a positive multiple of 'kv_heads' (3)}}
  %q, %k, %v = tfc.split_qkv %x {packing = #tfc.qkv_packing<concat>, heads = 4 : i64, kv_heads = 3 : i64}
      : tensor<?x96xf32> -> tensor<?x4x8xf32>, tensor<?x3x8xf32>, tensor<?x3x8xf32>
  return
}

// -----

// The fused input is [tokens, width].
func.func @f(%x: tensor<?x6x16xf32>) {
  // expected-error@+1 {{'tfc.split_qkv' op operand #0 must be 2D tensor of 32-bit float values, but got 'tensor<?x6x16xf32>'}}
  %q, %k, %v = tfc.split_qkv %x {packing = #tfc.qkv_packing<concat>, heads = 4 : i64, kv_heads = 1 : i64}
      : tensor<?x6x16xf32> -> tensor<?x4x16xf32>, tensor<?x1x16xf32>, tensor<?x1x16xf32>
  return
}

// -----

// The fused width must be static.
func.func @f(%x: tensor<?x?xf32>) {
  // expected-error@+1 {{'tfc.split_qkv' op fused width ? is not a multiple of heads + 2 * kv_heads (6)}}
  %q, %k, %v = tfc.split_qkv %x {packing = #tfc.qkv_packing<concat>, heads = 4 : i64, kv_heads = 1 : i64}
      : tensor<?x?xf32> -> tensor<?x4x16xf32>, tensor<?x1x16xf32>, tensor<?x1x16xf32>
  return
}

// -----

// The fused width is (heads + 2 * kv_heads) * head_dim.
func.func @f(%x: tensor<?x100xf32>) {
  // expected-error@+1 {{'tfc.split_qkv' op fused width 100 is not a multiple of heads + 2 * kv_heads (6)}}
  %q, %k, %v = tfc.split_qkv %x {packing = #tfc.qkv_packing<concat>, heads = 4 : i64, kv_heads = 1 : i64}
      : tensor<?x100xf32> -> tensor<?x4x16xf32>, tensor<?x1x16xf32>, tensor<?x1x16xf32>
  return
}

// -----

// q is [tokens, heads, head_dim].
func.func @f(%x: tensor<?x96xf32>) {
  // expected-error@+1 {{'tfc.split_qkv' op result #0 must be 3D tensor of 32-bit float values, but got 'tensor<?x64xf32>'}}
  %q, %k, %v = tfc.split_qkv %x {packing = #tfc.qkv_packing<concat>, heads = 4 : i64, kv_heads = 1 : i64}
      : tensor<?x96xf32> -> tensor<?x64xf32>, tensor<?x1x16xf32>, tensor<?x1x16xf32>
  return
}

// -----

// q has one row per token.
func.func @f(%x: tensor<3x96xf32>) {
  // expected-error@+1 {{'tfc.split_qkv' op 'q' dimension 0 (2) must equal the number of tokens (3)}}
  %q, %k, %v = tfc.split_qkv %x {packing = #tfc.qkv_packing<concat>, heads = 4 : i64, kv_heads = 1 : i64}
      : tensor<3x96xf32> -> tensor<2x4x16xf32>, tensor<?x1x16xf32>, tensor<?x1x16xf32>
  return
}

// -----

// k has kv_heads heads.
func.func @f(%x: tensor<?x96xf32>) {
  // expected-error@+1 {{'tfc.split_qkv' op 'k' dimension 1 (4) must equal its head count (1)}}
  %q, %k, %v = tfc.split_qkv %x {packing = #tfc.qkv_packing<concat>, heads = 4 : i64, kv_heads = 1 : i64}
      : tensor<?x96xf32> -> tensor<?x4x16xf32>, tensor<?x4x16xf32>, tensor<?x1x16xf32>
  return
}

// -----

// v has head_dim = width / (heads + 2 * kv_heads) dims.
func.func @f(%x: tensor<?x96xf32>) {
  // expected-error@+1 {{'tfc.split_qkv' op 'v' dimension 2 (32) must equal head_dim (16)}}
  %q, %k, %v = tfc.split_qkv %x {packing = #tfc.qkv_packing<concat>, heads = 4 : i64, kv_heads = 1 : i64}
      : tensor<?x96xf32> -> tensor<?x4x16xf32>, tensor<?x1x16xf32>, tensor<?x1x32xf32>
  return
}

// -----

// The packing is required.
func.func @f(%x: tensor<?x96xf32>) {
  // expected-error@+1 {{'tfc.split_qkv' op requires attribute 'packing'}}
  %q, %k, %v = tfc.split_qkv %x {heads = 4 : i64, kv_heads = 1 : i64}
      : tensor<?x96xf32> -> tensor<?x4x16xf32>, tensor<?x1x16xf32>, tensor<?x1x16xf32>
  return
}

//===----------------------------------------------------------------------===//
// tfc.rope
//===----------------------------------------------------------------------===//

// -----

// RoPE takes [tokens, heads, head_dim].
func.func @f(%x: tensor<?x64xf32>, %pos: index) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.rope' op operand #0 must be 3D tensor of 32-bit float values, but got 'tensor<?x64xf32>'}}
  %0 = tfc.rope %x at %pos <theta = 1.0e4> : tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// head_dim must be static.
func.func @f(%x: tensor<?x4x?xf32>, %pos: index) -> tensor<?x4x?xf32> {
  // expected-error@+1 {{'tfc.rope' op head_dim must be static}}
  %0 = tfc.rope %x at %pos <theta = 1.0e4> : tensor<?x4x?xf32>
  return %0 : tensor<?x4x?xf32>
}

// -----

// The rotated dimensions come in pairs: an odd head_dim.
func.func @f(%x: tensor<?x4x15xf32>, %pos: index) -> tensor<?x4x15xf32> {
  // expected-error@+1 {{'tfc.rope' op rotated dimensions (fraction 1.000000e+00 of head_dim 15 = 15) must be even and positive}}
  %0 = tfc.rope %x at %pos <theta = 1.0e4> : tensor<?x4x15xf32>
  return %0 : tensor<?x4x15xf32>
}

// -----

// The rotated dimensions come in pairs: an odd fraction of head_dim.
func.func @f(%x: tensor<?x4x12xf32>, %pos: index) -> tensor<?x4x12xf32> {
  // expected-error@+1 {{'tfc.rope' op rotated dimensions (fraction 2.500000e-01 of head_dim 12 = 3) must be even and positive}}
  %0 = tfc.rope %x at %pos <theta = 1.0e4, fraction = 0.25> : tensor<?x4x12xf32>
  return %0 : tensor<?x4x12xf32>
}

// -----

// At least one pair is rotated.
func.func @f(%x: tensor<?x4x8xf32>, %pos: index) -> tensor<?x4x8xf32> {
  // expected-error@+1 {{'tfc.rope' op rotated dimensions (fraction 1.000000e-01 of head_dim 8 = 0) must be even and positive}}
  %0 = tfc.rope %x at %pos <theta = 1.0e4, fraction = 0.1> : tensor<?x4x8xf32>
  return %0 : tensor<?x4x8xf32>
}

// -----

// tfc-fuse-rope's query rotation: an offset needs a rope.
func.func @f(%q: tensor<?x4x8xf32>, %k: tensor<?x4x8xf32>, %pos: index) -> tensor<?x4x8xf32> {
  // expected-error@+1 {{'tfc.attention' op 'rope_offset' without 'rope'}}
  %o = tfc.attention %q, %k, %k at %pos {scale = 0.5 : f64, rope_offset = 4 : i64} : tensor<?x4x8xf32>, tensor<?x4x8xf32>, tensor<?x4x8xf32> -> tensor<?x4x8xf32>
  return %o : tensor<?x4x8xf32>
}

// -----

// The rotated span starts inside the head.
func.func @f(%q: tensor<?x4x8xf32>, %k: tensor<?x4x8xf32>, %pos: index) -> tensor<?x4x8xf32> {
  // expected-error@+1 {{'tfc.attention' op 'rope_offset' (8) must be in [0, head_dim = 8)}}
  %o = tfc.attention %q, %k, %k at %pos {scale = 0.5 : f64, rope = #tfc.rope<theta = 1.0e4>, rope_offset = 8 : i64} : tensor<?x4x8xf32>, tensor<?x4x8xf32>, tensor<?x4x8xf32> -> tensor<?x4x8xf32>
  return %o : tensor<?x4x8xf32>
}

// -----

// The rotated span's dimensions come in pairs.
func.func @f(%q: tensor<?x4x8xf32>, %k: tensor<?x4x8xf32>, %pos: index) -> tensor<?x4x8xf32> {
  // expected-error@+1 {{'tfc.attention' op rotated dimensions (fraction 1.000000e+00 of head_dim - rope_offset 5 = 5) must be even and positive}}
  %o = tfc.attention %q, %k, %k at %pos {scale = 0.5 : f64, rope = #tfc.rope<theta = 1.0e4>, rope_offset = 3 : i64} : tensor<?x4x8xf32>, tensor<?x4x8xf32>, tensor<?x4x8xf32> -> tensor<?x4x8xf32>
  return %o : tensor<?x4x8xf32>
}

// -----

// The result has the input's type.
func.func @f(%x: tensor<?x4x8xf32>, %pos: index) -> tensor<1x4x8xf32> {
  // expected-error@+1 {{'tfc.rope' op failed to verify that all of {input, result} have same type}}
  %0 = "tfc.rope"(%x, %pos) {rope = #tfc.rope<theta = 1.0e4>} : (tensor<?x4x8xf32>, index) -> tensor<1x4x8xf32>
  return %0 : tensor<1x4x8xf32>
}

//===----------------------------------------------------------------------===//
// tfc.attention
//===----------------------------------------------------------------------===//

// -----

// The query is [tokens, heads, head_dim].
func.func @f(%q: tensor<?x64xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op operand #0 must be 3D tensor of 32-bit float values, but got 'tensor<?x64xf32>'}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x64xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// The key is [keys, kv_heads, head_dim].
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x32xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op operand #1 must be 3D tensor of 32-bit float values, but got 'tensor<?x32xf32>'}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x4x16xf32>, tensor<?x32xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// The value is [keys, kv_heads, value_dim].
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x32xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op operand #2 must be 3D tensor of 32-bit float values, but got 'tensor<?x32xf32>'}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x32xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// The result is [tokens, heads, value_dim].
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.attention' op result #0 must be 3D tensor of 32-bit float values, but got 'tensor<?x64xf32>'}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// Head counts must be static.
func.func @f(%q: tensor<?x?x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x?x16xf32> {
  // expected-error@+1 {{'tfc.attention' op head counts and head dims must be static}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x?x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x?x16xf32>
  return %0 : tensor<?x?x16xf32>
}

// -----

// The value head dim must be static.
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x?xf32>, %pos: index) -> tensor<?x4x?xf32> {
  // expected-error@+1 {{'tfc.attention' op head counts and head dims must be static}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x?xf32> -> tensor<?x4x?xf32>
  return %0 : tensor<?x4x?xf32>
}

// -----

// Query heads are a multiple of key heads.
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x3x16xf32>, %v: tensor<?x3x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op query heads (4) must be a multiple of key heads (3)}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x4x16xf32>, tensor<?x3x16xf32>, tensor<?x3x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// Keys have the query head_dim.
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x8xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'key' dimension 2 (8) must equal the query head_dim (16)}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x4x16xf32>, tensor<?x2x8xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// One value per key.
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<10x2x16xf32>, %v: tensor<9x2x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'value' dimension 0 (9) must equal the number of keys (10)}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x4x16xf32>, tensor<10x2x16xf32>, tensor<9x2x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// Values have the key head count.
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x4x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'value' dimension 1 (4) must equal the number of key heads (2)}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x4x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// One result row per query.
func.func @f(%q: tensor<1x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<2x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'result' dimension 0 (2) must equal the number of queries (1)}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64} : tensor<1x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<2x4x16xf32>
  return %0 : tensor<2x4x16xf32>
}

// -----

// The result has the query head count.
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x2x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'result' dimension 1 (2) must equal the number of query heads (4)}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x2x16xf32>
  return %0 : tensor<?x2x16xf32>
}

// -----

// The result has the value head_dim.
func.func @f(%q: tensor<?x4x24xf32>, %k: tensor<?x4x24xf32>, %v: tensor<?x4x16xf32>, %pos: index) -> tensor<?x4x24xf32> {
  // expected-error@+1 {{'tfc.attention' op 'result' dimension 2 (24) must equal the value head_dim (16)}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x4x24xf32>, tensor<?x4x24xf32>, tensor<?x4x16xf32> -> tensor<?x4x24xf32>
  return %0 : tensor<?x4x24xf32>
}

// -----

// The bias is [heads, queries, keys].
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %b: tensor<?x?xf32>) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op operand #4 must be 3D tensor of 32-bit float values, but got 'tensor<?x?xf32>'}}
  %0 = tfc.attention %q, %k, %v at %pos bias %b {scale = 0.25 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<?x?xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// The bias has one plane per query head.
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %b: tensor<2x?x?xf32>) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'bias' dimension 0 (2) must equal the number of query heads (4)}}
  %0 = tfc.attention %q, %k, %v at %pos bias %b {scale = 0.25 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<2x?x?xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// The bias has one row per query.
func.func @f(%q: tensor<3x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %b: tensor<4x5x?xf32>) -> tensor<3x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'bias' dimension 1 (5) must equal the number of queries (3)}}
  %0 = tfc.attention %q, %k, %v at %pos bias %b {scale = 0.25 : f64} : tensor<3x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<4x5x?xf32> -> tensor<3x4x16xf32>
  return %0 : tensor<3x4x16xf32>
}

// -----

// The bias has one column per key.
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<7x2x16xf32>, %v: tensor<7x2x16xf32>, %pos: index, %b: tensor<4x?x8xf32>) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'bias' dimension 2 (8) must equal the number of keys (7)}}
  %0 = tfc.attention %q, %k, %v at %pos bias %b {scale = 0.25 : f64} : tensor<?x4x16xf32>, tensor<7x2x16xf32>, tensor<7x2x16xf32>, tensor<4x?x8xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// The scale must be positive.
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'scale' must be positive, got -2.500000e-01}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = -0.25 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// The scale is required.
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op requires attribute 'scale'}}
  %0 = tfc.attention %q, %k, %v at %pos : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// The window must be positive.
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'window' must be positive, got 0}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64, window = 0 : i64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// The softcap must be positive.
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'softcap' must be positive, got 0.000000e+00}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64, softcap = 0.0 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// alibi is a #tfc.alibi.
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op attribute 'alibi' failed to satisfy constraint: attention with linear biases (Press et al.)}}
  %0 = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64, alibi = 8.0 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// The relative_bias table has one row per bucket.
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %t: tensor<16x4xf32>) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'relative_bias table' dimension 0 (16) must equal the number of buckets (32)}}
  %0 = tfc.attention %q, %k, %v at %pos relative_bias <buckets = 32, max_distance = 128>(%t : tensor<16x4xf32>) {scale = 1.0 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// ... and one column per query head (not per kv head).
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %t: tensor<32x2xf32>) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'relative_bias table' dimension 1 (2) must equal the number of query heads (4)}}
  %0 = tfc.attention %q, %k, %v at %pos relative_bias <buckets = 32, max_distance = 128>(%t : tensor<32x2xf32>) {scale = 1.0 : f64} : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// A table without its config (the generic form can say it).
func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %t: tensor<32x4xf32>) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'relative_bias' and its table come together}}
  %0 = "tfc.attention"(%q, %k, %v, %pos, %t) <{operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 0, 1>, scale = 1.0 : f64}> : (tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, index, tensor<32x4xf32>) -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

//===----------------------------------------------------------------------===//
// tfc.relative_position_bias
//===----------------------------------------------------------------------===//

// -----

// The table is [buckets, heads].
func.func @f(%t: tensor<32xf32>, %pos: index, %n: index, %l: index) -> tensor<4x?x?xf32> {
  // expected-error@+1 {{'tfc.relative_position_bias' op operand #0 must be 2D tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<32xf32>'}}
  %0 = tfc.relative_position_bias %t at %pos, %n, %l <buckets = 32, max_distance = 128> : tensor<32xf32> -> tensor<4x?x?xf32>
  return %0 : tensor<4x?x?xf32>
}

// -----

// The table has one row per bucket.
func.func @f(%t: tensor<16x4xf32>, %pos: index, %n: index, %l: index) -> tensor<4x?x?xf32> {
  // expected-error@+1 {{'tfc.relative_position_bias' op 'table' dimension 0 (16) must equal the number of buckets (32)}}
  %0 = tfc.relative_position_bias %t at %pos, %n, %l <buckets = 32, max_distance = 128> : tensor<16x4xf32> -> tensor<4x?x?xf32>
  return %0 : tensor<4x?x?xf32>
}

// -----

// The result is [heads, queries, keys].
func.func @f(%t: tensor<32x4xf32>, %pos: index, %n: index, %l: index) -> tensor<4x?xf32> {
  // expected-error@+1 {{'tfc.relative_position_bias' op result #0 must be 3D tensor of 32-bit float values, but got 'tensor<4x?xf32>'}}
  %0 = tfc.relative_position_bias %t at %pos, %n, %l <buckets = 32, max_distance = 128> : tensor<32x4xf32> -> tensor<4x?xf32>
  return %0 : tensor<4x?xf32>
}

// -----

// The result has one plane per head of the table.
func.func @f(%t: tensor<32x4xf32>, %pos: index, %n: index, %l: index) -> tensor<8x?x?xf32> {
  // expected-error@+1 {{'tfc.relative_position_bias' op 'result' dimension 0 (8) must equal the number of heads (4)}}
  %0 = tfc.relative_position_bias %t at %pos, %n, %l <buckets = 32, max_distance = 128> : tensor<32x4xf32> -> tensor<8x?x?xf32>
  return %0 : tensor<8x?x?xf32>
}
