//===- FuseWidening.cpp - 16-bit reads widened where they are consumed ----===//
//
// A widening map over a whole 16-bit tensor writes an f32 copy that its
// consumers read back; moved into the slices and generics that consume it,
// the 16-bit data is read once and widened in registers.
//
//===----------------------------------------------------------------------===//
#include "tfc/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCCPUFUSEWIDENING
#include "tfc/Codegen/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;

namespace {
/// Whether `op` only widens its one input elementwise: identity maps,
/// parallel loops, a body of one arith.extf.
bool isWidening(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 1 ||
      op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return false;
  Block &body = op.getRegion().front();
  if (body.getOperations().size() != 2)
    return false;
  auto ext = dyn_cast<arith::ExtFOp>(body.front());
  return ext && ext.getIn() == body.getArgument(0) &&
         body.getTerminator()->getOperand(0) == ext.getResult();
}

/// Whether `v` is a view of buffers (bufferization.to_tensor through
/// reshapes, slices and concatenations): a KV-cache read. Weights are
/// function arguments; their widening stays where the kernels expect it.
bool isBufferRead(Value v) {
  Operation *def = v.getDefiningOp();
  if (!def)
    return false;
  if (isa<bufferization::ToTensorOp>(def))
    return true;
  if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp,
          tensor::ExtractSliceOp>(def))
    return isBufferRead(def->getOperand(0));
  if (auto concat = dyn_cast<tensor::ConcatOp>(def))
    return llvm::all_of(concat.getInputs(), isBufferRead);
  return false;
}

/// A widening of a buffer read (see isBufferRead).
bool isReadWidening(linalg::GenericOp op) {
  return isWidening(op) && isBufferRead(op.getDpsInputs()[0]);
}

/// extract_slice(widen(x)) -> widen(extract_slice(x)).
struct SwapSliceWithWidening : OpRewritePattern<tensor::ExtractSliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::ExtractSliceOp slice,
                                PatternRewriter &rewriter) const override {
    auto widen = slice.getSource().getDefiningOp<linalg::GenericOp>();
    if (!widen || !isReadWidening(widen))
      return rewriter.notifyMatchFailure(slice,
                                         "not a slice of a read's widening");
    if (slice.getType().getRank() != slice.getSourceType().getRank())
      return rewriter.notifyMatchFailure(slice, "rank-reducing slice");
    Location loc = slice.getLoc();
    Value input = widen.getDpsInputs()[0];
    Value narrow = tensor::ExtractSliceOp::create(
        rewriter, loc, input, slice.getMixedOffsets(), slice.getMixedSizes(),
        slice.getMixedStrides());
    auto resultType = slice.getType();
    // Dynamic sizes of the slice, in order.
    SmallVector<Value> dynSizes;
    for (auto [i, size] : llvm::enumerate(slice.getMixedSizes()))
      if (resultType.isDynamicDim(i))
        dynSizes.push_back(getValueOrCreateConstantIndexOp(rewriter, loc, size));
    Value init = tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                         resultType.getElementType(), dynSizes);
    unsigned rank = resultType.getRank();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, narrow, init,
        SmallVector<AffineMap>(2, rewriter.getMultiDimIdentityMap(rank)),
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel));
    rewriter.cloneRegionBefore(widen.getRegion(), generic.getRegion(),
                               generic.getRegion().end());
    rewriter.replaceOp(slice, generic.getResults());
    return success();
  }
};

struct TFCCPUFuseWideningPass
    : tfc::impl::TFCCPUFuseWideningBase<TFCCPUFuseWideningPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SwapSliceWithWidening>(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(
        patterns, [](OpOperand *use) {
          auto producer = use->get().getDefiningOp<linalg::GenericOp>();
          return producer && isReadWidening(producer);
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
