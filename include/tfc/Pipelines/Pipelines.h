//===- Pipelines.h - tfc's named pass pipelines -----------------*- C++ -*-===//
#ifndef TFC_PIPELINES_PIPELINES_H
#define TFC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace mlir::tfc {

/// Model-level tfc -> the C-ABI entry points on linalg/tensor
/// (tfc-expand-blocks, tfc-create-entry-points, tfc-lower-to-linalg, cleanup).
LogicalResult buildTFCToLinalgPipeline(OpPassManager &pm);

/// linalg on tensors -> LLVM dialect for a CPU (bufferization, loops, LLVM).
LogicalResult buildLinalgToLLVMCPUPipeline(OpPassManager &pm);

/// Registers `tfc-to-linalg`, `tfc-linalg-to-llvm-cpu` and `tfc-cpu-pipeline`
/// (both in sequence) with the pass registry.
void registerTFCPipelines();

} // namespace mlir::tfc

#endif // TFC_PIPELINES_PIPELINES_H
