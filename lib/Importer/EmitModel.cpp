//===- EmitModel.cpp - ModelSpec -> model-level tfc IR --------------------===//
#include "tfc/Dialect/TFC/IR/TFCOps.h"
#include "tfc/Importer/Importer.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::tfc;

namespace {
class ModelEmitter {
public:
  ModelEmitter(const ModelSpec &spec, MLIRContext *ctx)
      : spec(spec), ctx(ctx), b(ctx), loc(UnknownLoc::get(ctx)) {}

  OwningOpRef<ModuleOp> emit();

private:
  std::optional<APFloat> opt(std::optional<double> v) {
    if (!v)
      return std::nullopt;
    return APFloat(*v);
  }
  NormAttr normAttr(const NormSpec &n) {
    return NormAttr::get(ctx, n.kind, APFloat(n.eps), opt(n.weightOffset),
                         n.bias);
  }
  Attribute positionAttr(const LayerSpec &l);
  AttentionAttr attentionAttr(const AttentionSpec &a);
  /// Declares `name` with `shape` once; returns the value of the weight.
  Value weight(StringRef name, ArrayRef<int64_t> shape);
  void declare(StringRef name, ArrayRef<int64_t> shape);
  Value norm(const NormSpec &n, Value x, StringRef w, StringRef bias);
  /// The type of a weight of `shape`, in the element type the model reads.
  RankedTensorType weightType(ArrayRef<int64_t> shape);
  void setManifestAttrs();

  const ModelSpec &spec;
  MLIRContext *ctx;
  OpBuilder b;
  Location loc;
  ModuleOp module;
  OpBuilder::InsertPoint declPoint;
  llvm::StringSet<> declared;
};
} // namespace

RankedTensorType ModelEmitter::weightType(ArrayRef<int64_t> shape) {
  Type element;
  switch (spec.weightDType) {
  case WeightDType::F32:
    element = b.getF32Type();
    break;
  case WeightDType::BF16:
    element = b.getBF16Type();
    break;
  case WeightDType::F16:
    element = b.getF16Type();
    break;
  }
  return RankedTensorType::get(shape, element);
}

void ModelEmitter::declare(StringRef name, ArrayRef<int64_t> shape) {
  if (!declared.insert(name).second)
    return;
  OpBuilder::InsertionGuard guard(b);
  b.restoreInsertionPoint(declPoint);
  WeightDeclOp::create(b, loc, name, weightType(shape));
  declPoint = b.saveInsertionPoint();
}

Value ModelEmitter::weight(StringRef name, ArrayRef<int64_t> shape) {
  declare(name, shape);
  return WeightOp::create(b, loc, weightType(shape),
                          FlatSymbolRefAttr::get(ctx, name));
}

/// What the compiler writes into the manifest's `context`,
/// `base_model_prefix` and `optional` records (docs/ABI.md).
void ModelEmitter::setManifestAttrs() {
  if (!spec.baseModelPrefix.empty())
    module->setAttr(kBaseModelPrefixAttrName,
                    b.getStringAttr(spec.baseModelPrefix));
  module->setAttr(kTrainedContextAttrName,
                  b.getI64IntegerAttr(spec.trainedContext));
  // Only a learned table bounds the positions: RoPE, ALiBi and sinusoids
  // are defined at every position.
  if (spec.absolutePosition == AbsolutePosition::Learned)
    module->setAttr(kPositionLimitAttrName,
                    b.getI64IntegerAttr(spec.maxPositions));
  if (!spec.optionalWeights.empty()) {
    SmallVector<Attribute> names;
    for (const std::string &name : spec.optionalWeights)
      names.push_back(b.getStringAttr(name));
    module->setAttr(kOptionalWeightsAttrName, b.getArrayAttr(names));
  }
}

Value ModelEmitter::norm(const NormSpec &n, Value x, StringRef w,
                         StringRef bias) {
  int64_t width = spec.hiddenSize;
  Value scale = weight(w, {width});
  if (n.kind == NormKind::RMSNorm)
    return RMSNormOp::create(b, loc, x.getType(), x, scale, b.getF64FloatAttr(n.eps),
                             b.getF64FloatAttr(n.weightOffset.value_or(0.0)));
  Value shift = n.bias ? weight(bias, {width}) : Value();
  return LayerNormOp::create(b, loc, x.getType(), x, scale, shift,
                             b.getF64FloatAttr(n.eps));
}

