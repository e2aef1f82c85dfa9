//===- Attention.cpp - tfc attention ops -> linalg ------------------------===//
//
// The split of a fused QKV projection (tensor slices and reshapes, no copy),
// RoPE (one elementwise map reading its partner dimension, emitRope; also
// attention's prologue when tfc-fuse-rope moved the query's there), and causal
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
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include <array>
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
    rewriter.replaceOp(
        op, emitRope(e, op.getInput(), op.getPosition(), op.getRope()));
    return success();
  }
};

/// What masks, biases and caps a score: the attributes of one tfc.attention.
struct ScoreEpilogue {
  AttentionOp op;
  double scale;
  std::optional<double> softcap;
  std::optional<int64_t> window;
  Value slopes; // [heads] or null

  ScoreEpilogue(AttentionOp op, Emitter &e) : op(op) {
    scale = op.getScale().convertToDouble();
    if (op.getSoftcap())
      softcap = op.getSoftcap()->convertToDouble();
    window = op.getWindow();
    if (AlibiAttr alibi = op.getAlibiAttr()) {
      int64_t heads = op.getQuery().getType().getDimSize(1);
      SmallVector<float> s = alibi.getSlopes(heads);
      slopes = arith::ConstantOp::create(
          e.b, op.getLoc(),
          DenseElementsAttr::get(RankedTensorType::get({heads}, e.f32()),
                                 ArrayRef<float>(s)));
    }
  }

  /// The score of `dot` for query head `h`, query row `i` and key `j` (its
  /// index in `key`): scale, soft-cap (HF gemma2: before the mask), ALiBi,
  /// mask.
  Value apply(Emitter &e, OpBuilder &b, Location l, Value dot,
              function_ref<std::array<Value, 3>()> headRowKey) {
    Value s = arith::MulFOp::create(b, l, dot, e.cst(scale));
    if (softcap)
      s = arith::MulFOp::create(
          b, l,
          math::TanhOp::create(
              b, l, arith::DivFOp::create(b, l, s, e.cst(*softcap))),
          e.cst(*softcap));
    auto [h, i, j] = headRowKey();
    // j: the position of the key.
    if (Value first = op.getKeyPosition())
      j = arith::AddIOp::create(b, l, first, j);
    if (slopes) {
      Value jf = arith::UIToFPOp::create(
          b, l, b.getF32Type(),
          arith::IndexCastOp::create(b, l, b.getI64Type(), j));
      Value slope = tensor::ExtractOp::create(b, l, slopes, h);
      s = arith::AddFOp::create(b, l, s, arith::MulFOp::create(b, l, slope, jf));
    }
    Value p = arith::AddIOp::create(b, l, op.getPosition(), i);
    Value visible =
        arith::CmpIOp::create(b, l, arith::CmpIPredicate::ule, j, p);
    if (window) {
      // HF sliding window: key j is visible iff p - j < window.
      Value age = arith::SubIOp::create(b, l, p, j);
      Value inWindow = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                             age, e.idx(*window));
      visible = arith::AndIOp::create(b, l, visible, inWindow);
    }
    Value negInf = e.cst(-std::numeric_limits<double>::infinity());
    return arith::SelectOp::create(b, l, visible, s, negInf).getResult();
  }
};

