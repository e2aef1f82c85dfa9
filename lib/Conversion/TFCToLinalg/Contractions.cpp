//===- Contractions.cpp - tfc projections -> linalg -----------------------===//
//
// tfc.linear and tfc.lm_head: one contraction generic over the input
// dimension, the bias broadcast into its initial accumulator; a 16-bit weight
// is widened inside the body. tfc.gated_linear: one contraction with a gate
// and an up accumulator (one CPU kernel, tfc-cpu-vectorize-contractions),
// then the GLU as an elementwise epilogue. tfc.head_linear: a contraction
// batched over heads, against each head's block of rows viewed in place in the
// stored weight (expand_shape + extract_slice, no copy). A weight or an input
// that is a tfc.dequantize is read as its int8 values and scales
// (WeightRead); tfc.quantize, which rounds activations to those blocks, is
// three generics over the rows' blocks.
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

struct LowerGatedLinear : OpRewritePattern<GatedLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatedLinearOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    rewriter.replaceOp(op, emitGatedProjection(
                               e, op.getInput(), op.getGateWeight(),
                               op.getUpWeight(), op.getLayout(), op.getKind(),
                               op.getType()));
    return success();
  }
};

struct LowerHeadLinear : OpRewritePattern<HeadLinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(HeadLinearOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    RankedTensorType type = op.getType();
    auto wType = cast<RankedTensorType>(op.getWeight().getType());
    int64_t heads = type.getDimSize(1), headRows = op.getHeadRows();
    int64_t cols = wType.getDimSize(1);
    bool outIn = op.getLayout() == WeightLayout::OutIn;
    int64_t blockRows = outIn ? type.getDimSize(2)
                              : op.getInput().getType().getDimSize(2);
    // [heads * head_rows, cols] -> [heads, head_rows, cols] -> each head's
    // rows [row_offset, row_offset + blockRows), still in the stored dtype.
    Type elementType = wType.getElementType();
    Value perHead = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({heads, headRows, cols}, elementType),
        op.getWeight(), ArrayRef<ReassociationIndices>{{0, 1}, {2}});
    Value block = tensor::ExtractSliceOp::create(
        rewriter, loc,
        RankedTensorType::get({heads, blockRows, cols}, elementType), perHead,
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0),
                               rewriter.getIndexAttr(op.getRowOffset()),
                               rewriter.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(heads),
                               rewriter.getIndexAttr(blockRows),
                               rewriter.getIndexAttr(cols)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                               rewriter.getIndexAttr(1),
                               rewriter.getIndexAttr(1)});
    // y[t, h, o] += x[t, h, k] * W_h(o, k). The innermost loop runs along
    // the block's rows: out_in loops (token, head, out, k), a dot product
    // per output; in_out loops (token, head, k, out), so that W_h's rows and
    // y are read with unit stride instead of down a column.
    SmallVector<Value> dims = {e.dims(op.getInput())[0], e.idx(heads),
                               e.idx(type.getDimSize(2))};
    AffineExpr t = e.d(0), h = e.d(1), o = outIn ? e.d(2) : e.d(3),
               k = outIn ? e.d(3) : e.d(2);
    rewriter.replaceOp(
        op, e.generic(type, ValueRange{op.getInput(), block},
                      e.filled(type, dims, 0.0),
                      {e.map(4, {t, h, k}),
                       outIn ? e.map(4, {h, o, k}) : e.map(4, {h, k, o}),
                       e.map(4, {t, h, o})},
                      outIn ? SmallVector<utils::IteratorType>{kPar, kPar, kPar,
                                                              kRed}
                            : SmallVector<utils::IteratorType>{kPar, kPar, kRed,
                                                              kPar},
                      yieldMulAdd));
    return success();
  }
};
/// A tfc.dequantize no projection absorbed: the f32 matrix, elementwise.
struct LowerDequantize : OpRewritePattern<DequantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DequantizeOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    RankedTensorType type = op.getType();
    WeightRead read(e, op.getResult(), e.map(2, {e.d(0), e.d(1)}));
    SmallVector<AffineMap> maps(read.maps.begin(), read.maps.end());
    maps.push_back(e.map(2, {e.d(0), e.d(1)}));
    rewriter.replaceOp(
        op, e.generic(type, read.operands,
                      e.empty(type, e.dims(op.getValues())), maps, {kPar, kPar},
                      [&](OpBuilder &b, Location l, ValueRange a) {
                        linalg::YieldOp::create(
                            b, l, read.element(b, l, a.drop_back()));
                      }));
    return success();
  }
};

