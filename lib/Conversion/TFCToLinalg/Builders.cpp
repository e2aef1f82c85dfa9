//===- Builders.cpp - Builders shared by the TFC-to-linalg patterns -------===//
#include "Builders.h"

#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::tfc;
using utils::IteratorType;

Value Emitter::cst(double v) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
}

Value Emitter::idx(int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

SmallVector<Value> Emitter::dynSizes(RankedTensorType type,
                                     ArrayRef<Value> dims) {
  SmallVector<Value> sizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      sizes.push_back(dims[d]);
  return sizes;
}

Value Emitter::filled(RankedTensorType type, ArrayRef<Value> dims,
                      double value) {
  Value empty = tensor::EmptyOp::create(b, loc, type.getShape(), f32(),
                                        dynSizes(type, dims));
  return linalg::FillOp::create(b, loc, cst(value), empty).getResult(0);
}

Value Emitter::empty(RankedTensorType type, ArrayRef<Value> dims) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType(), dynSizes(type, dims));
}

SmallVector<Value> Emitter::dims(Value v) {
  SmallVector<Value> out;
  auto type = cast<RankedTensorType>(v.getType());
  for (int64_t d = 0; d < type.getRank(); ++d)
    out.push_back(isa<Value>(tensor::getMixedSize(b, loc, v, d))
                      ? tensor::DimOp::create(b, loc, v, d).getResult()
                      : idx(type.getDimSize(d)));
  return out;
}

AffineMap Emitter::map(unsigned numDims, ArrayRef<AffineExpr> results) {
  return AffineMap::get(numDims, 0, results, b.getContext());
}

Value Emitter::generic(
    TypeRange results, ValueRange inputs, ValueRange outputs,
    ArrayRef<AffineMap> maps, ArrayRef<IteratorType> iterators,
    function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  return linalg::GenericOp::create(b, loc, results, inputs, outputs, maps,
                                   iterators, body)
      .getResult(0);
}

Value Emitter::map(ValueRange inputs,
                   function_ref<Value(OpBuilder &, Location, ValueRange)> fn) {
  auto type = cast<RankedTensorType>(inputs[0].getType());
  unsigned rank = type.getRank();
  AffineMap id = b.getMultiDimIdentityMap(rank);
  SmallVector<AffineMap> maps(inputs.size() + 1, id);
  SmallVector<IteratorType> its(rank, kPar);
  return generic(type, inputs, empty(type, dims(inputs[0])), maps, its,
                 [&](OpBuilder &nb, Location l, ValueRange args) {
                   linalg::YieldOp::create(nb, l, fn(nb, l, args.drop_back()));
                 });
}

Value mlir::tfc::widen(OpBuilder &b, Location loc, Value v) {
  if (v.getType().isF32())
    return v;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), v);
}

Value mlir::tfc::emitGLU(Emitter &e, Value gate, Value up, Activation act) {
  return e.map(ValueRange{gate, up},
               [&](OpBuilder &b, Location l, ValueRange a) {
                 return arith::MulFOp::create(
                            b, l, applyActivation(b, l, act, a[0]), a[1])
                     .getResult();
               });
}

Value mlir::tfc::applyActivation(OpBuilder &b, Location loc, Activation kind,
                                 Value x) {
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
    return arith::MulFOp::create(b, loc,
                                 arith::MulFOp::create(b, loc, c(0.5), x),
                                 arith::AddFOp::create(b, loc, c(1.0), e));
  }
  case Activation::GELUTanh: {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))  (HF NewGELUActivation)
    Value x3 =
        arith::MulFOp::create(b, loc, x, arith::MulFOp::create(b, loc, x, x));
    Value inner = arith::MulFOp::create(
        b, loc, c(std::sqrt(2.0 / M_PI)),
        arith::AddFOp::create(b, loc, x,
                              arith::MulFOp::create(b, loc, c(0.044715), x3)));
    Value t = math::TanhOp::create(b, loc, inner);
    return arith::MulFOp::create(b, loc,
                                 arith::MulFOp::create(b, loc, c(0.5), x),
                                 arith::AddFOp::create(b, loc, c(1.0), t));
  }
  }
  llvm_unreachable("unknown activation");
}

