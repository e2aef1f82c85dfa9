//===- Passes.h - tfc code generation passes --------------------*- C++ -*-===//
#ifndef TFC_CODEGEN_PASSES_H
#define TFC_CODEGEN_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace func {
class FuncOp;
} // namespace func
namespace gpu {
class GPUModuleOp;
} // namespace gpu
namespace tfc {
#define GEN_PASS_DECL
#include "tfc/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "tfc/Codegen/Passes.h.inc"
} // namespace tfc
} // namespace mlir

#endif // TFC_CODEGEN_PASSES_H
