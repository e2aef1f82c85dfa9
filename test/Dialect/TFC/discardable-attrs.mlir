// Every discardable attribute of the dialect where it belongs, as the
// importer and the passes write it: verified and printed back unchanged.
// RUN: tfc-opt %s | tfc-opt | FileCheck %s

// CHECK: module attributes {tfc.base_model_prefix = "model.", tfc.model_type = "llama", tfc.num_layers = 2 : i64, tfc.optional_weights = ["lm_head.weight"], tfc.position_limit = 1024 : i64, tfc.trained_context = 0 : i64}
module attributes {tfc.model_type = "llama", tfc.num_layers = 2 : i64,
                   tfc.base_model_prefix = "model.", tfc.trained_context = 0 : i64,
                   tfc.position_limit = 1024 : i64,
                   tfc.optional_weights = ["lm_head.weight"]} {
  // CHECK: func.func private @layer_kind_0(tensor<?x64xf32> {tfc.name = "x"}, index {tfc.name = "position"}, memref<?x8xf32> {tfc.kv_window = 4 : i64, tfc.name = "kv_cache"}) -> tensor<?x64xf32> attributes {tfc.layers = array<i64: 1, 0>}
  func.func private @layer_kind_0(tensor<?x64xf32> {tfc.name = "x"}, index {tfc.name = "position"},
                                  memref<?x8xf32> {tfc.name = "kv_cache", tfc.kv_window = 4 : i64})
      -> tensor<?x64xf32> attributes {tfc.layers = array<i64: 1, 0>}

  // CHECK-LABEL: func.func @attention
  // CHECK: tfc.attention {{.*}} {scale = 2.500000e-01 : f64, tfc.kv_chunk = 128 : i64, tfc.kv_tile = 64 : i64}
  func.func @attention(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x8x16xf32> {
    %o = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64, tfc.kv_tile = 64 : i64, tfc.kv_chunk = 128 : i64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
    return %o : tensor<?x8x16xf32>
  }

  // CHECK-LABEL: func.func @moe
  // CHECK: tfc.moe {{.*}} {activation = #tfc.activation<silu>, tfc.dispatch, top_k = 1 : i64}
  func.func @moe(%x: tensor<?x64xf32>, %r: tensor<2x64xf32>, %u0: tensor<32x64xf32>, %u1: tensor<32x64xf32>, %d0: tensor<64x32xf32>, %d1: tensor<64x32xf32>) -> tensor<?x64xf32> {
    %y = tfc.moe %x, %r gate() up(%u0, %u1) down(%d0, %d1) {activation = #tfc.activation<silu>, top_k = 1 : i64, tfc.dispatch} : tensor<?x64xf32>, tensor<2x64xf32>, up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
    return %y : tensor<?x64xf32>
  }
}
