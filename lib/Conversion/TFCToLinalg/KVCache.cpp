//===- KVCache.cpp - tfc KV-cache ops -> memref subviews ------------------===//
//
// A layer's cache is a ring of rows (position p in row p mod rows): appends
// write through memref subviews, reads return tensors of subviews, in two
// pieces where the span wraps; 16-bit caches are rounded on write and widened
// on read. An append with a RoPE (tfc-fuse-rope) rotates the keys in the map
// that writes them. A keys-only cache (MLA) reads its values as a slice of
// the keys' rows.
//
//===----------------------------------------------------------------------===//
#include "Builders.h"

#include "tfc/Conversion/TFCToLinalg/TFCToLinalg.h"
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>
#include <tuple>

using namespace mlir;
using namespace mlir::tfc;
using utils::IteratorType;

/// `x` with its elements converted to `to` (f32 <-> a 16-bit cache type;
/// narrowing rounds to nearest even, as arith.truncf does by default).
static Value convertElements(Emitter &e, Value x, Type to) {
  auto type = cast<RankedTensorType>(x.getType());
  auto outType = RankedTensorType::get(type.getShape(), to);
  unsigned rank = type.getRank();
  AffineMap id = e.b.getMultiDimIdentityMap(rank);
  SmallVector<Value> sizes = e.dynSizes(type, e.dims(x));
  Value init = tensor::EmptyOp::create(e.b, e.loc, type.getShape(), to, sizes);
  return e.generic(
      outType, x, init, {id, id}, SmallVector<IteratorType>(rank, kPar),
      [&](OpBuilder &b, Location l, ValueRange a) {
        Value v = to.isF32()
                      ? arith::ExtFOp::create(b, l, to, a[0]).getResult()
                      : arith::TruncFOp::create(b, l, to, a[0]).getResult();
        linalg::YieldOp::create(b, l, v);
      });
}

/// The keys `piece [count, kv_heads * head_dim]` of tokens `first ..` (at
/// positions `position + first ..`) rotated by `rotation` and converted to
/// `to`, in one map: the rotation tfc-fuse-rope moved into the cache write.
static Value rotateKeys(Emitter &e, const RopeRotation &rotation, Value piece,
                        Value position, Value first, int64_t headDim,
                        Value block) {
  auto type = cast<RankedTensorType>(piece.getType());
  Type to = cast<MemRefType>(block.getType()).getElementType();
  auto outType = RankedTensorType::get(type.getShape(), to);
  AffineMap id = e.b.getMultiDimIdentityMap(2);
  // The map's destination is the cache block itself (`restrict`: nothing
  // else reads it through a tensor), so it writes the rows in place and the
  // materialisation below copies nothing.
  Value init = bufferization::ToTensorOp::create(e.b, e.loc, outType, block,
                                                 /*restrict=*/true,
                                                 /*writable=*/true);
  Value base = arith::AddIOp::create(e.b, e.loc, position, first);
  return e.generic(
      outType, piece, init, {id, id}, {kPar, kPar},
      [&](OpBuilder &b, Location l, ValueRange a) {
        Value t = linalg::IndexOp::create(b, l, 0);
        Value c = linalg::IndexOp::create(b, l, 1);
        // Column c is dimension d of head c / head_dim.
        Value d = arith::RemUIOp::create(b, l, c, e.idx(headDim));
        Value headStart = arith::SubIOp::create(b, l, c, d);
        Value p = arith::AddIOp::create(b, l, base, t);
        Value y = rotation.apply(e, b, l, a[0], d, p, [&](Value partner) {
          Value column = arith::AddIOp::create(b, l, headStart, partner);
          return tensor::ExtractOp::create(b, l, piece, ValueRange{t, column})
              .getResult();
        });
        if (!to.isF32())
          y = arith::TruncFOp::create(b, l, to, y);
        linalg::YieldOp::create(b, l, y);
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
namespace {
struct RingSpan {
  Value start, head, tail;
};
} // namespace
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

SmallVector<std::pair<Value, Value>>
mlir::tfc::readCachePieces(OpBuilder &b, Location loc, KVCacheReadOp read,
                           bool mayWrap) {
  Value cache = read.getCache();
  Value count = arith::SubIOp::create(b, loc, read.getEnd(), read.getStart());
  SmallVector<std::pair<OpFoldResult, Value>> spans; // first row, rows
  if (mayWrap) {
    RingSpan span = ringSpan(b, loc, memref::DimOp::create(b, loc, cache, 0),
                             read.getStart(), count);
    spans = {{span.start, span.head}, {b.getIndexAttr(0), span.tail}};
  } else {
    spans = {{b.getIndexAttr(0), count}};
  }
  Type elementType = cast<MemRefType>(cache.getType()).getElementType();
  Emitter e{b, loc};
  SmallVector<std::pair<Value, Value>> pieces;
  // value_in_key: the row holds keys only; the values are the leading dims
  // of each key head (MLA's latent), a view of the same rows.
  SmallVector<RankedTensorType, 2> parts = {read.getKey().getType()};
  if (!read.getValueInKey())
    parts.push_back(read.getValue().getType());
  for (auto [first, rows] : spans) {
    SmallVector<Value> kv;
    int64_t column = 0;
    for (RankedTensorType type : parts) {
      int64_t width = type.getDimSize(1) * type.getDimSize(2);
      auto flatType =
          RankedTensorType::get({ShapedType::kDynamic, width}, elementType);
      // `restrict`: the tensor is the only way this block of the cache is
      // read; kv_cache_append writes to memref subviews, never through it,
      // and only after the reads (see LowerKVCacheRead).
      Value flat = bufferization::ToTensorOp::create(
          b, loc, flatType,
          cacheBlock(b, loc, cache, first, rows, column, width),
          /*restrict=*/true, /*writable=*/false);
      // A 16-bit cache is widened last, as one elementwise map of the
      // [T, kv_heads, dim] view: tfc-cpu-fuse-widening moves it into the
      // tiles that read it, so the cache is read once in its own type.
      auto cachedType = RankedTensorType::get(type.getShape(), elementType);
      Value heads = splitCachedHeads(b, loc, cachedType, flat, rows);
      SmallVector<Value, 2> views = {heads};
      if (read.getValueInKey()) {
        RankedTensorType valueType = read.getValue().getType();
        views.push_back(tensor::ExtractSliceOp::create(
            b, loc, RankedTensorType::get(valueType.getShape(), elementType),
            heads,
            ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0),
                                   b.getIndexAttr(0)},
            ArrayRef<OpFoldResult>{rows,
                                   b.getIndexAttr(valueType.getDimSize(1)),
                                   b.getIndexAttr(valueType.getDimSize(2))},
            ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1),
                                   b.getIndexAttr(1)}));
      }
      for (Value view : views)
        kv.push_back(elementType.isF32()
                         ? view
                         : convertElements(e, view, b.getF32Type()));
      column += width;
    }
    pieces.push_back({kv[0], kv[1]});
  }
  return pieces;
}

