//===- TFCToLinalg.cpp - op-level tfc -> linalg / tensor / arith / math ---===//
//
// One pattern per op. Reductions (norms, softmax, contractions) are
// linalg.generic ops with explicit iterator types so that later tiling and
// vectorisation passes see their structure; the KV cache is a memref written
// and read through subviews.
//
//===----------------------------------------------------------------------===//
#include "tfc/Conversion/Passes.h"
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCLOWERTOLINALG
#include "tfc/Conversion/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;
using namespace mlir::tfc;

namespace {
using utils::IteratorType;
constexpr IteratorType kPar = IteratorType::parallel;
constexpr IteratorType kRed = IteratorType::reduction;

/// Small builders shared by the patterns.
struct Emitter {
  OpBuilder &b;
  Location loc;

  Type f32() { return b.getF32Type(); }
  Value cst(double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
  }
  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  /// The dynamic sizes of `like` (its dims that are `?` in `type`).
  SmallVector<Value> dynSizes(RankedTensorType type, ArrayRef<Value> dims) {
    SmallVector<Value> sizes;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        sizes.push_back(dims[d]);
    return sizes;
  }
  /// A tensor of `type` (dims from `dims`) filled with `value`.
  Value filled(RankedTensorType type, ArrayRef<Value> dims, double value) {
    Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), f32(),
                                          dynSizes(type, dims));
    return linalg::FillOp::create(b, loc, cst(value), empty).getResult(0);
  }
  Value empty(RankedTensorType type, ArrayRef<Value> dims) {
    return tensor::EmptyOp::create(b, loc, type.getShape(), f32(),
                                   dynSizes(type, dims));
  }
  SmallVector<Value> dims(Value v) {
    SmallVector<Value> out;
    auto type = cast<RankedTensorType>(v.getType());
    for (int64_t d = 0; d < type.getRank(); ++d)
      out.push_back(isa<Value>(tensor::getMixedSize(b, loc, v, d))
                        ? tensor::DimOp::create(b, loc, v, d).getResult()
                        : idx(type.getDimSize(d)));
    return out;
  }
  AffineMap map(unsigned numDims, ArrayRef<AffineExpr> results) {
    return AffineMap::get(numDims, 0, results, b.getContext());
  }
  AffineExpr d(unsigned i) { return b.getAffineDimExpr(i); }
  Value generic(TypeRange results, ValueRange inputs, ValueRange outputs,
                ArrayRef<AffineMap> maps, ArrayRef<IteratorType> iterators,
                function_ref<void(OpBuilder &, Location, ValueRange)> body) {
    return linalg::GenericOp::create(b, loc, results, inputs, outputs, maps,
                                     iterators, body)
        .getResult(0);
  }
  /// `fn` applied elementwise to same-shaped `inputs`.
  Value map(ValueRange inputs,
            function_ref<Value(OpBuilder &, Location, ValueRange)> fn) {
    auto type = cast<RankedTensorType>(inputs[0].getType());
    unsigned rank = type.getRank();
    AffineMap id = b.getMultiDimIdentityMap(rank);
    SmallVector<AffineMap> maps(inputs.size() + 1, id);
    SmallVector<IteratorType> its(rank, kPar);
    return generic(type, inputs, empty(type, dims(inputs[0])), maps, its,
                   [&](OpBuilder &nb, Location l, ValueRange args) {
                     linalg::YieldOp::create(
                         nb, l, fn(nb, l, args.drop_back()));
                   });
  }
};

/// `v` as f32: weights and 16-bit caches are widened where they are read, so
/// arithmetic and accumulation stay in f32.
Value widen(OpBuilder &b, Location loc, Value v) {
  if (v.getType().isF32())
    return v;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), v);
}

Value applyActivation(OpBuilder &b, Location loc, Activation kind, Value x) {
  auto c = [&](double v) {
    return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v)).getResult();
  };
  switch (kind) {
  case Activation::ReLU:
    return arith::MaximumFOp::create(b, loc, x, c(0.0));
  case Activation::SiLU: {
    // x * sigmoid(x) = x / (1 + exp(-x))
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, x,
                                 arith::AddFOp::create(b, loc, c(1.0), e));
  }
  case Activation::GELU: {
    // 0.5 x (1 + erf(x / sqrt 2))
    Value e = math::ErfOp::create(
        b, loc, arith::MulFOp::create(b, loc, x, c(M_SQRT1_2)));
    return arith::MulFOp::create(
        b, loc, arith::MulFOp::create(b, loc, c(0.5), x),
        arith::AddFOp::create(b, loc, c(1.0), e));
  }
  case Activation::GELUTanh: {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))  (HF NewGELUActivation)
    Value x3 = arith::MulFOp::create(b, loc, x,
                                     arith::MulFOp::create(b, loc, x, x));
    Value inner = arith::MulFOp::create(
        b, loc, c(std::sqrt(2.0 / M_PI)),
        arith::AddFOp::create(b, loc, x,
                              arith::MulFOp::create(b, loc, c(0.044715), x3)));
    Value t = math::TanhOp::create(b, loc, inner);
    return arith::MulFOp::create(
        b, loc, arith::MulFOp::create(b, loc, c(0.5), x),
        arith::AddFOp::create(b, loc, c(1.0), t));
  }
  }
  llvm_unreachable("unknown activation");
}

