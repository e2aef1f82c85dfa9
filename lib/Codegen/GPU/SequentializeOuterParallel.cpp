//===- SequentializeOuterParallel.cpp - Host loops around nested kernels --===//
//
// An scf.parallel that holds other scf.parallels (and the ops between them)
// cannot become one kernel; its iterations become host loops, and each
// innermost parallel loop a kernel of its own.
//
//===----------------------------------------------------------------------===//
#include "tfc/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCGPUSEQUENTIALIZEOUTERPARALLEL
#include "tfc/Codegen/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;

namespace {
struct TFCGPUSequentializeOuterParallel
    : tfc::impl::TFCGPUSequentializeOuterParallelBase<
          TFCGPUSequentializeOuterParallel> {
  void runOnOperation() override {
    // Post-order: inner loops first, so that a nest of three becomes two
    // host loops around one kernel.
    SmallVector<scf::ParallelOp> outer;
    getOperation().walk([&](scf::ParallelOp op) {
      bool nests = false;
      op.getBody()->walk([&](scf::ParallelOp) {
        nests = true;
        return WalkResult::interrupt();
      });
      if (nests)
        outer.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (scf::ParallelOp op : outer) {
      if (op.getNumResults() != 0) {
        op.emitOpError("holds parallel loops and reduces a value: it cannot "
                       "run as host loops around kernels");
        return signalPassFailure();
      }
      rewriter.setInsertionPoint(op);
      if (failed(scf::parallelForToNestedFors(rewriter, op))) {
        op.emitOpError("could not be made sequential");
        return signalPassFailure();
      }
    }
  }
};
} // namespace