Attribute ModelEmitter::positionAttr(const LayerSpec &l) {
  switch (l.position) {
  case PositionKind::None:
    return NoPositionAttr::get(ctx);
  case PositionKind::Alibi:
    return AlibiAttr::get(ctx, APFloat(l.alibiMaxBias));
  case PositionKind::Rope: {
    RopeScalingAttr scaling;
    if (const auto &s = l.rope.scaling)
      scaling = RopeScalingAttr::get(ctx, s->kind, APFloat(s->factor),
                                     opt(s->lowFreqFactor),
                                     opt(s->highFreqFactor),
                                     s->originalMaxPosition);
    return RopeAttr::get(ctx, APFloat(l.rope.theta), opt(l.rope.fraction),
                         l.rope.style, scaling);
  }
  }
  llvm_unreachable("unknown position kind");
}

AttentionAttr ModelEmitter::attentionAttr(const AttentionSpec &a) {
  AttentionKind kind = AttentionKind::GQA;
  MLAAttr mla;
  if (a.mla) {
    kind = AttentionKind::MLA;
    mla = MLAAttr::get(ctx, a.mla->qLoraRank, a.mla->kvLoraRank,
                       a.mla->qkNopeHeadDim, a.mla->qkRopeHeadDim,
                       a.mla->vHeadDim);
  } else if (a.kvHeads == a.heads) {
    kind = AttentionKind::MHA;
  } else if (a.kvHeads == 1) {
    kind = AttentionKind::MQA;
  }
  return AttentionAttr::get(ctx, kind, a.heads, a.kvHeads, a.headDim,
                            opt(a.scale), a.window, opt(a.softcap), a.qkNorm,
                            a.qkvBias, a.outBias, opt(a.clipQkv), mla);
}

