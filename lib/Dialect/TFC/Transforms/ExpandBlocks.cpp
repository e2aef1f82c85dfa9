//===- ExpandBlocks.cpp - tfc.decoder_block -> op-level tfc ---------------===//
//
// The block's attributes become explicit ops: the one place where norm
// placement, block shape, attention and feed-forward variants get their
// meaning. Layers of one kind (same attributes, shapes and dtypes) share one
// function, so code size follows the number of kinds, not the depth.
//
//===----------------------------------------------------------------------===//
#include "tfc/Dialect/TFC/IR/TFCOps.h"
#include "tfc/Dialect/TFC/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCEXPANDBLOCKS
#include "tfc/Dialect/TFC/Transforms/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;
using namespace mlir::tfc;

namespace {
/// Builds the op-level form of one block.
class BlockExpander {
public:
  /// With `weightValues`, the block reads its weights from those values
  /// (the arguments of its layer function) instead of `tfc.weight` ops.
  BlockExpander(DecoderBlockOp block, OpBuilder &builder,
                const llvm::StringMap<Value> *weightValues = nullptr)
      : block(block), b(builder), loc(block.getLoc()),
        weightValues(weightValues), slots(getNormSlots(block.getPlacement())) {}

  FailureOr<Value> expand();

private:
  Type f32() { return b.getF32Type(); }
  RankedTensorType tensor(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, f32());
  }
  Value weight(WeightRole role) {
    std::string key = role.str();
    if (weightValues)
      return weightValues->lookup(key);
    auto ref = block.getWeights().getAs<FlatSymbolRefAttr>(key);
    auto decl = SymbolTable::lookupNearestSymbolFrom<WeightDeclOp>(block, ref);
    return WeightOp::create(b, loc, decl.getTensorType(), ref);
  }
  /// The bias of `role`, if the block has one (the verifier has checked the
  /// dictionary holds exactly the roles the attributes call for).
  Value bias(WeightRole role) {
    std::optional<WeightRole> biasRole = role.getBiasRole();
    if (!biasRole || !block.getWeights().get(biasRole->str()))
      return Value();
    return weight(*biasRole);
  }
  int64_t rows(Value x) { return cast<RankedTensorType>(x.getType()).getDimSize(0); }
  /// `x [n, in]` projected by the matrix in `role`, plus its bias if any.
  Value linear(Value x, WeightRole role) {
    Value w = weight(role);
    ArrayRef<int64_t> s = cast<RankedTensorType>(w.getType()).getShape();
    int64_t out = block.getLayout() == WeightLayout::OutIn ? s[0] : s[1];
    return LinearOp::create(b, loc, tensor({rows(x), out}), x, w, bias(role),
                            block.getLayoutAttr());
  }
  /// The block's norm with the weights of `role`.
  Value norm(Value x, WeightRoleKind role) {
    NormAttr n = block.getNorm();
    Value w = weight(role);
    if (n.getKind() == NormKind::RMSNorm)
      return RMSNormOp::create(
          b, loc, x.getType(), x, w,
          b.getF64FloatAttr(n.getEps().convertToDouble()),
          b.getF64FloatAttr(n.getWeightOffset()
                                ? n.getWeightOffset()->convertToDouble()
                                : 0.0));
    return LayerNormOp::create(b, loc, x.getType(), x, w, bias(role),
                               b.getF64FloatAttr(n.getEps().convertToDouble()));
  }
  /// RMSNorm with the block's eps (qk-norm, MLA's latent norms).
  Value rmsNorm(Value x, WeightRoleKind role) {
    return RMSNormOp::create(
        b, loc, x.getType(), x, weight(role),
        b.getF64FloatAttr(block.getNorm().getEps().convertToDouble()),
        b.getF64FloatAttr(0.0));
  }
  /// [n, heads * d] <-> [n, heads, d].
  Value splitHeads(Value x, int64_t heads, int64_t dim) {
    auto type = tensor({rows(x), heads, dim});
    SmallVector<OpFoldResult> outShape = {
        tensor::getMixedSize(b, loc, x, 0), b.getIndexAttr(heads),
        b.getIndexAttr(dim)};
    return tensor::ExpandShapeOp::create(b, loc, type, x,
                                         ArrayRef<ReassociationIndices>{{0}, {1, 2}},
                                         outShape);
  }
  Value mergeHeads(Value x) {
    auto type = cast<RankedTensorType>(x.getType());
    return tensor::CollapseShapeOp::create(
        b, loc, tensor({type.getDimSize(0), type.getDimSize(1) * type.getDimSize(2)}),
        x, ArrayRef<ReassociationIndices>{{0}, {1, 2}});
  }
  Value slice(Value x, int64_t dim, int64_t offset, int64_t size);
  FailureOr<Value> attention(Value x);
  Value mlaAttention(Value x, MLAAttr mla);
  Value attendOverCache(Value q, Value k, Value v, int64_t valueDim);
  FailureOr<Value> feedForward(Value x);
  Value mlp(Value x, WeightScope scope);
  FailureOr<Value> sublayer(Value x, const SublayerNormSlots &norms,
                            FailureOr<Value> (BlockExpander::*body)(Value));
  /// residual + update, the residual scaled where the placement says.
  Value add(Value residual, Value update) {
    double alpha = slots.scaledResidual
                       ? block.getDeepnormAlpha()->convertToDouble()
                       : 1.0;
    return ResidualAddOp::create(b, loc, residual.getType(), residual, update,
                                 b.getF64FloatAttr(alpha));
  }

