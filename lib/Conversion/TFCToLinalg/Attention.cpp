//===- Attention.cpp - tfc attention ops -> linalg ------------------------===//
//
// The split of a fused QKV projection (tensor slices and reshapes, no copy),
// RoPE (one elementwise map reading its partner dimension), and causal
// attention: q.k contraction, scale / soft-cap / ALiBi / mask in one map, a
// softmax, the product with v. Query head h reads kv head h / group through
// the indexing maps.
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

#include <limits>

using namespace mlir;
using namespace mlir::tfc;

namespace {
struct LowerSplitQKV : OpRewritePattern<SplitQKVOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SplitQKVOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getInput();
    int64_t heads = op.getHeads(), kvHeads = op.getKvHeads();
    int64_t headDim = op.getQ().getType().getDimSize(2);
    OpFoldResult n = tensor::getMixedSize(rewriter, loc, x, 0);
    auto f32 = rewriter.getF32Type();
    int64_t nStatic = op.getInput().getType().getDimSize(0);
    if (op.getPacking() == QKVPacking::Concat) {
      // [q heads | k heads | v heads]
      auto part = [&](int64_t first, int64_t count, Type type) -> Value {
        auto sliceType = RankedTensorType::get({nStatic, count * headDim}, f32);
        Value s = tensor::ExtractSliceOp::create(
            rewriter, loc, sliceType, x,
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0),
                                   rewriter.getIndexAttr(first * headDim)},
            ArrayRef<OpFoldResult>{n, rewriter.getIndexAttr(count * headDim)},
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                                   rewriter.getIndexAttr(1)});
        return tensor::ExpandShapeOp::create(
            rewriter, loc, type, s, ArrayRef<ReassociationIndices>{{0}, {1, 2}},
            ArrayRef<OpFoldResult>{n, rewriter.getIndexAttr(count),
                                   rewriter.getIndexAttr(headDim)});
      };
      rewriter.replaceOp(op,
                         {part(0, heads, op.getQ().getType()),
                          part(heads, kvHeads, op.getK().getType()),
                          part(heads + kvHeads, kvHeads, op.getV().getType())});
      return success();
    }
    // Grouped: [n, kv_heads, group + 2, head_dim].
    int64_t group = heads / kvHeads;
    auto grouped =
        RankedTensorType::get({nStatic, kvHeads, group + 2, headDim}, f32);
    Value g = tensor::ExpandShapeOp::create(
        rewriter, loc, grouped, x,
        ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}},
        ArrayRef<OpFoldResult>{n, rewriter.getIndexAttr(kvHeads),
                               rewriter.getIndexAttr(group + 2),
                               rewriter.getIndexAttr(headDim)});
    auto part = [&](int64_t first, int64_t count, Type type) -> Value {
      auto sliceType =
          RankedTensorType::get({nStatic, kvHeads, count, headDim}, f32);
      Value s = tensor::ExtractSliceOp::create(
          rewriter, loc, sliceType, g,
          ArrayRef<OpFoldResult>{
              rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
              rewriter.getIndexAttr(first), rewriter.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{n, rewriter.getIndexAttr(kvHeads),
                                 rewriter.getIndexAttr(count),
                                 rewriter.getIndexAttr(headDim)},
          ArrayRef<OpFoldResult>(
              SmallVector<OpFoldResult>(4, rewriter.getIndexAttr(1))));
      return tensor::CollapseShapeOp::create(
          rewriter, loc, type, s,
          ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}});
    };
    rewriter.replaceOp(op, {part(0, group, op.getQ().getType()),
                            part(group, 1, op.getK().getType()),
                            part(group + 1, 1, op.getV().getType())});
    return success();
  }
};

