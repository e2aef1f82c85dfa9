//===- Norms.cpp - tfc normalisation ops -> linalg ------------------------===//
//
// RMSNorm and LayerNorm over the last dimension: row reductions (the mean for
// LayerNorm, the sum of squares) and one elementwise map that scales; the
// fused residual add + norm writes the sum in its first reduction.
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

/// Rows of a rank-`rank` iteration space: every dimension but the last.
static SmallVector<AffineExpr> rowExprs(Emitter &e, unsigned rank) {
  SmallVector<AffineExpr> rows;
  for (unsigned i = 0; i + 1 < rank; ++i)
    rows.push_back(e.d(i));
  return rows;
}

/// The elementwise map of a norm: (x - mean) * rsqrt(sumSq / width + eps) *
/// (w + offset) + bias, with no mean for RMSNorm (`meanScaled` null).
static Value emitNormScale(Emitter &e, Value x, Value sumSq, Value meanScaled,
                           Value w, Value bias, double eps, double offset) {
  auto type = cast<RankedTensorType>(x.getType());
  unsigned rank = type.getRank();
  double width = static_cast<double>(type.getShape().back());
  bool rms = !meanScaled;
  SmallVector<AffineExpr> rows = rowExprs(e, rank);
  AffineMap id = e.b.getMultiDimIdentityMap(rank);
  SmallVector<Value> inputs = {x, sumSq, w};
  SmallVector<AffineMap> maps = {id, e.map(rank, rows),
                                 e.map(rank, {e.d(rank - 1)})};
  if (!rms) {
    inputs.push_back(meanScaled);
    maps.push_back(e.map(rank, rows));
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

/// The row mean from the row sum `sum` of a tensor of width `width`.
static Value emitMean(Emitter &e, Value sum, double width) {
  return e.map(sum, [&](OpBuilder &b, Location l, ValueRange a) {
    return arith::DivFOp::create(b, l, a[0], e.cst(width)).getResult();
  });
}

/// Sum over the last dimension of (x - mean)^2 (of x^2 when `mean` is null).
static Value emitSumSq(Emitter &e, Value x, Value mean) {
  return reduceLast(
      e, x,
      [](OpBuilder &b, Location l, Value v) {
        return arith::MulFOp::create(b, l, v, v).getResult();
      },
      mean);
}

/// Normalises over the last dimension: (x - mean) * rsqrt(var + eps) * (w +
/// offset) + bias, with mean = 0 for RMSNorm.
static Value emitNorm(Emitter &e, Value x, Value w, Value bias, double eps,
                      double offset, bool rms) {
  auto type = cast<RankedTensorType>(x.getType());
  double width = static_cast<double>(type.getShape().back());
  Value meanScaled;
  if (!rms)
    meanScaled = emitMean(
        e, reduceLast(e, x, [](OpBuilder &, Location, Value v) { return v; }),
        width);
  return emitNormScale(e, x, emitSumSq(e, x, meanScaled), meanScaled, w, bias,
                       eps, offset);
}

/// tfc.residual_norm: one row reduction that also writes the sum s = alpha *
/// r + u (it sums s^2 for RMSNorm, s for LayerNorm's mean), then the scale
/// map reading s. The unfused form writes s, then reads it once per
/// reduction and once more to scale. Rounding and summation order are those
/// of residual_add followed by the norm.
static std::pair<Value, Value> emitResidualNorm(Emitter &e, Value r, Value u,
                                                double alpha, Value w,
                                                Value bias, double eps,
                                                double offset, bool rms) {
  auto type = cast<RankedTensorType>(r.getType());
  unsigned rank = type.getRank();
  double width = static_cast<double>(type.getShape().back());
  SmallVector<Value> rd = e.dims(r);
  auto rowType = RankedTensorType::get(type.getShape().drop_back(), e.f32());
  AffineMap id = e.b.getMultiDimIdentityMap(rank);
  AffineMap row = e.map(rank, rowExprs(e, rank));
  SmallVector<IteratorType> its(rank, kPar);
  its.back() = kRed;
  Value cAlpha = e.cst(alpha);
  auto reduce = linalg::GenericOp::create(
      e.b, e.loc, TypeRange{type, rowType}, ValueRange{r, u},
      ValueRange{e.empty(type, rd),
                 e.filled(rowType, ArrayRef<Value>(rd).drop_back(), 0.0)},
      ArrayRef<AffineMap>{id, id, id, row}, its,
      [&](OpBuilder &b, Location l, ValueRange a) {
        Value v = a[0];
        if (alpha != 1.0)
          v = arith::MulFOp::create(b, l, v, cAlpha);
        Value s = arith::AddFOp::create(b, l, v, a[1]);
        Value term = rms ? arith::MulFOp::create(b, l, s, s).getResult() : s;
        linalg::YieldOp::create(
            b, l,
            ValueRange{s, arith::AddFOp::create(b, l, a[3], term).getResult()});
      });
  Value sum = reduce.getResult(0);
  Value meanScaled, sumSq = reduce.getResult(1);
  if (!rms) {
    meanScaled = emitMean(e, reduce.getResult(1), width);
    sumSq = emitSumSq(e, sum, meanScaled);
  }
  return {sum, emitNormScale(e, sum, sumSq, meanScaled, w, bias, eps, offset)};
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

struct LowerResidualNorm : OpRewritePattern<ResidualNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ResidualNormOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    NormAttr norm = op.getNorm();
    double offset =
        norm.getWeightOffset() ? norm.getWeightOffset()->convertToDouble() : 0;
    auto [sum, normed] = emitResidualNorm(
        e, op.getResidual(), op.getUpdate(), op.getAlpha().convertToDouble(),
        op.getWeight(), op.getBias(), norm.getEps().convertToDouble(), offset,
        norm.getKind() == NormKind::RMSNorm);
    rewriter.replaceOp(op, ValueRange{sum, normed});
    return success();
  }
};
} // namespace

void mlir::tfc::populateTFCNormToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerRMSNorm, LowerLayerNorm, LowerResidualNorm>(patterns.getContext());
}
