// Verifier errors of tfc.residual_norm and tfc.gated_linear.
// RUN: tfc-opt %s -split-input-file -verify-diagnostics

func.func @f(%x: tensor<?x8xf32>, %w: tensor<8xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.residual_norm' op an RMSNorm has no bias}}
  %s, %n = tfc.residual_norm %x, %x, %w, %w {norm = #tfc.norm<rms_norm, eps = 1.0e-6>} : tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>
  return %n : tensor<?x8xf32>
}

// -----

func.func @f(%x: tensor<?x8xf32>, %w: tensor<8xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.residual_norm' op 'norm' says bias = 1 but the op has no bias operand}}
  %s, %n = tfc.residual_norm %x, %x, %w {norm = #tfc.norm<layer_norm, eps = 1.0e-6, bias = true>} : tensor<?x8xf32>, tensor<8xf32>
  return %n : tensor<?x8xf32>
}

// -----

func.func @f(%x: tensor<?x8xf32>, %w: tensor<4xf32>) -> tensor<?x8xf32> {
  // expected-error@+1 {{'tfc.residual_norm' op 'weight' dimension 0 (4) must equal the normalised dimension (8)}}
  %s, %n = tfc.residual_norm %x, %x, %w {norm = #tfc.norm<rms_norm, eps = 1.0e-6>} : tensor<?x8xf32>, tensor<4xf32>
  return %n : tensor<?x8xf32>
}

// -----

func.func @f(%x: tensor<?x8xf32>, %g: tensor<16x8xf32>, %u: tensor<16x8xbf16>) -> tensor<?x16xf32> {
  // expected-error@+1 {{'tfc.gated_linear' op gate weight 'tensor<16x8xf32>' and up weight 'tensor<16x8xbf16>' must have one type}}
  %h = tfc.gated_linear silu %x, %g, %u : tensor<?x8xf32>, tensor<16x8xf32>, tensor<16x8xbf16> -> tensor<?x16xf32>
  return %h : tensor<?x16xf32>
}

// -----

func.func @f(%x: tensor<?x8xf32>, %g: tensor<16x8xf32>) -> tensor<?x12xf32> {
  // expected-error@+1 {{'tfc.gated_linear' op 'result' dimension 1 (12) must equal the weight's output dimension (16)}}
  %h = tfc.gated_linear silu %x, %g, %g : tensor<?x8xf32>, tensor<16x8xf32>, tensor<16x8xf32> -> tensor<?x12xf32>
  return %h : tensor<?x12xf32>
}
