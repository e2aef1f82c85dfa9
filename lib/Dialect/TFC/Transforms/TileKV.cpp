//===- TileKV.cpp - split-KV decode for flash attention (tfc.kv_chunk) ----===//
#include "tfc/Dialect/TFC/IR/TFCOps.h"
#include "tfc/Dialect/TFC/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCTILEKV
#include "tfc/Dialect/TFC/Transforms/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;
using namespace mlir::tfc;

namespace {
struct MarkSplitKV : OpRewritePattern<AttentionOp> {
  MarkSplitKV(MLIRContext *ctx, int64_t chunk)
      : OpRewritePattern(ctx), chunk(chunk) {}
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (!op->hasAttr(kKVTileAttrName))
      return rewriter.notifyMatchFailure(op, "not in the flash form");
    if (op->hasAttr(kKVChunkAttrName))
      return rewriter.notifyMatchFailure(op, "already split");
    rewriter.modifyOpInPlace(op, [&] {
      op->setAttr(kKVChunkAttrName, rewriter.getI64IntegerAttr(chunk));
    });
    return success();
  }
  int64_t chunk;
};

struct TFCTileKVPass : tfc::impl::TFCTileKVBase<TFCTileKVPass> {
  using Base::Base;
  void runOnOperation() override {
    if (tileSize <= 0) {
      getOperation()->emitError("tfc-tile-kv: tile-size must be positive");
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    patterns.add<MarkSplitKV>(&getContext(), tileSize);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
