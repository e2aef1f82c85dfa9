//===- Norms.cpp - tfc normalisation ops -> linalg ------------------------===//
//
// RMSNorm and LayerNorm over the last dimension: row reductions (the mean for
// LayerNorm, the sum of squares) and one elementwise map that scales.
//
//===----------------------------------------------------------------------===//
#include "Builders.h"

#include "tfc/Conversion/TFCToLinalg/TFCToLinalg.h"
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::tfc;
using utils::IteratorType;

/// Normalises over the last dimension: (x - mean) * rsqrt(var + eps) * (w +
/// offset) + bias, with mean = 0 for RMSNorm.
static Value emitNorm(Emitter &e, Value x, Value w, Value bias, double eps,
                      double offset, bool rms) {
  auto type = cast<RankedTensorType>(x.getType());
  unsigned rank = type.getRank();
  double width = static_cast<double>(type.getShape().back());
  Value mean;
  if (!rms)
    mean = reduceLast(e, x, [](OpBuilder &, Location, Value v) { return v; });
  Value meanScaled;
  if (!rms)
    meanScaled = e.map(mean, [&](OpBuilder &b, Location l, ValueRange a) {
      return arith::DivFOp::create(b, l, a[0], e.cst(width)).getResult();
    });
  Value sumSq = reduceLast(
      e, x,
      [](OpBuilder &b, Location l, Value v) {
        return arith::MulFOp::create(b, l, v, v).getResult();
      },
      meanScaled);
  SmallVector<AffineExpr> rowExprs;
  for (unsigned i = 0; i + 1 < rank; ++i)
    rowExprs.push_back(e.d(i));
  AffineMap id = e.b.getMultiDimIdentityMap(rank);
  SmallVector<Value> inputs = {x, sumSq, w};
  SmallVector<AffineMap> maps = {id, e.map(rank, rowExprs),
                                 e.map(rank, {e.d(rank - 1)})};
  if (!rms) {
    inputs.push_back(meanScaled);
    maps.push_back(e.map(rank, rowExprs));
  }
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(e.map(rank, {e.d(rank - 1)}));
  }
  maps.push_back(id);
  Value cWidth = e.cst(width), cEps = e.cst(eps), cOffset = e.cst(offset);
  return e.generic(
      type, inputs, e.empty(type, e.dims(x)), maps,
      SmallVector<IteratorType>(rank, kPar),
      [&](OpBuilder &b, Location l, ValueRange a) {
        Value v = a[0];
        unsigned next = 3;
        if (!rms)
          v = arith::SubFOp::create(b, l, v, a[next++]);
        Value var = arith::DivFOp::create(b, l, a[1], cWidth);
        Value inv =
            math::RsqrtOp::create(b, l, arith::AddFOp::create(b, l, var, cEps));
        Value scale = arith::AddFOp::create(b, l, widen(b, l, a[2]), cOffset);
        Value y = arith::MulFOp::create(
            b, l, arith::MulFOp::create(b, l, v, inv), scale);
        if (bias)
          y = arith::AddFOp::create(b, l, y, widen(b, l, a[next]));
        linalg::YieldOp::create(b, l, y);
      });
}

namespace {
struct LowerRMSNorm : OpRewritePattern<RMSNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RMSNormOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    rewriter.replaceOp(op, emitNorm(e, op.getInput(), op.getWeight(), Value(),
                                    op.getEps().convertToDouble(),
                                    op.getWeightOffset().convertToDouble(),
                                    /*rms=*/true));
    return success();
  }
};

struct LowerLayerNorm : OpRewritePattern<LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    rewriter.replaceOp(op, emitNorm(e, op.getInput(), op.getWeight(),
                                    op.getBias(), op.getEps().convertToDouble(),
                                    0.0, /*rms=*/false));
    return success();
  }
};
} // namespace

void mlir::tfc::populateTFCNormToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerRMSNorm, LowerLayerNorm>(patterns.getContext());
}