/// The body of a contraction: acc + a * b. The sum may be reassociated so
/// that LLVM vectorises the reduction with several accumulators.
void yieldMulAdd(OpBuilder &b, Location l, ValueRange a) {
  auto flags = arith::FastMathFlagsAttr::get(
      b.getContext(), arith::FastMathFlags::reassoc | arith::FastMathFlags::contract);
  Value m = arith::MulFOp::create(b, l, widen(b, l, a[0]), widen(b, l, a[1]),
                                  flags);
  linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, a[2], m, flags).getResult());
}

/// x [n, in] times a weight [out, in] (or [in, out]) plus a bias.
Value emitProjection(Emitter &e, Value x, Value w, Value bias,
                     WeightLayout layout, RankedTensorType resultType) {
  SmallVector<Value> xd = e.dims(x);
  auto wType = cast<RankedTensorType>(w.getType());
  int64_t out = layout == WeightLayout::OutIn ? wType.getDimSize(0)
                                              : wType.getDimSize(1);
  SmallVector<Value> outDims = {xd[0], e.idx(out)};
  Value init;
  if (bias) {
    init = e.generic(resultType, bias, e.empty(resultType, outDims),
                     {e.map(2, {e.d(1)}), e.map(2, {e.d(0), e.d(1)})},
                     {kPar, kPar}, [](OpBuilder &b, Location l, ValueRange a) {
                       linalg::YieldOp::create(b, l, widen(b, l, a[0]));
                     });
  } else {
    init = e.filled(resultType, outDims, 0.0);
  }
  AffineMap wMap = layout == WeightLayout::OutIn ? e.map(3, {e.d(1), e.d(2)})
                                                 : e.map(3, {e.d(2), e.d(1)});
  return e.generic(resultType, ValueRange{x, w}, init,
                   {e.map(3, {e.d(0), e.d(2)}), wMap, e.map(3, {e.d(0), e.d(1)})},
                   {kPar, kPar, kRed},
                   yieldMulAdd);
}

/// Sum over the last dimension of `f(x)`: a tensor of rank - 1.
Value reduceLast(Emitter &e, Value x,
                 function_ref<Value(OpBuilder &, Location, Value)> f,
                 Value subtract = Value()) {
  auto type = cast<RankedTensorType>(x.getType());
  unsigned rank = type.getRank();
  SmallVector<Value> xd = e.dims(x);
  auto outType = RankedTensorType::get(type.getShape().drop_back(), e.f32());
  Value init = e.filled(outType, ArrayRef<Value>(xd).drop_back(), 0.0);
  SmallVector<AffineExpr> outExprs;
  for (unsigned i = 0; i + 1 < rank; ++i)
    outExprs.push_back(e.d(i));
  SmallVector<IteratorType> its(rank, kPar);
  its.back() = kRed;
  SmallVector<Value> inputs = {x};
  SmallVector<AffineMap> maps = {e.b.getMultiDimIdentityMap(rank)};
  if (subtract) {
    inputs.push_back(subtract);
    maps.push_back(e.map(rank, outExprs));
  }
  maps.push_back(e.map(rank, outExprs));
  return e.generic(outType, inputs, init, maps, its,
                   [&](OpBuilder &b, Location l, ValueRange a) {
                     Value v = a[0];
                     if (subtract)
                       v = arith::SubFOp::create(b, l, v, a[1]);
                     linalg::YieldOp::create(
                         b, l,
                         arith::AddFOp::create(b, l, a.back(), f(b, l, v))
                             .getResult());
                   });
}

/// Normalises over the last dimension: (x - mean) * rsqrt(var + eps) * (w +
/// offset) + bias, with mean = 0 for RMSNorm.
Value emitNorm(Emitter &e, Value x, Value w, Value bias, double eps,
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
        Value inv = math::RsqrtOp::create(
            b, l, arith::AddFOp::create(b, l, var, cEps));
        Value scale = arith::AddFOp::create(b, l, widen(b, l, a[2]), cOffset);
        Value y = arith::MulFOp::create(
            b, l, arith::MulFOp::create(b, l, v, inv), scale);
        if (bias)
          y = arith::AddFOp::create(b, l, y, widen(b, l, a[next]));
        linalg::YieldOp::create(b, l, y);
      });
}

