//===- GPTFamilies.cpp - gpt2, gpt_neox, phi, falcon, bloom, mpt ----------===//
//
// The families that predate llama's layout: LayerNorm (with or without bias),
// plain (non-gated) MLPs, fused QKV projections in three row orders, learned
// absolute positions (gpt2), ALiBi (bloom, mpt), partial RoPE (gpt_neox,
// phi) and parallel blocks (gpt_neox, phi, falcon). Defaults are those of the
// HF configuration classes (configuration_<family>.py); docs/families.md
// sections 8-13 give the computation and the tensor names.
//
// Tensor names are those `save_pretrained` of the *ForCausalLM class writes
// (its base_model_prefix included: `transformer.`, `gpt_neox.`, `model.`).
// The published gpt2 and bigscience bloom files were saved from the base
// model and lack the `transformer.` prefix (docs/families.md 0.7): each
// reader sets spec.baseModelPrefix, and the runtime looks names up without
// it when the checkpoint has none (docs/ABI.md).
//
//===----------------------------------------------------------------------===//
#include "Families.h"

#include "tfc/Importer/Limits.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstdio>

using namespace mlir;
using namespace mlir::tfc;


/// A LayerNorm (with or without bias) of these fields.
static NormAttr layerNorm(BlockBuilder &b, double eps, bool bias) {
  return b.get<NormAttr>("norm", NormKind::LayerNorm, f64(eps), noF64(),
                         bias);
}

/// The model-level LayerNorm `<name>.weight` (and `.bias`).
static NormSpec namedNorm(NormAttr norm, const std::string &name) {
  return NormSpec{norm, name + ".weight", norm.getBias() ? name + ".bias" : ""};
}

/// Attention of `heads` heads over `kvHeads` key/value heads.
static AttentionAttr attention(BlockBuilder &b, int64_t heads, int64_t kvHeads,
                               int64_t headDim, bool bias,
                               std::optional<double> scale = std::nullopt,
                               std::optional<double> clip = std::nullopt) {
  return b.get<AttentionAttr>("attention", attentionKind(heads, kvHeads),
                              heads, kvHeads, headDim, optF64(scale),
                              noInt(), noF64(), QKNorm::None, bias,
                              bias, optF64(clip), MLAAttr());
}

/// Binds the parameters readSizes does not to the fields they came from.
static void bindShape(BlockBuilder &b, Aliased heads, llvm::StringRef kvKey,
                      llvm::StringRef intermediateKey, llvm::StringRef epsKey) {
  FieldOrigins &o = b.origins();
  o.bind("kv_heads", kvKey.empty() ? heads.key : kvKey);
  o.bind("intermediate", intermediateKey);
  o.bind("eps", epsKey);
}

//===----------------------------------------------------------------------===//
// gpt2
//===----------------------------------------------------------------------===//