  DecoderBlockOp block;
  OpBuilder &b;
  Location loc;
  const llvm::StringMap<Value> *weightValues;
  NormSlots slots;
};
} // namespace

Value BlockExpander::slice(Value x, int64_t dim, int64_t offset, int64_t size) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<OpFoldResult> offsets, sizes, strides;
  SmallVector<int64_t> shape(type.getShape());
  for (int64_t d = 0; d < type.getRank(); ++d) {
    offsets.push_back(b.getIndexAttr(d == dim ? offset : 0));
    sizes.push_back(d == dim ? b.getIndexAttr(size)
                             : tensor::getMixedSize(b, loc, x, d));
    strides.push_back(b.getIndexAttr(1));
  }
  shape[dim] = size;
  return tensor::ExtractSliceOp::create(b, loc, tensor(shape), x, offsets,
                                        sizes, strides);
}

FailureOr<Value> BlockExpander::attention(Value x) {
  AttentionAttr attn = block.getAttention();
  if (MLAAttr mla = attn.getMla())
    return mlaAttention(x, mla);
  int64_t heads = attn.getHeads(), kvHeads = attn.getKvHeads();
  int64_t headDim = attn.getHeadDim(), valueDim = attn.getValueHeadDim();
  Value pos = block.getPosition();
  auto rope = dyn_cast<RopeAttr>(block.getPositionEncoding());

  // mpt clamps the q/k/v projections (HF MptAttention: clip_qkv).
  auto clip = [&](Value x) -> Value {
    if (!attn.getClipQkv())
      return x;
    return ClampOp::create(b, loc, x.getType(), x,
                           b.getF64FloatAttr(attn.getClipQkv()->convertToDouble()));
  };
  Value q, k, v;
  if (auto packing = block.getQkvPacking()) {
    Value qkv = clip(linear(x, WeightRoleKind::QKVProj));
    auto split = SplitQKVOp::create(
        b, loc, tensor({rows(x), heads, headDim}),
        tensor({rows(x), kvHeads, headDim}), tensor({rows(x), kvHeads, headDim}),
        qkv, QKVPackingAttr::get(b.getContext(), *packing),
        b.getI64IntegerAttr(heads), b.getI64IntegerAttr(kvHeads));
    q = split.getQ();
    k = split.getK();
    v = split.getV();
  } else {
    q = clip(linear(x, WeightRoleKind::QProj));
    k = clip(linear(x, WeightRoleKind::KProj));
    v = splitHeads(clip(linear(x, WeightRoleKind::VProj)), kvHeads, valueDim);
    // olmo2 normalises the whole projection before splitting heads.
    if (attn.getQkNorm() == QKNorm::Full) {
      q = rmsNorm(q, WeightRoleKind::QNorm);
      k = rmsNorm(k, WeightRoleKind::KNorm);
    }
    q = splitHeads(q, heads, headDim);
    k = splitHeads(k, kvHeads, headDim);
  }
  // qwen3 normalises each head over head_dim.
  if (attn.getQkNorm() == QKNorm::PerHead) {
    q = rmsNorm(q, WeightRoleKind::QNorm);
    k = rmsNorm(k, WeightRoleKind::KNorm);
  }
  if (rope) {
    q = RopeOp::create(b, loc, q.getType(), q, pos, rope);
    k = RopeOp::create(b, loc, k.getType(), k, pos, rope);
  }

  Value out = attendOverCache(q, k, v, valueDim);
  return linear(mergeHeads(out), WeightRoleKind::OProj);
}