/// Softmax over the last dimension (max-subtracted, as torch.softmax).
Value emitSoftmaxLast(Emitter &e, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  unsigned rank = type.getRank();
  SmallVector<Value> xd = e.dims(x);
  auto rowType = RankedTensorType::get(type.getShape().drop_back(), e.f32());
  ArrayRef<Value> rowDims = ArrayRef<Value>(xd).drop_back();
  SmallVector<AffineExpr> rowExprs;
  for (unsigned i = 0; i + 1 < rank; ++i)
    rowExprs.push_back(e.d(i));
  AffineMap id = e.b.getMultiDimIdentityMap(rank);
  AffineMap row = e.map(rank, rowExprs);
  SmallVector<IteratorType> reduce(rank, kPar);
  reduce.back() = kRed;
  Value rowMax = e.generic(
      rowType, x,
      e.filled(rowType, rowDims, -std::numeric_limits<double>::infinity()),
      {id, row}, reduce, [](OpBuilder &b, Location l, ValueRange a) {
        linalg::YieldOp::create(
            b, l, arith::MaximumFOp::create(b, l, a[0], a[1]).getResult());
      });
  Value rowSum = e.generic(
      rowType, ValueRange{x, rowMax}, e.filled(rowType, rowDims, 0.0),
      {id, row, row}, reduce, [](OpBuilder &b, Location l, ValueRange a) {
        Value v = math::ExpOp::create(b, l, arith::SubFOp::create(b, l, a[0], a[1]));
        linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, a[2], v).getResult());
      });
  return e.generic(
      type, ValueRange{x, rowMax, rowSum}, e.empty(type, xd), {id, row, row, id},
      SmallVector<IteratorType>(rank, kPar),
      [](OpBuilder &b, Location l, ValueRange a) {
        Value v = math::ExpOp::create(b, l, arith::SubFOp::create(b, l, a[0], a[1]));
        linalg::YieldOp::create(b, l, arith::DivFOp::create(b, l, v, a[2]).getResult());
      });
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

template <typename OpTy>
struct TFCPattern : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
};