/// tfc.quantize: each row as blocks [rows, blocks, 32] (a view), their
/// largest |x|, from it the scales and 127 / amax, then the rounded values.
struct LowerQuantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    RankedTensorType type = op.getInput().getType();
    RankedTensorType scalesType = op.getScales().getType();
    int64_t blocks = scalesType.getDimSize(1);
    SmallVector<Value> rowDims = {e.dims(op.getInput())[0], e.idx(blocks)};
    auto blocked = [&](Type element) {
      return RankedTensorType::get({type.getDimSize(0), blocks, kQ8_0BlockSize},
                                   element);
    };
    SmallVector<ReassociationIndices> rows = {{0}, {1, 2}};
    Value x = tensor::ExpandShapeOp::create(
        rewriter, loc, blocked(e.f32()), op.getInput(), rows,
        ArrayRef<OpFoldResult>{rowDims[0], rewriter.getIndexAttr(blocks),
                               rewriter.getIndexAttr(kQ8_0BlockSize)});
    AffineMap element = e.map(3, {e.d(0), e.d(1), e.d(2)}),
              block = e.map(3, {e.d(0), e.d(1)});
    auto perBlock = RankedTensorType::get(scalesType.getShape(), e.f32());
    Value amax = e.generic(
        perBlock, x, e.filled(perBlock, rowDims, 0.0), {element, block},
        {kPar, kPar, kRed}, [](OpBuilder &b, Location l, ValueRange a) {
          Value abs = math::AbsFOp::create(b, l, a[0]);
          linalg::YieldOp::create(
              b, l, arith::MaximumFOp::create(b, l, a[1], abs).getResult());
        });
    AffineMap same = e.map(2, {e.d(0), e.d(1)});
    auto both = linalg::GenericOp::create(
        rewriter, loc, TypeRange{perBlock, scalesType}, amax,
        ValueRange{e.empty(perBlock, rowDims), e.empty(scalesType, rowDims)},
        ArrayRef<AffineMap>{same, same, same},
        ArrayRef<utils::IteratorType>{kPar, kPar},
        [&](OpBuilder &b, Location l, ValueRange a) {
          auto c = [&](double v) {
            return arith::ConstantOp::create(b, l, b.getF32FloatAttr(v))
                .getResult();
          };
          Value isZero = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                               a[0], c(0.0));
          Value inverse = arith::SelectOp::create(
              b, l, isZero, c(0.0),
              arith::DivFOp::create(b, l, c(127.0), a[0]));
          Value scale = arith::TruncFOp::create(
              b, l, b.getF16Type(), arith::DivFOp::create(b, l, a[0], c(127.0)));
          linalg::YieldOp::create(b, l, ValueRange{inverse, scale});
        });
    Type i8 = rewriter.getI8Type();
    Value values = e.generic(
        blocked(i8), ValueRange{x, both.getResult(0)},
        e.empty(blocked(i8), {rowDims[0], rowDims[1], e.idx(kQ8_0BlockSize)}),
        {element, block, element}, {kPar, kPar, kPar},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value scaled = arith::MulFOp::create(b, l, a[0], a[1]);
          Value rounded = math::RoundEvenOp::create(b, l, scaled);
          linalg::YieldOp::create(
              b, l, arith::FPToSIOp::create(b, l, b.getI8Type(), rounded)
                        .getResult());
        });
    Value flat = tensor::CollapseShapeOp::create(
        rewriter, loc, op.getValues().getType(), values, rows);
    rewriter.replaceOp(op, {flat, both.getResult(1)});
    return success();
  }
};
} // namespace

Value mlir::tfc::emitGatedProjection(Emitter &e, Value x, Value gate,
                                     Value up, WeightLayout layout,
                                     Activation act,
                                     RankedTensorType resultType) {
  OpBuilder &b = e.b;
  SmallVector<Value> dims = {e.dims(x)[0], e.idx(resultType.getDimSize(1))};
  AffineMap wMap = layout == WeightLayout::OutIn ? e.map(3, {e.d(1), e.d(2)})
                                                 : e.map(3, {e.d(2), e.d(1)});
  AffineMap xMap = e.map(3, {e.d(0), e.d(2)}), yMap = e.map(3, {e.d(0), e.d(1)});
  WeightRead xRead(e, x, xMap), gateRead(e, gate, wMap), upRead(e, up, wMap);
  SmallVector<Value> inputs(xRead.operands.begin(), xRead.operands.end());
  llvm::append_range(inputs, gateRead.operands);
  llvm::append_range(inputs, upRead.operands);
  SmallVector<AffineMap> maps(xRead.maps.begin(), xRead.maps.end());
  llvm::append_range(maps, gateRead.maps);
  llvm::append_range(maps, upRead.maps);
  maps.append({yMap, yMap});
  size_t xArgs = xRead.operands.size(), gateArgs = gateRead.operands.size(),
         upArgs = upRead.operands.size();
  // y_g[n, o] += x[n, k] * g[o, k] and y_u[n, o] += x[n, k] * u[o, k]: each
  // body half is the mul-add of a single projection (yieldMulAdd).
  auto flags = arith::FastMathFlagsAttr::get(
      b.getContext(),
      arith::FastMathFlags::reassoc | arith::FastMathFlags::contract);
  auto both = linalg::GenericOp::create(
      b, e.loc, TypeRange{resultType, resultType}, inputs,
      ValueRange{e.filled(resultType, dims, 0.0),
                 e.filled(resultType, dims, 0.0)},
      maps, {kPar, kPar, kRed}, [&](OpBuilder &bb, Location l, ValueRange a) {
        Value xv = xRead.element(bb, l, a.take_front(xArgs));
        Value gw = gateRead.element(bb, l, a.slice(xArgs, gateArgs));
        Value uw = upRead.element(bb, l, a.slice(xArgs + gateArgs, upArgs));
        Value g = arith::MulFOp::create(bb, l, xv, gw, flags);
        Value u = arith::MulFOp::create(bb, l, xv, uw, flags);
        ValueRange acc = a.take_back(2);
        linalg::YieldOp::create(
            bb, l,
            ValueRange{arith::AddFOp::create(bb, l, acc[0], g, flags),
                       arith::AddFOp::create(bb, l, acc[1], u, flags)});
      });
  return emitGLU(e, both.getResult(0), both.getResult(1), act);
}

void mlir::tfc::populateTFCContractionToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerProjection<LinearOp>, LowerProjection<LMHeadOp>,
               LowerGatedLinear, LowerHeadLinear, LowerDequantize, LowerQuantize>(
      patterns.getContext());
}
