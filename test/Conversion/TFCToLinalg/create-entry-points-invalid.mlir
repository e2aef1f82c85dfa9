// tfc-create-entry-points needs a cache row width it can lay out and one LM
// head (tfc_prefill_last applies it to the last row). A non-positive
// tfc.kv_window is the dialect's error (Dialect/TFC/discardable-attrs-invalid.mlir).
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
