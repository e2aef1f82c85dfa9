//===- TFCOps.h - tfc operations --------------------------------*- C++ -*-===//
#ifndef TFC_DIALECT_TFC_IR_TFCOPS_H
#define TFC_DIALECT_TFC_IR_TFCOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "tfc/Dialect/TFC/IR/TFCAttrs.h"
#include "tfc/Dialect/TFC/IR/TFCDialect.h"

#define GET_OP_CLASSES
#include "tfc/Dialect/TFC/IR/TFCOps.h.inc"

namespace mlir::tfc {
/// Discardable attributes by which an optimisation pass tells the lowering
/// what to do (the decision is the pass, the mechanism the lowering):
/// tfc-fuse-attention puts the KV tile (rows) on tfc.attention, tfc-tile-kv
/// the split-KV chunk (rows), tfc-dispatch-experts marks tfc.moe for routed
/// dispatch.
inline constexpr llvm::StringLiteral kKVTileAttrName = "tfc.kv_tile";
inline constexpr llvm::StringLiteral kKVChunkAttrName = "tfc.kv_chunk";
inline constexpr llvm::StringLiteral kDispatchAttrName = "tfc.dispatch";
} // namespace mlir::tfc

#endif // TFC_DIALECT_TFC_IR_TFCOPS_H
