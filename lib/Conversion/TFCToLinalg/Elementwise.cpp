//===- Elementwise.cpp - tfc elementwise ops -> linalg --------------------===//
//
// Activations, GLU, soft-capping, clamping and the residual add: each one
// parallel linalg.generic over its operands.
//
//===----------------------------------------------------------------------===//
#include "Builders.h"

#include "tfc/Conversion/TFCToLinalg/TFCToLinalg.h"
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::tfc;

namespace {
struct LowerActivation : OpRewritePattern<ActivationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ActivationOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    Activation kind = op.getKind();
    rewriter.replaceOp(
        op, e.map(op.getInput(), [&](OpBuilder &b, Location l, ValueRange a) {
          return applyActivation(b, l, kind, a[0]);
        }));
    return success();
  }
};

struct LowerGLU : OpRewritePattern<GLUOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GLUOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    rewriter.replaceOp(op,
                       emitGLU(e, op.getGate(), op.getUp(), op.getKind()));
    return success();
  }
};

struct LowerSoftcap : OpRewritePattern<SoftcapOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SoftcapOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    double cap = op.getCap().convertToDouble();
    rewriter.replaceOp(
        op, e.map(op.getInput(), [&](OpBuilder &b, Location l, ValueRange a) {
          Value t = math::TanhOp::create(
              b, l, arith::DivFOp::create(b, l, a[0], e.cst(cap)));
          return arith::MulFOp::create(b, l, t, e.cst(cap)).getResult();
        }));
    return success();
  }
};

struct LowerClamp : OpRewritePattern<ClampOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ClampOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    double limit = op.getLimit().convertToDouble();
    rewriter.replaceOp(
        op, e.map(op.getInput(), [&](OpBuilder &b, Location l, ValueRange a) {
          Value low = arith::MaximumFOp::create(b, l, a[0], e.cst(-limit));
          return arith::MinimumFOp::create(b, l, low, e.cst(limit)).getResult();
        }));
    return success();
  }
};

struct LowerResidualAdd : OpRewritePattern<ResidualAddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ResidualAddOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    double alpha = op.getAlpha().convertToDouble();
    rewriter.replaceOp(
        op, e.map(ValueRange{op.getResidual(), op.getUpdate()},
                  [&](OpBuilder &b, Location l, ValueRange a) {
                    Value r = a[0];
                    if (alpha != 1.0)
                      r = arith::MulFOp::create(b, l, r, e.cst(alpha));
                    return arith::AddFOp::create(b, l, r, a[1]).getResult();
                  }));
    return success();
  }
};
} // namespace

void mlir::tfc::populateTFCElementwiseToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerActivation, LowerGLU, LowerSoftcap, LowerClamp,
               LowerResidualAdd>(patterns.getContext());
}