/// The materialised form: scores [heads, n, T], a softmax, the product with v.
static Value emitMaterialisedAttention(Emitter &e, AttentionOp op) {
  Value q = op.getQuery(), k = op.getKey(), v = op.getValue();
  auto qType = op.getQuery().getType();
  int64_t heads = qType.getDimSize(1);
  int64_t group = heads / op.getKey().getType().getDimSize(1);
  SmallVector<Value> qd = e.dims(q), kd = e.dims(k);
  auto f32 = e.f32();
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
  ScoreEpilogue epi(op, e);
  Value scores = e.map(dots, [&](OpBuilder &b, Location l, ValueRange a) {
    return epi.apply(e, b, l, a[0], [&]() -> std::array<Value, 3> {
      Value h = linalg::IndexOp::create(b, l, 0);
      Value i = linalg::IndexOp::create(b, l, 1);
      Value j = linalg::IndexOp::create(b, l, 2);
      return {h, i, j};
    });
  });
  Value probs = emitSoftmaxLast(e, scores);
  // out[i, h, c] = sum_j probs[h, i, j] v[j, h / group, c]
  auto outType = op.getType();
  SmallVector<Value> oDims = {qd[0], qd[1], e.idx(outType.getDimSize(2))};
  return e.generic(outType, ValueRange{probs, v}, e.filled(outType, oDims, 0.0),
                   {e.map(4, {e.d(1), e.d(0), e.d(3)}),
                    e.map(4, {e.d(3), e.d(1).floorDiv(group), e.d(2)}),
                    e.map(4, {e.d(0), e.d(1), e.d(2)})},
                   {kPar, kPar, kPar, kRed}, yieldMulAdd);
}

//===----------------------------------------------------------------------===//
// Flash form (tfc-fuse-attention, tfc-tile-kv)
//===----------------------------------------------------------------------===//

/// Online-softmax state over the keys seen so far, per (query row, kv head,
/// query head of the group): the running max m, the sum l of exp(s - m) and
/// the unnormalised output acc = sum exp(s - m) v.
struct FlashState {
  Value m, l, acc; // [n, kvh, g], [n, kvh, g], [n, kvh, g, dv]
};

struct FlashEmitter {
  Emitter &e;
  AttentionOp op;
  ScoreEpilogue &epi;
  Value q4;           // [n, kvh, g, d]: the group as a batch dimension
  int64_t kvh, group, dv, tile;
  Value n;

  RankedTensorType rowType() {
    return RankedTensorType::get(
        {op.getQuery().getType().getDimSize(0), kvh, group}, e.f32());
  }
  RankedTensorType accType() {
    return RankedTensorType::get(
        {op.getQuery().getType().getDimSize(0), kvh, group, dv}, e.f32());
  }
  SmallVector<Value> rowDims() { return {n, e.idx(kvh), e.idx(group)}; }
  SmallVector<Value> accDims() {
    return {n, e.idx(kvh), e.idx(group), e.idx(dv)};
  }
  FlashState initial() {
    return {e.filled(rowType(), rowDims(),
                     -std::numeric_limits<double>::infinity()),
            e.filled(rowType(), rowDims(), 0.0),
            e.filled(accType(), accDims(), 0.0)};
  }
  /// max(m, -inf -> 0): what the exponentials subtract, so that a row no key
  /// of which is visible yet gives exp(-inf) = 0, not NaN.
  Value safeMax(Value m) {
    return e.map(m, [&](OpBuilder &b, Location l, ValueRange a) {
      Value isInf = arith::CmpFOp::create(
          b, l, arith::CmpFPredicate::OEQ, a[0],
          e.cst(-std::numeric_limits<double>::infinity()));
      return arith::SelectOp::create(b, l, isInf, e.cst(0.0), a[0])
          .getResult();
    });
  }

