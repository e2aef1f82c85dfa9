//===- Contractions.cpp - tfc projections -> linalg -----------------------===//
//
// tfc.linear and tfc.lm_head: one contraction generic over the input
// dimension, the bias broadcast into its initial accumulator; a 16-bit weight
// is widened inside the body.
//
//===----------------------------------------------------------------------===//
#include "Builders.h"

#include "tfc/Conversion/TFCToLinalg/TFCToLinalg.h"
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::tfc;

namespace {
template <typename OpTy> struct LowerProjection : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    rewriter.replaceOp(op, emitProjection(e, op.getInput(), op.getWeight(),
                                          op.getBias(), op.getLayout(),
                                          op.getType()));
    return success();
  }
};
} // namespace

void mlir::tfc::populateTFCContractionToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerProjection<LinearOp>, LowerProjection<LMHeadOp>>(
      patterns.getContext());
}
