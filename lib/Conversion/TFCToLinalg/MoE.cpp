//===- MoE.cpp - tfc mixture of experts -> linalg -------------------------===//
//
// The router projection and softmax, the top-k gates by rank (ties to the
// lower index), optional renormalisation, then the experts' FFNs weighted by
// their gates: densely (every expert on every token, gate 0 unless chosen) or,
// on a tfc.moe marked `tfc.dispatch` (tfc-dispatch-experts), each expert on
// the rows routed to it only, skipped when no row is.
//
//===----------------------------------------------------------------------===//
#include "Builders.h"

#include "tfc/Conversion/TFCToLinalg/TFCToLinalg.h"
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::tfc;

namespace {

/// Expert `ex`'s FFN on the rows `x` [m, hidden]: `[m, hidden]`, the
/// projections in the `y[n, o] += x[n, k] * w[o, k]` form the CPU kernel
/// matches; with tfc.gated_experts (tfc-fuse-glu) the gate and up pair as
/// tfc.gated_linear's one contraction.
Value emitExpert(Emitter &e, MoEOp op, Value x, int64_t ex) {
  auto xType = cast<RankedTensorType>(x.getType());
  Value upW = op.getUpWeights()[ex];
  int64_t inter = cast<RankedTensorType>(upW.getType()).getDimSize(0);
  auto hType = RankedTensorType::get({xType.getDimSize(0), inter}, e.f32());
  Activation act = op.getActivation();
  Value hidden;
  if (op->hasAttr(kGatedExpertsAttrName)) {
    hidden = emitGatedProjection(e, x, op.getGateWeights()[ex], upW,
                                 WeightLayout::OutIn, act, hType);
  } else {
    Value up = emitProjection(e, x, upW, Value(), WeightLayout::OutIn, hType);
    if (op.getGateWeights().empty()) {
      hidden = e.map(up, [&](OpBuilder &b, Location l, ValueRange a) {
        return applyActivation(b, l, act, a[0]);
      });
    } else {
      Value gate = emitProjection(e, x, op.getGateWeights()[ex], Value(),
                                  WeightLayout::OutIn, hType);
      hidden = emitGLU(e, gate, up, act);
    }
  }
  return emitProjection(e, hidden, op.getDownWeights()[ex], Value(),
                        WeightLayout::OutIn, xType);
}

/// The gate of row `i` for expert `ex`, times the routed scale (in this order,
/// as the dense and the dispatched forms both apply it).
Value scaledGate(Emitter &e, OpBuilder &b, Location l, Value gates, Value i,
                 Value ex, double routedScale) {
  Value g = tensor::ExtractOp::create(b, l, gates, ValueRange{i, ex});
  if (routedScale != 1.0)
    g = arith::MulFOp::create(b, l, g, e.cst(routedScale));
  return g;
}

struct LowerMoE : OpRewritePattern<MoEOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MoEOp op,
                                PatternRewriter &rewriter) const override {
    bool dispatch = op->hasAttr(kDispatchAttrName);
    Emitter e{rewriter, op.getLoc()};
    Value x = op.getInput();
    auto xType = op.getInput().getType();
    int64_t experts = op.getRouter().getType().getDimSize(0);
    auto f32 = rewriter.getF32Type();
    SmallVector<Value> xd = e.dims(x);
    auto routerType =
        RankedTensorType::get({xType.getDimSize(0), experts}, f32);
    Value logits = emitProjection(e, x, op.getRouter(), Value(),
                                  WeightLayout::OutIn, routerType);
    // Softmax over all experts (HF mixtral / deepseek: in f32).
    Value probs = emitSoftmaxLast(e, logits);
    SmallVector<Value> rDims = {xd[0], e.idx(experts)};
    AffineMap id2 = rewriter.getMultiDimIdentityMap(2);
    AffineMap row2 = e.map(2, {e.d(0)});
    // rank[i, e] = #experts scoring higher (ties: lower index first), so the
    // top-k are the experts of rank < k.
    Value rank = e.generic(
        routerType, ValueRange{probs, probs}, e.filled(routerType, rDims, 0.0),
        {e.map(3, {e.d(0), e.d(1)}), e.map(3, {e.d(0), e.d(2)}),
         e.map(3, {e.d(0), e.d(1)})},
        {kPar, kPar, kRed}, [&](OpBuilder &b, Location l, ValueRange a) {
          Value me = linalg::IndexOp::create(b, l, 1);
          Value other = linalg::IndexOp::create(b, l, 2);
          Value higher = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT,
                                               a[1], a[0]);
          Value tie = arith::AndIOp::create(
              b, l,
              arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, a[1],
                                    a[0]),
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, other,
                                    me));
          Value before = arith::OrIOp::create(b, l, higher, tie);
          Value inc =
              arith::SelectOp::create(b, l, before, e.cst(1.0), e.cst(0.0));
          linalg::YieldOp::create(
              b, l, arith::AddFOp::create(b, l, a[2], inc).getResult());
        });
    double topK = static_cast<double>(op.getTopK());
    Value gates = e.map(
        ValueRange{probs, rank}, [&](OpBuilder &b, Location l, ValueRange a) {
          Value chosen = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT,
                                               a[1], e.cst(topK));
          return arith::SelectOp::create(b, l, chosen, a[0], e.cst(0.0))
              .getResult();
        });
    if (op.getRenormalize()) {
      Value total = reduceLast(
          e, gates, [](OpBuilder &, Location, Value v) { return v; });
      gates = e.generic(
          routerType, ValueRange{gates, total}, e.empty(routerType, rDims),
          {id2, row2, id2}, {kPar, kPar},
          [](OpBuilder &b, Location l, ValueRange a) {
            linalg::YieldOp::create(
                b, l, arith::DivFOp::create(b, l, a[0], a[1]).getResult());
          });
    }
    double routedScale = op.getRoutedScale().convertToDouble();
    Value acc = e.filled(xType, xd, 0.0);
    for (int64_t ex = 0; ex < experts; ++ex) {
      Value expertIndex = e.idx(ex);
      if (!dispatch) {
        // Every expert on every token, weighted by its gate (0 unless
        // chosen).
        Value y = emitExpert(e, op, x, ex);
        acc = e.map(
            ValueRange{acc, y}, [&](OpBuilder &b, Location l, ValueRange a) {
              Value i = linalg::IndexOp::create(b, l, 0);
              Value g = scaledGate(e, b, l, gates, i, expertIndex, routedScale);
              return arith::AddFOp::create(b, l, a[0],
                                           arith::MulFOp::create(b, l, g, a[1]))
                  .getResult();
            });
        continue;
      }
      acc = emitDispatchedExpert(e, op, x, xd[0], rank, gates, acc, ex,
                                 expertIndex, topK, routedScale);
    }
    rewriter.replaceOp(op, acc);
    return success();
  }

  /// Expert `ex` on the rows routed to it, added into `acc`:
  ///   rows[0, m) = the routed tokens in order, slot[i] = i's place in them
  ///   (a scan over the tokens: branch-free, each token written at the next
  ///   slot, kept when routed), then, if m > 0, the rows gathered into a
  ///   compact [m, hidden] tensor, the FFN on them, and
  ///   acc[i] += gate[i] * y[slot[i]] for the routed i.
  /// A decode step (one token) then reads the weights of its top-k experts
  /// only; a prefill computes top_k/experts of the dense FLOPs. The sum over
  /// experts keeps the dense order; the unrouted terms it drops were +0.
  static Value emitDispatchedExpert(Emitter &e, MoEOp op, Value x, Value n,
                                    Value rank, Value gates, Value acc,
                                    int64_t ex, Value expertIndex, double topK,
                                    double routedScale) {
    OpBuilder &b = e.b;
    Location loc = e.loc;
    auto xType = cast<RankedTensorType>(x.getType());
    int64_t hidden = xType.getDimSize(1);
    auto indexType = b.getIndexType();
    auto listType = RankedTensorType::get({ShapedType::kDynamic}, indexType);
    Value zero = e.idx(0), one = e.idx(1);
    Value rowsInit = tensor::EmptyOp::create(b, loc, listType.getShape(),
                                             indexType, ValueRange{n});
    Value slotInit = tensor::EmptyOp::create(b, loc, listType.getShape(),
                                             indexType, ValueRange{n});
    auto scan = scf::ForOp::create(
        b, loc, zero, n, one, ValueRange{rowsInit, slotInit, zero},
        [&](OpBuilder &lb, Location l, Value i, ValueRange it) {
          Value count = it[2];
          Value r = tensor::ExtractOp::create(lb, l, rank,
                                              ValueRange{i, expertIndex});
          Value routed = arith::CmpFOp::create(
              lb, l, arith::CmpFPredicate::OLT, r,
              arith::ConstantOp::create(lb, l, lb.getF32FloatAttr(topK)));
          Value rows = tensor::InsertOp::create(lb, l, i, it[0], count);
          Value slot = tensor::InsertOp::create(lb, l, count, it[1], i);
          Value next = arith::SelectOp::create(
              lb, l, routed, arith::AddIOp::create(lb, l, count, one), count);
          scf::YieldOp::create(lb, l, ValueRange{rows, slot, next});
        });
    Value rows = scan.getResult(0), slot = scan.getResult(1);
    Value m = scan.getResult(2);
    Value any =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, m, zero);
    auto ifOp = scf::IfOp::create(
        b, loc, any,
        [&](OpBuilder &tb, Location l) {
          Emitter te{tb, l};
          auto compactType =
              RankedTensorType::get({ShapedType::kDynamic, hidden}, te.f32());
          // xg[j, h] = x[rows[j], h].
          Value xg = te.generic(
              compactType, ValueRange{},
              te.empty(compactType, {m, te.idx(hidden)}),
              {tb.getMultiDimIdentityMap(2)}, {kPar, kPar},
              [&](OpBuilder &gb, Location gl, ValueRange) {
                Value j = linalg::IndexOp::create(gb, gl, 0);
                Value h = linalg::IndexOp::create(gb, gl, 1);
                Value t = tensor::ExtractOp::create(gb, gl, rows, j);
                linalg::YieldOp::create(
                    gb, gl,
                    tensor::ExtractOp::create(gb, gl, x, ValueRange{t, h})
                        .getResult());
              });
          Value y = emitExpert(te, op, xg, ex);
          Value last = arith::SubIOp::create(tb, l, m, te.idx(1));
          // acc, updated in place: routed rows gain gate * y[slot], the
          // slot clamped so that unrouted rows read in bounds.
          Value updated = te.generic(
              acc.getType(), ValueRange{}, acc, {tb.getMultiDimIdentityMap(2)},
              {kPar, kPar}, [&](OpBuilder &cb, Location cl, ValueRange a) {
                Value i = linalg::IndexOp::create(cb, cl, 0);
                Value h = linalg::IndexOp::create(cb, cl, 1);
                Value r = tensor::ExtractOp::create(cb, cl, rank,
                                                    ValueRange{i, expertIndex});
                Value routed = arith::CmpFOp::create(
                    cb, cl, arith::CmpFPredicate::OLT, r, te.cst(topK));
                Value s = arith::MinUIOp::create(
                    cb, cl, tensor::ExtractOp::create(cb, cl, slot, i), last);
                Value v =
                    tensor::ExtractOp::create(cb, cl, y, ValueRange{s, h});
                Value g =
                    scaledGate(te, cb, cl, gates, i, expertIndex, routedScale);
                Value sum = arith::AddFOp::create(
                    cb, cl, a[0], arith::MulFOp::create(cb, cl, g, v));
                linalg::YieldOp::create(
                    cb, cl,
                    arith::SelectOp::create(cb, cl, routed, sum, a[0])
                        .getResult());
              });
          scf::YieldOp::create(tb, l, updated);
        },
        [&](OpBuilder &eb, Location l) { scf::YieldOp::create(eb, l, acc); });
    return ifOp.getResult(0);
  }
};
} // namespace

void mlir::tfc::populateTFCMoEToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerMoE>(patterns.getContext());
}
