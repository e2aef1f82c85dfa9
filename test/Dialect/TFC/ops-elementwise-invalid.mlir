// Verifier and parser errors of tfc.activation, tfc.glu, tfc.softcap, tfc.clamp, tfc.residual_add.
// RUN: tfc-opt %s -split-input-file -verify-diagnostics

// An unknown activation keyword.
func.func @f(%x: tensor<?x128xf32>) -> tensor<?x128xf32> {
  // expected-error@+1 {{unknown activation 'swish'; expected relu, gelu, gelu_tanh or silu}}
  %0 = tfc.activation swish %x : tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

// The activation keyword is required.
func.func @f(%x: tensor<?x128xf32>) -> tensor<?x128xf32> {
  // expected-error@+1 {{expected valid keyword}}
  %0 = tfc.activation %x : tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

// The activation is a bare keyword, not an attribute.
func.func @f(%x: tensor<?x128xf32>) -> tensor<?x128xf32> {
  // expected-error@+1 {{expected valid keyword}}
  %0 = tfc.activation #tfc.activation<silu> %x : tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

// activation: the result has the input's type.
func.func @f(%x: tensor<?x128xf32>) -> tensor<4x128xf32> {
  // expected-error@+1 {{'tfc.activation' op failed to verify that all of {input, result} have same type}}
  %0 = "tfc.activation"(%x) {kind = #tfc.activation<silu>} : (tensor<?x128xf32>) -> tensor<4x128xf32>
  return %0 : tensor<4x128xf32>
}

// -----

// glu: an unknown activation keyword.
func.func @f(%g: tensor<?x128xf32>, %u: tensor<?x128xf32>) -> tensor<?x128xf32> {
  // expected-error@+1 {{unknown activation 'tanh'; expected relu, gelu, gelu_tanh or silu}}
  %0 = tfc.glu tanh %g, %u : tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

// glu: gate and up have one type.
func.func @f(%g: tensor<?x128xf32>, %u: tensor<?x64xf32>) -> tensor<?x128xf32> {
  // expected-error@+1 {{'tfc.glu' op failed to verify that all of {gate, up, result} have same type}}
  %0 = "tfc.glu"(%g, %u) {kind = #tfc.activation<silu>} : (tensor<?x128xf32>, tensor<?x64xf32>) -> tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// -----

// softcap: the cap must be positive.
func.func @f(%x: tensor<?x256xf32>) -> tensor<?x256xf32> {
  // expected-error@+1 {{'tfc.softcap' op 'cap' must be positive, got 0.000000e+00}}
  %0 = tfc.softcap %x {cap = 0.0 : f64} : tensor<?x256xf32>
  return %0 : tensor<?x256xf32>
}

// -----

// softcap: the cap is required.
func.func @f(%x: tensor<?x256xf32>) -> tensor<?x256xf32> {
  // expected-error@+1 {{'tfc.softcap' op requires attribute 'cap'}}
  %0 = tfc.softcap %x : tensor<?x256xf32>
  return %0 : tensor<?x256xf32>
}

// -----

// clamp: the limit must be positive.
func.func @f(%x: tensor<?x192xf32>) -> tensor<?x192xf32> {
  // expected-error@+1 {{'tfc.clamp' op 'limit' must be positive, got -8.000000e+00}}
  %0 = tfc.clamp %x {limit = -8.0 : f64} : tensor<?x192xf32>
  return %0 : tensor<?x192xf32>
}

// -----

// clamp: the limit is required.
func.func @f(%x: tensor<?x192xf32>) -> tensor<?x192xf32> {
  // expected-error@+1 {{'tfc.clamp' op requires attribute 'limit'}}
  %0 = tfc.clamp %x : tensor<?x192xf32>
  return %0 : tensor<?x192xf32>
}

// -----

// clamp: the result has the input's type.
func.func @f(%x: tensor<?x192xf32>) -> tensor<2x192xf32> {
  // expected-error@+1 {{'tfc.clamp' op failed to verify that all of {input, result} have same type}}
  %0 = "tfc.clamp"(%x) {limit = 8.0 : f64} : (tensor<?x192xf32>) -> tensor<2x192xf32>
  return %0 : tensor<2x192xf32>
}

// -----

// residual_add: both operands and the result have one type.
func.func @f(%x: tensor<?x64xf32>, %u: tensor<4x64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.residual_add' op failed to verify that all of {residual, update, result} have same type}}
  %0 = "tfc.residual_add"(%x, %u) : (tensor<?x64xf32>, tensor<4x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// residual_add: alpha is an f64 attribute.
func.func @f(%x: tensor<?x64xf32>, %u: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.residual_add' op attribute 'alpha' failed to satisfy constraint: 64-bit float attribute}}
  %0 = tfc.residual_add %x, %u {alpha = 2 : i64} : tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}
