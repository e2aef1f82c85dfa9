//===- Passes.td - tfc conversion passes -------------------*- tablegen -*-===//
#ifndef TFC_CONVERSION_PASSES_TD
#define TFC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def TFCCreateEntryPoints : Pass<"tfc-create-entry-points", "::mlir::ModuleOp"> {
  let summary = "Create the prefill/decode entry points of the compiled model";
  let description = [{
    Turns the model function `@forward(tokens, position, caches...)` into the
    C-ABI entry points of docs/ABI.md, `@tfc_prefill` (any number of tokens),
    `@tfc_prefill_last` (the same, with the LM head applied to the last
    position only), `@tfc_decode` (one token) and `@tfc_decode_batch` (one token
    of each of a batch of sequences: the row-wise ops on all rows at once, the
    ops that read a position or a cache per sequence in an `scf.forall`, each
    sequence's caches at its byte offset in one pool), each a specialised copy. Weights
    become views of the weight arena at the offsets of the manifest (a
    `tfc.quantized_weight` two: its int8 values, then its scales), which is
    emitted as the constant table `tfc_manifest`. The layers' caches become views of
    one flat buffer, in argument order: `max_context` rows each, or
    `min(2 * window - 1, max_context)` for an argument marked `tfc.kv_window`.
    Requires expanded blocks.

    ```mlir
    func.func @tfc_prefill(%arena: memref<?xi8>, %kv: memref<?xf32>,
        %tokens: memref<?xi64>, %pos: index, %max_context: index,
        %logits: memref<?x?xf32>) attributes {llvm.emit_c_interface}
    ```
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def TFCLowerToLinalg : Pass<"tfc-lower-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower op-level tfc ops to linalg, tensor, arith and math";
  let description = [{
    Each op-level tfc op becomes `linalg.generic` ops on tensors (projections
    are contractions, norms and softmax reductions followed by elementwise
    maps); KV-cache ops become `memref.subview` writes and reads, in two
    pieces where a ring of rows wraps around. The result is ready for
    one-shot bufferization.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::scf::SCFDialect"];
}

def TFCMemRefCopyToLinalg : Pass<"tfc-memref-copy-to-linalg"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    Strided `memref.copy` lowers to a call into MLIR's runner-utils library;
    as `linalg.copy` it becomes loops like the rest of the model, so a compiled
    model depends on nothing but libc, libm and libomp.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // TFC_CONVERSION_PASSES_TD
