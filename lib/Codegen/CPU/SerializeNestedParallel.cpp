//===- SerializeNestedParallel.cpp - One OpenMP level per loop nest -------===//
//
// Every scf.parallel becomes an OpenMP region, and a nested one forks a
// serialized team each time it runs. The outermost loop already spreads the
// work over the threads, so nested parallel loops become sequential ones.
//
//===----------------------------------------------------------------------===//
#include "tfc/Codegen/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCCPUSERIALIZENESTEDPARALLEL
#include "tfc/Codegen/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;

namespace {
struct TFCCPUSerializeNestedParallelPass
    : tfc::impl::TFCCPUSerializeNestedParallelBase<
          TFCCPUSerializeNestedParallelPass> {
  void runOnOperation() override {
    SmallVector<scf::ParallelOp> nested;
    getOperation().walk([&](scf::ParallelOp op) {
      // Loops with reductions keep their form; linalg's never have any.
      if (op->getParentOfType<scf::ParallelOp>() && op.getNumResults() == 0)
        nested.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    // Post-order: inner loops first, so that each rewrite sees its loop
    // still nested in the (unchanged) outer one.
    for (scf::ParallelOp op : nested) {
      rewriter.setInsertionPoint(op);
      if (failed(scf::parallelForToNestedFors(rewriter, op))) {
        op.emitOpError("could not be made sequential");
        return signalPassFailure();
      }
    }
  }
};
} // namespace
