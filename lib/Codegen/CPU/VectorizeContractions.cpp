//===- VectorizeContractions.cpp - Register-blocked projection kernels ----===//
//
// The projections dominate both prefill (matrix x matrix) and decode (matrix
// x vector). Left to LLVM, a bufferized `linalg.generic` becomes a scalar
// loop nest whose reduction LLVM vectorises with one accumulator chain per
// output; this pass writes the kernel out instead: threads over blocks of
// weight rows, register tiles of rows x cols outputs with a vector
// accumulator each, one load of every x and w slice per FMA group. q8_0
// weights are widened from int8 and scaled in registers; with int8
// activations too (tfc.quantize), a projection is int8 dot products
// (vpdpbusd with vnni), scaled per pair of blocks.
//
//===----------------------------------------------------------------------===//
#include "tfc/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCCPUVECTORIZECONTRACTIONS
#include "tfc/Codegen/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;

namespace {
/// The kernel's shape choices (the pass options).
struct KernelConfig {
  int64_t width, rows, cols, blockBytes, prefetchBytes;
  /// The kernel of the rows left over (all of decode): weight rows per tile
  /// and independent accumulators per output along the depth.
  int64_t rowCols, rowUnroll;
  /// int8 dot products as AVX512-VNNI's vpdpbusd.
  bool vnni;
};

/// Elements per block of a q8_0 weight's row, each block with one scale (the
/// tfc dialect's kQ8_0BlockSize; this pass sees only linalg and memrefs).
constexpr int64_t kQuantBlock = 32;
/// Bytes of a cache line: the weights are prefetched once per line.
constexpr int64_t kCacheLine = 64;
/// Parallel blocks a projection is split into at least, rows permitting.
constexpr int64_t kMinBlocks = 4;
/// The number of blocks is a multiple of this (rows permitting), so that
/// 2, 4 or 8 threads get equal shares.
constexpr int64_t kBlockMultiple = 8;

/// `y[n, o] += x[n, k] * w[o, k]` on memrefs: x f32 [?, K], w [O, K] in f32,
/// bf16 or f16, y f32 [?, O], each with unit stride in its last dimension.
/// tfc.gated_linear's contraction has two (w, y) pairs sharing x, one
/// accumulator per pair (`ys[i] += x * ws[i]`): x is loaded once for both.
/// A q8_0 weight (tfc.dequantize's form) is its int8 values as `ws[i]` and
/// their f16 scales [O, K / 32] as `scales[i]`: `w[o, k] = ws[i][o, k] *
/// scales[i][o, k / 32]`.
/// Quantized activations (tfc.quantize) are x's int8 values as `x` and their
/// scales [?, K / 32] as `xScales`; their weights are quantized too.
struct Projection {
  Value x, xScales;
  SmallVector<Value, 2> ws, scales, ys;
  int64_t outputs, depth;
};

bool hasUnitInnerStride(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) &&
         !strides.empty() && strides.back() == 1;
}

/// `v`, or the operand of the `arith.extf` that defines it.
Value skipExtF(Value v) {
  if (auto ext = v.getDefiningOp<arith::ExtFOp>())
    return ext.getIn();
  return v;
}

/// Whether `v` is the weight element of the body arguments `w`: `w[0]`,
/// possibly widened; for a quantized weight `sitofp(w[0]) * extf(w[1])`.
bool isWeightElement(Value v, ValueRange w) {
  if (w.size() == 1)
    return skipExtF(v) == w[0];
  auto mul = v.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  auto isValue = [&](Value u) {
    auto conv = u.getDefiningOp<arith::SIToFPOp>();
    return conv && conv.getIn() == w[0];
  };
  Value l = mul.getLhs(), r = mul.getRhs();
  return (isValue(l) && skipExtF(r) == w[1]) ||
         (isValue(r) && skipExtF(l) == w[1]);
}

/// Whether the body yields `acc_i + a * w_i` (either order) for each of its
/// `pairs` results, `w_i` possibly widened from a 16-bit weight or
/// dequantized from `perPair` = 2 arguments, `a` dequantized from `perX` = 2
/// (block arguments: a's, the weights', acc_0..).
bool isMulAddBody(linalg::GenericOp op, unsigned perX, unsigned pairs,
                  unsigned perPair) {
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  // Nothing else may happen in the body: per result a mul, an add, at most
  // one extf (or a sitofp, an extf and a mul); the same for a quantized a;
  // and the yield.
  if (body.getOperations().size() >
      1 + (perX == 1 ? 0 : 3) + (perPair == 1 ? 3 : 5) * pairs)
    return false;
  ValueRange a = body.getArguments().take_front(perX);
  auto isX = [&](Value v) {
    return perX == 1 ? skipExtF(v) == a[0] : isWeightElement(v, a);
  };
  for (unsigned i = 0; i < pairs; ++i) {
    ValueRange w = body.getArguments().slice(perX + i * perPair, perPair);
    BlockArgument acc = body.getArgument(perX + pairs * perPair + i);
    auto add = yield.getOperand(i).getDefiningOp<arith::AddFOp>();
    if (!add || (add.getLhs() != acc && add.getRhs() != acc))
      return false;
    Value product = add.getLhs() == acc ? add.getRhs() : add.getLhs();
    auto mul = product.getDefiningOp<arith::MulFOp>();
    if (!mul)
      return false;
    if (!((isX(mul.getLhs()) && isWeightElement(mul.getRhs(), w)) ||
          (isX(mul.getRhs()) && isWeightElement(mul.getLhs(), w))))
      return false;
  }
  return true;
}