/// Attention of `q` over the layer's cache and this step's keys `k` and
/// values `v` (null: the values are the first `valueDim` dims of each key
/// head, a keys-only cache read `value_in_key`), with the layer's window,
/// soft-cap, ALiBi or T5 bias. The step's keys go into the cache first and
/// attention reads them back with the cached ones, so the keys have one use
/// (tfc-fuse-rope rotates them as they are written). A sliding-window layer
/// reads [pos - window + 1, pos + n): its ring of 2 * window - 1 rows keeps
/// that span after the append, since the runtime runs at most `window`
/// tokens per call (docs/ABI.md).
Value BlockExpander::attendOverCache(Value q, Value k, Value v,
                                     int64_t valueDim) {
  AttentionAttr attn = block.getAttention();
  Value pos = block.getPosition();
  auto window = attn.getWindow() ? b.getI64IntegerAttr(*attn.getWindow())
                                 : IntegerAttr();
  FloatAttr softcap = attn.getSoftcap()
                          ? b.getF64FloatAttr(attn.getSoftcap()->convertToDouble())
                          : FloatAttr();
  auto alibi = dyn_cast<AlibiAttr>(block.getPositionEncoding());
  // The T5 bias goes into the attention op as its table, not as a
  // tfc.relative_position_bias tensor: a score-sized [heads, n, T] operand
  // would be what tfc-fuse-attention exists to remove, so each lowering reads
  // table[bucket(j - p), h] where it forms the score instead.
  auto relative = dyn_cast<RelativeBiasAttr>(block.getPositionEncoding());
  Value relativeTable = relative ? weight(WeightRoleKind::RelBias) : Value();
  Value cache = block.getCache();
  auto keyType = cast<RankedTensorType>(k.getType());
  int64_t cachedHeads = keyType.getDimSize(1);
  auto cachedKeys = tensor({ShapedType::kDynamic, cachedHeads,
                            keyType.getDimSize(2)});
  auto cachedValues = tensor({ShapedType::kDynamic, cachedHeads, valueDim});
  UnitAttr valueInKey = v ? UnitAttr() : b.getUnitAttr();
  KVCacheAppendOp::create(b, loc, k, v, cache, pos, /*rope=*/RopeAttr(),
                          /*rope_offset=*/IntegerAttr());
  Value first = arith::ConstantIndexOp::create(b, loc, 0);
  if (window) {
    Value reach = arith::ConstantIndexOp::create(b, loc, window.getInt() - 1);
    first = arith::MaxSIOp::create(b, loc, first,
                                   arith::SubIOp::create(b, loc, pos, reach));
  }
  // The token count from the block's input, not from q: a tensor.dim of the
  // rotated query would be a second use that keeps tfc-fuse-rope away.
  Value end = arith::AddIOp::create(
      b, loc, pos, tensor::DimOp::create(b, loc, block.getInput(), 0));
  auto read = KVCacheReadOp::create(b, loc, cachedKeys, cachedValues, cache,
                                    first, end, valueInKey);
  auto qType = cast<RankedTensorType>(q.getType());
  return AttentionOp::create(
             b, loc, tensor({qType.getDimSize(0), qType.getDimSize(1), valueDim}),
             q, read.getKey(), read.getValue(), pos,
             /*key_position=*/window ? first : Value(), /*bias=*/Value(),
             relativeTable, b.getF64FloatAttr(attn.getScaleValue()), window,
             softcap, alibi, relative, /*rope=*/RopeAttr(),
             /*rope_offset=*/IntegerAttr())
      .getResult();
}

