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
  /// Declares `name` with `shape` once; returns the value of the weight.
  Value weight(StringRef name, ArrayRef<int64_t> shape);
  void declare(StringRef name, ArrayRef<int64_t> shape);
  Value norm(const NormSpec &n, Value x);
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
  WeightDeclOp::create(b, loc, name, weightType(shape),
                       /*quantization=*/QuantizationAttr());
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

Value ModelEmitter::norm(const NormSpec &n, Value x) {
  int64_t width = spec.hiddenSize;
  Value scale = weight(n.weight, {width});
  double eps = n.norm.getEps().convertToDouble();
  if (n.norm.getKind() == NormKind::RMSNorm)
    return RMSNormOp::create(
        b, loc, x.getType(), x, scale, b.getF64FloatAttr(eps),
        b.getF64FloatAttr(n.norm.getWeightOffset()
                              ? n.norm.getWeightOffset()->convertToDouble()
                              : 0.0));
  Value shift = n.norm.getBias() ? weight(n.bias, {width}) : Value();
  return LayerNormOp::create(b, loc, x.getType(), x, scale, shift,
                             b.getF64FloatAttr(eps));
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
  SmallVector<Type> argTypes = {tokensType, b.getIndexType()};
  for (const LayerSpec &layer : spec.layers) {
    int64_t row = layer.block.getAttention().getKVFloatsPerToken();
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
    h = norm(*spec.embeddingNorm, h);

  // Decoder layers, built from their typed attributes (a misspelt
  // attribute cannot become a discardable one).
  for (auto [index, layer] : llvm::enumerate(spec.layers)) {
    DecoderBlockOp::Properties props = layer.block;
    props.setLayer(b.getI64IntegerAttr(index));
    SmallVector<NamedAttribute> roles;
    for (const auto &entry : layer.weights)
      roles.push_back(b.getNamedAttr(
          entry.getKey(), FlatSymbolRefAttr::get(ctx, entry.getValue())));
    props.setWeights(b.getDictionaryAttr(roles));
    OperationState state(loc, DecoderBlockOp::getOperationName());
    DecoderBlockOp::build(b, state, TypeRange{h.getType()},
                          ValueRange{h, pos, body->getArgument(2 + index)},
                          props);
    auto block = cast<DecoderBlockOp>(b.create(state));
    // Declare the tensors the block reads with the shapes its attributes
    // imply: DecoderBlockOp is the one place that knows them.
    for (auto &[role, shape] : block.getExpectedWeights())
      if (auto it = layer.weights.find(role.str()); it != layer.weights.end())
        declare(it->second, shape);
    h = block.getResult();
  }

  if (spec.finalNorm)
    h = norm(*spec.finalNorm, h);
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
