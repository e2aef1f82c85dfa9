//===- MoE.cpp - tfc mixture of experts -> linalg -------------------------===//
//
// The router projection and softmax, the top-k gates by rank (ties to the
// lower index), optional renormalisation, then every expert's FFN weighted
// by its gate.
//
//===----------------------------------------------------------------------===//
#include "Builders.h"

#include "tfc/Conversion/TFCToLinalg/TFCToLinalg.h"
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::tfc;

namespace {
struct LowerMoE : OpRewritePattern<MoEOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MoEOp op,
                                PatternRewriter &rewriter) const override {
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
    Activation act = op.getActivation();
    bool gated = !op.getGateWeights().empty();
    // Every expert runs on every token, weighted by its gate (0 unless
    // chosen): exact, and simple; sparse dispatch is a later optimisation.
    Value acc = e.filled(xType, xd, 0.0);
    for (int64_t ex = 0; ex < experts; ++ex) {
      Value upW = op.getUpWeights()[ex];
      int64_t inter = cast<RankedTensorType>(upW.getType()).getDimSize(0);
      auto hType = RankedTensorType::get({xType.getDimSize(0), inter}, f32);
      Value up = emitProjection(e, x, upW, Value(), WeightLayout::OutIn, hType);
      Value hidden;
      if (gated) {
        Value gate = emitProjection(e, x, op.getGateWeights()[ex], Value(),
                                    WeightLayout::OutIn, hType);
        hidden = e.map(ValueRange{gate, up}, [&](OpBuilder &b, Location l,
                                                 ValueRange a) {
          return arith::MulFOp::create(b, l, applyActivation(b, l, act, a[0]),
                                       a[1])
              .getResult();
        });
      } else {
        hidden = e.map(up, [&](OpBuilder &b, Location l, ValueRange a) {
          return applyActivation(b, l, act, a[0]);
        });
      }
      Value y = emitProjection(e, hidden, op.getDownWeights()[ex], Value(),
                               WeightLayout::OutIn, xType);
      Value expertIndex = e.idx(ex);
      acc = e.map(ValueRange{acc, y}, [&](OpBuilder &b, Location l,
                                          ValueRange a) {
        Value i = linalg::IndexOp::create(b, l, 0);
        Value g =
            tensor::ExtractOp::create(b, l, gates, ValueRange{i, expertIndex});
        if (routedScale != 1.0)
          g = arith::MulFOp::create(b, l, g, e.cst(routedScale));
        return arith::AddFOp::create(b, l, a[0],
                                     arith::MulFOp::create(b, l, g, a[1]))
            .getResult();
      });
    }
    rewriter.replaceOp(op, acc);
    return success();
  }
};
} // namespace

void mlir::tfc::populateTFCMoEToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerMoE>(patterns.getContext());
}
