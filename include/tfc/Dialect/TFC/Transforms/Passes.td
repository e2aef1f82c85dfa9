//===- Passes.td - tfc dialect passes ----------------------*- tablegen -*-===//
#ifndef TFC_DIALECT_TFC_TRANSFORMS_PASSES_TD
#define TFC_DIALECT_TFC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TFCExpandBlocks : Pass<"tfc-expand-blocks", "::mlir::ModuleOp"> {
  let summary = "Expand tfc.decoder_block into op-level tfc ops";
  let description = [{
    Rewrites every `tfc.decoder_block` into the norms, projections, position
    encoding, KV-cache update, attention and feed-forward its attributes
    describe, reading its weights through `tfc.weight`. Assigns each layer
    its columns of the KV cache (in block order) and records the total width
    in the module attribute `tfc.kv_floats_per_token`.

    ```mlir
    %y = tfc.decoder_block %x at %pos cache %c {...} : tensor<?x64xf32>, memref<?x?xf32>
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
