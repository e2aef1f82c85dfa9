//===- DeviceMemory.cpp - Kernel buffers in device memory -----------------===//
//
// Which host buffers the kernels touch, found by following each buffer's
// uses through view-like ops, calls and returns; those become gpu.alloc.
// Then no host op may read or write device memory.
//
//===----------------------------------------------------------------------===//
#include "tfc/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include "llvm/ADT/TypeSwitch.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCGPUDEVICEMEMORY
#include "tfc/Codegen/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;

namespace {
/// The memref an op reads or writes on the host, if it is such an access.
static Value accessedMemRef(Operation *op) {
  return TypeSwitch<Operation *, Value>(op)
      .Case<memref::LoadOp>([](auto load) { return load.getMemRef(); })
      .Case<memref::StoreOp>([](auto store) { return store.getMemRef(); })
      .Case<vector::LoadOp, vector::StoreOp, vector::MaskedLoadOp,
            vector::MaskedStoreOp>([](auto access) { return access.getBase(); })
      .Case<vector::TransferReadOp, vector::TransferWriteOp>(
          [](auto transfer) { return transfer.getBase(); })
      .Default([](Operation *) { return Value(); });
}

/// The buffer `value` views: through view-like ops, casts and the base of
/// extract_strided_metadata.
static Value viewedBuffer(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (auto view = dyn_cast<ViewLikeOpInterface>(def)) {
      value = view.getViewSource();
    } else if (auto cast = dyn_cast<memref::CastOp>(def)) {
      value = cast.getSource();
    } else if (auto metadata =
                   dyn_cast<memref::ExtractStridedMetadataOp>(def)) {
      value = metadata.getSource();
    } else {
      break;
    }
  }
  return value;
}

/// Whether the runtime passes an entry point's memref of type `type` in
/// host memory mapped into the device.
static bool isHostMapped(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.getElementType().isInteger(64);
}

class DeviceMemoryAnalysis {
public:
  explicit DeviceMemoryAnalysis(ModuleOp module) : symbols(module) {
    module.walk([&](func::CallOp call) {
      if (auto callee = symbols.lookup<func::FuncOp>(call.getCallee()))
        callers[callee].push_back(call);
    });
  }

  /// Whether a kernel (or a caller that returns or passes it on) may touch
  /// the buffer `value`.
  bool reachesDevice(Value value) {
    auto [it, inserted] = reaches.try_emplace(value, false);
    if (!inserted)
      return it->second;
    bool result = false;
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (isa<gpu::LaunchFuncOp, func::ReturnOp, scf::YieldOp>(user)) {
        result = true;
      } else if (auto call = dyn_cast<func::CallOp>(user)) {
        auto callee = symbols.lookup<func::FuncOp>(call.getCallee());
        result = !callee || callee.isExternal() ||
                 reachesDevice(callee.getArgument(use.getOperandNumber()));
      } else if (isa<ViewLikeOpInterface, memref::CastOp, arith::SelectOp>(
                     user) &&
                 user->getNumResults() == 1 &&
                 isa<BaseMemRefType>(user->getResult(0).getType())) {
        result = reachesDevice(user->getResult(0));
      }
      if (result)
        break;
    }
    return reaches[value] = result;
  }

  /// Whether `value` lies in device memory once the allocations are moved.
  bool isDevice(Value value) {
    value = viewedBuffer(value);
    auto [it, inserted] = device.try_emplace(value, false);
    if (!inserted)
      return it->second;
    bool result = false;
    if (auto arg = dyn_cast<BlockArgument>(value)) {
      auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
      if (func && arg.getOwner() == &func.getBody().front()) {
        // The runtime passes the entry points' buffers in device memory,
        // but their i64 tables (weight offsets, tokens, positions) in host
        // memory mapped into the device, which both sides read
        // (docs/ABI.md); a private function's buffers are its callers'.
        if (func.isPublic())
          result = !isHostMapped(arg.getType());
        else
          result = llvm::any_of(callers[func], [&](func::CallOp call) {
            return isDevice(call.getOperand(arg.getArgNumber()));
          });
      } else {
        // A loop's iteration argument: conservatively the device's.
        result = true;
      }
    } else if (Operation *def = value.getDefiningOp()) {
      if (isa<memref::AllocOp>(def))
        result = reachesDevice(value);
      else if (isa<gpu::AllocOp, func::CallOp, scf::IfOp, scf::ForOp>(def))
        result = true;
      else if (auto select = dyn_cast<arith::SelectOp>(def))
        result =
            isDevice(select.getTrueValue()) || isDevice(select.getFalseValue());
    }
    return device[value] = result;
  }

  /// Whether a kernel can read `value` once the allocations are moved: it
  /// is in device memory or is an entry point's mapped i64 table. A
  /// memref.global a kernel reads gets its device copy.
  bool isKernelReadable(Value value) {
    value = viewedBuffer(value);
    if (isDevice(value))
      return true;
    if (auto global = value.getDefiningOp<memref::GetGlobalOp>())
      return reachesDevice(global);
    auto arg = dyn_cast<BlockArgument>(value);
    if (!arg)
      return false;
    auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
    if (!func || arg.getOwner() != &func.getBody().front())
      return false;
    if (func.isPublic())
      return true;
    auto [it, inserted] = readable.try_emplace(value, false);
    if (!inserted)
      return it->second;
    bool result =
        !callers[func].empty() &&
        llvm::all_of(callers[func], [&](func::CallOp call) {
          return isKernelReadable(call.getOperand(arg.getArgNumber()));
        });
    return readable[value] = result;
  }