  /// Keys [lo, hi) walked in tiles of `tile` rows, from `state`.
  FlashState range(Value lo, Value hi, FlashState state) {
    OpBuilder &rb = e.b;
    Location loc = e.loc;
    Value k = op.getKey(), v = op.getValue();
    int64_t d = op.getKey().getType().getDimSize(2);
    auto loop = scf::ForOp::create(
        rb, loc, lo, hi, e.idx(tile), ValueRange{state.m, state.l, state.acc},
        [&](OpBuilder &b, Location l, Value j0, ValueRange it) {
          Emitter te{b, l};
          Value rest = arith::SubIOp::create(b, l, hi, j0);
          Value tsz = arith::MinSIOp::create(b, l, rest, te.idx(tile));
          auto slice = [&](Value x, int64_t width) {
            auto type = RankedTensorType::get(
                {ShapedType::kDynamic, kvh, width}, te.f32());
            return tensor::ExtractSliceOp::create(
                       b, l, type, x,
                       ArrayRef<OpFoldResult>{j0, b.getIndexAttr(0),
                                              b.getIndexAttr(0)},
                       ArrayRef<OpFoldResult>{tsz, b.getIndexAttr(kvh),
                                              b.getIndexAttr(width)},
                       ArrayRef<OpFoldResult>{b.getIndexAttr(1),
                                              b.getIndexAttr(1),
                                              b.getIndexAttr(1)})
                .getResult();
          };
          Value kt = slice(k, d), vt = slice(v, dv);
          auto sType = RankedTensorType::get(
              {op.getQuery().getType().getDimSize(0), kvh, group,
               ShapedType::kDynamic},
              te.f32());
          SmallVector<Value> sDims = {n, te.idx(kvh), te.idx(group), tsz};
          // s[i, kh, g, t] = q[i, kh, g, :] . k[j0 + t, kh, :]
          Value dots = te.generic(
              sType, ValueRange{q4, kt}, te.filled(sType, sDims, 0.0),
              {te.map(5, {te.d(0), te.d(1), te.d(2), te.d(4)}),
               te.map(5, {te.d(3), te.d(1), te.d(4)}),
               te.map(5, {te.d(0), te.d(1), te.d(2), te.d(3)})},
              {kPar, kPar, kPar, kPar, kRed}, yieldMulAdd);
          Value s = te.map(dots, [&](OpBuilder &bb, Location ll, ValueRange a) {
            return epi.apply(te, bb, ll, a[0], [&]() -> std::array<Value, 3> {
              Value i = linalg::IndexOp::create(bb, ll, 0);
              Value kh = linalg::IndexOp::create(bb, ll, 1);
              Value g = linalg::IndexOp::create(bb, ll, 2);
              Value t = linalg::IndexOp::create(bb, ll, 3);
              Value h = arith::AddIOp::create(
                  bb, ll, arith::MulIOp::create(bb, ll, kh, te.idx(group)), g);
              Value j = arith::AddIOp::create(bb, ll, j0, t);
              return {h, i, j};
            });
          });
          AffineMap id4 = te.map(4, {te.d(0), te.d(1), te.d(2), te.d(3)});
          AffineMap row4 = te.map(4, {te.d(0), te.d(1), te.d(2)});
          SmallVector<utils::IteratorType> redLast = {kPar, kPar, kPar, kRed};
          // m' = max(m, max_t s). Every new state is written into its
          // iter_arg after the last read of the old one, so that bufferization
          // keeps the loop's state in place.
          auto maxBody = [](OpBuilder &bb, Location ll, ValueRange a) {
            linalg::YieldOp::create(
                bb, ll, arith::MaximumFOp::create(bb, ll, a[0], a[1]).getResult());
          };
          Value mTile = te.generic(
              rowType(), ValueRange{s},
              ValueRange{te.filled(rowType(), rowDims(),
                                   -std::numeric_limits<double>::infinity())},
              {id4, row4}, redLast, maxBody);
          Value mSafe = safeMax(te.map(
              ValueRange{it[0], mTile},
              [](OpBuilder &bb, Location ll, ValueRange a) {
                return arith::MaximumFOp::create(bb, ll, a[0], a[1]).getResult();
              }));
          // alpha = exp(m - m'): how much the sums so far shrink.
          Value alpha = te.map(ValueRange{it[0], mSafe},
                               [](OpBuilder &bb, Location ll, ValueRange a) {
                                 return math::ExpOp::create(
                                            bb, ll,
                                            arith::SubFOp::create(bb, ll, a[0],
                                                                  a[1]))
                                     .getResult();
                               });
          Value p = te.generic(
              sType, ValueRange{s, mSafe}, te.empty(sType, sDims),
              {id4, row4, id4}, {kPar, kPar, kPar, kPar},
              [](OpBuilder &bb, Location ll, ValueRange a) {
                linalg::YieldOp::create(
                    bb, ll,
                    math::ExpOp::create(
                        bb, ll, arith::SubFOp::create(bb, ll, a[0], a[1]))
                        .getResult());
              });
          AffineMap id3 = te.map(3, {te.d(0), te.d(1), te.d(2)});
          Value lScaled = te.generic(
              rowType(), ValueRange{alpha}, ValueRange{it[1]}, {id3, id3},
              {kPar, kPar, kPar}, [](OpBuilder &bb, Location ll, ValueRange a) {
                linalg::YieldOp::create(
                    bb, ll, arith::MulFOp::create(bb, ll, a[1], a[0]).getResult());
              });
          // l' = l alpha + sum_t p
          Value lNew = te.generic(
              rowType(), ValueRange{p}, ValueRange{lScaled},
              {id4, row4}, redLast,
              [](OpBuilder &bb, Location ll, ValueRange a) {
                linalg::YieldOp::create(
                    bb, ll, arith::AddFOp::create(bb, ll, a[0], a[1]).getResult());
              });
          // acc' = acc alpha + p v
          Value accScaled = te.generic(
              accType(), ValueRange{alpha}, ValueRange{it[2]}, {row4, id4},
              {kPar, kPar, kPar, kPar},
              [](OpBuilder &bb, Location ll, ValueRange a) {
                linalg::YieldOp::create(
                    bb, ll, arith::MulFOp::create(bb, ll, a[1], a[0]).getResult());
              });
          Value accNew = te.generic(
              accType(), ValueRange{p, vt}, ValueRange{accScaled},
              {te.map(5, {te.d(0), te.d(1), te.d(2), te.d(4)}),
               te.map(5, {te.d(4), te.d(1), te.d(3)}),
               te.map(5, {te.d(0), te.d(1), te.d(2), te.d(3)})},
              {kPar, kPar, kPar, kPar, kRed}, yieldMulAdd);
          Value mNew = te.generic(rowType(), ValueRange{mTile},
                                  ValueRange{it[0]}, {id3, id3},
                                  {kPar, kPar, kPar}, maxBody);
          scf::YieldOp::create(b, l, ValueRange{mNew, lNew, accNew});
        });
    return {loop.getResult(0), loop.getResult(1), loop.getResult(2)};
  }

