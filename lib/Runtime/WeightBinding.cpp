//===- WeightBinding.cpp - Checkpoint tensors for manifest weights --------===//

#include "WeightBinding.h"
#include "Manifest.h"
#include "Safetensors.h"
#include "Support.h"

#include <unordered_set>

using namespace tfc::runtime;

static bool startsWith(const std::string &s, const std::string &prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

static bool endsWith(const std::string &s, const char *suffix) {
  std::string_view tail(suffix);
  return s.size() >= tail.size() &&
         s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool tfc::runtime::isIgnoredCheckpointTensor(const std::string &name) {
  // HF llama-family checkpoints saved before transformers 4.31 carry
  // rotary_emb.inv_freq; GPT-2 ones carry the causal mask buffers.
  return endsWith(name, "rotary_emb.inv_freq") ||
         endsWith(name, ".attn.bias") || endsWith(name, ".attn.masked_bias");
}

bool tfc::runtime::resolveCheckpoint(const Manifest &manifest,
                                     const Checkpoint &checkpoint,
                                     std::vector<const TensorInfo *> &tensors,
                                     std::vector<std::string> &problems) {
  size_t before = problems.size();
  std::vector<const TensorInfo *> byName = checkpoint.getTensorsByName();

  // Hugging Face's rule (PreTrainedModel._load_pretrained_model): a
  // checkpoint saved from the base model has no name with the prefix while
  // the full model's names have it; the prefix is then dropped from the
  // names that carry it, and the others are looked up as they are.
  const std::string &prefix = manifest.baseModelPrefix;
  bool strip = false;
  if (!prefix.empty()) {
    bool checkpointHasPrefix = false, manifestHasPrefix = false;
    for (const TensorInfo *tensor : byName)
      checkpointHasPrefix |= startsWith(tensor->name, prefix);
    for (const ManifestWeight &weight : manifest.weights)
      manifestHasPrefix |= startsWith(weight.name, prefix);
    strip = manifestHasPrefix && !checkpointHasPrefix;
  }
  auto lookupName = [&](const std::string &name) {
    return strip && startsWith(name, prefix) ? name.substr(prefix.size())
                                             : name;
  };

  std::unordered_set<std::string> used;
  tensors.assign(manifest.weights.size(), nullptr);
  for (size_t i = 0; i < manifest.weights.size(); ++i) {
    const ManifestWeight &weight = manifest.weights[i];
    std::string name = lookupName(weight.name);
    used.insert(name);
    std::string dtype = manifestDTypeName(weight.dtype);
    const TensorInfo *tensor = checkpoint.find(name);
    if (!tensor) {
      std::string how =
          name == weight.name
              ? ""
              : "the model's '" + weight.name +
                    "' without the base_model_prefix '" + prefix +
                    "', which no checkpoint tensor starts with; ";
      problems.push_back("missing tensor '" + name + "' (" + how +
                         "the model reads " + dtype + ", shape " +
                         formatShape(weight.shape) + ")");
      continue;
    }
    tensors[i] = tensor;
    if (tensor->shape != weight.shape)
      problems.push_back("shape mismatch for '" + name +
                         "': the checkpoint has " + formatShape(tensor->shape) +
                         ", the model expects " + formatShape(weight.shape));
    if (!isBindableDType(tensor->dtype))
      problems.push_back("dtype mismatch for '" + name +
                         "': unsupported dtype " + dtypeName(tensor->dtype) +
                         " in the checkpoint (the model reads " + dtype +
                         ", from F32, F16 or BF16)");
  }
  for (const std::string &name : manifest.optional)
    used.insert(lookupName(name));
  for (const TensorInfo *tensor : byName)
    if (!used.count(tensor->name) && !isIgnoredCheckpointTensor(tensor->name))
      problems.push_back("unexpected tensor '" + tensor->name + "' (" +
                         dtypeName(tensor->dtype) + ", shape " +
                         formatShape(tensor->shape) + ", in " + *tensor->path +
                         "): the model does not use it");
  return problems.size() == before;
}

std::string
tfc::runtime::formatProblems(const std::string &what,
                             const std::vector<std::string> &problems) {
  if (problems.size() == 1)
    return what + ": " + problems.front();
  std::string text =
      what + ": " + std::to_string(problems.size()) + " problems:";
  for (const std::string &problem : problems)
    text += "\n  " + problem;
  return text;
}
