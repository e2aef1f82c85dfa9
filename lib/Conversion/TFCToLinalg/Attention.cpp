//===- Attention.cpp - tfc attention ops -> linalg ------------------------===//
//
// The split of a fused QKV projection (tensor slices and reshapes, no copy),
// RoPE (one elementwise map reading its partner dimension, emitRope; also
// attention's prologue when tfc-fuse-rope moved the query's there), and causal
// attention: q.k contraction, scale / soft-cap / ALiBi or T5 bias / mask in
// one map, a softmax, the product with v. Query head h reads kv head h / group
// through the indexing maps.
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
#include "mlir/IR/Matchers.h"
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

/// The T5 bucketed bias: `table [buckets, heads]` read through a constant
/// bucket per relative position r. RelativeBiasAttr::getBucket gives every
/// |r| >= max_distance its direction's last bucket (there the quotient HF
/// truncates is >= buckets - max_exact up to f32 rounding, and the result is
/// clamped to the last bucket), so r clamped to [-max_distance, max_distance]
/// indexes an exact table of 2 max_distance + 1 buckets.
struct RelativeBiasReader {
  RelativeBiasAttr config;
  Value table;   // [buckets, heads], in its stored dtype
  Value buckets; // i32 [2 max_distance + 1]: r's bucket at r + max_distance

  RelativeBiasReader(RelativeBiasAttr config, Value table, Emitter &e)
      : config(config), table(table) {
    int64_t reach = config.getMaxDistance();
    SmallVector<int32_t> bucketOf;
    for (int64_t r = -reach; r <= reach; ++r)
      bucketOf.push_back(static_cast<int32_t>(config.getBucket(r)));
    auto type = RankedTensorType::get({2 * reach + 1}, e.b.getI32Type());
    buckets = arith::ConstantOp::create(
        e.b, e.loc, DenseElementsAttr::get(type, ArrayRef<int32_t>(bucketOf)));
  }

  /// table[bucket(key - query), h] in f32; positions are indices.
  Value read(Emitter &e, OpBuilder &b, Location l, Value h, Value query,
             Value key) const {
    Value reach = e.idx(config.getMaxDistance());
    Value r = arith::SubIOp::create(b, l, key, query);
    r = arith::MaxSIOp::create(b, l, arith::MinSIOp::create(b, l, r, reach),
                               e.idx(-config.getMaxDistance()));
    Value bucket = arith::IndexCastOp::create(
        b, l, b.getIndexType(),
        tensor::ExtractOp::create(
            b, l, buckets, ValueRange{arith::AddIOp::create(b, l, r, reach)}));
    return widen(b, l,
                 tensor::ExtractOp::create(b, l, table, ValueRange{bucket, h}));
  }
};

/// What masks, biases and caps a score: the attributes of one tfc.attention.
struct ScoreEpilogue {
  AttentionOp op;
  double scale;
  std::optional<double> softcap;
  std::optional<int64_t> window;
  Value slopes; // [heads] or null
  std::optional<RelativeBiasReader> relative;

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
    if (RelativeBiasAttr config = op.getRelativeBiasAttr())
      relative.emplace(config, op.getRelativeBiasTable(), e);
  }

  /// The score of `dot` for query head `h`, query row `i` and key `j` (its
  /// index in `key`): scale, soft-cap (HF gemma2: before the mask), ALiBi or
  /// the T5 bias (HF T5: added to the logits), the `bias` operand, mask.
  Value apply(Emitter &e, OpBuilder &b, Location l, Value dot,
              function_ref<std::array<Value, 3>()> headRowKey) {
    Value s = arith::MulFOp::create(b, l, dot, e.cst(scale));
    if (softcap)
      s = arith::MulFOp::create(
          b, l,
          math::TanhOp::create(
              b, l, arith::DivFOp::create(b, l, s, e.cst(*softcap))),
          e.cst(*softcap));
    auto [h, i, keyIndex] = headRowKey();
    // j: the position of the key.
    Value j = keyIndex;
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
    if (relative)
      s = arith::AddFOp::create(b, l, s, relative->read(e, b, l, h, p, j));
    // A `bias` is score-sized already, so tfc-fuse-attention leaves its
    // attention materialised; either form reads it at the key's index.
    if (Value bias = op.getBias())
      s = arith::AddFOp::create(
          b, l, s,
          tensor::ExtractOp::create(b, l, bias, ValueRange{h, i, keyIndex}));
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
  // The key loop outside the value dim: unit-stride inner loop over v.
  return e.generic(outType, ValueRange{probs, v}, e.filled(outType, oDims, 0.0),
                   {e.map(4, {e.d(1), e.d(0), e.d(2)}),
                    e.map(4, {e.d(2), e.d(1).floorDiv(group), e.d(3)}),
                    e.map(4, {e.d(0), e.d(1), e.d(3)})},
                   {kPar, kPar, kRed, kPar}, yieldMulAdd);
}

