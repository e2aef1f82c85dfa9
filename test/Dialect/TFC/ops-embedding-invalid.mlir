// Verifier errors of tfc.embedding, tfc.learned_positions, tfc.sinusoidal_positions.
// RUN: tfc-opt %s -split-input-file -verify-diagnostics

// The table is [vocab, hidden].
func.func @f(%tok: tensor<?xi64>, %table: tensor<32x4x16xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.embedding' op operand #1 must be 2D tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<32x4x16xf32>'}}
  %0 = tfc.embedding %tok, %table : tensor<?xi64>, tensor<32x4x16xf32> -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// The result is [tokens, hidden].
func.func @f(%tok: tensor<?xi64>, %table: tensor<32x64xf32>) -> tensor<64xf32> {
  // expected-error@+1 {{'tfc.embedding' op result #0 must be 2D tensor of 32-bit float values, but got 'tensor<64xf32>'}}
  %0 = tfc.embedding %tok, %table : tensor<?xi64>, tensor<32x64xf32> -> tensor<64xf32>
  return %0 : tensor<64xf32>
}

// -----

// One result row per token.
func.func @f(%tok: tensor<4xi64>, %table: tensor<32x64xf32>) -> tensor<8x64xf32> {
  // expected-error@+1 {{'tfc.embedding' op 'result' dimension 0 (8) must equal the number of tokens (4)}}
  %0 = tfc.embedding %tok, %table : tensor<4xi64>, tensor<32x64xf32> -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}

// -----

// Result rows are as wide as the table.
func.func @f(%tok: tensor<?xi64>, %table: tensor<32x64xf32>) -> tensor<?x32xf32> {
  // expected-error@+1 {{'tfc.embedding' op 'result' dimension 1 (32) must equal the table's width (64)}}
  %0 = tfc.embedding %tok, %table : tensor<?xi64>, tensor<32x64xf32> -> tensor<?x32xf32>
  return %0 : tensor<?x32xf32>
}

// -----

// The scale must be positive.
func.func @f(%tok: tensor<?xi64>, %table: tensor<32x64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.embedding' op 'scale' must be positive, got 0.000000e+00}}
  %0 = tfc.embedding %tok, %table {scale = 0.0 : f64} : tensor<?xi64>, tensor<32x64xf32> -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// Token ids are i64.
func.func @f(%tok: tensor<?xi32>, %table: tensor<32x64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.embedding' op operand #0 must be ranked tensor of 64-bit signless integer values}}
  %0 = tfc.embedding %tok, %table : tensor<?xi32>, tensor<32x64xf32> -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// Token ids are a vector.
func.func @f(%tok: tensor<1x?xi64>, %table: tensor<32x64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.embedding' op operand #0 must be ranked tensor of 64-bit signless integer values}}
  %0 = tfc.embedding %tok, %table : tensor<1x?xi64>, tensor<32x64xf32> -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// learned_positions: the input is [tokens, hidden].
func.func @f(%x: tensor<64xf32>, %wpe: tensor<1024x64xf32>, %pos: index) -> tensor<64xf32> {
  // expected-error@+1 {{'tfc.learned_positions' op operand #0 must be 2D tensor of 32-bit float values, but got 'tensor<64xf32>'}}
  %0 = tfc.learned_positions %x, %wpe at %pos : tensor<64xf32>, tensor<1024x64xf32>
  return %0 : tensor<64xf32>
}

// -----

// learned_positions: the table is [positions, hidden].
func.func @f(%x: tensor<?x64xf32>, %wpe: tensor<64xf32>, %pos: index) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.learned_positions' op operand #1 must be 2D tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<64xf32>'}}
  %0 = tfc.learned_positions %x, %wpe at %pos : tensor<?x64xf32>, tensor<64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// learned_positions: table rows are as wide as the hidden state.
func.func @f(%x: tensor<?x64xf32>, %wpe: tensor<1024x32xf32>, %pos: index) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.learned_positions' op 'table' dimension 1 (32) must equal the hidden size (64)}}
  %0 = tfc.learned_positions %x, %wpe at %pos : tensor<?x64xf32>, tensor<1024x32xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// learned_positions: the result has the input's type.
func.func @f(%x: tensor<?x64xf32>, %wpe: tensor<1024x64xf32>, %pos: index) -> tensor<4x64xf32> {
  // expected-error@+1 {{'tfc.learned_positions' op failed to verify that all of {input, result} have same type}}
  %0 = "tfc.learned_positions"(%x, %wpe, %pos) : (tensor<?x64xf32>, tensor<1024x64xf32>, index) -> tensor<4x64xf32>
  return %0 : tensor<4x64xf32>
}

// -----

// sinusoidal_positions: the input is [tokens, hidden].
func.func @f(%x: tensor<?x4x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.sinusoidal_positions' op operand #0 must be 2D tensor of 32-bit float values, but got 'tensor<?x4x16xf32>'}}
  %0 = tfc.sinusoidal_positions %x at %pos {base = 1.0e4 : f64} : tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}

// -----

// sinusoidal_positions: the base must be positive.
func.func @f(%x: tensor<?x64xf32>, %pos: index) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.sinusoidal_positions' op 'base' must be positive, got -1.000000e+04}}
  %0 = tfc.sinusoidal_positions %x at %pos {base = -1.0e4 : f64} : tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// sinusoidal_positions: sin/cos pairs need an even hidden size.
func.func @f(%x: tensor<?x63xf32>, %pos: index) -> tensor<?x63xf32> {
  // expected-error@+1 {{'tfc.sinusoidal_positions' op hidden size must be static and even, got 63}}
  %0 = tfc.sinusoidal_positions %x at %pos {base = 1.0e4 : f64} : tensor<?x63xf32>
  return %0 : tensor<?x63xf32>
}

// -----

// sinusoidal_positions: the hidden size must be static.
func.func @f(%x: tensor<?x?xf32>, %pos: index) -> tensor<?x?xf32> {
  // expected-error@+1 {{'tfc.sinusoidal_positions' op hidden size must be static and even, got ?}}
  %0 = tfc.sinusoidal_positions %x at %pos {base = 1.0e4 : f64} : tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// sinusoidal_positions: base is required.
func.func @f(%x: tensor<?x64xf32>, %pos: index) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.sinusoidal_positions' op requires attribute 'base'}}
  %0 = tfc.sinusoidal_positions %x at %pos : tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}
