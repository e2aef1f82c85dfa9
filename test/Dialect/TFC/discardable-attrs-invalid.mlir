// The dialect's discardable attributes (TFCDialect.h): type, range and place
// of each, and no other tfc. attribute.
// RUN: tfc-opt %s -split-input-file -verify-diagnostics

// expected-error@+1 {{'builtin.module' op 'tfc.model_type' must not be empty}}
module attributes {tfc.model_type = ""} {}

// -----

// expected-error@+1 {{'builtin.module' op 'tfc.model_type' must be a string attribute, got 3 : i64}}
module attributes {tfc.model_type = 3 : i64} {}

// -----

module {
  // expected-error@+1 {{'func.func' op 'tfc.model_type' may only appear on a builtin.module}}
  func.func private @f() attributes {tfc.model_type = "llama"}
}

// -----

// expected-error@+1 {{'builtin.module' op 'tfc.num_layers' must be non-negative, got -1}}
module attributes {tfc.num_layers = -1 : i64} {}

// -----

// expected-error@+1 {{'builtin.module' op 'tfc.num_layers' must be an i64 integer attribute, got 2 : i32}}
module attributes {tfc.num_layers = 2 : i32} {}

// -----

// expected-error@+1 {{'builtin.module' op 'tfc.base_model_prefix' must be a string attribute, got ["model."]}}
module attributes {tfc.base_model_prefix = ["model."]} {}

// -----

// expected-error@+1 {{'builtin.module' op 'tfc.trained_context' must be non-negative, got -4096}}
module attributes {tfc.trained_context = -4096 : i64} {}

// -----

// A learned table holds at least one position.
// expected-error@+1 {{'builtin.module' op 'tfc.position_limit' must be positive, got 0}}
module attributes {tfc.position_limit = 0 : i64} {}

// -----

// expected-error@+1 {{'builtin.module' op 'tfc.optional_weights' must be an array of strings, got "lm_head.weight"}}
module attributes {tfc.optional_weights = "lm_head.weight"} {}

// -----

// expected-error@+1 {{'builtin.module' op 'tfc.optional_weights' must be a string attribute, got 1 : i64}}
module attributes {tfc.optional_weights = ["lm_head.weight", 1]} {}

// -----

// A misspelt attribute is an error, not a silent discardable one.
// expected-error@+1 {{'builtin.module' op 'tfc.num_layer' is not an attribute of the tfc dialect}}
module attributes {tfc.num_layer = 2 : i64} {}

// -----

// tfc.layers: the layers of a layer function, below the module's count.
module attributes {tfc.num_layers = 2 : i64} {
  // expected-error@+1 {{'func.func' op 'tfc.layers' lists layer 2 outside [0, 2)}}
  func.func private @layer_kind_0() attributes {tfc.layers = array<i64: 0, 2>}
}

// -----

module {
  // expected-error@+1 {{'func.func' op 'tfc.layers' lists layer -1 outside [0, inf)}}
  func.func private @layer_kind_0() attributes {tfc.layers = array<i64: -1>}
}

// -----

module {
  // expected-error@+1 {{'func.func' op 'tfc.layers' lists layer 1 twice}}
  func.func private @layer_kind_0() attributes {tfc.layers = array<i64: 1, 3, 1>}
}

// -----

module {
  // expected-error@+1 {{'func.func' op 'tfc.layers' must be a non-empty array<i64>, got array<i64>}}
  func.func private @layer_kind_0() attributes {tfc.layers = array<i64>}
}

// -----

// expected-error@+1 {{'builtin.module' op 'tfc.layers' may only appear on a function}}
module attributes {tfc.layers = array<i64: 0>} {}

// -----

// Argument attributes.
// expected-error@+1 {{'func.func' op argument 0: 'tfc.name' must not be empty}}
func.func private @f(tensor<?xi64> {tfc.name = ""})

// -----

// expected-error@+1 {{'func.func' op argument 1: 'tfc.name' must be a string attribute, got 1 : i64}}
func.func private @f(tensor<?xi64>, index {tfc.name = 1 : i64})

// -----

// expected-error@+1 {{'func.func' op argument 2: 'tfc.kv_window' must be positive, got 0}}
func.func private @f(tensor<?xi64>, index, memref<?x8xf32> {tfc.kv_window = 0 : i64})