//===----------------------------------------------------------------------===//
// Flash form (tfc-fuse-attention, tfc-tile-kv)
//===----------------------------------------------------------------------===//

/// Online-softmax state over the keys seen so far, per (query row, kv head,
/// query head of the group): the running max m, the sum l of exp(s - m) and
/// the unnormalised output acc = sum exp(s - m) v.
struct FlashState {
  Value m, l, acc; // [rows, kvi, g], [rows, kvi, g], [rows, kvi, g, dv]
};

/// One work item of the flash form: query rows [i0, i0 + rows) of kv heads
/// [kh, kh + kvi) with the `group` query heads that share each, over a range
/// of their keys. Every item is independent; its tiles are small enough to
/// stay in cache, and its loops run on one thread.
struct FlashItem {
  Value q; // [rows, kvi, group, d]
  /// The item's kv heads of each key segment: [size, kvi, d], [size, kvi, dv]
  /// holding keys [offset, offset + size).
  struct Segment {
    Value k, v, offset, size;
  };
  SmallVector<Segment> segments;
  Value i0, kh, rows;
};

/// The keys and values of `op` as the pieces they lie in: a
/// tfc.kv_cache_read becomes the views of its ring's pieces (readCachePieces),
/// so that the flash form copies no key; anything else is one piece.
static void collectKeySegments(OpBuilder &b, Location loc, Value k, Value v,
                               SmallVectorImpl<std::pair<Value, Value>> &out) {
  auto read = k.getDefiningOp<KVCacheReadOp>();
  if (read && k == read.getKey() && v == read.getValue()) {
    // A read from position 0 cannot wrap (it spans at most the ring's rows):
    // one piece, no empty second one to walk.
    llvm::append_range(
        out, readCachePieces(b, loc, read,
                             /*mayWrap=*/!matchPattern(read.getStart(),
                                                       m_Zero())));
    return;
  }
  out.push_back({k, v});
}

struct FlashEmitter {
  Emitter &e;
  AttentionOp op;
  ScoreEpilogue &epi;
  int64_t kvi, group, dv, tile;
  int64_t rowsStatic; // the item's query rows when static (decode: 1)

  RankedTensorType rowType() {
    return RankedTensorType::get({rowsStatic, kvi, group}, e.f32());
  }
  RankedTensorType accType() {
    return RankedTensorType::get({rowsStatic, kvi, group, dv}, e.f32());
  }
  SmallVector<Value> rowDims(Emitter &te, Value rows) {
    return {rows, te.idx(kvi), te.idx(group)};
  }
  SmallVector<Value> accDims(Emitter &te, Value rows) {
    return {rows, te.idx(kvi), te.idx(group), te.idx(dv)};
  }
  FlashState initial(Emitter &te, Value rows) {
    return {te.filled(rowType(), rowDims(te, rows),
                      -std::numeric_limits<double>::infinity()),
            te.filled(rowType(), rowDims(te, rows), 0.0),
            te.filled(accType(), accDims(te, rows), 0.0)};
  }
  /// max(m, -inf -> 0): what the exponentials subtract, so that a row no key
  /// of which is visible yet gives exp(-inf) = 0, not NaN.
  static Value safeMax(Emitter &te, Value m) {
    return te.map(m, [&](OpBuilder &b, Location l, ValueRange a) {
      Value isInf = arith::CmpFOp::create(
          b, l, arith::CmpFPredicate::OEQ, a[0],
          te.cst(-std::numeric_limits<double>::infinity()));
      return arith::SelectOp::create(b, l, isInf, te.cst(0.0), a[0])
          .getResult();
    });
  }