OwningOpRef<ModuleOp> ModelEmitter::emit() {
  OwningOpRef<ModuleOp> owned = ModuleOp::create(loc);
  module = *owned;
  module->setAttr(kModelTypeAttrName, b.getStringAttr(spec.modelType));
  module->setAttr(kNumLayersAttrName, b.getI64IntegerAttr(spec.layers.size()));
  setManifestAttrs();
  b.setInsertionPointToStart(module.getBody());
  declPoint = b.saveInsertionPoint();

  Type f32 = b.getF32Type();
  int64_t hidden = spec.hiddenSize, vocab = spec.vocabSize;
  auto tokensType = RankedTensorType::get({ShapedType::kDynamic}, b.getI64Type());
  auto hiddenType = RankedTensorType::get({ShapedType::kDynamic, hidden}, f32);
  auto logitsType = RankedTensorType::get({ShapedType::kDynamic, vocab}, f32);
  // Every layer has a KV cache of its own: one row of keys and values per
  // position; how many rows is the caller's choice (docs/ABI.md).
  SmallVector<AttentionAttr> attentions;
  SmallVector<Type> argTypes = {tokensType, b.getIndexType()};
  for (const LayerSpec &layer : spec.layers) {
    AttentionAttr attn = attentionAttr(layer.attention);
    attentions.push_back(attn);
    int64_t row = attn.getKvHeads() * (attn.getHeadDim() + attn.getValueHeadDim());
    argTypes.push_back(MemRefType::get({ShapedType::kDynamic, row}, f32));
  }

  b.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(b, loc, "forward",
                                   b.getFunctionType(argTypes, {logitsType}));
  func.setArgAttr(0, kArgNameAttrName, b.getStringAttr("tokens"));
  func.setArgAttr(1, kArgNameAttrName, b.getStringAttr("position"));
  for (size_t i = 0; i < spec.layers.size(); ++i)
    func.setArgAttr(2 + i, kArgNameAttrName,
                    b.getStringAttr("kv_cache." + std::to_string(i)));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToStart(body);
  Value tokens = body->getArgument(0), pos = body->getArgument(1);

  // Embedding and absolute positions.
  Value table = weight(spec.embedding, {vocab, hidden});
  FloatAttr scale;
  if (spec.embeddingScale)
    scale = b.getF64FloatAttr(*spec.embeddingScale);
  Value h = EmbeddingOp::create(b, loc, hiddenType, tokens, table, scale);
  if (spec.absolutePosition == AbsolutePosition::Learned) {
    Value wpe = weight(spec.positionTable, {spec.maxPositions, hidden});
    h = LearnedPositionsOp::create(b, loc, hiddenType, h, wpe, pos);
  } else if (spec.absolutePosition == AbsolutePosition::Sinusoidal) {
    h = SinusoidalPositionsOp::create(b, loc, hiddenType, h, pos,
                                      b.getF64FloatAttr(spec.sinusoidalBase));
  }
  if (spec.embeddingNorm)
    h = norm(*spec.embeddingNorm, h, spec.embeddingNormWeight,
             spec.embeddingNormBias);

  // Decoder layers.
  for (auto [index, layer] : llvm::enumerate(spec.layers)) {
    NamedAttrList attrs;
    attrs.append("layer", b.getI64IntegerAttr(index));
    attrs.append("norm", normAttr(layer.norm));
    attrs.append("placement", NormPlacementAttr::get(ctx, layer.placement));
    if (layer.deepnormAlpha)
      attrs.append("deepnorm_alpha", b.getF64FloatAttr(*layer.deepnormAlpha));
    attrs.append("shape", BlockShapeAttr::get(ctx, layer.shape));
    if (layer.sharedNorm)
      attrs.append("shared_norm", b.getUnitAttr());
    attrs.append("position_encoding", positionAttr(layer));
    attrs.append("attention", attentions[index]);
    const FFNSpec &f = layer.ffn;
    attrs.append("ffn", FFNAttr::get(ctx, f.activation, f.gated,
                                     f.intermediate, f.bias));
    if (const auto &m = layer.moe)
      attrs.append("moe", MoEAttr::get(ctx, m->experts, m->topK,
                                       m->intermediate, m->shared,
                                       m->sharedIntermediate, m->renormalize,
                                       opt(m->routedScale)));
    if (layer.layout != WeightLayout::OutIn)
      attrs.append("layout", WeightLayoutAttr::get(ctx, layer.layout));
    if (layer.qkvPacking)
      attrs.append("qkv_packing", QKVPackingAttr::get(ctx, *layer.qkvPacking));
    SmallVector<NamedAttribute> roles;
    for (const auto &entry : layer.weights)
      roles.push_back(b.getNamedAttr(
          entry.getKey(), FlatSymbolRefAttr::get(ctx, entry.getValue())));
    attrs.append("weights", b.getDictionaryAttr(roles));
    auto block = DecoderBlockOp::create(b, loc, h, pos,
                                        body->getArgument(2 + index), attrs);
    // Declare the tensors the block reads with the shapes its attributes
    // imply: DecoderBlockOp is the one place that knows them.
    for (auto &[role, shape] : block.getExpectedWeights())
      if (auto it = layer.weights.find(role); it != layer.weights.end())
        declare(it->second, shape);
    h = block.getResult();
  }

  if (spec.finalNorm)
    h = norm(*spec.finalNorm, h, spec.finalNormWeight, spec.finalNormBias);
  SmallVector<int64_t> headShape =
      spec.lmHeadLayout == WeightLayout::OutIn ? SmallVector<int64_t>{vocab, hidden}
                                               : SmallVector<int64_t>{hidden, vocab};
  Value head = weight(spec.lmHead, headShape);
  Value headBias = spec.lmHeadBias.empty() ? Value()
                                           : weight(spec.lmHeadBias, {vocab});
  Value logits = LMHeadOp::create(
      b, loc, logitsType, h, head, headBias,
      WeightLayoutAttr::get(ctx, spec.lmHeadLayout));
  if (spec.finalSoftcap)
    logits = SoftcapOp::create(b, loc, logitsType, logits,
                               b.getF64FloatAttr(*spec.finalSoftcap));
  func::ReturnOp::create(b, loc, logits);
  return owned;
}

OwningOpRef<ModuleOp> mlir::tfc::emitModel(const ModelSpec &spec,
                                           MLIRContext *context) {
  context->loadDialect<TFCDialect, func::FuncDialect>();
  return ModelEmitter(spec, context).emit();
}