// -----

// expected-error@+1 {{'func.func' op argument 2: 'tfc.kv_window' must be below 2^61, got 2305843009213693952}}
func.func private @f(tensor<?xi64>, index, memref<?x8xf32> {tfc.kv_window = 2305843009213693952 : i64})

// -----

// expected-error@+1 {{'func.func' op argument 0: 'tfc.kv_window' must be an i64 integer attribute, got 4.096000e+03 : f32}}
func.func private @f(memref<?x8xf32> {tfc.kv_window = 4096.0 : f32})

// -----

// Only a layer's KV cache can be a ring of window rows.
// expected-error@+1 {{'func.func' op argument 1: 'tfc.kv_window' must be on a KV cache (a 2-D memref), got 'index'}}
func.func private @f(tensor<?xi64>, index {tfc.kv_window = 8 : i64})

// -----

// expected-error@+1 {{'func.func' op argument 0: 'tfc.kv_windw' is not an argument attribute of the tfc dialect}}
func.func private @f(memref<?x8xf32> {tfc.kv_windw = 8 : i64})

// -----

// expected-error@+1 {{'func.func' op result 0: 'tfc.name' is not a result attribute of the tfc dialect (it has none)}}
func.func private @f() -> (tensor<?x8xf32> {tfc.name = "logits"})

// -----

// expected-error@+1 {{'func.func' op 'tfc.kv_window' may only appear on a function argument}}
func.func private @f() attributes {tfc.kv_window = 8 : i64}

// -----

// The decisions of optimisation passes, on the ops they are for.
func.func @f(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x8x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'tfc.kv_tile' must be positive, got 0}}
  %o = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64, tfc.kv_tile = 0 : i64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
  return %o : tensor<?x8x16xf32>
}

// -----

func.func @f(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x8x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'tfc.kv_chunk' must be positive, got -128}}
  %o = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64, tfc.kv_tile = 64 : i64, tfc.kv_chunk = -128 : i64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
  return %o : tensor<?x8x16xf32>
}

// -----

// Split-KV splits the tiles of the flash form.
func.func @f(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x8x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'tfc.kv_chunk' needs 'tfc.kv_tile'}}
  %o = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64, tfc.kv_chunk = 128 : i64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
  return %o : tensor<?x8x16xf32>
}

// -----

func.func @f(%x: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.softcap' op 'tfc.kv_tile' may only appear on tfc.attention}}
  %y = tfc.softcap %x {cap = 30.0 : f64, tfc.kv_tile = 64 : i64} : tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// -----

func.func @f(%x: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.softcap' op 'tfc.dispatch' may only appear on tfc.moe}}
  %y = tfc.softcap %x {cap = 30.0 : f64, tfc.dispatch} : tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// -----

func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %u0: tensor<32x64xf32>, %u1: tensor<32x64xf32>, %d0: tensor<64x32xf32>, %d1: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op 'tfc.dispatch' must be a unit attribute, got true}}
  %y = tfc.moe %x, %r gate() up(%u0, %u1) down(%d0, %d1) {activation = #tfc.activation<silu>, top_k = 1 : i64, tfc.dispatch = true} : tensor<?x64xf32>, tensor<2x64xf32>, up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// -----

func.func @f(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %u0: tensor<32x64xf32>, %u1: tensor<32x64xf32>, %d0: tensor<64x32xf32>, %d1: tensor<64x32xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.moe' op 'tfc.gated_experts' needs an FFN with gate weights (a GLU)}}
  %y = tfc.moe %x, %r gate() up(%u0, %u1) down(%d0, %d1) {activation = #tfc.activation<silu>, top_k = 1 : i64, tfc.gated_experts} : tensor<?x64xf32>, tensor<2x64xf32>, up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}

// -----

func.func @f(%x: tensor<?x64xf32>) -> tensor<?x64xf32> {
  // expected-error@+1 {{'tfc.softcap' op 'tfc.gated_experts' may only appear on tfc.moe}}
  %y = tfc.softcap %x {cap = 30.0 : f64, tfc.gated_experts} : tensor<?x64xf32>
  return %y : tensor<?x64xf32>
}
