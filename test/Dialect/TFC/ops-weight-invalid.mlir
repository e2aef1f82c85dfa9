// Verifier errors of tfc.weight_decl and tfc.weight.
// RUN: tfc-opt %s -split-input-file -verify-diagnostics

// A checkpoint tensor has a static shape.
// expected-error@+1 {{'tfc.weight_decl' op weight 'w' must have a static shape, got 'tensor<?x64xf32>'}}
tfc.weight_decl @w : tensor<?x64xf32>

// -----

// Weights are read as f32, bf16 or f16, or quantized (int8 values).
// expected-error@+1 {{'tfc.weight_decl' op weight 'w': i8 values need a `quantized` scheme}}
tfc.weight_decl @w : tensor<64xi8>

// -----

// expected-error@+1 {{'tfc.weight_decl' op attribute 'type' failed to satisfy constraint: type attribute of ranked tensor of 32-bit float or bfloat16 type or 16-bit float or 8-bit signless integer values}}
tfc.weight_decl @w : tensor<64xi32>

// -----

// A weight is a ranked tensor.
// expected-error@+1 {{'tfc.weight_decl' op attribute 'type' failed to satisfy constraint: type attribute of ranked tensor of 32-bit float or bfloat16 type or 16-bit float or 8-bit signless integer values}}
tfc.weight_decl @w : tensor<*xf32>

// -----

// Two declarations of one checkpoint name.
// expected-note@+1 {{see existing symbol definition here}}
tfc.weight_decl @w : tensor<64xf32>
// expected-error@+1 {{redefinition of symbol named 'w'}}
tfc.weight_decl @w : tensor<64xf32>

// -----

// tfc.weight must name a tfc.weight_decl, not another symbol.
func.func private @g()
func.func @f() -> tensor<64xf32> {
  // expected-error@+1 {{'tfc.weight' op 'g' does not name a tfc.weight_decl}}
  %0 = tfc.weight @g : tensor<64xf32>
  return %0 : tensor<64xf32>
}

// -----

// tfc.weight must name an existing symbol.
func.func @f() -> tensor<64xf32> {
  // expected-error@+1 {{'tfc.weight' op 'missing' does not name a tfc.weight_decl}}
  %0 = tfc.weight @missing : tensor<64xf32>
  return %0 : tensor<64xf32>
}

// -----

// The result type is the declared type: a different shape.
tfc.weight_decl @w : tensor<64xf32>
func.func @f() -> tensor<32xf32> {
  // expected-error@+1 {{'tfc.weight' op type 'tensor<32xf32>' of 'w' differs from its declaration 'tensor<64xf32>'}}
  %0 = tfc.weight @w : tensor<32xf32>
  return %0 : tensor<32xf32>
}

// -----

// The result type is the declared type: not even a dynamic extent.
tfc.weight_decl @w : tensor<64xf32>
func.func @f() -> tensor<?xf32> {
  // expected-error@+1 {{'tfc.weight' op type 'tensor<?xf32>' of 'w' differs from its declaration 'tensor<64xf32>'}}
  %0 = tfc.weight @w : tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Malformed: the name is a flat symbol reference.
tfc.weight_decl @w : tensor<64xf32>
func.func @f() -> tensor<64xf32> {
  // expected-error@+1 {{invalid kind of attribute specified}}
  %0 = tfc.weight @w::@x : tensor<64xf32>
  return %0 : tensor<64xf32>
}


// -----

// q8_0 rows are whole blocks of 32.
// expected-error@+1 {{'tfc.weight_decl' op weight 'w' quantized q8_0 must be an i8 matrix whose rows are whole blocks of 32, got 'tensor<64x48xi8>'}}
tfc.weight_decl @w : tensor<64x48xi8> quantized <q8_0>

// -----

// expected-error@+1 {{'tfc.weight_decl' op weight 'w' quantized q8_0 must be an i8 matrix whose rows are whole blocks of 32, got 'tensor<64x64xf32>'}}
tfc.weight_decl @w : tensor<64x64xf32> quantized <q8_0>

// -----

tfc.weight_decl @w : tensor<64x64xi8> quantized <q8_0>
func.func @f() -> tensor<64x64xf32> {
  // expected-error@+1 {{'tfc.weight' op 'w' is quantized: read it with tfc.quantized_weight}}
  %0 = tfc.weight @w : tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}

// -----

tfc.weight_decl @w : tensor<64x64xf32>
func.func @f() -> tensor<64x64xi8> {
  // expected-error@+1 {{'tfc.quantized_weight' op 'w' is not quantized: read it with tfc.weight}}
  %q, %s = tfc.quantized_weight @w : tensor<64x64xi8>, tensor<64x2xf16>
  return %q : tensor<64x64xi8>
}

// -----

tfc.weight_decl @w : tensor<64x64xi8> quantized <q8_0>
func.func @f() -> tensor<64x64xi8> {
  // expected-error@+1 {{'tfc.quantized_weight' op types 'tensor<64x64xi8>', 'tensor<64x4xf16>' of 'w' differ from its declaration's 'tensor<64x64xi8>', 'tensor<64x2xf16>'}}
  %q, %s = tfc.quantized_weight @w : tensor<64x64xi8>, tensor<64x4xf16>
  return %q : tensor<64x64xi8>
}

// -----

func.func @f(%q: tensor<64x64xi8>, %s: tensor<64x4xf16>) -> tensor<64x64xf32> {
  // expected-error@+1 {{'tfc.dequantize' op expects one scale per block of 32 values of a row: scales [64, 64 / 32], got 'tensor<64x4xf16>'}}
  %w = tfc.dequantize %q, %s : tensor<64x64xi8>, tensor<64x4xf16> -> tensor<64x64xf32>
  return %w : tensor<64x64xf32>
}

// -----

func.func @f(%q: tensor<64x64xi8>, %s: tensor<64x2xf16>) -> tensor<32x64xf32> {
  // expected-error@+1 {{'tfc.dequantize' op result shape must be the values' shape}}
  %w = tfc.dequantize %q, %s : tensor<64x64xi8>, tensor<64x2xf16> -> tensor<32x64xf32>
  return %w : tensor<32x64xf32>
}

// -----

func.func @f(%x: tensor<?x48xf32>) {
  // expected-error@+1 {{'tfc.quantize' op expects rows of whole blocks of 32, got 'tensor<?x48xf32>'}}
  %q, %s = tfc.quantize %x : tensor<?x48xf32> -> tensor<?x48xi8>, tensor<?x1xf16>
  return
}

// -----

func.func @f(%x: tensor<?x64xf32>) {
  // expected-error@+1 {{'tfc.quantize' op expects scales 'tensor<?x2xf16>' (one per block of a row), got 'tensor<?x4xf16>'}}
  %q, %s = tfc.quantize %x : tensor<?x64xf32> -> tensor<?x64xi8>, tensor<?x4xf16>
  return
}

// -----

func.func @f(%x: tensor<?x64xf32>) {
  // expected-error@+1 {{'tfc.quantize' op values must have the input's shape, got 'tensor<4x64xi8>'}}
  %q, %s = tfc.quantize %x : tensor<?x64xf32> -> tensor<4x64xi8>, tensor<4x2xf16>
  return
}