struct LowerEmbedding : TFCPattern<EmbeddingOp> {
  using TFCPattern::TFCPattern;
  LogicalResult matchAndRewrite(EmbeddingOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    Value table = op.getTable();
    double scale = op.getScale() ? op.getScale()->convertToDouble() : 1.0;
    SmallVector<Value> outDims = {e.dims(op.getTokens())[0],
                                  e.idx(op.getType().getDimSize(1))};
    Value result = e.generic(
        op.getType(), op.getTokens(), e.empty(op.getType(), outDims),
        {e.map(2, {e.d(0)}), e.map(2, {e.d(0), e.d(1)})}, {kPar, kPar},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value row = arith::IndexCastOp::create(b, l, b.getIndexType(), a[0]);
          Value col = linalg::IndexOp::create(b, l, 1);
          Value v = widen(
              b, l, tensor::ExtractOp::create(b, l, table, ValueRange{row, col}));
          if (scale != 1.0)
            v = arith::MulFOp::create(b, l, v, e.cst(scale));
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LowerLearnedPositions : TFCPattern<LearnedPositionsOp> {
  using TFCPattern::TFCPattern;
  LogicalResult matchAndRewrite(LearnedPositionsOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    Value table = op.getTable(), pos = op.getPosition();
    rewriter.replaceOp(
        op, e.map(op.getInput(), [&](OpBuilder &b, Location l, ValueRange a) {
          Value row = arith::AddIOp::create(
              b, l, pos, linalg::IndexOp::create(b, l, 0));
          Value col = linalg::IndexOp::create(b, l, 1);
          Value p = widen(
              b, l, tensor::ExtractOp::create(b, l, table, ValueRange{row, col}));
          return arith::AddFOp::create(b, l, a[0], p).getResult();
        }));
    return success();
  }
};

struct LowerSinusoidalPositions : TFCPattern<SinusoidalPositionsOp> {
  using TFCPattern::TFCPattern;
  LogicalResult matchAndRewrite(SinusoidalPositionsOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    Value pos = op.getPosition();
    double width = op.getType().getDimSize(1);
    double logBase = std::log(op.getBase().convertToDouble());
    rewriter.replaceOp(
        op, e.map(op.getInput(), [&](OpBuilder &b, Location l, ValueRange a) {
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
          Value isEven = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::eq,
              arith::RemUIOp::create(b, l, j, two), e.idx(0));
          Value enc = arith::SelectOp::create(b, l, isEven,
                                              math::SinOp::create(b, l, angle),
                                              math::CosOp::create(b, l, angle));
          return arith::AddFOp::create(b, l, a[0], enc).getResult();
        }));
    return success();
  }
};

struct LowerRMSNorm : TFCPattern<RMSNormOp> {
  using TFCPattern::TFCPattern;
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

struct LowerLayerNorm : TFCPattern<LayerNormOp> {
  using TFCPattern::TFCPattern;
  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    rewriter.replaceOp(op, emitNorm(e, op.getInput(), op.getWeight(),
                                    op.getBias(), op.getEps().convertToDouble(),
                                    0.0, /*rms=*/false));
    return success();
  }
};

template <typename OpTy>
struct LowerProjection : TFCPattern<OpTy> {
  using TFCPattern<OpTy>::TFCPattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    rewriter.replaceOp(op, emitProjection(e, op.getInput(), op.getWeight(),
                                          op.getBias(), op.getLayout(),
                                          op.getType()));
    return success();
  }
};

struct LowerActivation : TFCPattern<ActivationOp> {
  using TFCPattern::TFCPattern;
  LogicalResult matchAndRewrite(ActivationOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    Activation kind = op.getKind();
    rewriter.replaceOp(op, e.map(op.getInput(), [&](OpBuilder &b, Location l,
                                                    ValueRange a) {
      return applyActivation(b, l, kind, a[0]);
    }));
    return success();
  }
};

struct LowerGLU : TFCPattern<GLUOp> {
  using TFCPattern::TFCPattern;
  LogicalResult matchAndRewrite(GLUOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    Activation kind = op.getKind();
    rewriter.replaceOp(op, e.map(ValueRange{op.getGate(), op.getUp()},
                                 [&](OpBuilder &b, Location l, ValueRange a) {
                                   return arith::MulFOp::create(
                                              b, l,
                                              applyActivation(b, l, kind, a[0]),
                                              a[1])
                                       .getResult();
                                 }));
    return success();
  }
};

struct LowerSoftcap : TFCPattern<SoftcapOp> {
  using TFCPattern::TFCPattern;
  LogicalResult matchAndRewrite(SoftcapOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    double cap = op.getCap().convertToDouble();
    rewriter.replaceOp(op, e.map(op.getInput(), [&](OpBuilder &b, Location l,
                                                    ValueRange a) {
      Value t = math::TanhOp::create(
          b, l, arith::DivFOp::create(b, l, a[0], e.cst(cap)));
      return arith::MulFOp::create(b, l, t, e.cst(cap)).getResult();
    }));
    return success();
  }
};

struct LowerClamp : TFCPattern<ClampOp> {
  using TFCPattern::TFCPattern;
  LogicalResult matchAndRewrite(ClampOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    double limit = op.getLimit().convertToDouble();
    rewriter.replaceOp(op, e.map(op.getInput(), [&](OpBuilder &b, Location l,
                                                    ValueRange a) {
      Value low = arith::MaximumFOp::create(b, l, a[0], e.cst(-limit));
      return arith::MinimumFOp::create(b, l, low, e.cst(limit)).getResult();
    }));
    return success();
  }
};

struct LowerResidualAdd : TFCPattern<ResidualAddOp> {
  using TFCPattern::TFCPattern;
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

struct LowerSplitQKV : TFCPattern<SplitQKVOp> {
  using TFCPattern::TFCPattern;
  LogicalResult matchAndRewrite(SplitQKVOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    Location loc = op.getLoc();
    Value x = op.getInput();
    int64_t heads = op.getHeads(), kvHeads = op.getKvHeads();
    int64_t headDim = op.getQ().getType().getDimSize(2);
    OpFoldResult n = tensor::getMixedSize(rewriter, loc, x, 0);
    auto f32 = rewriter.getF32Type();
    int64_t dyn = ShapedType::kDynamic;
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
      rewriter.replaceOp(op, {part(0, heads, op.getQ().getType()),
                              part(heads, kvHeads, op.getK().getType()),
                              part(heads + kvHeads, kvHeads, op.getV().getType())});
      return success();
    }
    // Grouped: [n, kv_heads, group + 2, head_dim].
    int64_t group = heads / kvHeads;
    auto grouped =
        RankedTensorType::get({nStatic, kvHeads, group + 2, headDim}, f32);
    Value g = tensor::ExpandShapeOp::create(
        rewriter, loc, grouped, x, ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}},
        ArrayRef<OpFoldResult>{n, rewriter.getIndexAttr(kvHeads),
                               rewriter.getIndexAttr(group + 2),
                               rewriter.getIndexAttr(headDim)});
    auto part = [&](int64_t first, int64_t count, Type type) -> Value {
      auto sliceType =
          RankedTensorType::get({nStatic, kvHeads, count, headDim}, f32);
      Value s = tensor::ExtractSliceOp::create(
          rewriter, loc, sliceType, g,
          ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0), rewriter.getIndexAttr(0),
                                 rewriter.getIndexAttr(first),
                                 rewriter.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{n, rewriter.getIndexAttr(kvHeads),
                                 rewriter.getIndexAttr(count),
                                 rewriter.getIndexAttr(headDim)},
          ArrayRef<OpFoldResult>(SmallVector<OpFoldResult>(4, rewriter.getIndexAttr(1))));
      return tensor::CollapseShapeOp::create(
          rewriter, loc, type, s, ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}});
    };
    (void)dyn;
    (void)e;
    rewriter.replaceOp(op, {part(0, group, op.getQ().getType()),
                            part(group, 1, op.getK().getType()),
                            part(group + 1, 1, op.getV().getType())});
    return success();
  }
};