private:
  SymbolTable symbols;
  DenseMap<func::FuncOp, SmallVector<func::CallOp>> callers;
  DenseMap<Value, bool> reaches, device, readable;
};

struct TFCGPUDeviceMemory
    : tfc::impl::TFCGPUDeviceMemoryBase<TFCGPUDeviceMemory> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    DeviceMemoryAnalysis analysis(module);
    auto hostFuncs = llvm::to_vector(module.getOps<func::FuncOp>());

    // Decide first, rewrite after: the analysis follows the original uses.
    SmallVector<memref::AllocOp> allocs;
    SmallVector<memref::DeallocOp> deallocs;
    SmallVector<memref::GetGlobalOp> globals;
    for (func::FuncOp func : hostFuncs) {
      func.walk([&](Operation *op) {
        if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
          if (analysis.isDevice(alloc))
            allocs.push_back(alloc);
        } else if (auto dealloc = dyn_cast<memref::DeallocOp>(op)) {
          if (analysis.isDevice(dealloc.getMemref()))
            deallocs.push_back(dealloc);
        } else if (auto global = dyn_cast<memref::GetGlobalOp>(op)) {
          if (analysis.reachesDevice(global))
            globals.push_back(global);
        }
      });
    }
    // The check, against the buffers' final places.
    bool failed = false;
    for (func::FuncOp func : hostFuncs) {
      func.walk([&](Operation *op) {
        Value memref = accessedMemRef(op);
        if (!memref || !analysis.isDevice(memref))
          return;
        InFlightDiagnostic diag =
            op->emitOpError("on the host accesses device memory (a buffer "
                            "the kernels use); it must run in a kernel");
        Value buffer = viewedBuffer(memref);
        if (Operation *def = buffer.getDefiningOp())
          diag.attachNote(def->getLoc()) << "the buffer comes from here";
        failed = true;
      });
      // The converse: a kernel given host memory (a memref.alloca, a
      // buffer of another kind) would fault.
      func.walk([&](gpu::LaunchFuncOp launch) {
        for (Value operand : launch.getKernelOperands()) {
          if (!isa<BaseMemRefType>(operand.getType()) ||
              analysis.isKernelReadable(operand))
            continue;
          InFlightDiagnostic diag =
              launch.emitOpError("passes a kernel host memory it cannot read");
          if (Operation *def = viewedBuffer(operand).getDefiningOp())
            diag.attachNote(def->getLoc()) << "the buffer comes from here";
          failed = true;
        }
      });
    }
    if (failed)
      return signalPassFailure();

    OpBuilder builder(&getContext());
    for (memref::AllocOp alloc : allocs) {
      builder.setInsertionPoint(alloc);
      auto deviceAlloc = gpu::AllocOp::create(
          builder, alloc.getLoc(), alloc.getType(), /*asyncToken=*/Type(),
          ValueRange(), alloc.getDynamicSizes(), alloc.getSymbolOperands());
      alloc.replaceAllUsesWith(deviceAlloc.getMemref());
      alloc.erase();
    }
    for (memref::DeallocOp dealloc : deallocs) {
      builder.setInsertionPoint(dealloc);
      gpu::DeallocOp::create(builder, dealloc.getLoc(), /*asyncToken=*/Type(),
                             ValueRange(), dealloc.getMemref());
      dealloc.erase();
    }
    // Constant tables: one device copy per call of the function, made at
    // its entry (a get_global may sit in a host loop) and freed at its
    // returns.
    // The runtime's sign that the entry points take this convention.
    builder.setInsertionPointToEnd(module.getBody());
    LLVM::GlobalOp::create(builder, module.getLoc(), builder.getI64Type(),
                           /*isConstant=*/true, LLVM::Linkage::External,
                           "tfc_cuda_abi", builder.getI64IntegerAttr(1));
    for (memref::GetGlobalOp global : globals) {
      auto func = global->getParentOfType<func::FuncOp>();
      builder.setInsertionPointToStart(&func.getBody().front());
      auto type = cast<MemRefType>(global.getType());
      Value host = memref::GetGlobalOp::create(builder, global.getLoc(), type,
                                               global.getName());
      Value copy =
          gpu::AllocOp::create(builder, global.getLoc(), type, Type(),
                               ValueRange(), ValueRange(), ValueRange())
              .getMemref();
      gpu::MemcpyOp::create(builder, global.getLoc(), Type(), ValueRange(),
                            copy, host);
      global.replaceAllUsesWith(copy);
      global.erase();
      func.walk([&](func::ReturnOp ret) {
        builder.setInsertionPoint(ret);
        gpu::DeallocOp::create(builder, ret.getLoc(), Type(), ValueRange(),
                               copy);
      });
    }
  }
};
} // namespace
