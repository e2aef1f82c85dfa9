// Verifier errors of tfc.moe.
// RUN: tfc-opt %s -split-input-file -verify-diagnostics

// The input is [tokens, hidden].
func.func @f(%x: tensor<64xf32>, %r: tensor<2x64xf32>, %g: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<64xf32> {
  // expected-error@+1 {{'tfc.moe' op operand #0 must be 2D tensor of 32-bit float values, but got 'tensor<64xf32>'}}
  %0 = tfc.moe %x, %r gate(%g, %g) up(%g, %g) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<64xf32>
  return %0 : tensor<64xf32>
}

// -----

// The router is [experts, hidden].
func.func @f(%x: tensor<?x64xf32>, %r: tensor<128xf32>, %g: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op operand #1 must be 2D tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<128xf32>'}}
  %0 = tfc.moe %x, %r gate(%g, %g) up(%g, %g) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<128xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// The router reads the hidden state.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x32xf32>, %g: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op 'router' dimension 1 (32) must equal the hidden size (64)}}
  %0 = tfc.moe %x, %r gate(%g, %g) up(%g, %g) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<2x32xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// The number of experts must be static.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<?x64xf32>, %g: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op the number of experts must be static}}
  %0 = tfc.moe %x, %r gate(%g, %g) up(%g, %g) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<?x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// top_k must be at least 1.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %g: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op 'top_k' (0) must be in [1, experts = 2]}}
  %0 = tfc.moe %x, %r gate(%g, %g) up(%g, %g) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 0 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// top_k must not exceed the number of experts.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %g: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op 'top_k' (3) must be in [1, experts = 2]}}
  %0 = tfc.moe %x, %r gate(%g, %g) up(%g, %g) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 3 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// One up weight per expert.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %g: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op needs one up and one down weight per expert (2) and one gate weight per expert or none; got gate 2, up 1, down 2}}
  %0 = tfc.moe %x, %r gate(%g, %g) up(%g) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// One down weight per expert.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %g: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op needs one up and one down weight per expert (2) and one gate weight per expert or none; got gate 2, up 2, down 3}}
  %0 = tfc.moe %x, %r gate(%g, %g) up(%g, %g) down(%d, %d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// Gate weights: one per expert or none.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %g: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op needs one up and one down weight per expert (2) and one gate weight per expert or none; got gate 1, up 2, down 2}}
  %0 = tfc.moe %x, %r gate(%g) up(%g, %g) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// The first up weight is a matrix.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %u: tensor<2048xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op operand #2 must be variadic of 2D tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<2048xf32>'}}
  %0 = tfc.moe %x, %r gate(%u, %u) up(%u, %u) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<2048xf32>, tensor<2048xf32>), up(tensor<2048xf32>, tensor<2048xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// Every up weight is a matrix.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %u: tensor<32x64xf32>, %u3: tensor<1x32x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op operand #3 must be variadic of 2D tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<1x32x64xf32>'}}
  %0 = "tfc.moe"(%x, %r, %u, %u3, %d, %d) <{activation = #tfc.activation<silu>, top_k = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 2, 2>}>
      : (tensor<?x64xf32>, tensor<2x64xf32>, tensor<32x64xf32>, tensor<1x32x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// Gate weights have the up weights' type.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %g: tensor<16x64xf32>, %u: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op gate weight 'tensor<16x64xf32>' differs from the up weights 'tensor<32x64xf32>'}}
  %0 = tfc.moe %x, %r gate(%g, %g) up(%u, %u) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<16x64xf32>, tensor<16x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// All experts have one width (that of the first up weight).
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %u0: tensor<32x64xf32>, %u1: tensor<48x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op 'up weight' dimension 0 (48) must equal the expert width (32)}}
  %0 = "tfc.moe"(%x, %r, %u0, %u1, %d, %d) <{activation = #tfc.activation<silu>, top_k = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 2, 2>}>
      : (tensor<?x64xf32>, tensor<2x64xf32>, tensor<32x64xf32>, tensor<48x64xf32>, tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// Up weights are [intermediate, hidden].
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %u: tensor<32x48xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op 'up weight' dimension 1 (48) must equal the hidden size (64)}}
  %0 = tfc.moe %x, %r gate(%u, %u) up(%u, %u) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x48xf32>, tensor<32x48xf32>), up(tensor<32x48xf32>, tensor<32x48xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// Down weights are matrices.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %u: tensor<32x64xf32>, %d: tensor<2048xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op operand #6 must be variadic of 2D tensor of 32-bit float or bfloat16 type or 16-bit float values, but got 'tensor<2048xf32>'}}
  %0 = tfc.moe %x, %r gate(%u, %u) up(%u, %u) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<2048xf32>, tensor<2048xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// Down weights are [hidden, intermediate]: a transposed down weight.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %u: tensor<32x64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op 'down weight' dimension 0 (32) must equal the hidden size (64)}}
  %0 = tfc.moe %x, %r gate(%u, %u) up(%u, %u) down(%u, %u) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<32x64xf32>, tensor<32x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// Down weights read the expert width.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %u: tensor<32x64xf32>, %d: tensor<64x16xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op 'down weight' dimension 1 (16) must equal the expert width (32)}}
  %0 = tfc.moe %x, %r gate(%u, %u) up(%u, %u) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x16xf32>, tensor<64x16xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// The result has the input's type.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %u: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<4x64xf32> {
  // expected-error@+1 {{'tfc.moe' op result type 'tensor<4x64xf32>' must equal the input type 'tensor<?x64xf32>'}}
  %0 = tfc.moe %x, %r gate(%u, %u) up(%u, %u) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<4x64xf32>
  return %0 : tensor<4x64xf32>
}

// -----

// routed_scale must be positive.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %u: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op 'routed_scale' must be positive, got -1.000000e+00}}
  %0 = tfc.moe %x, %r gate(%u, %u) up(%u, %u) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64, routed_scale = -1.0 : f64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// The activation is required.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %u: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op requires attribute 'activation'}}
  %0 = tfc.moe %x, %r gate(%u, %u) up(%u, %u) down(%d, %d) {top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// Malformed: the number of operands and types in a group must agree.
func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %u: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{number of operands and types do not match: got 2 operands and 1 types}}
  %0 = tfc.moe %x, %r gate(%u, %u) up(%u, %u) down(%d, %d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}
