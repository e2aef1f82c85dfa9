//===- FuseGLU.cpp - gate/up projections + tfc.glu -> tfc.gated_linear ----===//
#include "tfc/Dialect/TFC/IR/TFCOps.h"
#include "tfc/Dialect/TFC/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCFUSEGLU
#include "tfc/Dialect/TFC/Transforms/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;
using namespace mlir::tfc;

namespace {
struct FuseGatedLinear : OpRewritePattern<GLUOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GLUOp op,
                                PatternRewriter &rewriter) const override {
    auto gate = op.getGate().getDefiningOp<LinearOp>();
    auto up = op.getUp().getDefiningOp<LinearOp>();
    if (!gate || !up)
      return rewriter.notifyMatchFailure(op, "gate or up is not a linear");
    if (gate.getInput() != up.getInput() || gate.getBias() || up.getBias() ||
        gate.getLayout() != up.getLayout() ||
        gate.getWeight().getType() != up.getWeight().getType())
      return rewriter.notifyMatchFailure(
          op, "gate and up differ in input, weight type or layout, or have a "
              "bias");
    // The projections disappear only if the GLU is their one user.
    if (!gate->hasOneUse() || !up->hasOneUse())
      return rewriter.notifyMatchFailure(op, "a projection has other users");
    rewriter.replaceOpWithNewOp<GatedLinearOp>(
        op, op.getType(), op.getKindAttr(), gate.getInput(), gate.getWeight(),
        up.getWeight(), gate.getLayoutAttr());
    rewriter.eraseOp(gate);
    rewriter.eraseOp(up);
    return success();
  }
};

struct TFCFuseGLUPass : tfc::impl::TFCFuseGLUBase<TFCFuseGLUPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseGatedLinear>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // A mixture of experts keeps its projections inside tfc.moe: its
    // lowering fuses each expert's pair when told to.
    UnitAttr unit = UnitAttr::get(&getContext());
    getOperation()->walk([&](MoEOp op) {
      if (!op.getGateWeights().empty())
        op->setAttr(kGatedExpertsAttrName, unit);
    });
  }
};
} // namespace
