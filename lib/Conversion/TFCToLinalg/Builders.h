//===- Builders.h - Builders shared by TFC-to-linalg patterns --*- C++ -*-===//
//
// Internal to lib/Conversion/TFCToLinalg: the small builders every op family
// uses (filled and empty tensors, generics, the contraction body, softmax and
// row reductions, projections, activations). Reductions are linalg.generic
// ops with explicit iterator types so that later tiling and vectorisation see
// their structure.
//
//===----------------------------------------------------------------------===//
#ifndef TFC_LIB_CONVERSION_TFCTOLINALG_BUILDERS_H
#define TFC_LIB_CONVERSION_TFCTOLINALG_BUILDERS_H

#include "tfc/Dialect/TFC/IR/TFCAttrs.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::tfc {

constexpr utils::IteratorType kPar = utils::IteratorType::parallel;
constexpr utils::IteratorType kRed = utils::IteratorType::reduction;

/// Small builders at one location.
struct Emitter {
  OpBuilder &b;
  Location loc;

  Type f32() { return b.getF32Type(); }
  Value cst(double v);
  Value idx(int64_t v);
  /// The dynamic sizes among `dims` (those of the `?` dims of `type`).
  SmallVector<Value> dynSizes(RankedTensorType type, ArrayRef<Value> dims);
  /// A tensor of `type` (dims from `dims`) filled with `value`.
  Value filled(RankedTensorType type, ArrayRef<Value> dims, double value);
  Value empty(RankedTensorType type, ArrayRef<Value> dims);
  /// Every size of `v`: tensor.dim where dynamic, a constant where static.
  SmallVector<Value> dims(Value v);
  AffineMap map(unsigned numDims, ArrayRef<AffineExpr> results);
  AffineExpr d(unsigned i) { return b.getAffineDimExpr(i); }
  Value generic(TypeRange results, ValueRange inputs, ValueRange outputs,
                ArrayRef<AffineMap> maps,
                ArrayRef<utils::IteratorType> iterators,
                function_ref<void(OpBuilder &, Location, ValueRange)> body);
  /// `fn` applied elementwise to same-shaped `inputs`.
  Value map(ValueRange inputs,
            function_ref<Value(OpBuilder &, Location, ValueRange)> fn);
};

/// `v` as f32: weights and 16-bit caches are widened where they are read, so
/// arithmetic and accumulation stay in f32.
Value widen(OpBuilder &b, Location loc, Value v);

/// `kind` applied to the f32 scalar `x`.
Value applyActivation(OpBuilder &b, Location loc, Activation kind, Value x);

/// `act(gate) * up`, elementwise (a GLU's product: tfc.glu, the epilogue of
/// emitGatedProjection, an unfused MoE expert).
Value emitGLU(Emitter &e, Value gate, Value up, Activation act);

/// The body of a contraction: acc + a * b, with the sum reassociable.
void yieldMulAdd(OpBuilder &b, Location l, ValueRange a);

/// How a contraction reads a matrix operand (a weight, or activations
/// rounded by tfc.quantize): the matrix itself, or the int8 values and block
/// scales of a `tfc.dequantize` (so that the f32 matrix is never stored).
struct WeightRead {
  /// Reads `w` through `wMap` (the contraction's loops to the matrix's
  /// (row, col)).
  WeightRead(Emitter &e, Value w, AffineMap wMap);

  SmallVector<Value, 2> operands;
  SmallVector<AffineMap, 2> maps;
  /// The element in f32 from the body arguments of `operands`: widened, or
  /// `sitofp(value) * extf(scale)`.
  Value element(OpBuilder &b, Location l, ValueRange args) const;
  /// The element (row, col) of the matrix in f32, by tensor.extract of the
  /// operands (a gather: row is data, not a loop index).
  Value extract(OpBuilder &b, Location l, Value row, Value col) const;
};

/// x [n, in] times a weight [out, in] (or [in, out]) plus a bias (may be
/// null); `w` may be a tfc.dequantize (WeightRead).
Value emitProjection(Emitter &e, Value x, Value w, Value bias,
                     WeightLayout layout, RankedTensorType resultType);

/// `act(x gate^T) * (x up^T)`, x [n, in], gate and up [out, in] (or
/// [in, out]): one contraction with a gate and an up accumulator (the form
/// of tfc-cpu-vectorize-contractions' two-pair kernel), then the GLU as an
/// elementwise epilogue. tfc.gated_linear's lowering and a gated tfc.moe's
/// experts.
Value emitGatedProjection(Emitter &e, Value x, Value gate, Value up,
                          WeightLayout layout, Activation act,
                          RankedTensorType resultType);

/// Sum over the last dimension of `f(x)` (of `f(x - subtract)` when
/// `subtract`, a tensor of rank - 1, is given): a tensor of rank - 1.
Value reduceLast(Emitter &e, Value x,
                 function_ref<Value(OpBuilder &, Location, Value)> f,
                 Value subtract = Value());

/// Softmax over the last dimension (max-subtracted, as torch.softmax).
Value emitSoftmaxLast(Emitter &e, Value x);

/// One RoPE over the dimensions [offset, headDim) of every head: the leading
/// `rope.getRotaryDim(headDim - offset)` of them rotate in pairs, the others
/// pass through. Shared by tfc.rope and the rotations tfc-fuse-rope moves
/// into tfc.attention (the query) and tfc.kv_cache_append (the keys).
struct RopeRotation {
  RopeRotation(Emitter &e, RopeAttr rope, int64_t headDim, int64_t offset);
  /// In a linalg body: the rotated value of element `x` at dimension `d` of
  /// its head for the token at position `p`; `partner(dim)` reads the
  /// element of the same token and head at dimension `dim`.
  Value apply(Emitter &e, OpBuilder &b, Location l, Value x, Value d, Value p,
              function_ref<Value(Value)> partner) const;

  int64_t offset, rotary, half;
  bool interleaved;
  Value invFreq; // [half] f32
};

/// `x [tokens, heads, head_dim]` rotated, token `i` at position
/// `position + i`: one elementwise map reading each element's partner.
Value emitRope(Emitter &e, Value x, Value position, RopeAttr rope,
               int64_t offset = 0);

class KVCacheReadOp;

/// What `read` returns, as [rows, kv_heads, dim] f32 (key, value) pairs of
/// views of its cache, in position order: one piece, or with `mayWrap` the
/// two pieces of the ring its span covers (the second empty unless it wraps).
/// Shared by tfc.kv_cache_read, which joins them, and the flash attention,
/// which walks them in place.
SmallVector<std::pair<Value, Value>>
readCachePieces(OpBuilder &b, Location loc, KVCacheReadOp read, bool mayWrap);

} // namespace mlir::tfc

#endif // TFC_LIB_CONVERSION_TFCTOLINALG_BUILDERS_H