LogicalResult mlir::tfc::readGPT2(ConfigReader &c, BlockBuilder &b,
                                  ModelSpec &spec) {
  // GPT2Config defaults; attribute_map: hidden_size -> n_embd,
  // num_hidden_layers -> n_layer, num_attention_heads -> n_head,
  // max_position_embeddings -> n_positions.
  auto [hidden, layers, heads, headDim] =
      readSizes(c, b, spec,
                {50257, {"n_embd", "hidden_size"}, 768,
                 {"n_layer", "num_hidden_layers"}, 12,
                 {"n_head", "num_attention_heads"}, 12});
  Aliased positions =
      readAliasedInt(c, {"n_positions", "max_position_embeddings"}, 1024);
  // GPT2MLP: n_inner if not None else 4 * hidden_size.
  int64_t inner = c.getInt("n_inner", 4 * hidden.value);
  std::optional<Activation> act =
      readActivation(c, "activation_function", "gelu_new");
  double eps = c.getFloat("layer_norm_epsilon", 1e-5);
  bool tied = c.getBool("tie_word_embeddings", true);
  // GPT2Attention._attn: scores / sqrt(head_dim) when scale_attn_weights,
  // then / (layer_idx + 1) when scale_attn_by_inverse_layer_idx.
  bool scaleByHeadDim = c.getBool("scale_attn_weights", true);
  bool scaleByLayer = c.getBool("scale_attn_by_inverse_layer_idx", false);
  if (c.getBool("add_cross_attention", false))
    c.error("add_cross_attention",
            "cross-attention (an encoder-decoder GPT-2) is not supported: tfc "
            "compiles decoder-only models; accepted: false");
  // Upcasting to f32 changes no math at f32.
  c.ignore({"reorder_and_upcast_attn"});
  bindShape(b, heads, "", "n_inner", "layer_norm_epsilon");
  if (!act || !c.getDiags().errors.empty())
    return failure();

  spec.baseModelPrefix = "transformer."; // GPT2PreTrainedModel
  spec.embedding = "transformer.wte.weight";
  spec.absolutePosition = AbsolutePosition::Learned;
  spec.positionTable = "transformer.wpe.weight";
  spec.maxPositions = positions.value;
  // n_positions is both the table's rows and the trained context.
  spec.trainedContext = positions.value;
  NormAttr norm = layerNorm(b, eps, true);
  FFNAttr ffn = b.get<FFNAttr>("ffn", *act, /*gated=*/false, inner,
                               /*bias=*/true);
  if (!norm || !ffn)
    return failure();
  spec.finalNorm = namedNorm(norm, "transformer.ln_f");
  // GPT2LMHeadModel ties lm_head to wte; the published files have no
  // lm_head.weight, some re-saves do.
  setLMHead(spec, tied, "lm_head.weight");
  MLIRContext *ctx = b.getContext();
  for (int64_t i = 0; i < layers.value; ++i) {
    std::optional<double> scale;
    if (!scaleByHeadDim || scaleByLayer) {
      scale = scaleByHeadDim ? 1.0 / std::sqrt(static_cast<double>(headDim))
                             : 1.0;
      if (scaleByLayer)
        *scale /= static_cast<double>(i + 1);
    }
    AttentionAttr attn =
        attention(b, heads.value, heads.value, headDim, true, scale);
    if (!attn)
      return failure();
    LayerSpec l = makeLayer(b, norm, NoPositionAttr::get(ctx), attn, ffn);
    // Conv1D stores [in, out]; c_attn's output is q | k | v, each the heads
    // in order (GPT2Attention: c_attn(x).split(split_size, dim=2)).
    l.block.setLayout(WeightLayoutAttr::get(ctx, WeightLayout::InOut));
    l.block.setQkvPacking(QKVPackingAttr::get(ctx, QKVPacking::Concat));
    spec.layers.push_back(std::move(l));
  }
  return nameLayerWeights(spec, layouts::kGPT2, c.getDiags());
}

//===----------------------------------------------------------------------===//
// gpt_neox
//===----------------------------------------------------------------------===//