/// Inverse frequencies of the rotated pairs, in f32 as HF computes them, with
/// rope scaling applied (HF _compute_linear_scaling / _compute_llama3_parameters).
static SmallVector<float> ropeInverseFrequencies(RopeAttr rope, int64_t rotary) {
  double theta = rope.getTheta().convertToDouble();
  SmallVector<float> inv;
  for (int64_t k = 0; k < rotary / 2; ++k) {
    float exponent = static_cast<float>(2 * k) / static_cast<float>(rotary);
    inv.push_back(1.0f / std::pow(static_cast<float>(theta), exponent));
  }
  RopeScalingAttr scaling = rope.getScaling();
  if (!scaling)
    return inv;
  double factor = scaling.getFactor().convertToDouble();
  if (scaling.getKind() == RopeScalingKind::Linear) {
    for (float &f : inv)
      f = static_cast<float>(f / factor);
    return inv;
  }
  double low = scaling.getLowFreqFactor()->convertToDouble();
  double high = scaling.getHighFreqFactor()->convertToDouble();
  double original = static_cast<double>(scaling.getOriginalMaxPosition());
  double lowWavelen = original / low, highWavelen = original / high;
  for (float &f : inv) {
    double wavelen = 2.0 * M_PI / f;
    if (wavelen > lowWavelen) {
      f = static_cast<float>(f / factor);
    } else if (wavelen >= highWavelen) {
      double smooth = (original / wavelen - low) / (high - low);
      f = static_cast<float>((1.0 - smooth) * f / factor + smooth * f);
    }
  }
  return inv;
}

struct LowerRope : TFCPattern<RopeOp> {
  using TFCPattern::TFCPattern;
  LogicalResult matchAndRewrite(RopeOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    Value x = op.getInput(), pos = op.getPosition();
    int64_t headDim = op.getType().getDimSize(2);
    int64_t rotary = op.getRope().getRotaryDim(headDim);
    int64_t half = rotary / 2;
    bool interleaved = op.getRope().getStyle() == RopeStyle::Interleaved;
    SmallVector<float> inv = ropeInverseFrequencies(op.getRope(), rotary);
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
          b, l, b.getF32Type(), arith::IndexCastOp::create(b, l, b.getI64Type(), p));
      Value freq = tensor::ExtractOp::create(b, l, invFreq, freqIndex);
      Value angle = arith::MulFOp::create(b, l, pf, freq);
      Value cos = math::CosOp::create(b, l, angle);
      Value sin = math::SinOp::create(b, l, angle);
      Value other = tensor::ExtractOp::create(b, l, x, ValueRange{i, h, partner});
      Value signedOther = arith::SelectOp::create(
          b, l, negate, arith::NegFOp::create(b, l, other), other);
      Value y = arith::AddFOp::create(
          b, l, arith::MulFOp::create(b, l, a[0], cos),
          arith::MulFOp::create(b, l, signedOther, sin));
      return arith::SelectOp::create(b, l, rotated, y, a[0]).getResult();
    }));
    return success();
  }
};

/// ALiBi slopes as HF bloom's build_alibi_tensor computes them.
static SmallVector<float> alibiSlopes(int64_t heads, double maxBias) {
  int64_t closest = int64_t(1) << static_cast<int64_t>(std::floor(std::log2(heads)));
  double base = std::pow(2.0, -maxBias / closest);
  SmallVector<float> slopes;
  for (int64_t i = 1; i <= closest; ++i)
    slopes.push_back(static_cast<float>(std::pow(base, i)));
  if (closest != heads) {
    double extraBase = std::pow(2.0, -maxBias / (2 * closest));
    for (int64_t i = 0; i < heads - closest; ++i)
      slopes.push_back(static_cast<float>(std::pow(extraBase, 2 * i + 1)));
  }
  return slopes;
}