void mlir::tfc::yieldMulAdd(OpBuilder &b, Location l, ValueRange a) {
  // Reassociation lets LLVM vectorise the reduction with several
  // accumulators.
  auto flags = arith::FastMathFlagsAttr::get(
      b.getContext(),
      arith::FastMathFlags::reassoc | arith::FastMathFlags::contract);
  Value m =
      arith::MulFOp::create(b, l, widen(b, l, a[0]), widen(b, l, a[1]), flags);
  linalg::YieldOp::create(
      b, l, arith::AddFOp::create(b, l, a[2], m, flags).getResult());
}

WeightRead::WeightRead(Emitter &e, Value w, AffineMap wMap) {
  auto dequantize = w.getDefiningOp<DequantizeOp>();
  if (!dequantize) {
    operands = {w};
    maps = {wMap};
    return;
  }
  // One scale per block of consecutive elements of a row.
  AffineExpr col = wMap.getResult(1);
  operands = {dequantize.getValues(), dequantize.getScales()};
  maps = {wMap,
          AffineMap::get(wMap.getNumDims(), 0,
                         {wMap.getResult(0), col.floorDiv(kQ8_0BlockSize)},
                         e.b.getContext())};
}

Value WeightRead::element(OpBuilder &b, Location l, ValueRange args) const {
  if (operands.size() == 1)
    return widen(b, l, args[0]);
  Value value = arith::SIToFPOp::create(b, l, b.getF32Type(), args[0]);
  return arith::MulFOp::create(b, l, value, widen(b, l, args[1]));
}

Value WeightRead::extract(OpBuilder &b, Location l, Value row,
                          Value col) const {
  if (operands.size() == 1)
    return element(
        b, l,
        tensor::ExtractOp::create(b, l, operands[0], ValueRange{row, col})
            .getResult());
  Value block = arith::DivUIOp::create(
      b, l, col, arith::ConstantIndexOp::create(b, l, kQ8_0BlockSize));
  Value value =
      tensor::ExtractOp::create(b, l, operands[0], ValueRange{row, col});
  Value scale =
      tensor::ExtractOp::create(b, l, operands[1], ValueRange{row, block});
  return element(b, l, ValueRange{value, scale});
}

Value mlir::tfc::emitProjection(Emitter &e, Value x, Value w, Value bias,
                                WeightLayout layout,
                                RankedTensorType resultType) {
  SmallVector<Value> xd = e.dims(x);
  auto wType = cast<RankedTensorType>(w.getType());
  int64_t out =
      layout == WeightLayout::OutIn ? wType.getDimSize(0) : wType.getDimSize(1);
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
  WeightRead xRead(e, x, e.map(3, {e.d(0), e.d(2)})), read(e, w, wMap);
  SmallVector<Value> inputs(xRead.operands.begin(), xRead.operands.end());
  llvm::append_range(inputs, read.operands);
  SmallVector<AffineMap> maps(xRead.maps.begin(), xRead.maps.end());
  llvm::append_range(maps, read.maps);
  maps.push_back(e.map(3, {e.d(0), e.d(1)}));
  size_t xArgs = xRead.operands.size();
  return e.generic(resultType, inputs, init, maps, {kPar, kPar, kRed},
                   [&](OpBuilder &b, Location l, ValueRange a) {
                     Value xv = xRead.element(b, l, a.take_front(xArgs));
                     Value weight = read.element(
                         b, l, a.slice(xArgs, read.operands.size()));
                     yieldMulAdd(b, l, ValueRange{xv, weight, a.back()});
                   });
}

Value mlir::tfc::reduceLast(Emitter &e, Value x,
                            function_ref<Value(OpBuilder &, Location, Value)> f,
                            Value subtract) {
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
  return e.generic(
      outType, inputs, init, maps, its,
      [&](OpBuilder &b, Location l, ValueRange a) {
        Value v = a[0];
        if (subtract)
          v = arith::SubFOp::create(b, l, v, a[1]);
        linalg::YieldOp::create(
            b, l,
            arith::AddFOp::create(b, l, a.back(), f(b, l, v)).getResult());
      });
}

Value mlir::tfc::emitSoftmaxLast(Emitter &e, Value x) {
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
        Value v =
            math::ExpOp::create(b, l, arith::SubFOp::create(b, l, a[0], a[1]));
        linalg::YieldOp::create(
            b, l, arith::AddFOp::create(b, l, a[2], v).getResult());
      });
  return e.generic(
      type, ValueRange{x, rowMax, rowSum}, e.empty(type, xd),
      {id, row, row, id}, SmallVector<IteratorType>(rank, kPar),
      [](OpBuilder &b, Location l, ValueRange a) {
        Value v =
            math::ExpOp::create(b, l, arith::SubFOp::create(b, l, a[0], a[1]));
        linalg::YieldOp::create(
            b, l, arith::DivFOp::create(b, l, v, a[2]).getResult());
      });
}