std::optional<Projection> matchProjection(linalg::GenericOp op,
                                          const KernelConfig &config) {
  unsigned pairs = op.getNumDpsInits();
  if (!op.hasPureBufferSemantics() || (pairs != 1 && pairs != 2) ||
      op.getNumLoops() != 3 || op.getNumDpsInputs() < 1 + pairs)
    return std::nullopt;
  // x, or quantized x's values and scales.
  auto xType = dyn_cast<MemRefType>(op.getDpsInputs()[0].getType());
  if (!xType || !hasUnitInnerStride(xType))
    return std::nullopt;
  unsigned perX = xType.getElementType().isInteger(8) ? 2 : 1;
  // One operand per weight, or a quantized weight's values and scales (all
  // of them so with quantized x).
  unsigned perPair = (op.getNumDpsInputs() - perX) / pairs;
  if ((perPair != 1 && perPair != 2) || (perX == 2 && perPair != 2) ||
      op.getNumDpsInputs() != perX + pairs * perPair)
    return std::nullopt;
  bool quantized = perPair == 2;
  using utils::IteratorType;
  if (op.getIteratorTypesArray() !=
      SmallVector<IteratorType>{IteratorType::parallel, IteratorType::parallel,
                                IteratorType::reduction})
    return std::nullopt;
  MLIRContext *ctx = op.getContext();
  AffineExpr n = getAffineDimExpr(0, ctx), o = getAffineDimExpr(1, ctx),
             k = getAffineDimExpr(2, ctx);
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[0] != AffineMap::get(3, 0, {n, k}, ctx) ||
      (perX == 2 &&
       maps[1] != AffineMap::get(3, 0, {n, k.floorDiv(kQuantBlock)}, ctx)))
    return std::nullopt;
  for (unsigned i = 0; i < pairs; ++i)
    if (maps[perX + i * perPair] != AffineMap::get(3, 0, {o, k}, ctx) ||
        (quantized &&
         maps[perX + 1 + i * perPair] !=
             AffineMap::get(3, 0, {o, k.floorDiv(kQuantBlock)}, ctx)) ||
        maps[perX + pairs * perPair + i] != AffineMap::get(3, 0, {n, o}, ctx))
      return std::nullopt;
  if (perX == 1 && !xType.getElementType().isF32())
    return std::nullopt;
  Projection p{op.getDpsInputs()[0], {}, {}, {}, {}, 0, 0};
  if (perX == 2) {
    p.xScales = op.getDpsInputs()[1];
    auto sType = dyn_cast<MemRefType>(p.xScales.getType());
    if (!sType || !sType.getElementType().isF16() || !hasUnitInnerStride(sType))
      return std::nullopt;
  }
  for (unsigned i = 0; i < pairs; ++i) {
    Value w = op.getDpsInputs()[perX + i * perPair], y = op.getDpsInits()[i];
    auto wType = dyn_cast<MemRefType>(w.getType());
    auto yType = dyn_cast<MemRefType>(y.getType());
    Type wElement = wType ? wType.getElementType() : Type();
    if (!wType || !yType || !yType.getElementType().isF32() ||
        !(quantized ? wElement.isInteger(8)
                    : isa<Float32Type, BFloat16Type, Float16Type>(wElement)) ||
        !wType.hasStaticShape() || !hasUnitInnerStride(wType) ||
        !hasUnitInnerStride(yType) ||
        (i && wType != cast<MemRefType>(p.ws[0].getType())))
      return std::nullopt;
    p.ws.push_back(w);
    p.ys.push_back(y);
    if (!quantized)
      continue;
    Value scales = op.getDpsInputs()[perX + 1 + i * perPair];
    auto sType = dyn_cast<MemRefType>(scales.getType());
    if (!sType || !sType.getElementType().isF16() || !sType.hasStaticShape())
      return std::nullopt;
    p.scales.push_back(scales);
  }
  auto wType = cast<MemRefType>(p.ws[0].getType());
  p.outputs = wType.getDimSize(0);
  p.depth = wType.getDimSize(1);
  for (Value y : p.ys)
    if (cast<MemRefType>(y.getType()).getDimSize(1) != p.outputs)
      return std::nullopt;
  // A vector of a quantized row lies inside one block: one scale.
  if (xType.getDimSize(1) != p.depth || p.depth % config.width != 0 ||
      (quantized && kQuantBlock % config.width != 0) ||
      p.outputs % config.cols != 0 || !isMulAddBody(op, perX, pairs, perPair))
    return std::nullopt;
  // Whole 32-byte steps of the int8 dot products.
  if (perX == 2 && p.depth % 32 != 0)
    return std::nullopt;
  return p;
}

