// Verifier errors of tfc.rms_norm and tfc.layer_norm.
// RUN: tfc-opt %s -split-input-file -verify-diagnostics

// The input has a dimension to normalise.
func.func @f(%x: tensor<f32>, %w: tensor<64xf32>) -> tensor<f32> {
  // expected-error@+1 {{'tfc.rms_norm' op operand #0 must be non-0-ranked tensor of 32-bit float values, but got 'tensor<f32>'}}
  %0 = tfc.rms_norm %x, %w {eps = 1.0e-5 : f64} : tensor<f32>, tensor<64xf32>
  return %0 : tensor<f32>
}

// -----

// The weight is a vector.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<1x64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.rms_norm' op operand #1 must be 1D tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<1x64xf32>'}}
  %0 = tfc.rms_norm %x, %w {eps = 1.0e-5 : f64} : tensor<?x64xf32>, tensor<1x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// The weight spans the normalised (last) dimension.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.rms_norm' op 'weight' dimension 0 (32) must equal the normalised dimension (64)}}
  %0 = tfc.rms_norm %x, %w {eps = 1.0e-5 : f64} : tensor<?x64xf32>, tensor<32xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// eps must be positive: zero.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.rms_norm' op 'eps' must be positive, got 0.000000e+00}}
  %0 = tfc.rms_norm %x, %w {eps = 0.0 : f64} : tensor<?x64xf32>, tensor<64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// eps must be positive: negative.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.rms_norm' op 'eps' must be positive, got -1.000000e-05}}
  %0 = tfc.rms_norm %x, %w {eps = -1.0e-5 : f64} : tensor<?x64xf32>, tensor<64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// eps is required.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.rms_norm' op requires attribute 'eps'}}
  %0 = tfc.rms_norm %x, %w : tensor<?x64xf32>, tensor<64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// eps is an f64 attribute.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.rms_norm' op attribute 'eps' failed to satisfy constraint: 64-bit float attribute}}
  %0 = tfc.rms_norm %x, %w {eps = 1.0e-5 : f32} : tensor<?x64xf32>, tensor<64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// The result has the input's type.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<64xf32>) -> tensor<4x64xf32> {
  // expected-error@+1 {{'tfc.rms_norm' op failed to verify that all of {input, result} have same type}}
  %0 = "tfc.rms_norm"(%x, %w) {eps = 1.0e-5 : f64} : (tensor<?x64xf32>, tensor<64xf32>) -> tensor<4x64xf32>
  return %0 : tensor<4x64xf32>
}

// -----

// layer_norm: the input has a dimension to normalise.
func.func @f(%x: tensor<f32>, %w: tensor<64xf32>) -> tensor<f32> {
  // expected-error@+1 {{'tfc.layer_norm' op operand #0 must be non-0-ranked tensor of 32-bit float values, but got 'tensor<f32>'}}
  %0 = tfc.layer_norm %x, %w {eps = 1.0e-5 : f64} : tensor<f32>, tensor<64xf32>
  return %0 : tensor<f32>
}

// -----

// layer_norm: the weight is a vector.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<f32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.layer_norm' op operand #1 must be 1D tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<f32>'}}
  %0 = tfc.layer_norm %x, %w {eps = 1.0e-5 : f64} : tensor<?x64xf32>, tensor<f32>
  return %0 : tensor<?x64xf32>
}

// -----

// layer_norm: the weight spans the normalised dimension.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<65xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.layer_norm' op 'weight' dimension 0 (65) must equal the normalised dimension (64)}}
  %0 = tfc.layer_norm %x, %w {eps = 1.0e-5 : f64} : tensor<?x64xf32>, tensor<65xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// layer_norm: eps must be positive.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.layer_norm' op 'eps' must be positive, got -1.000000e+00}}
  %0 = tfc.layer_norm %x, %w {eps = -1.0 : f64} : tensor<?x64xf32>, tensor<64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// layer_norm: the bias is a vector.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<64xf32>, %b: tensor<1x64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.layer_norm' op operand #2 must be 1D tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<1x64xf32>'}}
  %0 = tfc.layer_norm %x, %w, %b {eps = 1.0e-5 : f64} : tensor<?x64xf32>, tensor<64xf32>, tensor<1x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// layer_norm: the bias spans the normalised dimension.
func.func @f(%x: tensor<?x64xf32>, %w: tensor<64xf32>, %b: tensor<32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.layer_norm' op 'bias' dimension 0 (32) must equal the normalised dimension (64)}}
  %0 = tfc.layer_norm %x, %w, %b {eps = 1.0e-5 : f64} : tensor<?x64xf32>, tensor<64xf32>, tensor<32xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// layer_norm: operands are f32.
func.func @f(%x: tensor<?x64xf16>, %w: tensor<64xf32>) -> tensor<?x64xf16> {
  // expected-error@+1 {{'tfc.layer_norm' op operand #0 must be non-0-ranked tensor of 32-bit float values, but got 'tensor<?x64xf16>'}}
  %0 = tfc.layer_norm %x, %w {eps = 1.0e-5 : f64} : tensor<?x64xf16>, tensor<64xf32>
  return %0 : tensor<?x64xf16>
}

// -----

// A misspelt attribute is not a silent discardable one.
func.func @misspelt_attribute(%x: tensor<2x64xf32>, %w: tensor<64xf32>) -> tensor<2x64xf32> {
  // expected-error@+1 {{'tfc.rms_norm' op has no attribute 'weight_ofset'; it takes eps, weight_offset}}
  %0 = tfc.rms_norm %x, %w {eps = 1.0e-5 : f64, weight_ofset = 1.0 : f64} : tensor<2x64xf32>, tensor<64xf32>
  return %0 : tensor<2x64xf32>
}
