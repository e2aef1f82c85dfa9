//===- DecoderBlockOp.cpp - tfc.decoder_block verification ----------------===//
//
// The block's attributes determine which weights it reads and their shapes;
// this file is the one place that knows that mapping (the verifier checks the
// declarations against it, tfc-expand-blocks builds the layer from it).
//
//===----------------------------------------------------------------------===//
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::tfc;

int64_t DecoderBlockOp::getHiddenSize() {
  return getInput().getType().getDimSize(1);
}

namespace {
/// Accumulates (role, stored shape) pairs in the block's layout.
struct WeightList {
  SmallVector<std::pair<std::string, SmallVector<int64_t>>> list;
  WeightLayout layout;

  void vector(StringRef role, int64_t n) {
    list.push_back({role.str(), {n}});
  }
  /// A projection from `in` to `out` features.
  void matrix(StringRef role, int64_t out, int64_t in) {
    if (layout == WeightLayout::OutIn)
      list.push_back({role.str(), {out, in}});
    else
      list.push_back({role.str(), {in, out}});
  }
  void norm(StringRef role, NormAttr norm, int64_t n) {
    vector(role, n);
    if (norm.getBias())
      vector((role + "_bias").str(), n);
  }
};
} // namespace

SmallVector<std::pair<std::string, SmallVector<int64_t>>>
DecoderBlockOp::getExpectedWeights() {
  return getExpectedWeights(getProperties(), getHiddenSize());
}

SmallVector<std::pair<std::string, SmallVector<int64_t>>>
DecoderBlockOp::getExpectedWeights(const Properties &block, int64_t hidden) {
  WeightList w{{}, block.getLayout() ? block.getLayout().getValue()
                                     : WeightLayout::OutIn};
  NormAttr norm = block.getNorm();

  // Norms, by placement.
  bool parallel = block.getShape().getValue() == BlockShape::Parallel;
  switch (block.getPlacement().getValue()) {
  case NormPlacement::Pre:
  case NormPlacement::Post:
  case NormPlacement::DeepNorm:
    w.norm("attn_norm", norm, hidden);
    if (!(parallel && block.getSharedNorm()))
      w.norm("ffn_norm", norm, hidden);
    break;
  case NormPlacement::Sandwich:
    w.norm("attn_norm", norm, hidden);
    w.norm("post_attn_norm", norm, hidden);
    w.norm("ffn_norm", norm, hidden);
    w.norm("post_ffn_norm", norm, hidden);
    break;
  case NormPlacement::PostSublayer:
    w.norm("post_attn_norm", norm, hidden);
    w.norm("post_ffn_norm", norm, hidden);
    break;
  }

  // Attention.
  AttentionAttr attn = block.getAttention();
  int64_t heads = attn.getHeads(), kvHeads = attn.getKvHeads();
  int64_t headDim = attn.getHeadDim(), valueDim = attn.getValueHeadDim();
  if (MLAAttr mla = attn.getMla()) {
    int64_t qWidth = heads * headDim;
    if (mla.getQLoraRank() == 0) {
      w.matrix("q_proj", qWidth, hidden);
    } else {
      w.matrix("q_a_proj", mla.getQLoraRank(), hidden);
      w.vector("q_a_norm", mla.getQLoraRank());
      w.matrix("q_b_proj", qWidth, mla.getQLoraRank());
    }
    w.matrix("kv_a_proj", mla.getKvLoraRank() + mla.getQkRopeHeadDim(), hidden);
    w.vector("kv_a_norm", mla.getKvLoraRank());
    w.matrix("kv_b_proj", heads * (mla.getQkNopeHeadDim() + valueDim),
             mla.getKvLoraRank());
  } else if (block.getQkvPacking()) {
    int64_t fused = (heads + 2 * kvHeads) * headDim;
    w.matrix("qkv_proj", fused, hidden);
    if (attn.getQkvBias())
      w.vector("qkv_bias", fused);
  } else {
    w.matrix("q_proj", heads * headDim, hidden);
    w.matrix("k_proj", kvHeads * headDim, hidden);
    w.matrix("v_proj", kvHeads * valueDim, hidden);
    if (attn.getQkvBias()) {
      w.vector("q_bias", heads * headDim);
      w.vector("k_bias", kvHeads * headDim);
      w.vector("v_bias", kvHeads * valueDim);
    }
  }
  switch (attn.getQkNorm()) {
  case QKNorm::None:
    break;
  case QKNorm::PerHead:
    w.vector("q_norm", headDim);
    w.vector("k_norm", headDim);
    break;
  case QKNorm::Full:
    w.vector("q_norm", heads * headDim);
    w.vector("k_norm", kvHeads * headDim);
    break;
  }
  w.matrix("o_proj", hidden, heads * valueDim);
  if (attn.getOutBias())
    w.vector("o_bias", hidden);

  // Feed-forward.
  FFNAttr ffn = block.getFfn();
  auto mlp = [&](StringRef prefix, int64_t width, bool bias) {
    if (ffn.getGated())
      w.matrix((prefix + "gate_proj").str(), width, hidden);
    w.matrix((prefix + "up_proj").str(), width, hidden);
    w.matrix((prefix + "down_proj").str(), hidden, width);
    if (bias) {
      if (ffn.getGated())
        w.vector((prefix + "gate_bias").str(), width);
      w.vector((prefix + "up_bias").str(), width);
      w.vector((prefix + "down_bias").str(), hidden);
    }
  };
  if (MoEAttr moe = block.getMoe()) {
    w.matrix("router", moe.getExperts(), hidden);
    for (int64_t e = 0; e < moe.getExperts(); ++e)
      mlp(("expert." + Twine(e) + ".").str(), moe.getIntermediate(), false);
    if (moe.getShared() > 0)
      mlp("shared.", moe.getSharedIntermediate(), false);
  } else {
    mlp("", ffn.getIntermediate(), ffn.getBias());
  }
  return std::move(w.list);
}