/// The root of a buffer through views (subview, cast, reshapes).
Value viewRoot(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (auto view = dyn_cast<ViewLikeOpInterface>(def))
      v = view.getViewSource();
    else
      break;
  }
  return v;
}

/// Whether `a` and `b` may be the same memory: only two distinct
/// allocations, or an allocation and a function argument, are known apart.
bool mayAlias(Value a, Value b) {
  a = viewRoot(a);
  b = viewRoot(b);
  if (a == b)
    return true;
  return !a.getDefiningOp<memref::AllocOp>() &&
         !b.getDefiningOp<memref::AllocOp>();
}

bool isZeroFill(Operation *op, Value buffer) {
  auto fill = dyn_cast<linalg::FillOp>(op);
  return fill && fill.getDpsInits()[0] == buffer &&
         matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
}

/// The op that sets `y` to zero before `projection` reads it, its only
/// use before it: a zero fill of `y`, or (after CSE shared one zero tensor)
/// a copy from a buffer whose only writer before `projection` is a zero fill.
Operation *zeroInitOf(Value y, Operation *projection) {
  Operation *init = nullptr;
  for (Operation *user : y.getUsers()) {
    Operation *at = projection->getBlock()->findAncestorOpInBlock(*user);
    if (!at)
      return nullptr;
    if (at == projection || !at->isBeforeInBlock(projection))
      continue;
    if (init || at != user)
      return nullptr;
    init = user;
  }
  if (!init || isZeroFill(init, y))
    return init;
  auto copy = dyn_cast<linalg::CopyOp>(init);
  if (!copy || copy.getDpsInits()[0] != y)
    return nullptr;
  Value src = copy.getInputs()[0];
  if (!src.getDefiningOp<memref::AllocOp>())
    return nullptr;
  bool filled = false;
  for (Operation *user : src.getUsers()) {
    Operation *at = projection->getBlock()->findAncestorOpInBlock(*user);
    if (!at)
      return nullptr;
    if (isZeroFill(user, src) && at->isBeforeInBlock(copy)) {
      filled = true;
      continue;
    }
    auto reads = dyn_cast<linalg::CopyOp>(user);
    if ((reads && reads.getInputs()[0] == src) || isa<memref::DeallocOp>(user))
      continue;
    // Any other use comes after the projection.
    if (at == projection || at->isBeforeInBlock(projection))
      return nullptr;
  }
  return filled ? init : nullptr;
}

/// The elementwise generic right after a projection that reads its outputs
/// (tfc.gated_linear's GLU map; a residual add): it becomes the kernel's
/// epilogue, so each output goes from the accumulators through the map
/// straight into the map's result, and the projection's outputs (zero-filled
/// buffers nothing else reads) are never written.
struct Epilogue {
  linalg::GenericOp op;
  SmallVector<int64_t> pairOf; // per input of `op`: the output j it reads, or -1
  SmallVector<Operation *> inits; // per output j: the op zeroing it
};