RopeRotation::RopeRotation(Emitter &e, RopeAttr rope, int64_t headDim,
                           int64_t offset)
    : offset(offset), rotary(rope.getRotaryDim(headDim - offset)),
      half(rotary / 2), interleaved(rope.isInterleaved()) {
  SmallVector<float> inv = rope.getInverseFrequencies(rotary);
  auto invType = RankedTensorType::get({half}, e.f32());
  invFreq = arith::ConstantOp::create(
      e.b, e.loc, DenseElementsAttr::get(invType, ArrayRef<float>(inv)));
}

Value RopeRotation::apply(Emitter &e, OpBuilder &b, Location l, Value x,
                          Value d, Value p,
                          function_ref<Value(Value)> partnerAt) const {
  auto cmp = [&](arith::CmpIPredicate pred, Value lhs, Value rhs) {
    return arith::CmpIOp::create(b, l, pred, lhs, rhs).getResult();
  };
  Value cRot = e.idx(rotary), cHalf = e.idx(half), cZero = e.idx(0);
  // r: d's index in the rotated span (unsigned: below `offset` it wraps
  // past `rotary`, so those dimensions pass through too).
  Value r = offset ? arith::SubIOp::create(b, l, d, e.idx(offset)).getResult()
                   : d;
  Value rotated = cmp(arith::CmpIPredicate::ult, r, cRot);
  // The dimension r pairs with, its frequency index and the sign of the
  // partner's term.
  Value partner, freqIndex, negate;
  if (interleaved) {
    Value odd = arith::RemUIOp::create(b, l, r, e.idx(2));
    negate = cmp(arith::CmpIPredicate::eq, odd, cZero);
    partner = arith::SelectOp::create(
        b, l, negate, arith::AddIOp::create(b, l, d, e.idx(1)),
        arith::SubIOp::create(b, l, d, e.idx(1)));
    freqIndex = arith::DivUIOp::create(b, l, r, e.idx(2));
  } else {
    negate = cmp(arith::CmpIPredicate::ult, r, cHalf);
    partner = arith::SelectOp::create(
        b, l, negate, arith::AddIOp::create(b, l, d, cHalf),
        arith::SubIOp::create(b, l, d, cHalf));
    freqIndex = arith::RemUIOp::create(b, l, r, cHalf);
  }
  // Dimensions outside the rotated span pass through (indices clamped).
  partner = arith::SelectOp::create(b, l, rotated, partner, d);
  freqIndex = arith::SelectOp::create(b, l, rotated, freqIndex, cZero);
  Value pf = arith::UIToFPOp::create(
      b, l, b.getF32Type(),
      arith::IndexCastOp::create(b, l, b.getI64Type(), p));
  Value freq = tensor::ExtractOp::create(b, l, invFreq, freqIndex);
  Value angle = arith::MulFOp::create(b, l, pf, freq);
  Value cos = math::CosOp::create(b, l, angle);
  Value sin = math::SinOp::create(b, l, angle);
  Value other = partnerAt(partner);
  Value signedOther = arith::SelectOp::create(
      b, l, negate, arith::NegFOp::create(b, l, other), other);
  Value y = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, x, cos),
                                  arith::MulFOp::create(b, l, signedOther, sin));
  return arith::SelectOp::create(b, l, rotated, y, x).getResult();
}

Value mlir::tfc::emitRope(Emitter &e, Value x, Value position, RopeAttr rope,
                          int64_t offset) {
  int64_t headDim = cast<RankedTensorType>(x.getType()).getDimSize(2);
  RopeRotation rotation(e, rope, headDim, offset);
  return e.map(x, [&](OpBuilder &b, Location l, ValueRange a) {
    Value i = linalg::IndexOp::create(b, l, 0);
    Value h = linalg::IndexOp::create(b, l, 1);
    Value d = linalg::IndexOp::create(b, l, 2);
    Value p = arith::AddIOp::create(b, l, position, i);
    return rotation.apply(e, b, l, a[0], d, p, [&](Value partner) -> Value {
      return tensor::ExtractOp::create(b, l, x, ValueRange{i, h, partner});
    });
  });
}