LogicalResult mlir::tfc::readGPTNeoX(ConfigReader &c, BlockBuilder &b,
                                     ModelSpec &spec) {
  auto [hidden, layers, heads, headDim] =
      readSizes(c, b, spec,
                {50432, {"hidden_size"}, 6144, {"num_hidden_layers"}, 44,
                 {"num_attention_heads"}, 64});
  int64_t intermediate = c.getInt("intermediate_size", 24576);
  std::optional<Activation> act = readActivation(c, "hidden_act", "gelu");
  double eps = c.getFloat("layer_norm_eps", 1e-5);
  bool parallel = c.getBool("use_parallel_residual", true);
  // GPTNeoXAttention: query_key_value and dense have bias=attention_bias;
  // GPTNeoXMLP's linears always have a bias.
  bool attnBias = c.getBool("attention_bias", true);
  bool tied = c.getBool("tie_word_embeddings", false);
  spec.trainedContext = c.getInt("max_position_embeddings", 2048);
  bindShape(b, heads, "", "intermediate_size", "layer_norm_eps");

  // 4.x: rotary_emb_base / rotary_pct (the config also stores them as
  // rope_theta / partial_rotary_factor, and rotary_* win when both are
  // written); v5: rope_parameters.
  RopeDefaults ropeDefaults;
  ropeDefaults.fraction =
      readRotaryFraction(c, b, {"rotary_pct", "partial_rotary_factor"})
          .value_or(0.25);
  if (ropeDefaults.fraction == 1.0)
    ropeDefaults.fraction.reset();
  if (c.has("rope_parameters")) {
    c.ignore({"rotary_emb_base"});
  } else if (c.has("rotary_emb_base")) {
    ropeDefaults.thetaKey = "rotary_emb_base";
    c.ignore({"rope_theta"});
  }
  RopeAttr rope = readHFRope(c, b, ropeDefaults);
  if (!act || !rope || !c.getDiags().errors.empty())
    return failure();

  spec.baseModelPrefix = "gpt_neox."; // GPTNeoXPreTrainedModel
  spec.embedding = "gpt_neox.embed_in.weight";
  NormAttr norm = layerNorm(b, eps, true);
  FFNAttr ffn = b.get<FFNAttr>("ffn", *act, /*gated=*/false, intermediate,
                               /*bias=*/true);
  AttentionAttr attn = attention(b, heads.value, heads.value, headDim, attnBias);
  if (!norm || !ffn || !attn)
    return failure();
  spec.finalNorm = namedNorm(norm, "gpt_neox.final_layer_norm");
  setLMHead(spec, tied, "embed_out.weight");
  MLIRContext *ctx = b.getContext();
  LayerSpec l = makeLayer(b, norm, rope, attn, ffn);
  // Parallel: x + attn(ln1(x)) + mlp(ln2(x)), two norms.
  if (parallel)
    l.block.setShape(BlockShapeAttr::get(ctx, BlockShape::Parallel));
  // query_key_value output viewed as [heads, 3 * head_dim]: q, k, v of
  // each head together (GPTNeoXAttention), i.e. groups of one.
  l.block.setQkvPacking(QKVPackingAttr::get(ctx, QKVPacking::Grouped));
  spec.layers.assign(layers.value, l);
  return nameLayerWeights(spec, layouts::kGPTNeoX, c.getDiags());
}

//===----------------------------------------------------------------------===//
// phi
//===----------------------------------------------------------------------===//