  /// acc / l, back to [n, heads, dv].
  Value finish(Value acc, Value l) {
    AffineMap id4 = e.map(4, {e.d(0), e.d(1), e.d(2), e.d(3)});
    AffineMap row4 = e.map(4, {e.d(0), e.d(1), e.d(2)});
    Value out = e.generic(accType(), ValueRange{acc, l},
                          e.empty(accType(), accDims()), {id4, row4, id4},
                          {kPar, kPar, kPar, kPar},
                          [](OpBuilder &bb, Location ll, ValueRange a) {
                            linalg::YieldOp::create(
                                bb, ll,
                                arith::DivFOp::create(bb, ll, a[0], a[1])
                                    .getResult());
                          });
    return tensor::CollapseShapeOp::create(
        e.b, e.loc, op.getType(), out,
        ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}});
  }

  /// Split-KV (flash-decoding): chunks of `chunk` keys in parallel, each
  /// with its own online softmax, then one combine over the chunks.
  Value split(Value T, Value chunk) {
    OpBuilder &b = e.b;
    Location loc = e.loc;
    Value numChunks = arith::CeilDivUIOp::create(b, loc, T, chunk);
    int64_t nStatic = op.getQuery().getType().getDimSize(0);
    int64_t dyn = ShapedType::kDynamic;
    auto pRowType = RankedTensorType::get({dyn, nStatic, kvh, group}, e.f32());
    auto pAccType =
        RankedTensorType::get({dyn, nStatic, kvh, group, dv}, e.f32());
    SmallVector<Value> pRowDims = {numChunks, n, e.idx(kvh), e.idx(group)};
    SmallVector<Value> pAccDims = {numChunks, n, e.idx(kvh), e.idx(group),
                                   e.idx(dv)};
    auto forall = scf::ForallOp::create(
        b, loc, ArrayRef<OpFoldResult>{numChunks},
        ValueRange{e.empty(pRowType, pRowDims), e.empty(pRowType, pRowDims),
                   e.empty(pAccType, pAccDims)},
        std::nullopt);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(forall.getTerminator());
      Value c = forall.getInductionVar(0);
      Value lo = arith::MulIOp::create(b, loc, c, chunk);
      Value hi = arith::MinUIOp::create(
          b, loc, arith::AddIOp::create(b, loc, lo, chunk), T);
      FlashState s = range(lo, hi, initial());
      b.setInsertionPointToStart(forall.getTerminator().getBody());
      auto insert = [&](Value src, Value dest, int64_t rank) {
        SmallVector<OpFoldResult> offsets(rank + 1, b.getIndexAttr(0));
        offsets[0] = c;
        SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), n,
                                           b.getIndexAttr(kvh),
                                           b.getIndexAttr(group)};
        if (rank == 4)
          sizes.push_back(b.getIndexAttr(dv));
        SmallVector<OpFoldResult> strides(rank + 1, b.getIndexAttr(1));
        tensor::ParallelInsertSliceOp::create(b, loc, src, dest, offsets,
                                              sizes, strides);
      };
      auto outs = forall.getRegionIterArgs();
      insert(s.m, outs[0], 3);
      insert(s.l, outs[1], 3);
      insert(s.acc, outs[2], 4);
    }
    Value pm = forall.getResult(0), pl = forall.getResult(1),
          pacc = forall.getResult(2);
    // M = max_c m_c; w_c = exp(m_c - M); l = sum_c w_c l_c;
    // acc = sum_c w_c acc_c.
    AffineMap cRow = e.map(4, {e.d(3), e.d(0), e.d(1), e.d(2)});
    AffineMap row4 = e.map(4, {e.d(0), e.d(1), e.d(2)});
    SmallVector<utils::IteratorType> redLast = {kPar, kPar, kPar, kRed};
    Value mMax = e.generic(
        rowType(), ValueRange{pm},
        ValueRange{e.filled(rowType(), rowDims(),
                            -std::numeric_limits<double>::infinity())},
        {cRow, row4}, redLast, [](OpBuilder &bb, Location ll, ValueRange a) {
          linalg::YieldOp::create(
              bb, ll, arith::MaximumFOp::create(bb, ll, a[0], a[1]).getResult());
        });
    Value mSafe = safeMax(mMax);
    Value w = e.generic(
        pRowType, ValueRange{pm, mSafe}, e.empty(pRowType, pRowDims),
        {e.map(4, {e.d(0), e.d(1), e.d(2), e.d(3)}),
         e.map(4, {e.d(1), e.d(2), e.d(3)}),
         e.map(4, {e.d(0), e.d(1), e.d(2), e.d(3)})},
        {kPar, kPar, kPar, kPar}, [](OpBuilder &bb, Location ll, ValueRange a) {
          linalg::YieldOp::create(
              bb, ll,
              math::ExpOp::create(bb, ll,
                                  arith::SubFOp::create(bb, ll, a[0], a[1]))
                  .getResult());
        });
    Value l = e.generic(rowType(), ValueRange{pl, w},
                        e.filled(rowType(), rowDims(), 0.0),
                        {cRow, cRow, row4}, redLast, yieldMulAdd);
    Value acc = e.generic(
        accType(), ValueRange{pacc, w}, e.filled(accType(), accDims(), 0.0),
        {e.map(5, {e.d(4), e.d(0), e.d(1), e.d(2), e.d(3)}),
         e.map(5, {e.d(4), e.d(0), e.d(1), e.d(2)}),
         e.map(5, {e.d(0), e.d(1), e.d(2), e.d(3)})},
        {kPar, kPar, kPar, kPar, kRed}, yieldMulAdd);
    return finish(acc, l);
  }
};

