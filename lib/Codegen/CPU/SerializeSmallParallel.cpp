//===- SerializeSmallParallel.cpp - No OpenMP region for a little work ----===//
//
// An outermost scf.parallel whose work per iteration is known statically is
// guarded by its total work: below the threshold it runs as sequential loops
// on the calling thread instead of forking the team.
//
//===----------------------------------------------------------------------===//
#include "tfc/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCCPUSERIALIZESMALLPARALLEL
#include "tfc/Codegen/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;

namespace {
/// The ops `block` runs but its terminator, counting each scf.for of constant
/// trip count's body that many times; none if any other op with regions (or a
/// loop of dynamic trip count) is in it.
std::optional<int64_t> staticWork(Block &block) {
  int64_t work = 0;
  for (Operation &op : block.without_terminator()) {
    if (op.getNumRegions() == 0) {
      ++work;
      continue;
    }
    auto loop = dyn_cast<scf::ForOp>(op);
    std::optional<APInt> trips =
        loop ? loop.getStaticTripCount() : std::nullopt;
    if (!trips)
      return std::nullopt;
    std::optional<int64_t> body = staticWork(*loop.getBody());
    if (!body)
      return std::nullopt;
    work += trips->getSExtValue() * *body;
  }
  return work;
}

struct TFCCPUSerializeSmallParallelPass
    : tfc::impl::TFCCPUSerializeSmallParallelBase<
          TFCCPUSerializeSmallParallelPass> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<std::pair<scf::ParallelOp, int64_t>> guarded;
    getOperation().walk([&](scf::ParallelOp op) {
      if (op->getParentOfType<scf::ParallelOp>() || op.getNumResults() != 0)
        return;
      if (std::optional<int64_t> work = staticWork(*op.getBody()))
        guarded.push_back({op, *work});
    });
    IRRewriter rewriter(&getContext());
    for (auto [op, perIteration] : guarded) {
      Location loc = op.getLoc();
      rewriter.setInsertionPoint(op);
      // Iterations: the product of ceil((upper - lower) / step).
      Value work = arith::ConstantIndexOp::create(rewriter, loc, perIteration);
      for (auto [lower, upper, step] : llvm::zip_equal(
               op.getLowerBound(), op.getUpperBound(), op.getStep())) {
        Value span = rewriter.createOrFold<arith::SubIOp>(loc, upper, lower);
        Value trips =
            rewriter.createOrFold<arith::CeilDivUIOp>(loc, span, step);
        work = rewriter.createOrFold<arith::MulIOp>(loc, work, trips);
      }
      Value enough = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::uge, work,
          arith::ConstantIndexOp::create(rewriter, loc, minWork));
      auto branch = scf::IfOp::create(rewriter, loc, enough,
                                      /*withElseRegion=*/true);
      rewriter.setInsertionPointToStart(branch.elseBlock());
      auto sequential = cast<scf::ParallelOp>(rewriter.clone(*op));
      rewriter.moveOpBefore(op, branch.thenBlock()->getTerminator());
      rewriter.setInsertionPoint(sequential);
      if (failed(scf::parallelForToNestedFors(rewriter, sequential))) {
        op.emitOpError("could not be made sequential");
        return signalPassFailure();
      }
    }
  }
};
} // namespace