  /// Keys [lo, hi) of `item` walked in tiles of `tile` rows, from `state`:
  /// the whole tiles with static shapes (which LLVM unrolls and vectorises
  /// better), then the rest as one tile of dynamic size.
  /// Keys [lo, hi) of `item` walked segment by segment (each the part of
  /// [lo, hi) it holds, in its own indices), each in tiles of `tile` rows,
  /// from `state`: the whole tiles with static shapes (which LLVM unrolls and
  /// vectorises better), then the rest as one tile of dynamic size.
  FlashState range(Emitter &ie, const FlashItem &item, Value lo, Value hi,
                   FlashState state) {
    OpBuilder &b = ie.b;
    Location l = ie.loc;
    for (const FlashItem::Segment &seg : item.segments) {
      Value segLo = arith::MaxSIOp::create(
          b, l, ie.idx(0), arith::SubIOp::create(b, l, lo, seg.offset));
      Value segHi = arith::MinSIOp::create(
          b, l, seg.size, arith::SubIOp::create(b, l, hi, seg.offset));
      Value count = arith::MaxSIOp::create(
          b, l, arith::SubIOp::create(b, l, segHi, segLo), ie.idx(0));
      Value whole = arith::AddIOp::create(
          b, l, segLo,
          arith::MulIOp::create(
              b, l, arith::DivUIOp::create(b, l, count, ie.idx(tile)),
              ie.idx(tile)));
      state = tiles(ie, item, seg, segLo, whole, state, /*staticTile=*/true);
      state = tiles(ie, item, seg, whole, segHi, state, /*staticTile=*/false);
    }
    return state;
  }