/// The flash form: query heads of a GQA group as a batch dimension, keys in
/// tiles of `tile` rows with an online softmax (the decomposition of IREE's
/// OnlineAttentionOp), no [heads, n, T] score tensor. With `chunk`, a single
/// query row (decode) splits the keys into chunks of `chunk` rows walked in
/// parallel, then combined.
static Value emitFlashAttention(Emitter &e, AttentionOp op, int64_t tile,
                                std::optional<int64_t> chunk) {
  auto qType = op.getQuery().getType();
  int64_t heads = qType.getDimSize(1), d = qType.getDimSize(2);
  int64_t kvh = op.getKey().getType().getDimSize(1);
  int64_t group = heads / kvh;
  int64_t dv = op.getType().getDimSize(2);
  SmallVector<Value> qd = e.dims(op.getQuery()), kd = e.dims(op.getKey());
  auto q4Type =
      RankedTensorType::get({qType.getDimSize(0), kvh, group, d}, e.f32());
  Value q4 = tensor::ExpandShapeOp::create(
      e.b, e.loc, q4Type, op.getQuery(),
      ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}},
      ArrayRef<OpFoldResult>{qd[0], e.b.getIndexAttr(kvh),
                             e.b.getIndexAttr(group), e.b.getIndexAttr(d)});
  ScoreEpilogue epi(op, e);
  FlashEmitter fe{e, op, epi, q4, kvh, group, dv, tile, qd[0]};
  Value T = kd[0];
  if (!chunk) {
    FlashState s = fe.range(e.idx(0), T, fe.initial());
    return fe.finish(s.acc, s.l);
  }
  // Prefill rows already give every thread work; decode has kv_heads x group
  // rows only, so it splits the keys instead (a prefill is one chunk).
  Value isDecode = arith::CmpIOp::create(e.b, e.loc, arith::CmpIPredicate::eq,
                                         qd[0], e.idx(1));
  Value rows = arith::SelectOp::create(e.b, e.loc, isDecode, e.idx(*chunk), T);
  return fe.split(T, rows);
}