LogicalResult mlir::tfc::readPhi(ConfigReader &c, BlockBuilder &b,
                                 ModelSpec &spec) {
  auto [hidden, layers, heads, headDim] =
      readSizes(c, b, spec,
                {51200, {"hidden_size"}, 2048, {"num_hidden_layers"}, 24,
                 {"num_attention_heads"}, 32});
  int64_t intermediate = c.getInt("intermediate_size", 8192);
  int64_t kvHeads = c.getInt("num_key_value_heads", heads.value);
  std::optional<Activation> act = readActivation(c, "hidden_act", "gelu_new");
  double eps = c.getFloat("layer_norm_eps", 1e-5);
  bool tied = c.getBool("tie_word_embeddings", false);
  spec.trainedContext = c.getInt("max_position_embeddings", 2048);
  bindShape(b, heads, "num_key_value_heads", "intermediate_size",
            "layer_norm_eps");
  RopeDefaults ropeDefaults;
  ropeDefaults.fraction =
      readRotaryFraction(c, b, {"partial_rotary_factor"}).value_or(0.5);
  if (ropeDefaults.fraction == 1.0)
    ropeDefaults.fraction.reset();
  RopeAttr rope = readHFRope(c, b, ropeDefaults);
  // PhiAttention: q_layernorm / k_layernorm are nn.LayerNorm(head_dim) with
  // a bias; tfc's qk_norm is an RMSNorm without bias.
  if (c.getBool("qk_layernorm", false))
    c.error("qk_layernorm",
            "qk_layernorm = true is not supported: phi normalises queries and "
            "keys with a LayerNorm with bias per head, and tfc's qk_norm is an "
            "RMSNorm; accepted: false");
  if (!act || !rope || !c.getDiags().errors.empty())
    return failure();

  spec.baseModelPrefix = "model."; // PhiPreTrainedModel
  spec.embedding = "model.embed_tokens.weight";
  NormAttr norm = layerNorm(b, eps, true);
  FFNAttr ffn = b.get<FFNAttr>("ffn", *act, /*gated=*/false, intermediate,
                               /*bias=*/true);
  AttentionAttr attn = attention(b, heads.value, kvHeads, headDim, true);
  if (!norm || !ffn || !attn)
    return failure();
  spec.finalNorm = namedNorm(norm, "model.final_layernorm");
  // PhiForCausalLM: lm_head = nn.Linear(hidden, vocab, bias=True); a tie
  // shares the weight only.
  setLMHead(spec, tied, "lm_head.weight");
  spec.lmHeadBias = "lm_head.bias";
  MLIRContext *ctx = b.getContext();
  LayerSpec l = makeLayer(b, norm, rope, attn, ffn);
  // PhiDecoderLayer: n = input_layernorm(x); x + attn(n) + mlp(n).
  l.block.setShape(BlockShapeAttr::get(ctx, BlockShape::Parallel));
  l.block.setSharedNorm(UnitAttr::get(ctx));
  spec.layers.assign(layers.value, l);
  return nameLayerWeights(spec, layouts::kPhi, c.getDiags());
}

//===----------------------------------------------------------------------===//
// falcon
//===----------------------------------------------------------------------===//