  FlashState tiles(Emitter &ie, const FlashItem &item,
                   const FlashItem::Segment &seg, Value lo, Value hi,
                   FlashState state, bool staticTile) {
    OpBuilder &rb = ie.b;
    Location loc = ie.loc;
    int64_t d = op.getKey().getType().getDimSize(2);
    int64_t tileDim = staticTile ? tile : ShapedType::kDynamic;
    auto loop = scf::ForOp::create(
        rb, loc, lo, hi, ie.idx(tile), ValueRange{state.m, state.l, state.acc},
        [&](OpBuilder &b, Location l, Value j0, ValueRange it) {
          Emitter te{b, l};
          Value tsz = te.idx(tile);
          if (!staticTile)
            tsz = arith::MinSIOp::create(
                b, l, arith::SubIOp::create(b, l, hi, j0), tsz);
          auto slice = [&](Value x, int64_t width) {
            auto type = RankedTensorType::get({tileDim, kvi, width}, te.f32());
            return tensor::ExtractSliceOp::create(
                       b, l, type, x,
                       ArrayRef<OpFoldResult>{j0, b.getIndexAttr(0),
                                              b.getIndexAttr(0)},
                       ArrayRef<OpFoldResult>{
                           staticTile ? OpFoldResult(b.getIndexAttr(tile))
                                      : OpFoldResult(tsz),
                           b.getIndexAttr(kvi), b.getIndexAttr(width)},
                       ArrayRef<OpFoldResult>{b.getIndexAttr(1),
                                              b.getIndexAttr(1),
                                              b.getIndexAttr(1)})
                .getResult();
          };
          Value kt = slice(seg.k, d), vt = slice(seg.v, dv);
          auto sType =
              RankedTensorType::get({rowsStatic, kvi, group, tileDim}, te.f32());
          SmallVector<Value> sDims = {item.rows, te.idx(kvi), te.idx(group),
                                      tsz};
          // s[i, h, g, t] = q[i, h, g, :] . k[j0 + t, h, :], with the key
          // loop outside the heads': the tile is read once, row after row
          // (one position's heads are contiguous), not once per query head
          // down a strided column.
          Value dots = te.generic(
              sType, ValueRange{item.q, kt}, te.filled(sType, sDims, 0.0),
              {te.map(5, {te.d(0), te.d(2), te.d(3), te.d(4)}),
               te.map(5, {te.d(1), te.d(2), te.d(4)}),
               te.map(5, {te.d(0), te.d(2), te.d(3), te.d(1)})},
              {kPar, kPar, kPar, kPar, kRed}, yieldMulAdd);
          Value s = te.map(dots, [&](OpBuilder &bb, Location ll, ValueRange a) {
            return epi.apply(te, bb, ll, a[0], [&]() -> std::array<Value, 3> {
              Value i = arith::AddIOp::create(
                  bb, ll, item.i0, linalg::IndexOp::create(bb, ll, 0));
              Value kh = arith::AddIOp::create(
                  bb, ll, item.kh, linalg::IndexOp::create(bb, ll, 1));
              Value g = linalg::IndexOp::create(bb, ll, 2);
              Value t = linalg::IndexOp::create(bb, ll, 3);
              Value h = arith::AddIOp::create(
                  bb, ll, arith::MulIOp::create(bb, ll, kh, te.idx(group)), g);
              // The key's index in the whole key list.
              Value j = arith::AddIOp::create(
                  bb, ll, seg.offset, arith::AddIOp::create(bb, ll, j0, t));
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
              ValueRange{te.filled(rowType(), rowDims(te, item.rows),
                                   -std::numeric_limits<double>::infinity())},
              {id4, row4}, redLast, maxBody);
          Value mSafe = safeMax(te, te.map(
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
          // acc' = acc alpha + p v, the key loop outermost (after the rows)
          // so that v's tile is read once, row after row, and the inner loop
          // runs along a row (unit stride).
          Value accScaled = te.generic(
              accType(), ValueRange{alpha}, ValueRange{it[2]}, {row4, id4},
              {kPar, kPar, kPar, kPar},
              [](OpBuilder &bb, Location ll, ValueRange a) {
                linalg::YieldOp::create(
                    bb, ll, arith::MulFOp::create(bb, ll, a[1], a[0]).getResult());
              });
          Value accNew = te.generic(
              accType(), ValueRange{p, vt}, ValueRange{accScaled},
              {te.map(5, {te.d(0), te.d(2), te.d(3), te.d(1)}),
               te.map(5, {te.d(1), te.d(2), te.d(4)}),
               te.map(5, {te.d(0), te.d(2), te.d(3), te.d(4)})},
              {kPar, kRed, kPar, kPar, kPar}, yieldMulAdd);
          Value mNew = te.generic(rowType(), ValueRange{mTile},
                                  ValueRange{it[0]}, {id3, id3},
                                  {kPar, kPar, kPar}, maxBody);
          scf::YieldOp::create(b, l, ValueRange{mNew, lNew, accNew});
        });
    return {loop.getResult(0), loop.getResult(1), loop.getResult(2)};
  }

  /// The keys [lo, hi) of chunk [chunkLo, chunkHi) that some query row of
  /// the item can see: up to the last row's position (causal) and, with a
  /// window, from the first row's window on. The per-score mask still
  /// decides; these bounds only skip tiles that are masked out entirely.
  std::pair<Value, Value> visibleKeys(Emitter &ie, const FlashItem &item,
                                      Value chunkLo, Value chunkHi) {
    OpBuilder &b = ie.b;
    Location l = ie.loc;
    // Key index t is at position keyPos + t; row i at position pos + i.
    Value first = arith::AddIOp::create(b, l, op.getPosition(), item.i0);
    if (Value keyPos = op.getKeyPosition())
      first = arith::SubIOp::create(b, l, first, keyPos);
    Value end = arith::AddIOp::create(b, l, first, item.rows);
    Value hi = arith::MinSIOp::create(
        b, l, chunkHi, arith::MaxSIOp::create(b, l, end, ie.idx(0)));
    Value lo = chunkLo;
    if (epi.window)
      lo = arith::MaxSIOp::create(
          b, l, lo,
          arith::SubIOp::create(b, l, first, ie.idx(*epi.window - 1)));
    return {lo, hi};
  }
};

/// The flash form: query heads of a GQA group as a batch dimension, keys in
/// tiles of `tile` rows with an online softmax (the decomposition of IREE's
/// OnlineAttentionOp), no [heads, n, T] score tensor.
///
/// The work is one scf.forall over (query blocks of `queryTile` rows, key
/// chunks): an item takes every kv head, so that it walks whole cache rows
/// (one position's keys and values are contiguous; a single head's would be
/// a strided strip the prefetchers lose), the group's query heads read each
/// KV tile once, a block of causal rows walks only the keys its last row
/// sees, and each item keeps a partial (max, sum, output). With `chunk` (tfc-tile-kv), a step of
/// one query row (decode) splits its keys into chunks of `chunk` rows so that
/// a single sequence uses every thread (flash-decoding); otherwise every
/// item walks all its keys. One combine rescales and sums the chunks.
static Value emitFlashAttention(Emitter &e, AttentionOp op, int64_t tile,
                                int64_t queryTile,
                                std::optional<int64_t> chunk) {
  OpBuilder &b = e.b;
  Location loc = e.loc;
  auto qType = op.getQuery().getType();
  int64_t heads = qType.getDimSize(1), d = qType.getDimSize(2);
  int64_t kvh = op.getKey().getType().getDimSize(1);
  int64_t group = heads / kvh;
  int64_t dv = op.getType().getDimSize(2);
  int64_t nStatic = qType.getDimSize(0);
  int64_t dyn = ShapedType::kDynamic;
  SmallVector<Value> qd = e.dims(op.getQuery());
  // The keys where they lie (no tensor.dim of the joined keys either, which
  // would keep their copy alive).
  SmallVector<std::pair<Value, Value>> pieces;
  collectKeySegments(b, loc, op.getKey(), op.getValue(), pieces);
  SmallVector<FlashItem::Segment> segments;
  Value T = e.idx(0);
  for (auto [k, v] : pieces) {
    Value size = tensor::DimOp::create(b, loc, k, 0);
    segments.push_back({k, v, T, size});
    T = arith::AddIOp::create(b, loc, T, size);
  }
  Value n = qd[0];
  ScoreEpilogue epi(op, e);
  if (nStatic != dyn)
    queryTile = std::min(queryTile, nStatic);
  // Kv heads per item: all of them (see above).
  int64_t kvi = kvh;
  FlashEmitter fe{e, op, epi, kvi, group, dv, tile,
                  nStatic == 1 ? int64_t(1) : dyn};

  // Decode (one row) splits its keys into chunks; everything else is one
  // chunk. At least one row per chunk, so that no key count divides by 0.
  Value chunkRows = T;
  if (chunk) {
    Value isDecode =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, n, e.idx(1));
    chunkRows = arith::SelectOp::create(b, loc, isDecode, e.idx(*chunk), T);
  }
  chunkRows = arith::MaxUIOp::create(b, loc, chunkRows, e.idx(1));
  Value numChunks = arith::CeilDivUIOp::create(b, loc, T, chunkRows);
  Value numBlocks = arith::CeilDivUIOp::create(b, loc, n, e.idx(queryTile));

  auto pRowType = RankedTensorType::get({dyn, nStatic, kvh, group}, e.f32());
  auto pAccType = RankedTensorType::get({dyn, nStatic, kvh, group, dv}, e.f32());
  SmallVector<Value> pRowDims = {numChunks, n, e.idx(kvh), e.idx(group)};
  SmallVector<Value> pAccDims = {numChunks, n, e.idx(kvh), e.idx(group),
                                 e.idx(dv)};
  auto forall = scf::ForallOp::create(
      b, loc,
      ArrayRef<OpFoldResult>{numBlocks, b.getIndexAttr(kvh / kvi), numChunks},
      ValueRange{e.empty(pRowType, pRowDims), e.empty(pRowType, pRowDims),
                 e.empty(pAccType, pAccDims)},
      std::nullopt);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(forall.getTerminator());
    Emitter ie{b, loc};
    Value qb = forall.getInductionVar(0), c = forall.getInductionVar(2);
    Value kh = arith::MulIOp::create(b, loc, forall.getInductionVar(1),
                                     ie.idx(kvi));
    Value i0 = arith::MulIOp::create(b, loc, qb, ie.idx(queryTile));
    Value rows = arith::MinUIOp::create(
        b, loc, ie.idx(queryTile), arith::SubIOp::create(b, loc, n, i0));
    auto one = b.getIndexAttr(1), zero = b.getIndexAttr(0);
    auto qItemType =
        RankedTensorType::get({fe.rowsStatic, kvi, group, d}, e.f32());
    // The item's query rows of its heads, [rows, kvi, group, d].
    Value headBase = arith::MulIOp::create(b, loc, kh, ie.idx(group));
    Value qRows = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({fe.rowsStatic, kvi * group, d}, e.f32()),
        op.getQuery(), ArrayRef<OpFoldResult>{i0, headBase, zero},
        ArrayRef<OpFoldResult>{rows, b.getIndexAttr(kvi * group),
                               b.getIndexAttr(d)},
        ArrayRef<OpFoldResult>{one, one, one});
    // tfc-fuse-rope's prologue: each block rotated while it is in cache, no
    // pass over the whole query.
    if (RopeAttr rope = op.getRopeAttr())
      qRows = emitRope(ie, qRows,
                       arith::AddIOp::create(b, loc, op.getPosition(), i0),
                       rope, op.getRopeOffset().value_or(0));
    Value qItem = tensor::ExpandShapeOp::create(
        b, loc, qItemType, qRows,
        ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}},
        ArrayRef<OpFoldResult>{rows, b.getIndexAttr(kvi),
                               b.getIndexAttr(group), b.getIndexAttr(d)});
    auto headKeys = [&](Value x, Value size, int64_t width) -> Value {
      return tensor::ExtractSliceOp::create(
          b, loc, RankedTensorType::get({dyn, kvi, width}, e.f32()), x,
          ArrayRef<OpFoldResult>{zero, kh, zero},
          ArrayRef<OpFoldResult>{size, b.getIndexAttr(kvi),
                                 b.getIndexAttr(width)},
          ArrayRef<OpFoldResult>{one, one, one});
    };
    FlashItem item{qItem, {}, i0, kh, rows};
    for (const FlashItem::Segment &seg : segments)
      item.segments.push_back({headKeys(seg.k, seg.size, d),
                               headKeys(seg.v, seg.size, dv), seg.offset,
                               seg.size});
    Value chunkLo = arith::MulIOp::create(b, loc, c, chunkRows);
    Value chunkHi = arith::MinUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, chunkLo, chunkRows), T);
    auto [lo, hi] = fe.visibleKeys(ie, item, chunkLo, chunkHi);
    FlashState s = fe.range(ie, item, lo, hi, fe.initial(ie, rows));
    b.setInsertionPointToStart(forall.getTerminator().getBody());
    auto insert = [&](Value src, Value dest, bool withValueDim) {
      SmallVector<OpFoldResult> offsets = {c, i0, kh, zero};
      SmallVector<OpFoldResult> sizes = {one, rows, b.getIndexAttr(kvi),
                                         b.getIndexAttr(group)};
      if (withValueDim) {
        offsets.push_back(zero);
        sizes.push_back(b.getIndexAttr(dv));
      }
      SmallVector<OpFoldResult> strides(offsets.size(), one);
      tensor::ParallelInsertSliceOp::create(b, loc, src, dest, offsets, sizes,
                                            strides);
    };
    auto outs = forall.getRegionIterArgs();
    insert(s.m, outs[0], false);
    insert(s.l, outs[1], false);
    insert(s.acc, outs[2], true);
  }
  Value pm = forall.getResult(0), pl = forall.getResult(1),
        pacc = forall.getResult(2);
  // M = max_c m_c; w_c = exp(m_c - M); l = sum_c w_c l_c;
  // acc = sum_c w_c acc_c; out = acc / l.
  auto rowType = RankedTensorType::get({nStatic, kvh, group}, e.f32());
  auto accType = RankedTensorType::get({nStatic, kvh, group, dv}, e.f32());
  SmallVector<Value> rowDims = {n, e.idx(kvh), e.idx(group)};
  SmallVector<Value> accDims = {n, e.idx(kvh), e.idx(group), e.idx(dv)};
  AffineMap cRow = e.map(4, {e.d(3), e.d(0), e.d(1), e.d(2)});
  AffineMap row4 = e.map(4, {e.d(0), e.d(1), e.d(2)});
  AffineMap id4 = e.map(4, {e.d(0), e.d(1), e.d(2), e.d(3)});
  SmallVector<utils::IteratorType> redLast = {kPar, kPar, kPar, kRed};
  Value mMax = e.generic(
      rowType, ValueRange{pm},
      ValueRange{e.filled(rowType, rowDims,
                          -std::numeric_limits<double>::infinity())},
      {cRow, row4}, redLast, [](OpBuilder &bb, Location ll, ValueRange a) {
        linalg::YieldOp::create(
            bb, ll, arith::MaximumFOp::create(bb, ll, a[0], a[1]).getResult());
      });
  Value mSafe = FlashEmitter::safeMax(e, mMax);
  Value w = e.generic(
      pRowType, ValueRange{pm, mSafe}, e.empty(pRowType, pRowDims),
      {id4, e.map(4, {e.d(1), e.d(2), e.d(3)}), id4},
      {kPar, kPar, kPar, kPar}, [](OpBuilder &bb, Location ll, ValueRange a) {
        linalg::YieldOp::create(
            bb, ll,
            math::ExpOp::create(bb, ll,
                                arith::SubFOp::create(bb, ll, a[0], a[1]))
                .getResult());
      });
  Value l = e.generic(rowType, ValueRange{pl, w},
                      e.filled(rowType, rowDims, 0.0), {cRow, cRow, row4},
                      redLast, yieldMulAdd);
  Value acc = e.generic(
      accType, ValueRange{pacc, w}, e.filled(accType, accDims, 0.0),
      {e.map(5, {e.d(4), e.d(0), e.d(1), e.d(2), e.d(3)}),
       e.map(5, {e.d(4), e.d(0), e.d(1), e.d(2)}),
       e.map(5, {e.d(0), e.d(1), e.d(2), e.d(3)})},
      {kPar, kPar, kPar, kPar, kRed}, yieldMulAdd);
  Value out = e.generic(accType, ValueRange{acc, l}, e.empty(accType, accDims),
                        {id4, row4, id4}, {kPar, kPar, kPar, kPar},
                        [](OpBuilder &bb, Location ll, ValueRange a) {
                          linalg::YieldOp::create(
                              bb, ll,
                              arith::DivFOp::create(bb, ll, a[0], a[1])
                                  .getResult());
                        });
  return tensor::CollapseShapeOp::create(
      b, loc, op.getType(), out,
      ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}});
}

