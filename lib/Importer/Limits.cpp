//===- Limits.cpp - The bound of each integer field of a config -----------===//
#include "tfc/Importer/Limits.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir::tfc;

limits::FieldLimit limits::getFieldLimit(llvm::StringRef key) {
  // Every spelling the readers accept (HF attribute_map aliases, the model
  // card's names): a bound missing here would only fall back to kMaxInteger,
  // and the size checks after the readers still hold.
  return llvm::StringSwitch<FieldLimit>(key)
      .Cases({"num_hidden_layers", "n_layer", "n_layers", "num_layers",
              "repeat"},
             {kMaxLayers, "layers"})
      .Cases({"hidden_size", "n_embd", "n_embed", "d_model"},
             {kMaxHidden, "hidden size"})
      .Case("vocab_size", {kMaxVocab, "vocabulary"})
      .Cases({"num_attention_heads", "n_head", "n_heads", "heads",
              "num_key_value_heads", "num_kv_heads", "n_head_kv", "kv_heads"},
             {kMaxHeads, "heads"})
      .Cases({"head_dim", "qk_nope_head_dim", "qk_rope_head_dim",
              "v_head_dim"},
             {kMaxHeadDim, "head dims"})
      .Cases({"intermediate_size", "n_inner", "ffn_hidden_size",
              "moe_intermediate_size", "intermediate", "shared_intermediate",
              "q_lora_rank", "kv_lora_rank"},
             {kMaxWidth, "widths"})
      .Cases({"num_local_experts", "n_routed_experts", "experts",
              "num_experts_per_tok", "top_k", "n_shared_experts", "shared",
              "n_group", "topk_group"},
             {kMaxExperts, "experts"})
      .Cases({"max_position_embeddings", "n_positions", "max_positions",
              "trained_context", "seq_length", "max_seq_len", "sliding_window",
              "window", "original_max_position_embeddings",
              "original_max_positions"},
             {kMaxPositions, "positions"})
      .Default({kMaxInteger, ""});
}
