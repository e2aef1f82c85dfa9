//===- FuseResidualNorm.cpp - residual add + norm -> tfc.residual_norm ----===//
#include "tfc/Dialect/TFC/IR/TFCOps.h"
#include "tfc/Dialect/TFC/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCFUSERESIDUALNORM
#include "tfc/Dialect/TFC/Transforms/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;
using namespace mlir::tfc;

namespace {
/// The fused op takes the norm's place, so every other user of the sum must
/// come after the norm (in the expanded block they do: the sum feeds the next
/// residual add).
bool othersFollow(ResidualAddOp add, Operation *norm) {
  for (Operation *user : add->getUsers())
    if (user != norm &&
        (user->getBlock() != norm->getBlock() || !norm->isBeforeInBlock(user)))
      return false;
  return true;
}

template <typename NormOp>
struct FuseResidualNorm : OpRewritePattern<NormOp> {
  using OpRewritePattern<NormOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(NormOp op,
                                PatternRewriter &rewriter) const override {
    auto add = op.getInput().template getDefiningOp<ResidualAddOp>();
    if (!add)
      return rewriter.notifyMatchFailure(op, "input is not a residual add");
    if (add->getBlock() != op->getBlock() || !othersFollow(add, op))
      return rewriter.notifyMatchFailure(op, "the sum is used before the norm");
    MLIRContext *ctx = op.getContext();
    APFloat eps = op.getEps();
    NormAttr norm;
    Value bias;
    if constexpr (std::is_same_v<NormOp, RMSNormOp>) {
      double offset = op.getWeightOffset().convertToDouble();
      norm = NormAttr::get(ctx, NormKind::RMSNorm, eps,
                           offset != 0.0 ? std::optional<APFloat>(
                                               op.getWeightOffset())
                                         : std::nullopt,
                           /*bias=*/false);
    } else {
      bias = op.getBias();
      norm = NormAttr::get(ctx, NormKind::LayerNorm, eps, std::nullopt,
                           static_cast<bool>(bias));
    }
    auto fused = ResidualNormOp::create(
        rewriter, op.getLoc(), add.getType(), op.getType(), add.getResidual(),
        add.getUpdate(), op.getWeight(), bias, norm, add.getAlphaAttr());
    rewriter.replaceOp(op, fused.getResult());
    rewriter.replaceOp(add, fused.getSum());
    return success();
  }
};

struct TFCFuseResidualNormPass
    : tfc::impl::TFCFuseResidualNormBase<TFCFuseResidualNormPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseResidualNorm<RMSNormOp>, FuseResidualNorm<LayerNormOp>>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