int64_t DecoderBlockOp::getKVFloatsPerToken() {
  AttentionAttr attn = getAttention();
  // MLA caches the expanded per-head keys and values, as HF does.
  return attn.getKvHeads() * (attn.getHeadDim() + attn.getValueHeadDim());
}

LogicalResult DecoderBlockOp::verify() {
  if (getInput().getType().getRank() != 2)
    return emitOpError() << "'input' must be [tokens, hidden], got "
                         << getInput().getType();
  if (ShapedType::isDynamic(getHiddenSize()))
    return emitOpError() << "the hidden size (input dimension 1) must be static";
  if (getLayerAttr().getInt() < 0)
    return emitOpError() << "'layer' must not be negative, got "
                         << getLayerAttr().getInt();

  NormPlacement placement = getPlacement();
  if ((placement == NormPlacement::DeepNorm) != getDeepnormAlpha().has_value())
    return emitOpError() << "'deepnorm_alpha' is required with deep_norm "
                            "placement and only then";
  if (getDeepnormAlpha() && !(getDeepnormAlpha()->convertToDouble() > 0.0)) {
    return emitOpError() << "'deepnorm_alpha' must be positive, got "
                         << formatNumber(getDeepnormAlpha()->convertToDouble());
  }
  if (getShape() == BlockShape::Parallel && placement != NormPlacement::Pre)
    return emitOpError() << "a parallel block normalises its input once for "
                            "both sublayers: 'placement' must be pre, got "
                         << stringifyNormPlacement(placement);
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
                         << " per position (kv_heads * (head_dim + value_dim))";

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
  llvm::StringSet<> expected;
  for (auto &[role, shape] : getExpectedWeights()) {
    expected.insert(role);
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
  for (NamedAttribute entry : weights)
    if (!expected.contains(entry.getName().getValue()))
      return emitOpError() << "unexpected weight role '"
                           << entry.getName().getValue()
                           << "' for this block's attributes";
  return success();
}

void DecoderBlockOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  effects.emplace_back(MemoryEffects::Read::get(), &getCacheMutable());
  effects.emplace_back(MemoryEffects::Write::get(), &getCacheMutable());
}
