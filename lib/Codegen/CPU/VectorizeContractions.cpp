//===- VectorizeContractions.cpp - Register-blocked projection kernels ----===//
//
// The projections dominate both prefill (matrix x matrix) and decode (matrix
// x vector). Left to LLVM, a bufferized `linalg.generic` becomes a scalar
// loop nest whose reduction LLVM vectorises with one accumulator chain per
// output; this pass writes the kernel out instead: threads over blocks of
// weight rows, register tiles of rows x cols outputs with a vector
// accumulator each, one load of every x and w slice per FMA group.
//
//===----------------------------------------------------------------------===//
#include "tfc/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
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
};

/// `y[n, o] += x[n, k] * w[o, k]` on memrefs: x f32 [?, K], w [O, K] in f32,
/// bf16 or f16, y f32 [?, O], each with unit stride in its last dimension.
struct Projection {
  Value x, w, y;
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

/// Whether the body is `yield acc + a * b` (either order), `b` possibly
/// widened from a 16-bit weight.
bool isMulAddBody(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  BlockArgument a = body.getArgument(0), w = body.getArgument(1),
                acc = body.getArgument(2);
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value product = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  if ((add.getLhs() != acc && add.getRhs() != acc))
    return false;
  auto mul = product.getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  Value l = skipExtF(mul.getLhs()), r = skipExtF(mul.getRhs());
  // Nothing else may happen in the body: mul, add, at most one extf.
  if (body.getOperations().size() > 4)
    return false;
  return (l == a && r == w) || (l == w && r == a);
}

std::optional<Projection> matchProjection(linalg::GenericOp op,
                                          const KernelConfig &config) {
  if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumLoops() != 3)
    return std::nullopt;
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
      maps[1] != AffineMap::get(3, 0, {o, k}, ctx) ||
      maps[2] != AffineMap::get(3, 0, {n, o}, ctx))
    return std::nullopt;
  Value x = op.getDpsInputs()[0], w = op.getDpsInputs()[1],
        y = op.getDpsInits()[0];
  auto xType = dyn_cast<MemRefType>(x.getType());
  auto wType = dyn_cast<MemRefType>(w.getType());
  auto yType = dyn_cast<MemRefType>(y.getType());
  if (!xType || !wType || !yType || !xType.getElementType().isF32() ||
      !yType.getElementType().isF32() ||
      !isa<Float32Type, BFloat16Type, Float16Type>(wType.getElementType()) ||
      !wType.hasStaticShape() || !hasUnitInnerStride(xType) ||
      !hasUnitInnerStride(wType) || !hasUnitInnerStride(yType))
    return std::nullopt;
  int64_t outputs = wType.getDimSize(0), depth = wType.getDimSize(1);
  if (xType.getDimSize(1) != depth || yType.getDimSize(1) != outputs ||
      depth % config.width != 0 || outputs % config.cols != 0 ||
      !isMulAddBody(op))
    return std::nullopt;
  return Projection{x, w, y, outputs, depth};
}

/// Emits the loop nest of one projection in place of its generic.
class KernelEmitter {
public:
  KernelEmitter(OpBuilder &b, Location loc, const Projection &p,
                const KernelConfig &config)
      : b(b), loc(loc), p(p), config(config) {}

  void emit() {
    auto wType = cast<MemRefType>(p.w.getType());
    int64_t rowBytes = p.depth * wType.getElementTypeBitWidth() / 8;
    // Rows of w per thread-level block: a multiple of cols, at least cols.
    int64_t blockRows =
        std::max<int64_t>(1, config.blockBytes / rowBytes / config.cols) *
        config.cols;
    blockRows = std::min(blockRows, p.outputs);
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
          rowLoop(idx(0), tiles, config.rows, config.cols, 1, first, last);
          rowLoop(tiles, rowsOfX, 1, config.rowCols, config.rowUnroll, first,
                  last);
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
    while (p.depth % (config.width * unroll) != 0)
      unroll /= 2;
    auto wType = cast<MemRefType>(p.w.getType());
    auto accType = VectorType::get({config.width}, b.getF32Type());
    auto wVecType = VectorType::get({config.width}, wType.getElementType());
    int64_t prefetchElements =
        config.prefetchBytes * 8 / wType.getElementTypeBitWidth();
    Value zero = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(accType, b.getF32FloatAttr(0.0)));
    int64_t chains = rows * cols * unroll;
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
          for (int64_t u = 0; u < unroll; ++u) {
            Value k = u ? arith::AddIOp::create(b, loc, k0,
                                                idx(u * config.width))
                        : k0;
            SmallVector<Value> xs, ws;
            for (Value row : xRows)
              xs.push_back(vector::LoadOp::create(b, loc, accType, p.x,
                                                  ValueRange{row, k}));
            Value ahead;
            if (prefetchElements && u == 0)
              ahead = arith::AddIOp::create(b, loc, k, idx(prefetchElements));
            for (Value row : wRows) {
              // The weights stream from memory once: ask for them early.
              if (ahead)
                memref::PrefetchOp::create(b, loc, p.w, ValueRange{row, ahead},
                                           b.getBoolAttr(false),
                                           b.getI32IntegerAttr(3),
                                           b.getBoolAttr(true));
              Value v = vector::LoadOp::create(b, loc, wVecType, p.w,
                                               ValueRange{row, k});
              if (v.getType() != accType)
                v = arith::ExtFOp::create(b, loc, accType, v);
              ws.push_back(v);
            }
            for (int64_t r = 0; r < rows; ++r)
              for (int64_t c = 0; c < cols; ++c) {
                int64_t i = (r * cols + c) * unroll + u;
                next[i] = vector::FMAOp::create(b, loc, xs[r], ws[c], next[i]);
              }
          }
          scf::YieldOp::create(b, loc, next);
        });
    // The sum may be reassociated, as the generic's body allowed.
    auto reassoc = arith::FastMathFlagsAttr::get(
        b.getContext(),
        arith::FastMathFlags::reassoc | arith::FastMathFlags::contract);
    auto add = vector::CombiningKindAttr::get(b.getContext(),
                                              vector::CombiningKind::ADD);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c) {
        ValueRange at{xRows[r], wRows[c]};
        int64_t first = (r * cols + c) * unroll;
        Value total = loop.getResult(first);
        for (int64_t u = 1; u < unroll; ++u)
          total = arith::AddFOp::create(b, loc, total,
                                        loop.getResult(first + u), reassoc);
        Value old = memref::LoadOp::create(b, loc, p.y, at);
        Value sum = vector::ReductionOp::create(b, loc, b.getF32Type(), add,
                                                total, old, reassoc);
        memref::StoreOp::create(b, loc, sum, p.y, at);
      }
  }

  OpBuilder &b;
  Location loc;
  const Projection &p;
  const KernelConfig &config;
};

struct VectorizeProjection : OpRewritePattern<linalg::GenericOp> {
  VectorizeProjection(MLIRContext *ctx, KernelConfig config)
      : OpRewritePattern(ctx), config(config) {}

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<Projection> projection = matchProjection(op, config);
    if (!projection)
      return rewriter.notifyMatchFailure(op, "not a vectorisable projection");
    KernelEmitter(rewriter, op.getLoc(), *projection, config).emit();
    rewriter.eraseOp(op);
    return success();
  }

  KernelConfig config;
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
                     prefetchBytes, rowCols, rowUnroll});
    GreedyRewriteConfig greedy;
    greedy.setStrictness(GreedyRewriteStrictness::ExistingOps);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     greedy)))
      signalPassFailure();
  }
};
} // namespace
