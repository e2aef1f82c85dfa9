// Verifier errors of tfc.linear and tfc.lm_head.
// RUN: tfc-opt %s -split-input-file -verify-diagnostics

// The input is [tokens, in].
func.func @f(%x: tensor<?x4x16xf32>, %w: tensor<128x64xf32>) -> tensor<?x128xf32> {
  // expected-error@+1 {{'tfc.linear' op operand #0 must be 2D tensor of 32-bit float values, but got 'tensor<?x4x16xf32>'}}
  %0 = tfc.linear %x, %w : tensor<?x4x16xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

// The weight is a matrix.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<64xf32>) -> tensor<?x128xf32> {
  // expected-error@+1 {{'tfc.linear' op operand #1 must be 2D tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<64xf32>'}}
  %0 = tfc.linear %x, %w : tensor<?x64xf32>, tensor<64xf32> -> tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

// The result is [tokens, out].
func.func @f(%x: tensor<?x64xf32>, %w: tensor<128x64xf32>) -> tensor<?x2x64xf32> {
  // expected-error@+1 {{'tfc.linear' op result #0 must be 2D tensor of 32-bit float values, but got 'tensor<?x2x64xf32>'}}
  %0 = tfc.linear %x, %w : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x2x64xf32>
  return %0 : tensor<?x2x64xf32>
}

// -----

// out_in: the input width is the weight's dimension 1.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<64x128xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.linear' op 'input' dimension 1 (64) must equal the weight's input dimension (128)}}
  %0 = tfc.linear %x, %w : tensor<?x64xf32>, tensor<64x128xf32> -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// in_out: the input width is the weight's dimension 0.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<128x64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.linear' op 'input' dimension 1 (64) must equal the weight's input dimension (128)}}
  %0 = tfc.linear %x, %w {layout = #tfc.layout<in_out>} : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// One result row per input row.
func.func @f(%x: tensor<4x64xf32>, %w: tensor<128x64xf32>) -> tensor<8x128xf32> {
  // expected-error@+1 {{'tfc.linear' op 'result' dimension 0 (8) must equal the number of tokens (4)}}
  %0 = tfc.linear %x, %w : tensor<4x64xf32>, tensor<128x64xf32> -> tensor<8x128xf32>
  return %0 : tensor<8x128xf32>
}

// -----

// out_in: the result width is the weight's dimension 0.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<128x64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.linear' op 'result' dimension 1 (64) must equal the weight's output dimension (128)}}
  %0 = tfc.linear %x, %w : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// in_out: the result width is the weight's dimension 1.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<64x128xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.linear' op 'result' dimension 1 (64) must equal the weight's output dimension (128)}}
  %0 = tfc.linear %x, %w {layout = #tfc.layout<in_out>} : tensor<?x64xf32>, tensor<64x128xf32> -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// The bias is a vector.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<128x64xf32>, %b: tensor<1x128xf32>) -> tensor<?x128xf32> {
  // expected-error@+1 {{'tfc.linear' op operand #2 must be 1D tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<1x128xf32>'}}
  %0 = tfc.linear %x, %w, %b : tensor<?x64xf32>, tensor<128x64xf32>, tensor<1x128xf32> -> tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

// The bias spans the output features.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<128x64xf32>, %b: tensor<64xf32>) -> tensor<?x128xf32> {
  // expected-error@+1 {{'tfc.linear' op 'bias' dimension 0 (64) must equal the weight's output dimension (128)}}
  %0 = tfc.linear %x, %w, %b : tensor<?x64xf32>, tensor<128x64xf32>, tensor<64xf32> -> tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

// in_out: the bias spans the weight's dimension 1.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<64x128xf32>, %b: tensor<64xf32>) -> tensor<?x128xf32> {
  // expected-error@+1 {{'tfc.linear' op 'bias' dimension 0 (64) must equal the weight's output dimension (128)}}
  %0 = tfc.linear %x, %w, %b {layout = #tfc.layout<in_out>} : tensor<?x64xf32>, tensor<64x128xf32>, tensor<64xf32> -> tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

// The layout is a #tfc.layout.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<128x64xf32>) -> tensor<?x128xf32> {
  // expected-error@+1 {{'tfc.linear' op attribute 'layout' failed to satisfy constraint: storage of a projection matrix}}
  %0 = tfc.linear %x, %w {layout = 1 : i32} : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

// lm_head: the input is [tokens, hidden].
func.func @f(%x: tensor<64xf32>, %e: tensor<32000x64xf32>) -> tensor<?x32000xf32> {
  // expected-error@+1 {{'tfc.lm_head' op operand #0 must be 2D tensor of 32-bit float values, but got 'tensor<64xf32>'}}
  %0 = tfc.lm_head %x, %e : tensor<64xf32>, tensor<32000x64xf32> -> tensor<?x32000xf32>
  return %0 : tensor<?x32000xf32>
}

// -----

// lm_head: the hidden size matches the weight.
func.func @f(%x: tensor<?x64xf32>, %e: tensor<32000x32xf32>) -> tensor<?x32000xf32> {
  // expected-error@+1 {{'tfc.lm_head' op 'input' dimension 1 (64) must equal the weight's input dimension (32)}}
  %0 = tfc.lm_head %x, %e : tensor<?x64xf32>, tensor<32000x32xf32> -> tensor<?x32000xf32>
  return %0 : tensor<?x32000xf32>
}

// -----

// lm_head: one row of logits per token.
func.func @f(%x: tensor<1x64xf32>, %e: tensor<32000x64xf32>) -> tensor<2x32000xf32> {
  // expected-error@+1 {{'tfc.lm_head' op 'result' dimension 0 (2) must equal the number of tokens (1)}}
  %0 = tfc.lm_head %x, %e : tensor<1x64xf32>, tensor<32000x64xf32> -> tensor<2x32000xf32>
  return %0 : tensor<2x32000xf32>
}

// -----

// lm_head: the logits span the vocabulary.
func.func @f(%x: tensor<?x64xf32>, %e: tensor<32000x64xf32>) -> tensor<?x32001xf32> {
  // expected-error@+1 {{'tfc.lm_head' op 'result' dimension 1 (32001) must equal the weight's output dimension (32000)}}
  %0 = tfc.lm_head %x, %e : tensor<?x64xf32>, tensor<32000x64xf32> -> tensor<?x32001xf32>
  return %0 : tensor<?x32001xf32>
}

// -----

// lm_head: the bias spans the vocabulary.
func.func @f(%x: tensor<?x64xf32>, %e: tensor<32000x64xf32>, %b: tensor<64xf32>) -> tensor<?x32000xf32> {
  // expected-error@+1 {{'tfc.lm_head' op 'bias' dimension 0 (64) must equal the weight's output dimension (32000)}}
  %0 = tfc.lm_head %x, %e, %b : tensor<?x64xf32>, tensor<32000x64xf32>, tensor<64xf32> -> tensor<?x32000xf32>
  return %0 : tensor<?x32000xf32>
}