struct LowerRope : OpRewritePattern<RopeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RopeOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    Value x = op.getInput(), pos = op.getPosition();
    int64_t headDim = op.getType().getDimSize(2);
    int64_t rotary = op.getRope().getRotaryDim(headDim);
    int64_t half = rotary / 2;
    bool interleaved = op.getRope().isInterleaved();
    SmallVector<float> inv = op.getRope().getInverseFrequencies(rotary);
    auto invType = RankedTensorType::get({half}, rewriter.getF32Type());
    Value invFreq = arith::ConstantOp::create(
        rewriter, op.getLoc(),
        DenseElementsAttr::get(invType, ArrayRef<float>(inv)));
    rewriter.replaceOp(op, e.map(x, [&](OpBuilder &b, Location l,
                                        ValueRange a) {
      Value i = linalg::IndexOp::create(b, l, 0);
      Value h = linalg::IndexOp::create(b, l, 1);
      Value d = linalg::IndexOp::create(b, l, 2);
      auto cmp = [&](arith::CmpIPredicate p, Value lhs, Value rhs) {
        return arith::CmpIOp::create(b, l, p, lhs, rhs).getResult();
      };
      Value cRot = e.idx(rotary), cHalf = e.idx(half), cZero = e.idx(0);
      Value rotated = cmp(arith::CmpIPredicate::ult, d, cRot);
      // The dimension d pairs with, its frequency index and the sign of the
      // partner's term.
      Value partner, freqIndex, negate;
      if (interleaved) {
        Value odd = arith::RemUIOp::create(b, l, d, e.idx(2));
        negate = cmp(arith::CmpIPredicate::eq, odd, cZero);
        partner = arith::SelectOp::create(
            b, l, negate, arith::AddIOp::create(b, l, d, e.idx(1)),
            arith::SubIOp::create(b, l, d, e.idx(1)));
        freqIndex = arith::DivUIOp::create(b, l, d, e.idx(2));
      } else {
        negate = cmp(arith::CmpIPredicate::ult, d, cHalf);
        partner = arith::SelectOp::create(
            b, l, negate, arith::AddIOp::create(b, l, d, cHalf),
            arith::SubIOp::create(b, l, d, cHalf));
        freqIndex = arith::RemUIOp::create(b, l, d, cHalf);
      }
      // Dimensions past the rotated part pass through (index clamped).
      partner = arith::SelectOp::create(b, l, rotated, partner, d);
      freqIndex = arith::SelectOp::create(b, l, rotated, freqIndex, cZero);
      Value p = arith::AddIOp::create(b, l, pos, i);
      Value pf = arith::UIToFPOp::create(
          b, l, b.getF32Type(),
          arith::IndexCastOp::create(b, l, b.getI64Type(), p));
      Value freq = tensor::ExtractOp::create(b, l, invFreq, freqIndex);
      Value angle = arith::MulFOp::create(b, l, pf, freq);
      Value cos = math::CosOp::create(b, l, angle);
      Value sin = math::SinOp::create(b, l, angle);
      Value other =
          tensor::ExtractOp::create(b, l, x, ValueRange{i, h, partner});
      Value signedOther = arith::SelectOp::create(
          b, l, negate, arith::NegFOp::create(b, l, other), other);
      Value y =
          arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, a[0], cos),
                                arith::MulFOp::create(b, l, signedOther, sin));
      return arith::SelectOp::create(b, l, rotated, y, a[0]).getResult();
    }));
    return success();
  }
};

