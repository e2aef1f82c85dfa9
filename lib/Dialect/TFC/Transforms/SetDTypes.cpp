//===- SetDTypes.cpp - Element types of the weights and KV caches ---------===//
#include "tfc/Dialect/TFC/IR/TFCOps.h"
#include "tfc/Dialect/TFC/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCSETDTYPES
#include "tfc/Dialect/TFC/Transforms/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;
using namespace mlir::tfc;

namespace {
/// The element type named `name` (f32, bf16, f16); null if none is.
Type parseElementType(MLIRContext *ctx, StringRef name) {
  return llvm::StringSwitch<Type>(name)
      .Case("f32", Float32Type::get(ctx))
      .Case("bf16", BFloat16Type::get(ctx))
      .Case("f16", Float16Type::get(ctx))
      .Default(Type());
}

struct TFCSetDTypesPass : tfc::impl::TFCSetDTypesBase<TFCSetDTypesPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *ctx) override {
    for (auto [option, name, type] :
         {std::tuple{StringRef(weights), "weights", &weightType},
          std::tuple{StringRef(kvCache), "kv-cache", &cacheType}}) {
      if (option.empty())
        continue;
      *type = parseElementType(ctx, option);
      if (!*type)
        return emitError(UnknownLoc::get(ctx))
               << "tfc-set-dtypes: " << name << "=" << option
               << " is not one of f32, bf16, f16";
    }
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (weightType) {
      for (auto decl : module.getOps<WeightDeclOp>())
        decl.setType(decl.getTensorType().clone(weightType));
      module.walk([&](WeightOp op) {
        op.getResult().setType(op.getType().clone(weightType));
      });
    }
    if (cacheType)
      module.walk([&](DecoderBlockOp block) {
        auto arg = dyn_cast<BlockArgument>(block.getCache());
        auto fn = arg ? dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp())
                      : func::FuncOp();
        if (!fn || !arg.getOwner()->isEntryBlock()) {
          block.emitOpError("kv-cache: the cache must be an argument of the "
                            "enclosing function");
          return signalPassFailure();
        }
        auto type = cast<MemRefType>(arg.getType());
        if (type.getElementType() == cacheType)
          return;
        arg.setType(type.clone(cacheType));
        SmallVector<Type> inputs(fn.getArgumentTypes());
        inputs[arg.getArgNumber()] = arg.getType();
        fn.setFunctionType(
            FunctionType::get(&getContext(), inputs, fn.getResultTypes()));
      });
  }

  Type weightType, cacheType;
};
} // namespace