struct LowerAttention : TFCPattern<AttentionOp> {
  using TFCPattern::TFCPattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getBias())
      return rewriter.notifyMatchFailure(op, "additive bias is not lowered yet");
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
    auto scoresType = RankedTensorType::get({heads, qType.getDimSize(0), dyn}, f32);
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
      SmallVector<float> s = alibiSlopes(heads, alibi.getMaxBias().convertToDouble());
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
            math::TanhOp::create(b, l, arith::DivFOp::create(b, l, s, e.cst(*softcap))),
            e.cst(*softcap));
      Value h = linalg::IndexOp::create(b, l, 0);
      Value i = linalg::IndexOp::create(b, l, 1);
      // j: the position of the key.
      Value j = linalg::IndexOp::create(b, l, 2);
      if (Value first = op.getKeyPosition())
        j = arith::AddIOp::create(b, l, first, j);
      if (slopes) {
        Value jf = arith::UIToFPOp::create(
            b, l, b.getF32Type(), arith::IndexCastOp::create(b, l, b.getI64Type(), j));
        Value slope = tensor::ExtractOp::create(b, l, slopes, h);
        s = arith::AddFOp::create(b, l, s, arith::MulFOp::create(b, l, slope, jf));
      }
      Value p = arith::AddIOp::create(b, l, pos, i);
      Value visible = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ule, j, p);
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
    Value out = e.generic(
        outType, ValueRange{probs, v}, e.filled(outType, oDims, 0.0),
        {e.map(4, {e.d(1), e.d(0), e.d(3)}), e.map(4, {e.d(3), e.d(1).floorDiv(group), e.d(2)}),
         e.map(4, {e.d(0), e.d(1), e.d(2)})},
        {kPar, kPar, kPar, kRed}, yieldMulAdd);
    rewriter.replaceOp(op, out);
    return success();
  }
};

/// `x` with its elements converted to `to` (f32 <-> a 16-bit cache type;
/// narrowing rounds to nearest even, as arith.truncf does by default).
static Value convertElements(Emitter &e, Value x, Type to) {
  auto type = cast<RankedTensorType>(x.getType());
  auto outType = RankedTensorType::get(type.getShape(), to);
  unsigned rank = type.getRank();
  AffineMap id = e.b.getMultiDimIdentityMap(rank);
  SmallVector<Value> sizes = e.dynSizes(type, e.dims(x));
  Value init = tensor::EmptyOp::create(e.b, e.loc, type.getShape(), to, sizes);
  return e.generic(outType, x, init, {id, id},
                   SmallVector<IteratorType>(rank, kPar),
                   [&](OpBuilder &b, Location l, ValueRange a) {
                     Value v = to.isF32()
                                   ? arith::ExtFOp::create(b, l, to, a[0]).getResult()
                                   : arith::TruncFOp::create(b, l, to, a[0]).getResult();
                     linalg::YieldOp::create(b, l, v);
                   });
}

/// Rows [firstRow, firstRow + rows) of columns [column, column + width).
static Value cacheBlock(OpBuilder &b, Location loc, Value cache,
                        OpFoldResult firstRow, OpFoldResult rows,
                        int64_t column, int64_t width) {
  auto cacheType = cast<MemRefType>(cache.getType());
  SmallVector<OpFoldResult> offsets = {firstRow, b.getIndexAttr(column)};
  SmallVector<OpFoldResult> sizes = {rows, b.getIndexAttr(width)};
  SmallVector<OpFoldResult> strides = {b.getIndexAttr(1), b.getIndexAttr(1)};
  auto type = memref::SubViewOp::inferRankReducedResultType(
      {ShapedType::kDynamic, width}, cacheType, offsets, sizes, strides);
  return memref::SubViewOp::create(b, loc, cast<MemRefType>(type), cache,
                                   offsets, sizes, strides);
}

/// Where `count` consecutive positions from `first` lie in a ring of `rows`:
/// rows [start, start + head) and then, if they wrap, rows [0, tail).
struct RingSpan {
  Value start, head, tail;
};
static RingSpan ringSpan(OpBuilder &b, Location loc, Value rows, Value first,
                         Value count) {
  Value start = arith::RemUIOp::create(b, loc, first, rows);
  Value head = arith::MinUIOp::create(
      b, loc, count, arith::SubIOp::create(b, loc, rows, start));
  return {start, head, arith::SubIOp::create(b, loc, count, head)};
}

