//===- Embedding.cpp - Token embedding and positions -> linalg ------------===//
//
// A gather from the token table (tensor.extract at the token's row inside a
// parallel generic; of a q8_0 table, the values and their block's scale) and
// the absolute positions added to it: a learned table read at position + i, or
// sinusoids computed from the indices. These are kept apart from the
// elementwise family: their results read tables at data-dependent or
// position-dependent rows, not the same element of their operands.
//
//===----------------------------------------------------------------------===//
#include "Builders.h"

#include "tfc/Conversion/TFCToLinalg/TFCToLinalg.h"
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfc;

namespace {
struct LowerEmbedding : OpRewritePattern<EmbeddingOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(EmbeddingOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    Value table = op.getTable();
    // A q8_0 table: the row's int8 values and their block scales.
    WeightRead read(e, table, e.map(2, {e.d(0), e.d(1)}));
    double scale = op.getScale() ? op.getScale()->convertToDouble() : 1.0;
    SmallVector<Value> outDims = {e.dims(op.getTokens())[0],
                                  e.idx(op.getType().getDimSize(1))};
    Value result = e.generic(
        op.getType(), op.getTokens(), e.empty(op.getType(), outDims),
        {e.map(2, {e.d(0)}), e.map(2, {e.d(0), e.d(1)})}, {kPar, kPar},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value row = arith::IndexCastOp::create(b, l, b.getIndexType(), a[0]);
          Value col = linalg::IndexOp::create(b, l, 1);
          Value v = read.extract(b, l, row, col);
          if (scale != 1.0)
            v = arith::MulFOp::create(b, l, v, e.cst(scale));
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerLearnedPositions : OpRewritePattern<LearnedPositionsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LearnedPositionsOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    Value table = op.getTable(), pos = op.getPosition();
    rewriter.replaceOp(op, e.map(op.getInput(), [&](OpBuilder &b, Location l,
                                                    ValueRange a) {
      Value row =
          arith::AddIOp::create(b, l, pos, linalg::IndexOp::create(b, l, 0));
      Value col = linalg::IndexOp::create(b, l, 1);
      Value p = widen(
          b, l, tensor::ExtractOp::create(b, l, table, ValueRange{row, col}));
      return arith::AddFOp::create(b, l, a[0], p).getResult();
    }));
    return success();
  }
};

struct LowerSinusoidalPositions : OpRewritePattern<SinusoidalPositionsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SinusoidalPositionsOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    Value pos = op.getPosition();
    double width = op.getType().getDimSize(1);
    double logBase = std::log(op.getBase().convertToDouble());
    rewriter.replaceOp(op, e.map(op.getInput(), [&](OpBuilder &b, Location l,
                                                    ValueRange a) {
      Value i = linalg::IndexOp::create(b, l, 0);
      Value j = linalg::IndexOp::create(b, l, 1);
      Value p = arith::AddIOp::create(b, l, pos, i);
      Value pf = arith::UIToFPOp::create(
          b, l, b.getF32Type(),
          arith::IndexCastOp::create(b, l, b.getI64Type(), p));
      Value two = e.idx(2);
      Value k = arith::DivUIOp::create(b, l, j, two);
      Value kf = arith::UIToFPOp::create(
          b, l, b.getF32Type(),
          arith::IndexCastOp::create(b, l, b.getI64Type(), k));
      // p / base^(2k / d)
      Value freq = math::ExpOp::create(
          b, l, arith::MulFOp::create(b, l, kf, e.cst(-2.0 * logBase / width)));
      Value angle = arith::MulFOp::create(b, l, pf, freq);
      Value isEven =
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                arith::RemUIOp::create(b, l, j, two), e.idx(0));
      Value enc = arith::SelectOp::create(b, l, isEven,
                                          math::SinOp::create(b, l, angle),
                                          math::CosOp::create(b, l, angle));
      return arith::AddFOp::create(b, l, a[0], enc).getResult();
    }));
    return success();
  }
};
} // namespace

void mlir::tfc::populateTFCEmbeddingToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerEmbedding, LowerLearnedPositions, LowerSinusoidalPositions>(
      patterns.getContext());
}