struct LowerAttention : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    auto tile = op->getAttrOfType<IntegerAttr>(kKVTileAttrName);
    // The prologue of tfc-fuse-rope: the flash form rotates each work
    // item's query block; the materialised form rotates the query once.
    RopeAttr rope = op.getRopeAttr();
    if (rope && !tile) {
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
    auto queryTile = op->getAttrOfType<IntegerAttr>(kQueryTileAttrName);
    auto chunk = op->getAttrOfType<IntegerAttr>(kKVChunkAttrName);
    Value out =
        tile ? emitFlashAttention(
                   e, op, tile.getInt(), queryTile ? queryTile.getInt() : 1,
                   chunk ? std::optional<int64_t>(chunk.getInt())
                         : std::nullopt)
             : emitMaterialisedAttention(e, op);
    rewriter.replaceOp(op, out);
    return success();
  }
};

/// The materialised [heads, n, T] bias, for an attention's `bias` operand
/// (tfc-fuse-attention folds it into the attention instead).
struct LowerRelativePositionBias : OpRewritePattern<RelativePositionBiasOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RelativePositionBiasOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    RelativeBiasReader reader(op.getConfig(), op.getTable(), e);
    auto type = op.getType();
    SmallVector<Value> dims = {e.idx(op.getTable().getType().getDimSize(1)),
                               op.getQueryLen(), op.getKeyLen()};
    AffineMap id3 = e.map(3, {e.d(0), e.d(1), e.d(2)});
    Value pos = op.getPosition();
    rewriter.replaceOp(
        op, e.generic(
                type, ValueRange{}, e.empty(type, dims), {id3},
                {kPar, kPar, kPar}, [&](OpBuilder &b, Location l, ValueRange) {
                  Value h = linalg::IndexOp::create(b, l, 0);
                  Value i = linalg::IndexOp::create(b, l, 1);
                  Value j = linalg::IndexOp::create(b, l, 2);
                  Value p = arith::AddIOp::create(b, l, pos, i);
                  linalg::YieldOp::create(b, l, reader.read(e, b, l, h, p, j));
                }));
    return success();
  }
};
} // namespace

void mlir::tfc::populateTFCAttentionToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns
      .add<LowerSplitQKV, LowerRope, LowerAttention, LowerRelativePositionBias>(
          patterns.getContext());
}