std::optional<Epilogue> matchEpilogue(linalg::GenericOp projection,
                                      const Projection &p) {
  auto op = dyn_cast_or_null<linalg::GenericOp>(projection->getNextNode());
  if (!op || !op.hasPureBufferSemantics() || op.getNumLoops() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumReductionLoops() != 0 ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return std::nullopt;
  Block &body = op.getRegion().front();
  // The body is cloned per output: plain arithmetic, not the output's old
  // value nor the iteration index.
  if (!body.getArguments().back().use_empty() ||
      llvm::any_of(body.without_terminator(), [](Operation &inner) {
        return isa<linalg::IndexOp>(inner) || inner.getNumRegions() != 0 ||
               !isMemoryEffectFree(&inner);
      }))
    return std::nullopt;
  auto isF32Matrix = [](Value v) {
    auto type = dyn_cast<MemRefType>(v.getType());
    return type && type.getRank() == 2 && type.getElementType().isF32();
  };
  Value out = op.getDpsInits()[0];
  if (!isF32Matrix(out) || mayAlias(out, p.x))
    return std::nullopt;
  Epilogue e{op, {}, {}};
  SmallVector<bool> read(p.ys.size(), false);
  for (Value in : op.getDpsInputs()) {
    auto y = llvm::find(p.ys, in);
    int64_t j = y == p.ys.end() ? -1 : y - p.ys.begin();
    if (j >= 0 ? read[j] : !isF32Matrix(in))
      return std::nullopt;
    if (j >= 0)
      read[j] = true;
    e.pairOf.push_back(j);
  }
  for (auto [j, y] : llvm::enumerate(p.ys)) {
    if (!read[j] || !y.getDefiningOp<memref::AllocOp>() ||
        mayAlias(out, y))
      return std::nullopt;
    // Nothing but the zeroing, the projection, the map and a dealloc.
    Operation *init = zeroInitOf(y, projection);
    if (!init || llvm::any_of(y.getUsers(), [&](Operation *user) {
          return user != init && user != projection && user != op &&
                 !isa<memref::DeallocOp>(user);
        }))
      return std::nullopt;
    e.inits.push_back(init);
  }
  return e;
}

/// Emits the loop nest of one projection in place of its generic.
class KernelEmitter {
public:
  KernelEmitter(OpBuilder &b, Location loc, const Projection &p,
                const KernelConfig &config, const Epilogue *epilogue)
      : b(b), loc(loc), p(p), config(config), epilogue(epilogue) {}

  void emit() {
    auto wType = cast<MemRefType>(p.ws[0].getType());
    int64_t rowBytes =
        p.depth * wType.getElementTypeBitWidth() / 8 * p.ws.size();
    // Rows of w per thread-level block: a multiple of cols, at least cols;
    // and at most a quarter of the rows, so that a small projection (a GQA
    // model's k and v, int8 rows of a quarter of f32's bytes) still splits
    // evenly over 2 or 4 threads.
    // The blocks are then made equal and a multiple of kBlockMultiple in
    // number (rows permitting): 13 blocks, the last one small, leave one of
    // 2 threads a seventh of the time idle; 16 equal ones do not.
    int64_t tilesOfRows = p.outputs / config.cols;
    int64_t blockTiles = std::max<int64_t>(
        1, std::min<int64_t>(config.blockBytes / rowBytes / config.cols,
                             llvm::divideCeil(tilesOfRows, kMinBlocks)));
    int64_t blocks = std::min<int64_t>(
        tilesOfRows, llvm::alignTo(llvm::divideCeil(tilesOfRows, blockTiles),
                                   kBlockMultiple));
    blockTiles = llvm::divideCeil(tilesOfRows, blocks);
    int64_t blockRows = std::min(blockTiles * config.cols, p.outputs);
    Value rowsOfX = memref::DimOp::create(b, loc, p.x, 0);
    Value tiles = arith::MulIOp::create(
        b, loc,
        arith::DivUIOp::create(b, loc, rowsOfX, idx(config.rows)),
        idx(config.rows));
    scf::ParallelOp::create(
        b, loc, ValueRange{idx(0)}, ValueRange{idx(p.outputs)},
        ValueRange{idx(blockRows)},
        [&](OpBuilder &nb, Location, ValueRange ivs) {
          OpBuilder::InsertionGuard guard(b);
          moveTo(nb);
          Value first = ivs[0];
          Value last = arith::MinUIOp::create(
              b, loc, arith::AddIOp::create(b, loc, first, idx(blockRows)),
              idx(p.outputs));
          // Full tiles of `rows` rows of x, then the remaining rows alone.
          // Two weights: half the columns, the same accumulators in flight.
          int64_t cols = config.cols, rowCols = config.rowCols;
          if (p.ws.size() == 2 && cols % 2 == 0)
            cols /= 2;
          if (p.xScales) {
            // int8: per step each row of x and each weight row carry their
            // own scales too, so half the weight rows of a float tile fit
            // the registers with them. The rows left over go one weight row
            // at a time by default, one sequential stream, as for floats; a
            // step of 64 bytes is 16 lanes of 4 products, so no unroll.
            int64_t fewer = std::max<int64_t>(1, cols / 2);
            rowLoop(idx(0), tiles, config.rows, fewer, 1, first, last);
            rowLoop(tiles, rowsOfX, 1, rowCols, 1, first, last);
            return;
          }
          rowLoop(idx(0), tiles, config.rows, cols, 1, first, last);
          rowLoop(tiles, rowsOfX, 1, rowCols, config.rowUnroll, first, last);
        });
  }

private:
  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  /// Continues at the insertion point of a body builder (callers guard).
  void moveTo(OpBuilder &nested) {
    b.setInsertionPoint(nested.getInsertionBlock(),
                        nested.getInsertionPoint());
  }

  /// Rows [from, to) of x in steps of `rows`, against weight rows
  /// [first, last) in steps of `cols`.
  void rowLoop(Value from, Value to, int64_t rows, int64_t cols,
               int64_t unroll, Value first, Value last) {
    scf::ForOp::create(
        b, loc, from, to, idx(rows), ValueRange(),
        [&](OpBuilder &nb, Location, Value n, ValueRange) {
          OpBuilder::InsertionGuard guard(b);
          moveTo(nb);
          scf::ForOp::create(
              b, loc, first, last, idx(cols), ValueRange(),
              [&](OpBuilder &nb2, Location, Value o, ValueRange) {
                OpBuilder::InsertionGuard guard2(b);
                moveTo(nb2);
                tile(rows, cols, unroll, n, o);
                scf::YieldOp::create(b, loc);
              });
          scf::YieldOp::create(b, loc);
        });
  }

  /// Outputs [n, n + rows) x [o, o + cols): rows * cols * unroll vector
  /// accumulators over the depth (`unroll` interleaved slices of it, so that
  /// a lone output still has independent FMA chains), then one horizontal sum
  /// per output, added to y.
  void tile(int64_t rows, int64_t cols, int64_t unroll, Value n, Value o) {
    if (p.xScales)
      return int8Tile(rows, cols, n, o);
    while (p.depth % (config.width * unroll) != 0)
      unroll /= 2;
    auto wType = cast<MemRefType>(p.ws[0].getType());
    int64_t pairs = p.ws.size();
    auto accType = VectorType::get({config.width}, b.getF32Type());
    auto wVecType = VectorType::get({config.width}, wType.getElementType());
    int64_t prefetchElements =
        config.prefetchBytes * 8 / wType.getElementTypeBitWidth();
    Value zero = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(accType, b.getF32FloatAttr(0.0)));
    // Chain of output (r, c), weight j, depth slice u.
    auto chain = [&](int64_t r, int64_t c, int64_t j, int64_t u) {
      return ((r * cols + c) * pairs + j) * unroll + u;
    };
    int64_t chains = rows * cols * pairs * unroll;
    // A step of the depth loop covers whole blocks of a quantized row.
    bool blockwise = !p.scales.empty() && unroll > 1 &&
                     (config.width * unroll) % kQuantBlock == 0;
    int64_t slicesPerBlock = blockwise ? kQuantBlock / config.width : 1;
    SmallVector<Value> init(chains, zero);
    SmallVector<Value> xRows, wRows;
    for (int64_t r = 0; r < rows; ++r)
      xRows.push_back(r ? arith::AddIOp::create(b, loc, n, idx(r)) : n);
    for (int64_t c = 0; c < cols; ++c)
      wRows.push_back(c ? arith::AddIOp::create(b, loc, o, idx(c)) : o);
    auto loop = scf::ForOp::create(
        b, loc, idx(0), idx(p.depth), idx(config.width * unroll), init,
        [&](OpBuilder &nb, Location, Value k0, ValueRange acc) {
          OpBuilder::InsertionGuard guard(b);
          moveTo(nb);
          SmallVector<Value> next(acc);
          // Quantized, blockwise: the products of a block's slices are
          // summed unscaled, then scaled once into the chain of the block's
          // first slice: per block, one scale and one multiply fewer than
          // scaling every slice.
          SmallVector<Value> partial(chains);
          SmallVector<Value> blockK(unroll);
          for (int64_t u = 0; u < unroll; ++u) {
            Value k = u ? arith::AddIOp::create(b, loc, k0,
                                                idx(u * config.width))
                        : k0;
            SmallVector<Value> xs;
            SmallVector<SmallVector<Value>> ws(pairs);
            for (Value row : xRows)
              xs.push_back(vector::LoadOp::create(b, loc, accType, p.x,
                                                  ValueRange{row, k}));
            Value ahead;
            // One prefetch per cache line the step reads.
            int64_t offset =
                u * config.width * wType.getElementTypeBitWidth() / 8;
            if (prefetchElements && offset % kCacheLine == 0)
              ahead = arith::AddIOp::create(b, loc, k, idx(prefetchElements));
            for (int64_t j = 0; j < pairs; ++j)
              for (Value row : wRows) {
                if (ahead)
                  prefetch(p.ws[j], row, ahead);
                Value v = vector::LoadOp::create(b, loc, wVecType, p.ws[j],
                                                 ValueRange{row, k});
                if (blockwise)
                  v = arith::SIToFPOp::create(b, loc, accType, v);
                else if (!p.scales.empty())
                  v = dequantize(v, p.scales[j], row, k);
                else if (v.getType() != accType)
                  v = arith::ExtFOp::create(b, loc, accType, v);
                ws[j].push_back(v);
              }
            int64_t lead = u - u % slicesPerBlock;
            if (u == lead)
              blockK[lead] = k;
            for (int64_t r = 0; r < rows; ++r)
              for (int64_t c = 0; c < cols; ++c)
                for (int64_t j = 0; j < pairs; ++j) {
                  int64_t i = chain(r, c, j, u);
                  if (!blockwise) {
                    next[i] =
                        vector::FMAOp::create(b, loc, xs[r], ws[j][c], next[i]);
                    continue;
                  }
                  int64_t first = chain(r, c, j, lead);
                  partial[first] =
                      u == lead ? arith::MulFOp::create(b, loc, xs[r], ws[j][c])
                                      .getResult()
                                : vector::FMAOp::create(b, loc, xs[r], ws[j][c],
                                                        partial[first])
                                      .getResult();
                  if (u - lead == slicesPerBlock - 1)
                    next[first] = vector::FMAOp::create(
                        b, loc, partial[first],
                        blockScale(p.scales[j], wRows[c], blockK[lead]),
                        next[first]);
                }
          }
          scf::YieldOp::create(b, loc, next);
        });
    // The sum may be reassociated, as the generic's body allowed.
    auto reassoc = arith::FastMathFlagsAttr::get(
        b.getContext(),
        arith::FastMathFlags::reassoc | arith::FastMathFlags::contract);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) {
        SmallVector<Value, 2> totals;
        for (int64_t j = 0; j < pairs; ++j) {
          int64_t first = chain(r, c, j, 0);
          Value total = loop.getResult(first);
          for (int64_t u = 1; u < unroll; ++u)
            total = arith::AddFOp::create(b, loc, total,
                                          loop.getResult(first + u), reassoc);
          totals.push_back(total);
        }
        store(totals, ValueRange{xRows[r], wRows[c]});
      }
  }

  /// Quantized x and w: each step of `bytes` along the depth (two blocks, or
  /// one where the depth is an odd number of blocks) is, per output, an
  /// int8 dot product in i32 lanes of 4 products each (a block's in 8
  /// lanes), converted to f32 and scaled by the product of the two blocks'
  /// scales into an f32 accumulator.
  void int8Tile(int64_t rows, int64_t cols, Value n, Value o) {
    int64_t bytes = p.depth % 64 == 0 ? 64 : 32, lanes = bytes / 4;
    int64_t pairs = p.ws.size();
    Type i8 = b.getI8Type(), i32 = b.getI32Type();
    auto bytesType = VectorType::get({bytes}, i8);
    auto dotType = VectorType::get({lanes}, i32);
    auto accType = VectorType::get({lanes}, b.getF32Type());
    Value zero = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(accType, b.getF32FloatAttr(0.0)));
    Value zeroDot = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(dotType, b.getI32IntegerAttr(0)));
    // 0x80 in every byte: w xor it is w + 128 as an unsigned byte.
    Value bias = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(bytesType, b.getI8IntegerAttr(-128)));
    auto chain = [&](int64_t r, int64_t c, int64_t j) {
      return (r * cols + c) * pairs + j;
    };
    SmallVector<Value> xRows, wRows;
    for (int64_t r = 0; r < rows; ++r)
      xRows.push_back(r ? arith::AddIOp::create(b, loc, n, idx(r)) : n);
    for (int64_t c = 0; c < cols; ++c)
      wRows.push_back(c ? arith::AddIOp::create(b, loc, o, idx(c)) : o);
    int64_t prefetchBytes = config.prefetchBytes;
    SmallVector<Value> init(rows * cols * pairs, zero);
    auto loop = scf::ForOp::create(
        b, loc, idx(0), idx(p.depth), idx(bytes), init,
        [&](OpBuilder &nb, Location, Value k, ValueRange acc) {
          OpBuilder::InsertionGuard guard(b);
          moveTo(nb);
          SmallVector<Value> next(acc);
          SmallVector<Value> ws, wScales;
          Value ahead =
              prefetchBytes ? arith::AddIOp::create(b, loc, k, idx(prefetchBytes))
                            : Value();
          for (int64_t j = 0; j < pairs; ++j)
            for (Value row : wRows) {
              if (ahead)
                prefetch(p.ws[j], row, ahead);
              Value w = vector::LoadOp::create(b, loc, bytesType, p.ws[j],
                                               ValueRange{row, k});
              ws.push_back(config.vnni ? arith::XOrIOp::create(b, loc, w, bias)
                                       : w);
              wScales.push_back(laneScales(p.scales[j], row, k, lanes));
            }
          for (int64_t r = 0; r < rows; ++r) {
            Value x = vector::LoadOp::create(b, loc, bytesType, p.x,
                                             ValueRange{xRows[r], k});
            Value xScale = laneScales(p.xScales, xRows[r], k, lanes);
            // (w + 128) . x - 128 . sum(x): start each dot at the latter.
            Value start = zeroDot;
            if (config.vnni)
              start = arith::SubIOp::create(b, loc, zeroDot,
                                            dotI8(zeroDot, bias, x));
            for (int64_t c = 0; c < cols; ++c)
              for (int64_t j = 0; j < pairs; ++j) {
                int64_t i = chain(r, c, j);
                Value dot = dotI8(start, ws[j * cols + c], x);
                Value scale =
                    arith::MulFOp::create(b, loc, xScale, wScales[j * cols + c]);
                next[i] = vector::FMAOp::create(
                    b, loc, arith::SIToFPOp::create(b, loc, accType, dot), scale,
                    next[i]);
              }
          }
          scf::YieldOp::create(b, loc, next);
        });
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) {
        SmallVector<Value, 2> totals;
        for (int64_t j = 0; j < pairs; ++j)
          totals.push_back(loop.getResult(chain(r, c, j)));
        store(totals, ValueRange{xRows[r], wRows[c]});
      }
  }

  /// Asks for row `row` of weight `w` at `at`, ahead of its load: the
  /// weights stream from memory once.
  void prefetch(Value w, Value row, Value at) {
    memref::PrefetchOp::create(b, loc, w, ValueRange{row, at},
                               /*isWrite=*/b.getBoolAttr(false),
                               /*localityHint=*/b.getI32IntegerAttr(3),
                               /*isDataCache=*/b.getBoolAttr(true));
  }

  /// `acc` plus, in each i32 lane, the sum of the 4 products of its bytes of
  /// `u` and `s`: with `vnni` `u` is unsigned (vpdpbusd), otherwise both are
  /// signed, widened and multiplied.
  Value dotI8(Value acc, Value u, Value s) {
    auto dotType = cast<VectorType>(acc.getType());
    int64_t lanes = dotType.getDimSize(0);
    if (config.vnni) {
      StringRef name = lanes == 16 ? "llvm.x86.avx512.vpdpbusd.512"
                                   : "llvm.x86.avx512.vpdpbusd.256";
      return LLVM::CallIntrinsicOp::create(b, loc, Type(dotType),
                                           b.getStringAttr(name),
                                           ValueRange{acc, u, s})
          .getResult(0);
    }
    auto wide = VectorType::get({lanes * 4}, b.getI32Type());
    Value products = arith::MulIOp::create(
        b, loc, arith::ExtSIOp::create(b, loc, wide, u),
        arith::ExtSIOp::create(b, loc, wide, s));
    // Lane l sums products 4l .. 4l + 3: four strided shuffles.
    Value sum = acc;
    for (int64_t i = 0; i < 4; ++i) {
      SmallVector<int64_t> mask;
      for (int64_t lane = 0; lane < lanes; ++lane)
        mask.push_back(4 * lane + i);
      sum = arith::AddIOp::create(
          b, loc, sum,
          vector::ShuffleOp::create(b, loc, products, products, mask));
    }
    return sum;
  }

  /// The f32 scales of the blocks of row `row` at depth [k, k + 4 * lanes),
  /// each in the 8 lanes of its block's dot products.
  Value laneScales(Value scales, Value row, Value k, int64_t lanes) {
    int64_t blocks = lanes / 8;
    Value block = arith::DivUIOp::create(b, loc, k, idx(kQuantBlock));
    auto halfType = VectorType::get({lanes}, b.getF16Type());
    Value halves;
    if (blocks == 1) {
      Value half =
          memref::LoadOp::create(b, loc, scales, ValueRange{row, block});
      halves = vector::BroadcastOp::create(b, loc, halfType, half);
    } else {
      Value pair = vector::LoadOp::create(
          b, loc, VectorType::get({blocks}, b.getF16Type()), scales,
          ValueRange{row, block});
      SmallVector<int64_t> mask;
      for (int64_t lane = 0; lane < lanes; ++lane)
        mask.push_back(lane / 8);
      halves = vector::ShuffleOp::create(b, loc, pair, pair, mask);
    }
    return arith::ExtFOp::create(
        b, loc, VectorType::get({lanes}, b.getF32Type()), halves);
  }

  /// The scale of the block of row `row` holding depth `k`, in every lane.
  Value blockScale(Value scales, Value row, Value k) {
    Value block = arith::DivUIOp::create(b, loc, k, idx(kQuantBlock));
    // Broadcast in f16, then widen the vector: a scalar f16 load widened
    // alone becomes an insert into whatever register is at hand (vpinsrw on
    // x86), which ties the scale to that register's last writer, often an
    // accumulator.
    Value half = memref::LoadOp::create(b, loc, scales, ValueRange{row, block});
    Value halves = vector::BroadcastOp::create(
        b, loc, VectorType::get({config.width}, b.getF16Type()), half);
    return arith::ExtFOp::create(
        b, loc, VectorType::get({config.width}, b.getF32Type()), halves);
  }

  /// An int8 vector of row `row` at depth `k` times its block's scale.
  Value dequantize(Value values, Value scales, Value row, Value k) {
    auto type = VectorType::get({config.width}, b.getF32Type());
    return arith::MulFOp::create(b, loc,
                                 arith::SIToFPOp::create(b, loc, type, values),
                                 blockScale(scales, row, k));
  }

  /// The sum of output (n, o) for each weight, through the epilogue into
  /// its result, or added to what each `y` held.
  void store(ArrayRef<Value> totals, ValueRange at) {
    auto reassoc = arith::FastMathFlagsAttr::get(
        b.getContext(),
        arith::FastMathFlags::reassoc | arith::FastMathFlags::contract);
    auto add = vector::CombiningKindAttr::get(b.getContext(),
                                              vector::CombiningKind::ADD);
    if (!epilogue) {
      for (auto [total, y] : llvm::zip_equal(totals, p.ys)) {
        Value old = memref::LoadOp::create(b, loc, y, at);
        Value sum = vector::ReductionOp::create(b, loc, b.getF32Type(), add,
                                                total, old, reassoc);
        memref::StoreOp::create(b, loc, sum, y, at);
      }
      return;
    }
    // The outputs start at zero (matchEpilogue checked).
    IRMapping map;
    linalg::GenericOp op = epilogue->op;
    Block &body = op.getRegion().front();
    for (auto [arg, in, j] : llvm::zip(body.getArguments(),
                                       op.getDpsInputs(),
                                       epilogue->pairOf))
      map.map(arg, j >= 0 ? vector::ReductionOp::create(
                                b, loc, b.getF32Type(), add, totals[j],
                                Value(), reassoc)
                                .getResult()
                          : memref::LoadOp::create(b, loc, in, at)
                                .getResult());
    for (Operation &inner : body.without_terminator())
      b.clone(inner, map);
    memref::StoreOp::create(
        b, loc, map.lookup(body.getTerminator()->getOperand(0)),
        op.getDpsInits()[0], at);
  }

  OpBuilder &b;
  Location loc;
  const Projection &p;
  const KernelConfig &config;
  const Epilogue *epilogue;
};

