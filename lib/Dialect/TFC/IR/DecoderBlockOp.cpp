//===- DecoderBlockOp.cpp - tfc.decoder_block verification ----------------===//
//
// The block's attributes determine which weights it reads and their shapes;
// this file is the one place that knows that mapping (the verifier checks the
// declarations against it, tfc-expand-blocks builds the layer from it).
//
//===----------------------------------------------------------------------===//
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::tfc;

int64_t DecoderBlockOp::getHiddenSize() {
  return getInput().getType().getDimSize(1);
}

namespace {
/// Accumulates (role, stored shape) pairs in the block's layout.
struct WeightList {
  SmallVector<std::pair<WeightRole, SmallVector<int64_t>>> list;
  WeightLayout layout;

  void vector(WeightRole role, int64_t n) { list.push_back({role, {n}}); }
  /// The bias of `role`, `n` wide.
  void bias(WeightRole role, int64_t n) { vector(*role.getBiasRole(), n); }
  /// A projection from `in` to `out` features.
  void matrix(WeightRole role, int64_t out, int64_t in) {
    if (layout == WeightLayout::OutIn)
      list.push_back({role, {out, in}});
    else
      list.push_back({role, {in, out}});
  }
  void norm(std::optional<WeightRoleKind> role, NormAttr norm, int64_t n) {
    if (!role)
      return;
    vector(*role, n);
    if (norm.getBias())
      bias(*role, n);
  }
};
} // namespace

SmallVector<std::pair<WeightRole, SmallVector<int64_t>>>
DecoderBlockOp::getExpectedWeights() {
  return getExpectedWeights(getProperties(), getHiddenSize());
}

SmallVector<std::pair<WeightRole, SmallVector<int64_t>>>
DecoderBlockOp::getExpectedWeights(const Properties &block, int64_t hidden) {
  using Role = WeightRoleKind;
  WeightList w{{}, block.getLayout() ? block.getLayout().getValue()
                                     : WeightLayout::OutIn};
  NormAttr norm = block.getNorm();

  // The block's norms, in the slots of its placement; a shared norm is the
  // attention's input norm read by both sublayers.
  NormSlots slots = getNormSlots(block.getPlacement().getValue());
  w.norm(slots.attention.input, norm, hidden);
  w.norm(slots.attention.output, norm, hidden);
  w.norm(slots.attention.afterAdd, norm, hidden);
  if (!block.getSharedNorm())
    w.norm(slots.feedForward.input, norm, hidden);
  w.norm(slots.feedForward.output, norm, hidden);
  w.norm(slots.feedForward.afterAdd, norm, hidden);

  // Attention.
  AttentionAttr attn = block.getAttention();
  int64_t heads = attn.getHeads(), kvHeads = attn.getKvHeads();
  int64_t headDim = attn.getHeadDim(), valueDim = attn.getValueHeadDim();
  if (MLAAttr mla = attn.getMla()) {
    int64_t qWidth = heads * headDim;
    if (mla.getQLoraRank() == 0) {
      w.matrix(Role::QProj, qWidth, hidden);
    } else {
      w.matrix(Role::QAProj, mla.getQLoraRank(), hidden);
      w.vector(Role::QANorm, mla.getQLoraRank());
      w.matrix(Role::QBProj, qWidth, mla.getQLoraRank());
    }
    w.matrix(Role::KVAProj, mla.getKvLoraRank() + mla.getQkRopeHeadDim(),
             hidden);
    w.vector(Role::KVANorm, mla.getKvLoraRank());
    w.matrix(Role::KVBProj, heads * (mla.getQkNopeHeadDim() + valueDim),
             mla.getKvLoraRank());
  } else if (block.getQkvPacking()) {
    int64_t fused = (heads + 2 * kvHeads) * headDim;
    w.matrix(Role::QKVProj, fused, hidden);
    if (attn.getQkvBias())
      w.bias(Role::QKVProj, fused);
  } else {
    w.matrix(Role::QProj, heads * headDim, hidden);
    w.matrix(Role::KProj, kvHeads * headDim, hidden);
    w.matrix(Role::VProj, kvHeads * valueDim, hidden);
    if (attn.getQkvBias()) {
      w.bias(Role::QProj, heads * headDim);
      w.bias(Role::KProj, kvHeads * headDim);
      w.bias(Role::VProj, kvHeads * valueDim);
    }
  }
  switch (attn.getQkNorm()) {
  case QKNorm::None:
    break;
  case QKNorm::PerHead:
    w.vector(Role::QNorm, headDim);
    w.vector(Role::KNorm, headDim);
    break;
  case QKNorm::Full:
    w.vector(Role::QNorm, heads * headDim);
    w.vector(Role::KNorm, kvHeads * headDim);
    break;
  }
  w.matrix(Role::OProj, hidden, heads * valueDim);
  if (attn.getOutBias())
    w.bias(Role::OProj, hidden);
  // The T5 table, [buckets, heads] as HF's relative_attention_bias
  // embedding stores it (never transposed by `layout`).
  if (auto relative =
          dyn_cast_if_present<RelativeBiasAttr>(block.getPositionEncoding()))
    w.list.push_back({Role::RelBias, {relative.getBuckets(), heads}});

  // Feed-forward: the dense FFN, or the router and each expert's (which
  // have no biases).
  FFNAttr ffn = block.getFfn();
  auto mlp = [&](auto role, int64_t width, bool bias) {
    if (ffn.getGated())
      w.matrix(role(Role::GateProj), width, hidden);
    w.matrix(role(Role::UpProj), width, hidden);
    w.matrix(role(Role::DownProj), hidden, width);
    if (bias) {
      if (ffn.getGated())
        w.bias(role(Role::GateProj), width);
      w.bias(role(Role::UpProj), width);
      w.bias(role(Role::DownProj), hidden);
    }
  };
  if (MoEAttr moe = block.getMoe()) {
    w.matrix(Role::Router, moe.getExperts(), hidden);
    for (int64_t e = 0; e < moe.getExperts(); ++e)
      mlp([&](Role kind) { return WeightRole::routedExpert(kind, e); },
          moe.getIntermediate(), false);
    if (moe.getShared() > 0)
      mlp(WeightRole::sharedExpert, moe.getSharedIntermediate(), false);
  } else {
    mlp([](Role kind) { return WeightRole(kind); }, ffn.getIntermediate(),
        ffn.getBias());
  }
  return std::move(w.list);
}