struct LowerAttention : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    // The additive bias comes from tfc.relative_position_bias, which has no
    // lowering either (issue 12: it joins the fused attention).
    if (op.getBias())
      return op.emitOpError("with an additive 'bias' is not lowered yet");
    Emitter e{rewriter, op.getLoc()};
    Value q = op.getQuery(), k = op.getKey(), v = op.getValue();
    Value pos = op.getPosition();
    auto qType = op.getQuery().getType();
    int64_t heads = qType.getDimSize(1);
    int64_t group = heads / op.getKey().getType().getDimSize(1);
    SmallVector<Value> qd = e.dims(q), kd = e.dims(k);
    auto f32 = rewriter.getF32Type();
    int64_t dyn = ShapedType::kDynamic;
    // scores[h, i, j] = q[i, h, :] . k[j, h / group, :]
    auto scoresType =
        RankedTensorType::get({heads, qType.getDimSize(0), dyn}, f32);
    SmallVector<Value> sDims = {qd[1], qd[0], kd[0]};
    AffineExpr kvHead = e.d(0).floorDiv(group);
    Value dots = e.generic(
        scoresType, ValueRange{q, k}, e.filled(scoresType, sDims, 0.0),
        {e.map(4, {e.d(1), e.d(0), e.d(3)}), e.map(4, {e.d(2), kvHead, e.d(3)}),
         e.map(4, {e.d(0), e.d(1), e.d(2)})},
        {kPar, kPar, kPar, kRed}, yieldMulAdd);

    // Scale, soft-cap (HF gemma2: before the mask), ALiBi, mask.
    double scale = op.getScale().convertToDouble();
    std::optional<double> softcap;
    if (op.getSoftcap())
      softcap = op.getSoftcap()->convertToDouble();
    std::optional<int64_t> window = op.getWindow();
    Value slopes;
    if (AlibiAttr alibi = op.getAlibiAttr()) {
      SmallVector<float> s = alibi.getSlopes(heads);
      slopes = arith::ConstantOp::create(
          rewriter, op.getLoc(),
          DenseElementsAttr::get(RankedTensorType::get({heads}, f32),
                                 ArrayRef<float>(s)));
    }
    Value negInf = e.cst(-std::numeric_limits<double>::infinity());
    Value scores = e.map(dots, [&](OpBuilder &b, Location l, ValueRange a) {
      Value s = arith::MulFOp::create(b, l, a[0], e.cst(scale));
      if (softcap)
        s = arith::MulFOp::create(
            b, l,
            math::TanhOp::create(
                b, l, arith::DivFOp::create(b, l, s, e.cst(*softcap))),
            e.cst(*softcap));
      Value h = linalg::IndexOp::create(b, l, 0);
      Value i = linalg::IndexOp::create(b, l, 1);
      // j: the position of the key.
      Value j = linalg::IndexOp::create(b, l, 2);
      if (Value first = op.getKeyPosition())
        j = arith::AddIOp::create(b, l, first, j);
      if (slopes) {
        Value jf = arith::UIToFPOp::create(
            b, l, b.getF32Type(),
            arith::IndexCastOp::create(b, l, b.getI64Type(), j));
        Value slope = tensor::ExtractOp::create(b, l, slopes, h);
        s = arith::AddFOp::create(b, l, s,
                                  arith::MulFOp::create(b, l, slope, jf));
      }
      Value p = arith::AddIOp::create(b, l, pos, i);
      Value visible =
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::ule, j, p);
      if (window) {
        // HF sliding window: key j is visible iff p - j < window.
        Value age = arith::SubIOp::create(b, l, p, j);
        Value inWindow = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                               age, e.idx(*window));
        visible = arith::AndIOp::create(b, l, visible, inWindow);
      }
      return arith::SelectOp::create(b, l, visible, s, negInf).getResult();
    });

    Value probs = emitSoftmaxLast(e, scores);
    // out[i, h, c] = sum_j probs[h, i, j] v[j, h / group, c]
    auto outType = op.getType();
    SmallVector<Value> oDims = {qd[0], qd[1], e.idx(outType.getDimSize(2))};
    Value out =
        e.generic(outType, ValueRange{probs, v}, e.filled(outType, oDims, 0.0),
                  {e.map(4, {e.d(1), e.d(0), e.d(3)}),
                   e.map(4, {e.d(3), e.d(1).floorDiv(group), e.d(2)}),
                   e.map(4, {e.d(0), e.d(1), e.d(2)})},
                  {kPar, kPar, kPar, kRed}, yieldMulAdd);
    rewriter.replaceOp(op, out);
    return success();
  }
};

struct LowerRelativePositionBias : OpRewritePattern<RelativePositionBiasOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RelativePositionBiasOp op,
                                PatternRewriter &) const override {
    return op.emitOpError("is not lowered yet (T5 bucketed bias; issue 12 "
                          "makes it part of the fused attention)");
  }
};
} // namespace

void mlir::tfc::populateTFCAttentionToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns
      .add<LowerSplitQKV, LowerRope, LowerAttention, LowerRelativePositionBias>(
          patterns.getContext());
}