/// [rows, kv_heads, dim] <-> [rows, kv_heads * dim], the cache row layout.
static Value flattenHeads(OpBuilder &b, Location loc, Value x) {
  return tensor::CollapseShapeOp::create(
      b, loc, x, ArrayRef<ReassociationIndices>{{0}, {1, 2}});
}
static Value splitCachedHeads(OpBuilder &b, Location loc, RankedTensorType type,
                              Value flat, Value rows) {
  return tensor::ExpandShapeOp::create(
      b, loc, type, flat, ArrayRef<ReassociationIndices>{{0}, {1, 2}},
      ArrayRef<OpFoldResult>{rows, b.getIndexAttr(type.getDimSize(1)),
                             b.getIndexAttr(type.getDimSize(2))});
}

struct LowerKVCacheAppend : TFCPattern<KVCacheAppendOp> {
  using TFCPattern::TFCPattern;
  LogicalResult matchAndRewrite(KVCacheAppendOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    Value cache = op.getCache();
    Type elementType = cast<MemRefType>(cache.getType()).getElementType();
    Value rows = memref::DimOp::create(rewriter, loc, cache, 0);
    Value n = tensor::DimOp::create(rewriter, loc, op.getKey(), 0);
    // Only the last `rows` tokens survive in the ring.
    Value skip = arith::SubIOp::create(rewriter, loc, n,
                                       arith::MinUIOp::create(rewriter, loc, n, rows));
    Value kept = arith::SubIOp::create(rewriter, loc, n, skip);
    RingSpan span = ringSpan(
        rewriter, loc, rows,
        arith::AddIOp::create(rewriter, loc, op.getPosition(), skip), kept);
    Value afterHead = arith::AddIOp::create(rewriter, loc, skip, span.head);
    int64_t column = 0;
    for (Value part : {op.getKey(), op.getValue()}) {
      auto type = cast<RankedTensorType>(part.getType());
      int64_t width = type.getDimSize(1) * type.getDimSize(2);
      Value flat = flattenHeads(rewriter, loc, part);
      // Tokens [skip, skip + head) go to rows [start, ..), the rest to [0, tail).
      for (auto [from, to, count] :
           {std::tuple{skip, span.start, span.head},
            std::tuple{afterHead, e.idx(0), span.tail}}) {
        Value piece = tensor::ExtractSliceOp::create(
            rewriter, loc, flat, ArrayRef<OpFoldResult>{from, rewriter.getIndexAttr(0)},
            ArrayRef<OpFoldResult>{count, rewriter.getIndexAttr(width)},
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1), rewriter.getIndexAttr(1)});
        if (elementType != cast<RankedTensorType>(piece.getType()).getElementType())
          piece = convertElements(e, piece, elementType);
        bufferization::MaterializeInDestinationOp::create(
            rewriter, loc, TypeRange(), piece,
            cacheBlock(rewriter, loc, cache, to, count, column, width),
            /*restrict=*/false, /*writable=*/true);
      }
      column += width;
    }
    rewriter.eraseOp(op);
    return success();
  }
};

