//===- FuseRope.cpp - tfc.rope -> attention's prologue, the cache write ---===//
#include "tfc/Dialect/TFC/IR/TFCOps.h"
#include "tfc/Dialect/TFC/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCFUSEROPE
#include "tfc/Dialect/TFC/Transforms/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;
using namespace mlir::tfc;

namespace {
/// A [tokens, heads, head_dim] value that is some unrotated value with a RoPE
/// at one position applied over the dimensions [offset, head_dim) of each
/// head, through the concatenations tfc-expand-blocks builds for MLA.
struct Rotation {
  RopeAttr rope;
  int64_t offset = 0;
  /// The ops that compute the rotated value, its consumer's operand first;
  /// each has no user outside the chain and the consumer.
  SmallVector<Operation *> chain;
};
} // namespace

/// The rotation `v` is, when `user` is its only user and it rotates at
/// `position`.
static std::optional<Rotation> matchRotation(Value v, Operation *user,
                                             Value position) {
  if (!llvm::all_of(v.getUsers(), [&](Operation *u) { return u == user; }))
    return std::nullopt;
  Operation *def = v.getDefiningOp();
  if (auto rope = dyn_cast_if_present<RopeOp>(def)) {
    if (rope.getPosition() != position)
      return std::nullopt;
    return Rotation{rope.getRope(), 0, {rope}};
  }
  auto concat = dyn_cast_if_present<tensor::ConcatOp>(def);
  if (!concat || concat.getType().getRank() != 3)
    return std::nullopt;
  std::optional<Rotation> result;
  if (concat.getDim() == 1) {
    // Heads side by side (MLA's shared rotated key, one copy per head): the
    // same rotation of each.
    for (Value input : concat.getInputs()) {
      std::optional<Rotation> r = matchRotation(input, concat, position);
      if (!r || (result && (r->rope != result->rope ||
                            r->offset != result->offset)))
        return std::nullopt;
      if (!result)
        result = std::move(r);
      else
        llvm::append_range(result->chain, r->chain);
    }
  } else if (concat.getDim() == 2 && concat.getInputs().size() == 2) {
    // [unrotated | rotated] along head_dim (MLA's nope and rope parts).
    result = matchRotation(concat.getInputs()[1], concat, position);
    if (!result)
      return std::nullopt;
    result->offset +=
        cast<RankedTensorType>(concat.getInputs()[0].getType()).getDimSize(2);
  }
  if (result)
    result->chain.insert(result->chain.begin(), concat);
  return result;
}

/// `v`, the value a matched Rotation computes, without the rotation.
static Value unrotated(PatternRewriter &rewriter, Value v,
                       DenseMap<Value, Value> &built) {
  if (Value known = built.lookup(v))
    return known;
  Value result;
  if (auto rope = v.getDefiningOp<RopeOp>()) {
    result = rope.getInput();
  } else {
    auto concat = v.getDefiningOp<tensor::ConcatOp>();
    SmallVector<Value> inputs(concat.getInputs());
    // Along heads every input is rotated; along head_dim the last one.
    for (Value &input : concat.getDim() == 1 ? MutableArrayRef<Value>(inputs)
                                             : MutableArrayRef<Value>(inputs).take_back())
      input = unrotated(rewriter, input, built);
    rewriter.setInsertionPoint(concat);
    result = tensor::ConcatOp::create(rewriter, concat.getLoc(),
                                      concat.getType(), concat.getDim(), inputs);
  }
  built[v] = result;
  return result;
}

