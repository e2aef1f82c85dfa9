//===- WeightBinding.cpp - Checkpoint-to-arena binding --------------------===//

#include "WeightBinding.h"
#include "Manifest.h"
#include "Safetensors.h"
#include "Support.h"

#include <unordered_set>

using namespace tfc::runtime;

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

bool tfc::runtime::checkCheckpoint(const Manifest &manifest,
                                   const Checkpoint &checkpoint,
                                   std::vector<std::string> &problems) {
  size_t before = problems.size();
  std::unordered_set<std::string> used;
  for (const ManifestWeight &weight : manifest.weights) {
    used.insert(weight.name);
    const TensorInfo *tensor = checkpoint.find(weight.name);
    if (!tensor) {
      problems.push_back("missing tensor '" + weight.name +
                         "' (the model reads " + weight.dtype + ", shape " +
                         formatShape(weight.shape) + ")");
      continue;
    }
    if (tensor->shape != weight.shape)
      problems.push_back("shape mismatch for '" + weight.name +
                         "': the checkpoint has " + formatShape(tensor->shape) +
                         ", the model expects " + formatShape(weight.shape));
    if (!isConvertibleToF32(tensor->dtype))
      problems.push_back("dtype mismatch for '" + weight.name +
                         "': unsupported dtype " + dtypeName(tensor->dtype) +
                         " in the checkpoint (the model reads " + weight.dtype +
                         ", converted from F32, F16 or BF16)");
  }
  for (const TensorInfo *tensor : checkpoint.getTensorsByName())
    if (!used.count(tensor->name) && !isIgnoredCheckpointTensor(tensor->name))
      problems.push_back("unexpected tensor '" + tensor->name + "' (" +
                         dtypeName(tensor->dtype) + ", shape " +
                         formatShape(tensor->shape) + ", in " + *tensor->path +
                         "): the model does not use it");
  return problems.size() == before;
}

void tfc::runtime::copyWeightsToArena(const Manifest &manifest,
                                      const Checkpoint &checkpoint,
                                      unsigned char *arena) {
  for (const ManifestWeight &weight : manifest.weights) {
    const TensorInfo *tensor = checkpoint.find(weight.name);
    convertToF32(tensor->dtype, tensor->data,
                 reinterpret_cast<float *>(arena + weight.offset),
                 static_cast<size_t>(weight.numElements));
  }
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