int64_t DecoderBlockOp::getKVFloatsPerToken() {
  return getAttention().getKVFloatsPerToken();
}

LogicalResult DecoderBlockOp::verify() {
  if (ShapedType::isDynamic(getHiddenSize()))
    return emitOpError() << "the hidden size (input dimension 1) must be static";
  if (getLayerAttr().getInt() < 0)
    return emitOpError() << "'layer' must not be negative, got "
                         << getLayerAttr().getInt();

  NormPlacement placement = getPlacement();
  NormSlots slots = getNormSlots(placement);
  if (slots.scaledResidual != getDeepnormAlpha().has_value())
    return emitOpError() << "'deepnorm_alpha' is required with deep_norm "
                            "placement and only then";
  if (getDeepnormAlpha() && !(getDeepnormAlpha()->convertToDouble() > 0.0)) {
    return emitOpError() << "'deepnorm_alpha' must be positive, got "
                         << formatNumber(getDeepnormAlpha()->convertToDouble());
  }
  if (getShape() == BlockShape::Parallel && !slots.normalisesOnlyInputs()) {
    SmallVector<StringRef> accepted;
    for (uint32_t p = 0; p <= getMaxEnumValForNormPlacement(); ++p)
      if (getNormSlots(static_cast<NormPlacement>(p)).normalisesOnlyInputs())
        accepted.push_back(
            stringifyNormPlacement(static_cast<NormPlacement>(p)));
    return emitOpError() << "a parallel block normalises its input once for "
                            "both sublayers: 'placement' must be "
                         << llvm::join(accepted, " or ") << ", got "
                         << stringifyNormPlacement(placement);
  }
  if (getSharedNorm() && getShape() != BlockShape::Parallel)
    return emitOpError() << "'shared_norm' needs a parallel block";

  AttentionAttr attn = getAttention();
  Attribute position = getPositionEncoding();
  if (auto rope = dyn_cast<RopeAttr>(position)) {
    int64_t rotated = attn.getMla() ? attn.getMla().getQkRopeHeadDim()
                                    : rope.getRotaryDim(attn.getHeadDim());
    if (attn.getMla() && rope.getFraction())
      return emitOpError() << "mla rotates qk_rope_head_dim dims; 'fraction' "
                              "must not be given";
    if (rotated <= 0 || rotated % 2) {
      std::string fraction = formatNumber(rope.getFractionValue());
      return emitOpError() << "'fraction' (" << fraction << ") rotates int("
                           << attn.getHeadDim() << " * " << fraction
                           << ") = " << rotated << " of the 'head_dim' ("
                           << attn.getHeadDim()
                           << ") dims of each head; RoPE needs an even, "
                              "positive number";
    }
  } else if (attn.getMla()) {
    return emitOpError() << "mla attention needs #tfc.rope positions";
  }
  if (getQkvPacking() && attn.getMla())
    return emitOpError() << "'qkv_packing' does not apply to mla attention";
  if (getQkvPacking() && attn.getValueHeadDim() != attn.getHeadDim())
    return emitOpError() << "a fused QKV projection needs equal key and value "
                            "head dims";
  if (getMoeAttr() && getFfn().getBias())
    return emitOpError() << "MoE experts have no biases; 'ffn' must not set "
                            "bias";

  int64_t cacheRow = getCache().getType().getDimSize(1);
  if (!ShapedType::isDynamic(cacheRow) && cacheRow != getKVFloatsPerToken())
    return emitOpError() << "the cache row holds " << cacheRow
                         << " floats but the layer caches "
                         << getKVFloatsPerToken()
                         << " per position ("
                         << (getAttention().getMla()
                                 ? "kv_lora_rank + qk_rope_head_dim"
                                 : "kv_heads * (head_dim + value_dim)")
                         << ")";

  for (NamedAttribute entry : getWeights())
    if (!isa<FlatSymbolRefAttr>(entry.getValue()))
      return emitOpError() << "weight role '" << entry.getName().getValue()
                           << "' must map to a symbol (@name), got "
                           << entry.getValue();
  return success();
}

