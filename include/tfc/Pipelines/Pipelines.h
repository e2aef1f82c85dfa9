//===- Pipelines.h - tfc's named pass pipelines -----------------*- C++ -*-===//
#ifndef TFC_PIPELINES_PIPELINES_H
#define TFC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::tfc {

/// What a user may change in the pipelines.
struct PipelineOptions {
  /// Optimisation passes to leave out, by pass name (getOptionalPasses()).
  llvm::StringSet<> disabledPasses;
  /// Optimisation passes that are off by default to run.
  llvm::StringSet<> enabledPasses;
};

/// The optimisation passes of the pipelines, which PipelineOptions may
/// disable: the model computes the same (up to reassociation) without them.
SmallVector<StringRef> getOptionalPasses();

/// Model-level tfc -> the C-ABI entry points on linalg/tensor
/// (tfc-expand-blocks, tfc-create-entry-points, tfc-lower-to-linalg, cleanup).
LogicalResult buildTFCToLinalgPipeline(OpPassManager &pm,
                                       const PipelineOptions &options = {});

/// linalg on tensors -> LLVM dialect for a CPU (bufferization, loops, LLVM).
LogicalResult buildLinalgToLLVMCPUPipeline(OpPassManager &pm,
                                           const PipelineOptions &options = {});

/// Registers `tfc-to-linalg`, `tfc-linalg-to-llvm-cpu` and `tfc-cpu-pipeline`
/// (both in sequence) with the pass registry.
void registerTFCPipelines();

} // namespace mlir::tfc

#endif // TFC_PIPELINES_PIPELINES_H