/// DeepSeek-V2's MLA in the absorbed form: a position is cached as its normed
/// latent c [kv_lora_rank] and the rotated key shared by all heads, k_rope
/// [qk_rope_head_dim], one kv head [c | k_rope] whose leading part c is also
/// the value. kv_b_proj holds per head W_uk [nope, r] then W_uv [v, r]; as
/// q_nope . (W_uk c) = (q_nope W_uk) . c, each head's query is taken to the
/// latent and attends as MQA over the cache, and W_uv takes its latent output
/// to the value head (out = W_uv (sum_j p_j c_j)). The scores and the output
/// are those of HF's expanded form; kv_b_proj is never applied to a cached
/// position, and a row is r + rd floats instead of heads * (nope + rd + v).
Value BlockExpander::mlaAttention(Value x, MLAAttr mla) {
  AttentionAttr attn = block.getAttention();
  int64_t heads = attn.getHeads();
  int64_t nope = mla.getQkNopeHeadDim(), ropeDim = mla.getQkRopeHeadDim();
  int64_t rank = mla.getKvLoraRank(), valueDim = mla.getVHeadDim();
  Value pos = block.getPosition();
  auto rope = cast<RopeAttr>(block.getPositionEncoding());

  Value qFlat = mla.getQLoraRank() == 0
                    ? linear(x, WeightRoleKind::QProj)
                    : linear(rmsNorm(linear(x, WeightRoleKind::QAProj),
                                     WeightRoleKind::QANorm),
                             WeightRoleKind::QBProj);
  Value q = splitHeads(qFlat, heads, nope + ropeDim);
  Value qRope = RopeOp::create(b, loc, tensor({rows(x), heads, ropeDim}),
                               slice(q, 2, nope, ropeDim), pos, rope);
  Value kvA = linear(x, WeightRoleKind::KVAProj);
  Value latent = rmsNorm(slice(kvA, 1, 0, rank), WeightRoleKind::KVANorm);
  Value kRope = RopeOp::create(
      b, loc, tensor({rows(x), 1, ropeDim}),
      splitHeads(slice(kvA, 1, rank, ropeDim), 1, ropeDim), pos, rope);

  // kv_b_proj [heads * (nope + v), r]: head h's W_uk is its first nope rows,
  // read as [in, out]; W_uv the next v rows, read as [out, in].
  Value kvB = weight(WeightRoleKind::KVBProj);
  auto headRows = b.getI64IntegerAttr(nope + valueDim);
  Value qLatent = HeadLinearOp::create(
      b, loc, tensor({rows(x), heads, rank}), slice(q, 2, 0, nope), kvB,
      headRows, b.getI64IntegerAttr(0),
      WeightLayoutAttr::get(b.getContext(), WeightLayout::InOut));
  Value query = tensor::ConcatOp::create(b, loc, 2, ValueRange{qLatent, qRope});
  Value key = tensor::ConcatOp::create(
      b, loc, 2, ValueRange{splitHeads(latent, 1, rank), kRope});

  // The value is c, the key's first `rank` dims: a keys-only cache.
  Value out = attendOverCache(query, key, /*v=*/Value(), rank);
  Value perHead = HeadLinearOp::create(
      b, loc, tensor({rows(x), heads, valueDim}), out, kvB, headRows,
      b.getI64IntegerAttr(nope),
      WeightLayoutAttr::get(b.getContext(), WeightLayout::OutIn));
  return linear(mergeHeads(perHead), WeightRoleKind::OProj);
}

