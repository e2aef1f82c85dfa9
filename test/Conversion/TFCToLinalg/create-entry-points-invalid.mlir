// tfc-create-entry-points needs a cache row width it can lay out, one LM
// head (tfc_prefill_last applies it to the last row) and weights the
// manifest table can describe (rank 1 to TFC_MANIFEST_MAX_RANK). A
// tfc.kv_window outside [1, 2^61) is the dialect's error
// (Dialect/TFC/discardable-attrs-invalid.mlir).
// RUN: tfc-opt %s --tfc-create-entry-points -split-input-file -verify-diagnostics

module {
  // expected-error@+1 {{'func.func' op argument 2 must be a layer's KV cache memref<?xNxf32|bf16|f16> with a static row width, got 'memref<?x?xf32>'}}
  func.func @forward(%tokens: tensor<?xi64>, %pos: index, %cache: memref<?x?xf32>) -> tensor<?x16xf32> {
    %0 = tensor.empty() : tensor<1x16xf32>
    %1 = tensor.cast %0 : tensor<1x16xf32> to tensor<?x16xf32>
    return %1 : tensor<?x16xf32>
  }
}

// -----

module {
  // expected-error@+1 {{'func.func' op must compute its logits with exactly one tfc.lm_head}}
  func.func @forward(%tokens: tensor<?xi64>, %pos: index) -> tensor<?x16xf32> {
    %0 = tensor.empty() : tensor<1x16xf32>
    %1 = tensor.cast %0 : tensor<1x16xf32> to tensor<?x16xf32>
    return %1 : tensor<?x16xf32>
  }
}

// -----

module {
  tfc.weight_decl @embed : tensor<16x8xf32>
  // expected-error@+1 {{'tfc.weight_decl' op weight 'w' of type 'tensor<1x1x1x1x1x1x1x1x2xf32>': the manifest holds weights of rank 1 to 8}}
  tfc.weight_decl @w : tensor<1x1x1x1x1x1x1x1x2xf32>
  func.func @forward(%tokens: tensor<?xi64>, %pos: index) -> tensor<?x16xf32> {
    %e = tfc.weight @embed : tensor<16x8xf32>
    %h = tfc.embedding %tokens, %e : tensor<?xi64>, tensor<16x8xf32> -> tensor<?x8xf32>
    %logits = tfc.lm_head %h, %e : tensor<?x8xf32>, tensor<16x8xf32> -> tensor<?x16xf32>
    return %logits : tensor<?x16xf32>
  }
}
