//===- MergeModules.cpp - One gpu.module holding every kernel -------------===//
#include "tfc/Codegen/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCGPUMERGEMODULES
#include "tfc/Codegen/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;

namespace {
/// The name of `kernel`, of `module`, in the merged module: outlining makes
/// one module per kernel and names the kernels after their host function,
/// so it is the module's name, which is unique.
static std::string mergedKernelName(gpu::GPUModuleOp module,
                                    gpu::GPUFuncOp kernel,
                                    unsigned numKernels) {
  if (numKernels == 1)
    return module.getName().str();
  return (module.getName() + "_" + kernel.getName()).str();
}

struct TFCGPUMergeModules
    : public tfc::impl::TFCGPUMergeModulesBase<TFCGPUMergeModules> {
  void runOnOperation() override {
    auto modules = llvm::to_vector(getOperation().getOps<gpu::GPUModuleOp>());
    if (modules.size() < 2)
      return;
    gpu::GPUModuleOp merged = modules.front();
    // (module, kernel) -> the kernel's name in `merged`.
    DenseMap<std::pair<StringAttr, StringAttr>, StringAttr> kernels;
    std::optional<SymbolTable> symbols;
    for (gpu::GPUModuleOp module : modules) {
      SymbolTable local(module);
      auto funcs = llvm::to_vector(module.getOps<gpu::GPUFuncOp>());
      unsigned numKernels =
          llvm::count_if(funcs, [](gpu::GPUFuncOp f) { return f.isKernel(); });
      for (Operation &op : llvm::make_early_inc_range(*module.getBody())) {
        auto name =
            op.getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName());
        if (!name)
          continue;
        std::string newName = name.str();
        auto kernel = dyn_cast<gpu::GPUFuncOp>(op);
        if (kernel && kernel.isKernel())
          newName = mergedKernelName(module, kernel, numKernels);
        else if (symbols && symbols->lookup(newName))
          // A global each kernel's module has a copy of.
          newName = (name.getValue() + "_" + module.getName()).str();
        if (symbols && symbols->lookup(newName)) {
          op.emitOpError() << "symbol '" << newName
                           << "' is defined in gpu.module '" << merged.getName()
                           << "' too";
          return signalPassFailure();
        }
        StringAttr newAttr = StringAttr::get(&getContext(), newName);
        if (newAttr != name && failed(local.rename(&op, newAttr)))
          return signalPassFailure();
        if (kernel && kernel.isKernel())
          kernels[{module.getNameAttr(), name}] = newAttr;
      }
      if (module == merged) {
        symbols.emplace(merged);
        continue;
      }
      for (Operation &op : llvm::make_early_inc_range(*module.getBody())) {
        // gpu.module has no terminator: append.
        Block *body = merged.getBody();
        if (!op.hasAttr(SymbolTable::getSymbolAttrName())) {
          op.moveBefore(body, body->end());
          continue;
        }
        op.remove();
        symbols->insert(&op, body->end());
      }
      module.erase();
    }
    getOperation().walk([&](gpu::LaunchFuncOp launch) {
      SymbolRefAttr kernel = launch.getKernel();
      auto it =
          kernels.find({kernel.getRootReference(), kernel.getLeafReference()});
      if (it == kernels.end())
        return;
      auto leaf = FlatSymbolRefAttr::get(it->second);
      launch.setKernelAttr(SymbolRefAttr::get(merged.getNameAttr(), {leaf}));
    });
  }
};
} // namespace