LogicalResult mlir::tfc::readFalcon(ConfigReader &c, BlockBuilder &b,
                                    ModelSpec &spec) {
  // FalconConfig defaults. hidden_size also accepts the legacy `n_embed`
  // (FalconConfig.__init__); n_head / n_layer / n_head_kv are the RW
  // remote-code spellings (docs/families.md 11).
  auto [hidden, layers, heads, headDim] =
      readSizes(c, b, spec,
                {65024, {"hidden_size", "n_embed"}, 4544,
                 {"num_hidden_layers", "n_layer"}, 32,
                 {"num_attention_heads", "n_head"}, 71});
  bool newArch = c.getBool("new_decoder_architecture", false);
  bool multiQuery = c.getBool("multi_query", true);
  bool parallelAttn = c.getBool("parallel_attn", true);
  bool bias = c.getBool("bias", false);
  bool alibi = c.getBool("alibi", false);
  double eps = c.getFloat("layer_norm_epsilon", 1e-5);
  int64_t ffn = c.getInt("ffn_hidden_size", 4 * hidden.value);
  std::optional<Activation> act = readActivation(c, "activation", "gelu");
  bool tied = c.getBool("tie_word_embeddings", true);
  std::optional<int64_t> numLn = c.optInt("num_ln_in_parallel_attn");
  // FalconConfig: max_position_embeddings = 2048 (the published files,
  // written before RoPE scaling was added, leave it out).
  spec.trainedContext = c.getInt("max_position_embeddings", 2048);

  // FalconAttention.num_kv_heads: num_kv_heads (default heads) with the new
  // architecture or without multi_query; one K/V head otherwise.
  Aliased kvKey = readAliasedInt(c, {"num_kv_heads", "n_head_kv"}, heads.value);
  int64_t kvHeads = kvKey.value;
  bindShape(b, heads, kvKey.key, "ffn_hidden_size", "layer_norm_epsilon");
  if (newArch) {
    // Any kv_heads dividing the heads (the verifier's rule).
  } else if (multiQuery) {
    b.origins().bind("kv_heads", "multi_query");
    kvHeads = 1;
  } else if (kvHeads != heads.value) {
    // The old layout packs q, k, v per head ([3 * hidden, hidden]); HF
    // reshapes its keys to num_kv_heads heads, which only fits kv = heads.
    c.error(kvKey.key,
            llvm::formatv("{0} = {1} needs new_decoder_architecture: without "
                          "it and without multi_query every head has its own "
                          "key and value ({2} = {3})",
                          kvKey.key, kvHeads, heads.key, heads.value));
  }

  // FalconDecoderLayer. New architecture: parallel, with ln_attn / ln_mlp
  // (num_ln_in_parallel_attn null or 2) or one input_layernorm (1). Old
  // architecture: one shared input_layernorm when parallel_attn, else
  // input_layernorm + post_attention_layernorm, serial.
  enum class Norms { Shared, Two, Serial } norms = Norms::Serial;
  if (newArch) {
    // HF < 4.40 makes every new-architecture block parallel; later releases
    // fail to build one with parallel_attn false and two norms, and compute
    // nothing sensible with one: accept the former, reject the latter.
    int64_t n = numLn.value_or(2);
    if (n != 1 && n != 2)
      c.error("num_ln_in_parallel_attn",
              llvm::formatv("value {0} is not supported; accepted: 1 or 2 "
                            "(or null, meaning 2)",
                            n));
    else if (n == 1 && !parallelAttn)
      c.error("num_ln_in_parallel_attn",
              "num_ln_in_parallel_attn = 1 needs parallel_attn = true (HF "
              "FalconDecoderLayer has no serial form with one norm)");
    norms = n == 1 ? Norms::Shared : Norms::Two;
  } else if (parallelAttn) {
    if (numLn == 2)
      c.error("num_ln_in_parallel_attn",
              "num_ln_in_parallel_attn = 2 needs new_decoder_architecture "
              "(the old architecture's forward reads one input_layernorm)");
    norms = Norms::Shared;
  }

  // FalconAttention (alibi path): scores = (q.k + alibi) / sqrt(head_dim),
  // with bf16-rounded slopes; tfc's ALiBi bias is added after the scale.
  if (alibi)
    c.error("alibi",
            "alibi = true is not supported: falcon scales the ALiBi bias by "
            "1/sqrt(head_dim) together with q.k (and rounds the slopes to "
            "bf16), while tfc's #tfc.alibi adds slope * j to the already "
            "scaled scores; accepted: false");
  RopeAttr rope = readHFRope(c, b, RopeDefaults());
  // Not read by HF's FalconConfig; published files carry false. The RW
  // remote code took the residual from the normalised input when true.
  if (c.getBool("apply_residual_connection_post_layernorm", false))
    c.error("apply_residual_connection_post_layernorm",
            "a residual taken from the normalised input is not supported (HF "
            "FalconModel ignores this field); accepted: false");
  if (!act || !rope || !c.getDiags().errors.empty())
    return failure();

  spec.baseModelPrefix = "transformer."; // FalconPreTrainedModel
  spec.embedding = "transformer.word_embeddings.weight";
  NormAttr norm = layerNorm(b, eps, true);
  FFNAttr mlp = b.get<FFNAttr>("ffn", *act, /*gated=*/false, ffn, bias);
  AttentionAttr attn = attention(b, heads.value, kvHeads, headDim, bias);
  if (!norm || !mlp || !attn)
    return failure();
  spec.finalNorm = namedNorm(norm, "transformer.ln_f");
  // Tied by default (FalconForCausalLM._tied_weights_keys); some files also
  // store an identical lm_head.weight, which HF ignores.
  setLMHead(spec, tied, "lm_head.weight");
  MLIRContext *ctx = b.getContext();
  LayerSpec l = makeLayer(b, norm, rope, attn, mlp);
  if (norms != Norms::Serial)
    l.block.setShape(BlockShapeAttr::get(ctx, BlockShape::Parallel));
  if (norms == Norms::Shared)
    l.block.setSharedNorm(UnitAttr::get(ctx));
  // FalconAttention._split_heads: new architecture view(kv, heads/kv + 2,
  // hd) (grouped); old multi_query view(heads + 2, hd) (all q, then the
  // one k, then the one v); old MHA view(heads, 3, hd) (groups of one).
  l.block.setQkvPacking(QKVPackingAttr::get(
      ctx, !newArch && multiQuery ? QKVPacking::Concat : QKVPacking::Grouped));
  spec.layers.assign(layers.value, l);
  // Two norms are ln_attn / ln_mlp; one or a serial pair keep bloom's names.
  return nameLayerWeights(spec,
                          norms == Norms::Two ? layouts::kFalconTwoNorms
                                              : layouts::kBloom,
                          c.getDiags());
}