/// The dense FFN (WeightScope::Layer) or the shared expert's.
Value BlockExpander::mlp(Value x, WeightScope scope) {
  auto role = [&](WeightRoleKind kind) {
    return scope == WeightScope::SharedExpert ? WeightRole::sharedExpert(kind)
                                              : WeightRole(kind);
  };
  FFNAttr ffn = block.getFfn();
  auto kind = ActivationAttr::get(b.getContext(), ffn.getActivation());
  Value up = linear(x, role(WeightRoleKind::UpProj));
  Value hidden;
  if (ffn.getGated()) {
    Value gate = linear(x, role(WeightRoleKind::GateProj));
    hidden = GLUOp::create(b, loc, gate.getType(), kind, gate, up);
  } else {
    hidden = ActivationOp::create(b, loc, up.getType(), kind, up);
  }
  return linear(hidden, role(WeightRoleKind::DownProj));
}

FailureOr<Value> BlockExpander::feedForward(Value x) {
  MoEAttr moe = block.getMoeAttr();
  if (!moe)
    return mlp(x, WeightScope::Layer);
  SmallVector<Value> gates, ups, downs;
  for (int64_t e = 0; e < moe.getExperts(); ++e) {
    if (block.getFfn().getGated())
      gates.push_back(
          weight(WeightRole::routedExpert(WeightRoleKind::GateProj, e)));
    ups.push_back(weight(WeightRole::routedExpert(WeightRoleKind::UpProj, e)));
    downs.push_back(
        weight(WeightRole::routedExpert(WeightRoleKind::DownProj, e)));
  }
  double scale = moe.getRoutedScale() ? moe.getRoutedScale()->convertToDouble() : 1.0;
  Value routed = MoEOp::create(
      b, loc, x.getType(), x, weight(WeightRoleKind::Router), gates, ups, downs,
      ActivationAttr::get(b.getContext(), block.getFfn().getActivation()),
      b.getI64IntegerAttr(moe.getTopK()),
      moe.getRenormalize() ? b.getUnitAttr() : UnitAttr(),
      b.getF64FloatAttr(scale));
  if (moe.getShared() == 0)
    return routed;
  Value shared = mlp(x, WeightScope::SharedExpert);
  return ResidualAddOp::create(b, loc, x.getType(), routed, shared,
                               b.getF64FloatAttr(1.0))
      .getResult();
}

/// One sublayer of a serial block and its residual add, each norm in the
/// slot the placement gives it (NormSlots).
FailureOr<Value>
BlockExpander::sublayer(Value x, const SublayerNormSlots &norms,
                        FailureOr<Value> (BlockExpander::*body)(Value)) {
  Value in = norms.input ? norm(x, *norms.input) : x;
  FailureOr<Value> out = (this->*body)(in);
  if (failed(out))
    return failure();
  Value update = norms.output ? norm(*out, *norms.output) : *out;
  Value sum = add(slots.normedResidual ? in : x, update);
  return norms.afterAdd ? norm(sum, *norms.afterAdd) : sum;
}