struct VectorizeProjection : OpRewritePattern<linalg::GenericOp> {
  VectorizeProjection(MLIRContext *ctx, KernelConfig config,
                      bool fuseEpilogues)
      : OpRewritePattern(ctx), config(config), fuseEpilogues(fuseEpilogues) {}

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<Projection> projection = matchProjection(op, config);
    if (!projection)
      return rewriter.notifyMatchFailure(op, "not a vectorisable projection");
    std::optional<Epilogue> epilogue;
    if (fuseEpilogues)
      epilogue = matchEpilogue(op, *projection);
    KernelEmitter(rewriter, op.getLoc(), *projection, config,
                  epilogue ? &*epilogue : nullptr)
        .emit();
    rewriter.eraseOp(op);
    if (epilogue) {
      rewriter.eraseOp(epilogue->op);
      // The outputs the kernel no longer writes: their zeroing, deallocs
      // and allocations.
      for (auto [y, init] : llvm::zip_equal(projection->ys, epilogue->inits)) {
        rewriter.eraseOp(init);
        for (Operation *user : llvm::make_early_inc_range(y.getUsers()))
          rewriter.eraseOp(user);
        rewriter.eraseOp(y.getDefiningOp());
      }
    }
    return success();
  }

  KernelConfig config;
  bool fuseEpilogues;
};

struct TFCCPUVectorizeContractionsPass
    : tfc::impl::TFCCPUVectorizeContractionsBase<
          TFCCPUVectorizeContractionsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (vectorWidth <= 0 || tileRows <= 0 || tileCols <= 0 || blockBytes <= 0 ||
        prefetchBytes < 0 || rowCols <= 0 || rowUnroll <= 0 ||
        tileCols % rowCols != 0) {
      getOperation().emitError(
          "tfc-cpu-vectorize-contractions: every option must be positive "
          "(prefetch-bytes may be 0) and row-cols must divide tile-cols");
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    patterns.add<VectorizeProjection>(
        &getContext(),
        KernelConfig{vectorWidth, tileRows, tileCols, blockBytes,
                     prefetchBytes, rowCols, rowUnroll, vnni},
        fuseEpilogues);
    GreedyRewriteConfig greedy;
    greedy.setStrictness(GreedyRewriteStrictness::ExistingOps);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     greedy)))
      signalPassFailure();
  }
};
} // namespace