namespace {
struct LowerKVCacheAppend : OpRewritePattern<KVCacheAppendOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(KVCacheAppendOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    Value cache = op.getCache();
    Type elementType = cast<MemRefType>(cache.getType()).getElementType();
    Value rows = memref::DimOp::create(rewriter, loc, cache, 0);
    Value n = tensor::DimOp::create(rewriter, loc, op.getKey(), 0);
    // Only the last `rows` tokens survive in the ring.
    Value skip = arith::SubIOp::create(
        rewriter, loc, n, arith::MinUIOp::create(rewriter, loc, n, rows));
    Value kept = arith::SubIOp::create(rewriter, loc, n, skip);
    RingSpan span = ringSpan(
        rewriter, loc, rows,
        arith::AddIOp::create(rewriter, loc, op.getPosition(), skip), kept);
    Value afterHead = arith::AddIOp::create(rewriter, loc, skip, span.head);
    int64_t headDim = op.getKey().getType().getDimSize(2);
    std::optional<RopeRotation> rotation;
    if (RopeAttr rope = op.getRopeAttr())
      rotation.emplace(e, rope, headDim, op.getRopeOffset().value_or(0));
    int64_t column = 0;
    for (auto [isKey, part] : {std::pair{true, op.getKey()},
                               std::pair{false, op.getValue()}}) {
      if (!part)
        continue; // A keys-only cache.
      auto type = cast<RankedTensorType>(part.getType());
      int64_t width = type.getDimSize(1) * type.getDimSize(2);
      Value flat = flattenHeads(rewriter, loc, part);
      // Tokens [skip, skip + head) go to rows [start, ..), the rest to [0,
      // tail).
      for (auto [from, to, count] :
           {std::tuple{skip, span.start, span.head},
            std::tuple{afterHead, e.idx(0), span.tail}}) {
        Value piece = tensor::ExtractSliceOp::create(
            rewriter, loc, flat,
            ArrayRef<OpFoldResult>{from, rewriter.getIndexAttr(0)},
            ArrayRef<OpFoldResult>{count, rewriter.getIndexAttr(width)},
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                                   rewriter.getIndexAttr(1)});
        Value block = cacheBlock(rewriter, loc, cache, to, count, column, width);
        if (rotation && isKey)
          piece = rotateKeys(e, *rotation, piece, op.getPosition(), from,
                             headDim, block);
        else if (elementType !=
                 cast<RankedTensorType>(piece.getType()).getElementType())
          piece = convertElements(e, piece, elementType);
        bufferization::MaterializeInDestinationOp::create(
            rewriter, loc, TypeRange(), piece, block,
            /*restrict=*/false, /*writable=*/true);
      }
      column += width;
    }
    rewriter.eraseOp(op);
    return success();
  }
};

struct LowerKVCacheRead : OpRewritePattern<KVCacheReadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(KVCacheReadOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value cache = op.getCache();
    // From position 0 the span cannot wrap (count <= rows): read the cache in
    // place, unless a later append may overwrite it while the keys are in
    // use. Otherwise copy the two pieces of the ring out in order (the flash
    // attention reads them in place instead: readCachePieces).
    bool inPlace = matchPattern(op.getStart(), m_Zero()) &&
                   llvm::none_of(cache.getUsers(), [&](Operation *user) {
                     return isa<KVCacheAppendOp>(user) &&
                            (user->getBlock() != op->getBlock() ||
                             op->isBeforeInBlock(user));
                   });
    SmallVector<std::pair<Value, Value>> pieces =
        readCachePieces(rewriter, loc, op, /*mayWrap=*/!inPlace);
    if (pieces.size() == 1) {
      rewriter.replaceOp(op, {pieces[0].first, pieces[0].second});
      return success();
    }
    SmallVector<Value> keys, values;
    for (auto [key, value] : pieces) {
      keys.push_back(key);
      values.push_back(value);
    }
    rewriter.replaceOp(
        op, {tensor::ConcatOp::create(rewriter, loc, op.getKey().getType(),
                                      /*dim=*/0, keys),
             tensor::ConcatOp::create(rewriter, loc, op.getValue().getType(),
                                      /*dim=*/0, values)});
    return success();
  }
};
} // namespace

void mlir::tfc::populateTFCKVCacheToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerKVCacheAppend, LowerKVCacheRead>(patterns.getContext());
}