struct LowerAttention : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    // The additive bias comes from tfc.relative_position_bias, which has no
    // lowering either (issue 12: it joins the fused attention).
    if (op.getBias())
      return op.emitOpError("with an additive 'bias' is not lowered yet");
    Emitter e{rewriter, op.getLoc()};
    // The prologue of tfc-fuse-rope: the query rotated once, before the
    // forms below read it.
    if (RopeAttr rope = op.getRopeAttr()) {
      Value q = emitRope(e, op.getQuery(), op.getPosition(), rope,
                         op.getRopeOffset().value_or(0));
      rewriter.modifyOpInPlace(op, [&] {
        op.getQueryMutable().assign(q);
        op.removeRopeAttr();
        op.removeRopeOffsetAttr();
      });
    }
    // tfc-fuse-attention chooses the flash form (tfc.kv_tile), tfc-tile-kv
    // the split-KV decode (tfc.kv_chunk); the dialect verified both.
    auto tile = op->getAttrOfType<IntegerAttr>(kKVTileAttrName);
    auto chunk = op->getAttrOfType<IntegerAttr>(kKVChunkAttrName);
    Value out =
        tile ? emitFlashAttention(e, op, tile.getInt(),
                                  chunk ? std::optional<int64_t>(chunk.getInt())
                                        : std::nullopt)
             : emitMaterialisedAttention(e, op);
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