//===----------------------------------------------------------------------===//
// bloom
//===----------------------------------------------------------------------===//

LogicalResult mlir::tfc::readBloom(ConfigReader &c, BlockBuilder &b,
                                   ModelSpec &spec) {
  // BloomConfig defaults (a tiny test model: 64 wide, 2 layers, 8 heads);
  // attribute_map num_hidden_layers -> n_layer, num_attention_heads ->
  // n_head; hidden_size also accepts the legacy `n_embed`.
  auto [hidden, layers, heads, headDim] =
      readSizes(c, b, spec,
                {250880, {"hidden_size", "n_embed"}, 64,
                 {"n_layer", "num_hidden_layers"}, 2,
                 {"n_head", "num_attention_heads"}, 8});
  double eps = c.getFloat("layer_norm_epsilon", 1e-5);
  bool tied = c.getBool("tie_word_embeddings", true);
  // BloomBlock: residual = layernorm_output if
  // apply_residual_connection_post_layernorm else hidden_states, for both
  // sublayers.
  bool normedResidual =
      c.getBool("apply_residual_connection_post_layernorm", false);
  b.origins().bind("placement", "apply_residual_connection_post_layernorm");
  // BloomMLP hard-codes 4 * hidden_size and never reads n_inner; the tensor
  // parallel slicing (pretraining_tp, slow_but_exact) is the same sum; the
  // rest are Megatron training settings.
  c.ignore({"n_inner", "slow_but_exact", "offset_alibi", "skip_bias_add",
            "skip_bias_add_qkv", "masked_softmax_fusion",
            "attention_softmax_in_fp32", "bias_dropout_fusion",
            "unk_token_id"});
  bindShape(b, heads, "", hidden.key, "layer_norm_epsilon");
  if (!c.getDiags().errors.empty())
    return failure();

  spec.baseModelPrefix = "transformer."; // BloomPreTrainedModel
  // BloomConfig has no trained length (ALiBi extrapolates); Megatron-era
  // files may still carry their training `seq_length`.
  spec.trainedContext = c.getInt("seq_length", 0, 0);
  spec.embedding = "transformer.word_embeddings.weight";
  NormAttr norm = layerNorm(b, eps, true);
  // BloomGelu -> bloom_gelu_forward: the tanh approximation.
  FFNAttr ffn = b.get<FFNAttr>("ffn", Activation::GELUTanh, /*gated=*/false,
                               4 * hidden.value, /*bias=*/true);
  AttentionAttr attn = attention(b, heads.value, heads.value, headDim, true);
  if (!norm || !ffn || !attn)
    return failure();
  spec.embeddingNorm = namedNorm(norm, "transformer.word_embeddings_layernorm");
  spec.finalNorm = namedNorm(norm, "transformer.ln_f");
  setLMHead(spec, tied, "lm_head.weight");
  MLIRContext *ctx = b.getContext();
  // build_alibi_tensor: slopes 2^(-8 (h+1) / n), interleaved for n not a
  // power of two; added unscaled to scale * q.k (BloomAttention baddbmm).
  LayerSpec l = makeLayer(b, norm, AlibiAttr::get(ctx, f64(8.0)), attn, ffn);
  // BloomAttention._split_heads: view(heads, 3, head_dim).
  l.block.setQkvPacking(QKVPackingAttr::get(ctx, QKVPacking::Grouped));
  if (normedResidual)
    l.block.setPlacement(
        NormPlacementAttr::get(ctx, NormPlacement::PreNormedResidual));
  spec.layers.assign(layers.value, l);
  return nameLayerWeights(spec, layouts::kBloom, c.getDiags());
}