FailureOr<Value> BlockExpander::expand() {
  Value x = block.getInput();
  if (block.getShape() == BlockShape::Parallel) {
    // y = x + attn(n1(x)) + mlp(n2(x)); n2 = n1 with a shared norm. The
    // verifier admits only placements that normalise just the inputs.
    Value attnIn = norm(x, *slots.attention.input);
    Value mlpIn =
        block.getSharedNorm() ? attnIn : norm(x, *slots.feedForward.input);
    FailureOr<Value> a = attention(attnIn);
    if (failed(a))
      return failure();
    FailureOr<Value> m = feedForward(mlpIn);
    if (failed(m))
      return failure();
    return add(add(x, *a), *m);
  }
  FailureOr<Value> h = sublayer(x, slots.attention, &BlockExpander::attention);
  if (failed(h))
    return failure();
  return sublayer(*h, slots.feedForward, &BlockExpander::feedForward);
}

namespace {
struct ExpandDecoderBlock : OpRewritePattern<DecoderBlockOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DecoderBlockOp block,
                                PatternRewriter &rewriter) const override {
    BlockExpander expander(block, rewriter);
    FailureOr<Value> result = expander.expand();
    if (failed(result))
      return failure();
    rewriter.replaceOp(block, *result);
    return success();
  }
};