/// Replaces `operand` of `op` by its unrotated value, records the rotation
/// with `setRope`, and erases the chain that computed the rotated value.
static LogicalResult
fuse(PatternRewriter &rewriter, Operation *op, OpOperand &operand,
     Value position,
     function_ref<void(RopeAttr, std::optional<int64_t>)> setRope) {
  std::optional<Rotation> r = matchRotation(operand.get(), op, position);
  if (!r)
    return rewriter.notifyMatchFailure(
        op, "not a tfc.rope at this position used only here");
  DenseMap<Value, Value> built;
  OpBuilder::InsertionGuard guard(rewriter);
  Value input = unrotated(rewriter, operand.get(), built);
  rewriter.modifyOpInPlace(op, [&] {
    operand.set(input);
    setRope(r->rope, r->offset ? std::optional<int64_t>(r->offset)
                               : std::nullopt);
  });
  // A rotated value repeated in a concatenation appears once per use.
  llvm::SmallPtrSet<Operation *, 4> erased;
  for (Operation *dead : r->chain)
    if (erased.insert(dead).second)
      rewriter.eraseOp(dead);
  return success();
}

namespace {
struct FuseRopeIntoAttention : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getRopeAttr())
      return rewriter.notifyMatchFailure(op, "rotates its query already");
    return fuse(rewriter, op, op.getQueryMutable(), op.getPosition(),
                [&](RopeAttr rope, std::optional<int64_t> offset) {
                  op.setRopeAttr(rope);
                  if (offset)
                    op.setRopeOffset(*offset);
                });
  }
};

struct FuseRopeIntoKVCacheAppend : OpRewritePattern<KVCacheAppendOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(KVCacheAppendOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getRopeAttr())
      return rewriter.notifyMatchFailure(op, "rotates its keys already");
    return fuse(rewriter, op, op.getKeyMutable(), op.getPosition(),
                [&](RopeAttr rope, std::optional<int64_t> offset) {
                  op.setRopeAttr(rope);
                  if (offset)
                    op.setRopeOffset(*offset);
                });
  }
};

/// Whether `size` is all of dimension `d` of `source`.
static bool isWholeDim(OpFoldResult size, Value source, int64_t d) {
  auto type = cast<RankedTensorType>(source.getType());
  if (!type.isDynamicDim(d))
    return isConstantIntValue(size, type.getDimSize(d));
  auto dim = dyn_cast_if_present<Value>(size)
                 ? cast<Value>(size).getDefiningOp<tensor::DimOp>()
                 : tensor::DimOp();
  return dim && dim.getSource() == source && dim.getConstantIndex() == d;
}

/// tensor.concat of adjacent slices that together are their source -> the
/// source (MLA's query, split into its nope and rope parts, put back once
/// the rope part's rotation has moved into attention).
struct FoldConcatOfSlices : OpRewritePattern<tensor::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(tensor::ConcatOp op,
                                PatternRewriter &rewriter) const override {
    int64_t dim = op.getDim();
    Value source;
    int64_t next = 0;
    for (Value input : op.getInputs()) {
      auto slice = input.getDefiningOp<tensor::ExtractSliceOp>();
      if (!slice || (source && slice.getSource() != source) ||
          !slice.hasUnitStride() ||
          slice.getSourceType().getRank() != slice.getType().getRank())
        return rewriter.notifyMatchFailure(op, "not slices of one source");
      source = slice.getSource();
      for (int64_t d = 0, e = slice.getType().getRank(); d < e; ++d) {
        OpFoldResult offset = slice.getMixedOffsets()[d];
        OpFoldResult size = slice.getMixedSizes()[d];
        if (d == dim) {
          std::optional<int64_t> o = getConstantIntValue(offset);
          std::optional<int64_t> s = getConstantIntValue(size);
          if (!o || !s || *o != next)
            return rewriter.notifyMatchFailure(op, "slices not adjacent");
          next += *s;
        } else if (!isConstantIntValue(offset, 0) ||
                   !isWholeDim(size, source, d)) {
          return rewriter.notifyMatchFailure(op, "a slice is not whole");
        }
      }
    }
    if (source.getType() != op.getType() ||
        next != op.getType().getDimSize(dim))
      return rewriter.notifyMatchFailure(op, "slices do not cover the source");
    rewriter.replaceOp(op, source);
    return success();
  }
};

struct TFCFuseRopePass : tfc::impl::TFCFuseRopeBase<TFCFuseRopePass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseRopeIntoAttention, FuseRopeIntoKVCacheAppend,
                 FoldConcatOfSlices>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