//===----------------------------------------------------------------------===//
// mpt
//===----------------------------------------------------------------------===//

LogicalResult mlir::tfc::readMPT(ConfigReader &c, BlockBuilder &b,
                                 ModelSpec &spec) {
  // MptConfig defaults; attribute_map hidden_size -> d_model,
  // num_attention_heads -> n_heads, num_hidden_layers -> n_layers.
  auto [hidden, layers, heads, headDim] =
      readSizes(c, b, spec,
                {50368, {"d_model", "hidden_size"}, 2048,
                 {"n_layers", "num_hidden_layers"}, 24,
                 {"n_heads", "num_attention_heads"}, 16});
  int64_t maxSeqLen = c.getInt("max_seq_len", 2048);
  double eps = c.getFloat("layer_norm_epsilon", 1e-5);
  // HF MptModel hard-codes bias=False and removes the LayerNorm biases; the
  // reference (llm-foundry) keeps every bias when no_bias is false.
  bool bias = !c.getBool("no_bias", true);
  // llm-foundry: low_precision_layernorm is LayerNorm run in the autocast
  // dtype, the same math at f32. HF builds nn.LayerNorm for any value.
  c.getChoice("norm_type", "low_precision_layernorm",
              {"low_precision_layernorm", "layernorm"});
  bool tied = c.getBool("tie_word_embeddings", true);
  bool learnedPos = c.getBool("learned_pos_emb", true);
  // HF's MptMLP hard-codes 4 * d_model; llm-foundry uses expansion_ratio
  // (resolve_ffn_hidden_size: an error unless d_model * ratio is whole).
  double ratio = c.getFloat("expansion_ratio", 4.0);
  double width = static_cast<double>(hidden.value) * ratio;
  // Bounded before the cast: a double past int64_t's range casts to UB.
  int64_t intermediate = width <= static_cast<double>(limits::kMaxWidth)
                             ? static_cast<int64_t>(width)
                             : 0;
  if (width > static_cast<double>(limits::kMaxWidth))
    c.error("expansion_ratio",
            llvm::formatv("d_model * expansion_ratio = {0} * {1} is more than "
                          "tfc's bound on widths, {2} (docs/reliability.md)",
                          hidden.value, formatNumber(ratio), limits::kMaxWidth));
  else if (static_cast<double>(intermediate) != width)
    c.error("expansion_ratio",
            llvm::formatv("d_model * expansion_ratio = {0} * {1} is not a "
                          "whole number",
                          hidden.value, formatNumber(ratio)));
  if (const llvm::json::Object *ffnConfig = c.optObject("ffn_config")) {
    ConfigReader f(*ffnConfig, c.getDiags(), c.where("ffn_config"));
    f.getChoice("ffn_type", "mptmlp", {"mptmlp"});
    f.warnUnknown();
  }
  // MPTForCausalLM (llm-foundry) multiplies the logits by logit_scale; HF
  // ignores it; tfc has no logit scale.
  if (c.has("logit_scale"))
    c.error("logit_scale", "a logit scale is not supported; accepted: null");
  // Training only: embedding_fraction scales the gradient, not the value.
  c.ignore({"embedding_fraction", "emb_pdrop", "init_config", "init_device",
            "verbose", "tokenizer_name", "fc_type", "use_pad_tok_in_ffn"});

  bindShape(b, heads, "", "expansion_ratio", "layer_norm_epsilon");
  bool alibi = true;
  double alibiMaxBias = 8.0;
  std::optional<double> scale, clip;
  if (const llvm::json::Object *attnConfig = c.optObject("attn_config")) {
    ConfigReader a(*attnConfig, c.getDiags(), c.where("attn_config"));
    // HF MptAttention is multi-head only (Wqkv [3 * d_model, d_model]).
    a.getChoice("attn_type", "multihead_attention", {"multihead_attention"});
    alibi = a.getBool("alibi", true);
    alibiMaxBias = a.getFloat("alibi_bias_max", 8.0);
    scale = a.optFloat("softmax_scale");
    // llm-foundry: Wqkv output clamped to [-clip_qkv, clip_qkv].
    clip = a.optFloat("clip_qkv");
    FieldOrigins &o = b.origins();
    o.bind("max_bias", a.where("alibi_bias_max"));
    o.bind("scale", a.where("softmax_scale"));
    o.bind("clip_qkv", a.where("clip_qkv"));
    if (a.getBool("qk_ln", false))
      a.error("qk_ln", "qk_ln = true is not supported: mpt normalises q and k "
                       "with a LayerNorm over d_model, and tfc's qk_norm is an "
                       "RMSNorm; accepted: false");
    if (a.getBool("qk_gn", false))
      a.error("qk_gn", "qk_gn = true is not supported; accepted: false");
    if (a.getBool("rope", false))
      a.error("rope", "rope = true is not supported for mpt; accepted: false");
    if (a.getInt("sliding_window_size", -1, -1) != -1)
      a.error("sliding_window_size",
              "a sliding window is not supported for mpt; accepted: -1");
    // llm-foundry generates with the whole prompt as a bidirectional prefix
    // when prefix_lm is set; every tfc attention is causal.
    if (a.getBool("prefix_lm", false))
      a.error("prefix_lm", "prefix_lm = true (a bidirectional prompt) is not "
                           "supported: tfc attention is causal; accepted: "
                           "false");
    // Sequence ids only separate packed training sequences; attn_impl picks
    // a kernel.
    a.ignore({"attn_uses_sequence_id", "attn_impl", "attn_pdrop"});
    a.warnUnknown();
  }
  if (!c.getDiags().errors.empty())
    return failure();

  spec.baseModelPrefix = "transformer."; // MptPreTrainedModel
  spec.trainedContext = maxSeqLen;
  spec.embedding = "transformer.wte.weight";
  // llm-foundry: ALiBi (or RoPE) turns learned_pos_emb off (MPTConfig); with
  // neither, learned_pos_emb adds transformer.wpe [max_seq_len, d_model].
  // HF's MptModel always applies ALiBi and has no wpe.
  if (!alibi && learnedPos) {
    spec.absolutePosition = AbsolutePosition::Learned;
    spec.positionTable = "transformer.wpe.weight";
    spec.maxPositions = maxSeqLen;
  }
  NormAttr norm = layerNorm(b, eps, bias);
  // MptMLP: nn.GELU(approximate="none").
  FFNAttr ffn = b.get<FFNAttr>("ffn", Activation::GELU, /*gated=*/false,
                               intermediate, bias);
  AttentionAttr attn =
      attention(b, heads.value, heads.value, headDim, bias, scale, clip);
  MLIRContext *ctx = b.getContext();
  Attribute position = alibi ? Attribute(AlibiAttr::get(ctx, f64(alibiMaxBias)))
                             : NoPositionAttr::get(ctx);
  if (!norm || !ffn || !attn)
    return failure();
  spec.finalNorm = namedNorm(norm, "transformer.norm_f");
  // MPTForCausalLM reads logits through wte (no lm_head tensor).
  setLMHead(spec, tied, "lm_head.weight");
  LayerSpec l = makeLayer(b, norm, position, attn, ffn);
  // MptAttention: Wqkv(x).chunk(3): all q, then all k, then all v.
  l.block.setQkvPacking(QKVPackingAttr::get(ctx, QKVPacking::Concat));
  spec.layers.assign(layers.value, l);
  return nameLayerWeights(spec, layouts::kMPT, c.getDiags());
}
