//===- FuseAttention.cpp - tfc.attention -> the flash form (tfc.kv_tile) --===//
#include "tfc/Dialect/TFC/IR/TFCOps.h"
#include "tfc/Dialect/TFC/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCFUSEATTENTION
#include "tfc/Dialect/TFC/Transforms/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;
using namespace mlir::tfc;

namespace {
struct MarkFlashAttention : OpRewritePattern<AttentionOp> {
  MarkFlashAttention(MLIRContext *ctx, int64_t tile, int64_t queryTile)
      : OpRewritePattern(ctx), tile(tile), queryTile(queryTile) {}
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (op->hasAttr(kKVTileAttrName))
      return rewriter.notifyMatchFailure(op, "already in the flash form");
    // An additive [heads, n, T] bias is itself the score-sized tensor.
    if (op.getBias())
      return rewriter.notifyMatchFailure(op, "has an additive bias");
    rewriter.modifyOpInPlace(op, [&] {
      op->setAttr(kKVTileAttrName, rewriter.getI64IntegerAttr(tile));
      op->setAttr(kQueryTileAttrName, rewriter.getI64IntegerAttr(queryTile));
    });
    return success();
  }
  int64_t tile, queryTile;
};

/// tfc.relative_position_bias feeding `bias` -> the attention's own
/// `relative_bias`: the flash form reads the table per KV tile instead of a
/// [heads, n, T] tensor. The op's keys are at positions 0 .. T - 1, so only an
/// attention without `keys_from` matches.
struct FoldRelativePositionBias : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    auto bias = op.getBias()
                    ? op.getBias().getDefiningOp<RelativePositionBiasOp>()
                    : RelativePositionBiasOp();
    if (!bias)
      return rewriter.notifyMatchFailure(op, "no tfc.relative_position_bias");
    if (op.getRelativeBiasAttr() || op.getKeyPosition() ||
        bias.getPosition() != op.getPosition())
      return rewriter.notifyMatchFailure(
          op, "has its own relative bias, keys_from, or another position");
    rewriter.modifyOpInPlace(op, [&] {
      op.getBiasMutable().clear();
      op.getRelativeBiasTableMutable().assign(bias.getTable());
      op.setRelativeBiasAttr(bias.getConfig());
    });
    return success();
  }
};

struct TFCFuseAttentionPass
    : tfc::impl::TFCFuseAttentionBase<TFCFuseAttentionPass> {
  using Base::Base;
  void runOnOperation() override {
    if (kvTile <= 0 || queryTile <= 0) {
      getOperation()->emitError("tfc-fuse-attention: ")
          << (kvTile <= 0 ? "kv-tile" : "query-tile") << " must be positive";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldRelativePositionBias>(&getContext());
    patterns.add<MarkFlashAttention>(&getContext(), kvTile, queryTile);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
