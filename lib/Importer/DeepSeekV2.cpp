//===- DeepSeekV2.cpp - deepseek_v2: latent attention, shared-expert MoE --===//
//
// DeepSeek-V2 (docs/families.md section 16): multi-head latent attention with
// a decoupled RoPE key, dense MLPs in the first layers and a routed MoE plus
// shared experts after. Where HF's native port (modular_deepseek_v2.py) and
// DeepSeek's own modeling_deepseek.py (the published checkpoint's auto_map)
// differ, this follows the published reference and says so.
//
//===----------------------------------------------------------------------===//
#include "Families.h"

#include "tfc/Importer/Limits.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mlir;
using namespace mlir::tfc;

LogicalResult mlir::tfc::readDeepSeekV2(ConfigReader &c, BlockBuilder &b,
                                       ModelSpec &spec) {
  // DeepseekV2Config defaults.
  spec.vocabSize = c.getInt("vocab_size", 32000);
  spec.hiddenSize = c.getInt("hidden_size", 4096);
  int64_t intermediate = c.getInt("intermediate_size", 11008);
  int64_t layers = c.getInt("num_hidden_layers", 32);
  spec.trainedContext = c.getInt("max_position_embeddings", 2048);
  int64_t heads = c.getInt("num_attention_heads", 32);
  // Every MLA head gets its own key and value from kv_b_proj:
  // num_key_value_heads does not enter the computation.
  c.getInt("num_key_value_heads", heads);
  // DeepseekV2Config.__post_init__ overwrites head_dim with
  // qk_rope_head_dim; v5 writes it back out. Derived, never read.
  c.ignore({"head_dim"});

  // q_lora_rank: absent means the class default 1536; null means a plain
  // q_proj (DeepSeek-V2-Lite).
  int64_t qLoraRank =
      c.present("q_lora_rank") ? c.optInt("q_lora_rank").value_or(0) : 1536;
  int64_t kvLoraRank = c.getInt("kv_lora_rank", 512);
  int64_t qkNopeHeadDim = c.getInt("qk_nope_head_dim", 128);
  int64_t qkRopeHeadDim = c.getInt("qk_rope_head_dim", 64);
  int64_t vHeadDim = c.getInt("v_head_dim", 128);
  FieldOrigins &o = b.origins();
  for (llvm::StringRef key : {"q_lora_rank", "kv_lora_rank", "qk_nope_head_dim",
                              "qk_rope_head_dim", "v_head_dim",
                              "num_experts_per_tok"})
    o.bind(key, key);
  o.bind("heads", "num_attention_heads");
  o.bind("intermediate", "intermediate_size");
  o.bind("moe.intermediate", "moe_intermediate_size");
  o.bind("experts", "n_routed_experts");
  o.bind("top_k", "num_experts_per_tok");
  o.bind("shared", "n_shared_experts");
  o.bind("routed_scale", "routed_scaling_factor");
  o.bind("eps", "rms_norm_eps");

  double eps = c.getFloat("rms_norm_eps", 1e-6);
  // q_a_layernorm / kv_a_layernorm are built as DeepseekV2RMSNorm(rank),
  // eps 1e-6 whatever rms_norm_eps says; tfc's block normalises them with
  // the block's eps.
  if (eps != 1e-6)
    c.getDiags().warning(llvm::formatv(
        "field '{0}': {1:e} also becomes the eps of q_a_layernorm and "
        "kv_a_layernorm, which HF builds with the default 1e-6",
        c.where("rms_norm_eps"), eps));
  std::optional<Activation> act = readActivation(c, "hidden_act", "silu");
  bool tied = c.getBool("tie_word_embeddings", false);
  // attention_bias puts biases on q_a_proj, kv_a_proj_with_mqa and o_proj;
  // mlp_bias (HF only) on the dense and shared MLPs. tfc's MLA roles and MoE
  // experts have no biases.
  if (c.getBool("attention_bias", false))
    c.error("attention_bias",
            "biases on the MLA projections (q_a_proj, kv_a_proj_with_mqa, "
            "o_proj) are not supported: tfc's latent attention has no bias "
            "roles; accepted: false");
  if (c.getBool("mlp_bias", false))
    c.error("mlp_bias", "biases on the dense and shared-expert MLPs are not "
                        "supported with MoE layers; accepted: false");

  RopeDefaults ropeDefaults;
  // HF apply_rotary_emb: view_as_complex(x.reshape(..., -1, 2)) rotates the
  // pairs (2i, 2i+1) by position * theta^(-2i/d): tfc's interleaved style.
  // The remote code de-interleaves and then uses rotate_half, which rotates
  // the same pairs by the same angles but stores the result permuted; the
  // rotated q and k only meet in q.k, so a common permutation cancels.
  ropeDefaults.style = RopeStyle::Interleaved;
  ropeDefaults.note = " (DeepSeek-V2's yarn also multiplies the attention "
                      "scale by (0.1 * mscale_all_dim * ln(factor) + 1)^2; "
                      "tfc's RoPE has no yarn frequency ramp)";
  RopeAttr rope = readHFRope(c, b, ropeDefaults);

  // Routed experts. A null n_routed_experts makes every layer dense
  // (remote DeepseekV2DecoderLayer); absent means 64.
  bool anyMoE = !(c.present("n_routed_experts") && !c.has("n_routed_experts"));
  int64_t experts = anyMoE ? c.getInt("n_routed_experts", 64) : 0;
  int64_t firstDense = c.getInt("first_k_dense_replace", 0, 0);
  // Remote: MoE iff i >= first_k_dense_replace and i % moe_layer_freq == 0.
  // HF native ignores moe_layer_freq; the published configs all say 1.
  int64_t layerFreq = c.getInt("moe_layer_freq", 1);
  auto isMoE = [&](int64_t i) {
    return anyMoE && i >= firstDense && i % layerFreq == 0;
  };
  int64_t moeLayers = 0;
  for (int64_t i = 0; i < layers; ++i)
    moeLayers += isMoE(i);
  bool hasMoE = moeLayers > 0;

  struct {
    int64_t intermediate = 0, topK = 0, shared = 0, sharedIntermediate = 0;
    bool renormalize = false;
    std::optional<double> routedScale;
  } m;
  if (hasMoE) {
    checkExpertInstances(c, "n_routed_experts", experts, moeLayers);
    m.intermediate = c.getInt("moe_intermediate_size", 1407);
    // num_experts_per_tok defaults to None: without it HF's router cannot
    // run, so it is required once a layer is MoE.
    m.topK = c.requireInt("num_experts_per_tok");
    // n_shared_experts: one dense MLP of width moe_intermediate_size *
    // n_shared_experts (DeepseekV2MoE.shared_experts); null means none.
    m.shared = c.present("n_shared_experts") && !c.has("n_shared_experts")
                   ? 0
                   : c.getInt("n_shared_experts", 2, 0);
    m.sharedIntermediate = m.shared * m.intermediate; // both bounded
    if (m.sharedIntermediate > limits::kMaxWidth)
      c.error("n_shared_experts",
              llvm::formatv("n_shared_experts * moe_intermediate_size = {0} * "
                            "{1} is more than tfc's bound on widths, {2} "
                            "(docs/reliability.md)",
                            m.shared, m.intermediate, limits::kMaxWidth));

    // Router: softmax over all experts, then top-k.
    c.getChoice("scoring_func", "softmax", {"softmax"});
    std::string method = c.getString("topk_method", "greedy");
    std::optional<int64_t> groups = c.optInt("n_group");
    std::optional<int64_t> topkGroup = c.optInt("topk_group");
    if (method == "group_limited_greedy") {
      // Keeping every group masks nothing: the same choice as greedy.
      if (!groups || !topkGroup || *topkGroup != *groups)
        c.error("topk_method",
                llvm::formatv("\"group_limited_greedy\" with n_group = {0} and "
                              "topk_group = {1} is not supported: tfc's router "
                              "is a plain top-k over all experts; accepted: "
                              "\"greedy\" (or group_limited_greedy keeping "
                              "every group)",
                              groups ? std::to_string(*groups) : "null",
                              topkGroup ? std::to_string(*topkGroup) : "null"));
    } else if (method != "greedy") {
      c.error("topk_method",
              "unsupported value \"" + method + "\"; accepted: \"greedy\"");
    }

    // Remote MoEGate (the reference the checkpoints were published with):
    //   if top_k > 1 and norm_topk_prob: w /= sum(w) + 1e-20
    //   else:                            w *= routed_scaling_factor
    // HF native never renormalises and always scales.
    bool normTopK = c.getBool("norm_topk_prob", false);
    double routedScale = c.getFloat("routed_scaling_factor", 1.0);
    m.renormalize = normTopK && m.topK > 1;
    if (!m.renormalize && routedScale != 1.0)
      m.routedScale = routedScale;
    if (m.renormalize)
      c.getDiags().warning(
          "field '" + c.where("norm_topk_prob") +
          "': renormalising the top-k weights without routed_scaling_factor "
          "follows DeepSeek's modeling_deepseek.py; HF's native DeepseekV2Moe "
          "ignores norm_topk_prob and scales instead");
  } else {
    c.ignore({"moe_intermediate_size", "num_experts_per_tok",
              "n_shared_experts", "scoring_func", "topk_method", "n_group",
              "topk_group", "norm_topk_prob", "routed_scaling_factor"});
  }
  // Training-only router settings (aux loss) and expert parallelism.
  c.ignore({"aux_loss_alpha", "seq_aux", "ep_size", "output_router_logits",
            "router_aux_loss_coef"});
  if (!act || !rope || !c.getDiags().errors.empty())
    return failure();

  NormAttr norm = b.get<NormAttr>("norm", NormKind::RMSNorm, f64(eps),
                                  noF64(), false);
  MLAAttr mla = b.get<MLAAttr>("mla", qLoraRank, kvLoraRank, qkNopeHeadDim,
                               qkRopeHeadDim, vHeadDim);
  if (!norm || !mla)
    return failure();
  int64_t qkHeadDim = qkNopeHeadDim + qkRopeHeadDim;
  // DeepseekV2Attention.scaling = qk_head_dim ** -0.5 (no yarn mscale:
  // yarn is rejected above).
  AttentionAttr attn = b.get<AttentionAttr>(
      "attention", AttentionKind::MLA, heads, heads, qkHeadDim,
      optF64(1.0 / std::sqrt(static_cast<double>(qkHeadDim))), noInt(),
      noF64(), QKNorm::None, false, false, noF64(), mla);
  FFNAttr dense = b.get<FFNAttr>("ffn", *act, /*gated=*/true, intermediate,
                                 /*bias=*/false);
  if (!attn || !dense)
    return failure();
  FFNAttr expertFFN;
  MoEAttr moe;
  if (hasMoE) {
    expertFFN = b.get<FFNAttr>("ffn", *act, /*gated=*/true, m.intermediate,
                               /*bias=*/false);
    moe = b.get<MoEAttr>("moe", experts, m.topK, m.intermediate, m.shared,
                         m.sharedIntermediate, m.renormalize,
                         optF64(m.routedScale));
    if (!expertFFN || !moe)
      return failure();
  }
  setLlamaStyleEnds(spec, norm, tied);
  LayerSpec denseLayer = makeLayer(b, norm, rope, attn, dense);
  for (int64_t i = 0; i < layers; ++i) {
    if (!isMoE(i)) {
      spec.layers.push_back(denseLayer);
      continue;
    }
    LayerSpec l = makeLayer(b, norm, rope, attn, expertFFN);
    l.block.setMoe(moe);
    spec.layers.push_back(std::move(l));
  }
  return nameLayerWeights(spec, layouts::kDeepSeekV2, c.getDiags());
}