struct TFCExpandBlocksPass
    : tfc::impl::TFCExpandBlocksBase<TFCExpandBlocksPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(markCaches(module)))
      return signalPassFailure();

    if (outlineLayers) {
      if (failed(outline(module)))
        signalPassFailure();
      return;
    }
    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandDecoderBlock>(&getContext());
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingOps);
    if (failed(applyPatternsGreedily(module, std::move(patterns), config)))
      return signalPassFailure();
    bool left = false;
    module.walk([&](DecoderBlockOp block) {
      block.emitOpError("could not be expanded");
      left = true;
    });
    if (left)
      signalPassFailure();
  }

  /// Replaces every block by a call of its kind's layer function, created on
  /// the first block of that kind: (x, position, cache, weights in role
  /// order) -> x. The caller reads the layer's weights with tfc.weight.
  LogicalResult outline(ModuleOp module) {
    MLIRContext *ctx = &getContext();
    SmallVector<DecoderBlockOp> blocks;
    module.walk([&](DecoderBlockOp block) { blocks.push_back(block); });
    llvm::StringMap<func::FuncOp> kinds;
    llvm::DenseMap<func::FuncOp, SmallVector<int64_t>> layersOf;
    SymbolTable symbols(module);
    for (DecoderBlockOp block : blocks) {
      SmallVector<StringRef> roles;
      for (NamedAttribute entry : block.getWeights())
        roles.push_back(entry.getName());
      llvm::sort(roles);
      SmallVector<Type> weightTypes;
      for (StringRef role : roles)
        weightTypes.push_back(
            SymbolTable::lookupNearestSymbolFrom<WeightDeclOp>(
                block, block.getWeights().getAs<FlatSymbolRefAttr>(role))
                .getType());
      // A kind is everything but the layer's index and its weights' names.
      NamedAttrList attrs(block->getAttrDictionary());
      attrs.erase(block.getLayerAttrName());
      attrs.erase(block.getWeightsAttrName());
      std::string key;
      llvm::raw_string_ostream os(key);
      os << attrs.getDictionary(ctx) << block.getInput().getType()
         << block.getCache().getType();
      for (auto [role, type] : llvm::zip(roles, weightTypes))
        os << " " << role << ":" << type;

      func::FuncOp &fn = kinds[key];
      if (!fn) {
        FailureOr<func::FuncOp> created =
            createLayerFunction(module, symbols, block, roles, weightTypes,
                                kinds.size() - 1);
        if (failed(created))
          return failure();
        fn = *created;
      }
      layersOf[fn].push_back(block.getLayer());
      OpBuilder b(block);
      SmallVector<Value> args = {block.getInput(), block.getPosition(),
                                 block.getCache()};
      for (auto [role, type] : llvm::zip(roles, weightTypes))
        args.push_back(WeightOp::create(
            b, block.getLoc(), type,
            block.getWeights().getAs<FlatSymbolRefAttr>(role)));
      auto call = func::CallOp::create(b, block.getLoc(), fn, args);
      block.getResult().replaceAllUsesWith(call.getResult(0));
      block.erase();
    }
    for (auto &[fn, layers] : layersOf)
      fn->setAttr(kLayersAttrName, DenseI64ArrayAttr::get(ctx, layers));
    return success();
  }

  FailureOr<func::FuncOp> createLayerFunction(ModuleOp module,
                                              SymbolTable &symbols,
                                              DecoderBlockOp block,
                                              ArrayRef<StringRef> roles,
                                              ArrayRef<Type> weightTypes,
                                              unsigned index) {
    MLIRContext *ctx = &getContext();
    Location loc = block.getLoc();
    SmallVector<Type> inputs = {block.getInput().getType(),
                                IndexType::get(ctx), block.getCache().getType()};
    llvm::append_range(inputs, weightTypes);
    auto parent = block->getParentOfType<func::FuncOp>();
    OpBuilder mb(parent);
    auto fn = func::FuncOp::create(
        mb, loc, ("layer_kind_" + Twine(index)).str(),
        FunctionType::get(ctx, inputs, block.getResult().getType()));
    fn.setPrivate();
    symbols.insert(fn);
    fn.setArgAttr(0, kArgNameAttrName, StringAttr::get(ctx, "x"));
    fn.setArgAttr(1, kArgNameAttrName, StringAttr::get(ctx, "position"));
    fn.setArgAttr(2, kArgNameAttrName, StringAttr::get(ctx, "kv_cache"));
    for (auto [i, role] : llvm::enumerate(roles))
      fn.setArgAttr(3 + i, kArgNameAttrName, StringAttr::get(ctx, role));

    Block *body = fn.addEntryBlock();
    OpBuilder b = OpBuilder::atBlockBegin(body);
    IRMapping map;
    map.map(block.getInput(), body->getArgument(0));
    map.map(block.getPosition(), body->getArgument(1));
    map.map(block.getCache(), body->getArgument(2));
    auto kind = cast<DecoderBlockOp>(b.clone(*block, map));
    llvm::StringMap<Value> weightValues;
    for (auto [i, role] : llvm::enumerate(roles))
      weightValues[role] = body->getArgument(3 + i);
    FailureOr<Value> result = BlockExpander(kind, b, &weightValues).expand();
    if (failed(result))
      return failure();
    func::ReturnOp::create(b, loc, *result);
    kind.erase();
    return fn;
  }

  /// Each layer owns its cache. A function argument that is the cache of a
  /// sliding-window layer gets `tfc.kv_window`: the expanded layer reads no
  /// further back than the window, so the caller may pass a ring of that many
  /// rows (docs/ABI.md).
  LogicalResult markCaches(ModuleOp module) {
    llvm::DenseMap<Value, DecoderBlockOp> owner;
    WalkResult walk = module.walk([&](DecoderBlockOp block) {
      auto [it, inserted] = owner.try_emplace(block.getCache(), block);
      if (!inserted) {
        InFlightDiagnostic diag = block.emitOpError()
                                  << "shares its KV cache with layer "
                                  << it->second.getLayer()
                                  << "; every layer needs a cache of its own";
        diag.attachNote(it->second.getLoc()) << "the other layer";
        return WalkResult::interrupt();
      }
      std::optional<int64_t> window = block.getAttention().getWindow();
      auto arg = dyn_cast<BlockArgument>(block.getCache());
      auto func = arg ? dyn_cast<FunctionOpInterface>(arg.getOwner()->getParentOp())
                      : FunctionOpInterface();
      if (window && func && arg.getOwner()->isEntryBlock())
        func.setArgAttr(arg.getArgNumber(), kKVWindowAttrName,
                        IntegerAttr::get(IntegerType::get(&getContext(), 64),
                                         *window));
      return WalkResult::advance();
    });
    return failure(walk.wasInterrupted());
  }
};
} // namespace
