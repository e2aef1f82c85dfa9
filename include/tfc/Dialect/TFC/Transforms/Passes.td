//===- Passes.td - tfc dialect passes ----------------------*- tablegen -*-===//
#ifndef TFC_DIALECT_TFC_TRANSFORMS_PASSES_TD
#define TFC_DIALECT_TFC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TFCExpandBlocks : Pass<"tfc-expand-blocks", "::mlir::ModuleOp"> {
  let summary = "Expand tfc.decoder_block into op-level tfc ops";
  let description = [{
    Rewrites every `tfc.decoder_block` into the norms, projections, position
    encoding, KV-cache update, attention and feed-forward its attributes
    describe, reading its weights through `tfc.weight`. Every layer must have
    a KV cache of its own. A full-attention layer appends its keys and values
    and then attends over the cache; a sliding-window layer reads the window
    before the step, attends over it and the new keys, then appends, so its
    cache may be a ring of `window` rows: a cache that is a function argument
    is marked `tfc.kv_window = W` to say so.

    ```mlir
    %y = tfc.decoder_block %x at %pos cache %c {...} : tensor<?x64xf32>, memref<?x256xf32>
    // becomes
    %n = tfc.rms_norm %x, %w0 {eps = ...}
    %q = tfc.linear %n, %wq ...
    ...
    ```
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // TFC_DIALECT_TFC_TRANSFORMS_PASSES_TD
