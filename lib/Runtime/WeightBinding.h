//===- WeightBinding.h - Checkpoint tensors for manifest weights -*- C++ -*-=//

#ifndef TFC_RUNTIME_WEIGHTBINDING_H
#define TFC_RUNTIME_WEIGHTBINDING_H

#include <string>
#include <vector>

namespace tfc::runtime {

class Checkpoint;
struct Manifest;
struct TensorInfo;

/// Finds the checkpoint tensor of every manifest weight, applying the
/// base_model_prefix rule of ABI.md, into `tensors` (manifest order; null
/// where missing), and appends one line per problem (missing, unexpected,
/// shape mismatch, unsupported dtype) to `problems`. Tensors named by an
/// `optional` record are accepted and ignored. Returns true if there is no
/// problem.
bool resolveCheckpoint(const Manifest &manifest, const Checkpoint &checkpoint,
                       std::vector<const TensorInfo *> &tensors,
                       std::vector<std::string> &problems);

/// Whether `name` is a buffer that old checkpoints carry beside the weights
/// (rotary inverse frequencies, GPT-2 attention masks); these are not
/// reported as unexpected.
bool isIgnoredCheckpointTensor(const std::string &name);

/// "WHAT: PROBLEM" for one problem, else "WHAT: N problems:" and one
/// indented line per problem.
std::string formatProblems(const std::string &what,
                           const std::vector<std::string> &problems);

} // namespace tfc::runtime

#endif // TFC_RUNTIME_WEIGHTBINDING_H