struct LowerKVCacheRead : TFCPattern<KVCacheReadOp> {
  using TFCPattern::TFCPattern;
  LogicalResult matchAndRewrite(KVCacheReadOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value cache = op.getCache();
    Value count = arith::SubIOp::create(rewriter, loc, op.getEnd(), op.getStart());
    // From position 0 the span cannot wrap (count <= rows): read the cache in
    // place, unless a later append may overwrite it while the keys are in
    // use. Otherwise copy the two pieces of the ring out in order.
    bool inPlace = matchPattern(op.getStart(), m_Zero()) &&
                   llvm::none_of(cache.getUsers(), [&](Operation *user) {
                     return isa<KVCacheAppendOp>(user) &&
                            (user->getBlock() != op->getBlock() ||
                             op->isBeforeInBlock(user));
                   });
    RingSpan span;
    if (!inPlace)
      span = ringSpan(rewriter, loc, memref::DimOp::create(rewriter, loc, cache, 0),
                      op.getStart(), count);
    Type elementType = cast<MemRefType>(cache.getType()).getElementType();
    Emitter e{rewriter, loc};
    auto read = [&](OpFoldResult first, OpFoldResult rows, int64_t column,
                    int64_t width) -> Value {
      auto type =
          RankedTensorType::get({ShapedType::kDynamic, width}, elementType);
      // `restrict`: the tensor is the only way this block of the cache is
      // read; kv_cache_append writes to memref subviews, never through it,
      // and not while an in-place read is live (checked above).
      Value block = bufferization::ToTensorOp::create(
          rewriter, loc, type, cacheBlock(rewriter, loc, cache, first, rows, column, width),
          /*restrict=*/true, /*writable=*/false);
      return elementType.isF32() ? block
                                 : convertElements(e, block, rewriter.getF32Type());
    };
    SmallVector<Value> results;
    int64_t column = 0;
    for (auto type : {op.getKey().getType(), op.getValue().getType()}) {
      int64_t width = type.getDimSize(1) * type.getDimSize(2);
      Value flat;
      if (inPlace) {
        flat = read(rewriter.getIndexAttr(0), count, column, width);
      } else {
        Value head = read(span.start, span.head, column, width);
        Value tail = read(rewriter.getIndexAttr(0), span.tail, column, width);
        flat = tensor::ConcatOp::create(rewriter, loc, /*dim=*/0,
                                        ValueRange{head, tail});
      }
      results.push_back(splitCachedHeads(rewriter, loc, type, flat, count));
      column += width;
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct LowerMoE : TFCPattern<MoEOp> {
  using TFCPattern::TFCPattern;
  LogicalResult matchAndRewrite(MoEOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    Value x = op.getInput();
    auto xType = op.getInput().getType();
    int64_t experts = op.getRouter().getType().getDimSize(0);
    auto f32 = rewriter.getF32Type();
    SmallVector<Value> xd = e.dims(x);
    auto routerType = RankedTensorType::get({xType.getDimSize(0), experts}, f32);
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
        {e.map(3, {e.d(0), e.d(1)}), e.map(3, {e.d(0), e.d(2)}), e.map(3, {e.d(0), e.d(1)})},
        {kPar, kPar, kRed}, [&](OpBuilder &b, Location l, ValueRange a) {
          Value me = linalg::IndexOp::create(b, l, 1);
          Value other = linalg::IndexOp::create(b, l, 2);
          Value higher = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, a[1], a[0]);
          Value tie = arith::AndIOp::create(
              b, l, arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, a[1], a[0]),
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, other, me));
          Value before = arith::OrIOp::create(b, l, higher, tie);
          Value inc = arith::SelectOp::create(b, l, before, e.cst(1.0), e.cst(0.0));
          linalg::YieldOp::create(b, l, arith::AddFOp::create(b, l, a[2], inc).getResult());
        });
    double topK = static_cast<double>(op.getTopK());
    Value gates = e.map(ValueRange{probs, rank}, [&](OpBuilder &b, Location l, ValueRange a) {
      Value chosen = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, a[1], e.cst(topK));
      return arith::SelectOp::create(b, l, chosen, a[0], e.cst(0.0)).getResult();
    });
    if (op.getRenormalize()) {
      Value total = reduceLast(e, gates, [](OpBuilder &, Location, Value v) { return v; });
      gates = e.generic(routerType, ValueRange{gates, total}, e.empty(routerType, rDims),
                        {id2, row2, id2}, {kPar, kPar}, [](OpBuilder &b, Location l, ValueRange a) {
                          linalg::YieldOp::create(b, l, arith::DivFOp::create(b, l, a[0], a[1]).getResult());
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
        hidden = e.map(ValueRange{gate, up}, [&](OpBuilder &b, Location l, ValueRange a) {
          return arith::MulFOp::create(b, l, applyActivation(b, l, act, a[0]), a[1]).getResult();
        });
      } else {
        hidden = e.map(up, [&](OpBuilder &b, Location l, ValueRange a) {
          return applyActivation(b, l, act, a[0]);
        });
      }
      Value y = emitProjection(e, hidden, op.getDownWeights()[ex], Value(),
                               WeightLayout::OutIn, xType);
      Value expertIndex = e.idx(ex);
      acc = e.map(ValueRange{acc, y}, [&](OpBuilder &b, Location l, ValueRange a) {
        Value i = linalg::IndexOp::create(b, l, 0);
        Value g = tensor::ExtractOp::create(b, l, gates, ValueRange{i, expertIndex});
        if (routedScale != 1.0)
          g = arith::MulFOp::create(b, l, g, e.cst(routedScale));
        return arith::AddFOp::create(b, l, a[0], arith::MulFOp::create(b, l, g, a[1])).getResult();
      });
    }
    rewriter.replaceOp(op, acc);
    return success();
  }
};

struct TFCLowerToLinalgPass
    : tfc::impl::TFCLowerToLinalgBase<TFCLowerToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect,
                           arith::ArithDialect, math::MathDialect,
                           memref::MemRefDialect,
                           bufferization::BufferizationDialect,
                           func::FuncDialect, LLVM::LLVMDialect>();
    target.addIllegalDialect<TFCDialect>();
    RewritePatternSet patterns(ctx);
    patterns.add<LowerEmbedding, LowerLearnedPositions, LowerSinusoidalPositions,
                 LowerRMSNorm, LowerLayerNorm, LowerProjection<LinearOp>,
                 LowerProjection<LMHeadOp>, LowerActivation, LowerGLU,
                 LowerSoftcap, LowerClamp, LowerResidualAdd, LowerSplitQKV, LowerRope,
                 LowerAttention, LowerKVCacheAppend, LowerKVCacheRead,
                 LowerMoE>(ctx);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