LogicalResult
DecoderBlockOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  DictionaryAttr weights = getWeights();
  SmallVector<WeightRole> expected;
  for (auto &[expectedRole, shape] : getExpectedWeights()) {
    expected.push_back(expectedRole);
    std::string role = expectedRole.str();
    auto ref = weights.getAs<FlatSymbolRefAttr>(role);
    if (!ref)
      return emitOpError() << "layer " << getLayer() << " is missing weight '"
                           << role << "' of shape "
                           << RankedTensorType::get(shape,
                                                    Float32Type::get(getContext()));
    auto decl = symbolTable.lookupNearestSymbolFrom<WeightDeclOp>(*this, ref);
    if (!decl)
      return emitOpError() << "weight '" << role << "' refers to " << ref
                           << ", which is not a tfc.weight_decl";
    if (decl.getTensorType().getShape() != ArrayRef<int64_t>(shape))
      return emitOpError() << "weight '" << role << "' (" << ref
                           << ") has shape " << decl.getType()
                           << " but the block's attributes need "
                           << RankedTensorType::get(
                                  shape, Float32Type::get(getContext()));
  }
  for (NamedAttribute entry : weights) {
    std::optional<WeightRole> role =
        WeightRole::parse(entry.getName().getValue());
    if (!role || !llvm::is_contained(expected, *role))
      return emitOpError() << "unexpected weight role '"
                           << entry.getName().getValue()
                           << "' for this block's attributes";
  }
  return success();
}

void DecoderBlockOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  effects.emplace_back(MemoryEffects::Read::get(), &getCacheMutable());
  effects.emplace_back(MemoryEffects::Write::get(), &getCacheMutable());
}
