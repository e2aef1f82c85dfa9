//===- WeightBinding.h - Checkpoint-to-arena binding ------------*- C++ -*-===//

#ifndef TFC_RUNTIME_WEIGHTBINDING_H
#define TFC_RUNTIME_WEIGHTBINDING_H

#include <string>
#include <vector>

namespace tfc::runtime {

class Checkpoint;
struct Manifest;

/// Checks every tensor of `checkpoint` against `manifest` and appends one
/// line per problem (missing, unexpected, shape or dtype mismatch) to
/// `problems`. Returns true if there is none.
bool checkCheckpoint(const Manifest &manifest, const Checkpoint &checkpoint,
                     std::vector<std::string> &problems);

/// Converts every manifest weight from a checked `checkpoint` to f32 at its
/// offset in `arena` (manifest.arenaBytes bytes).
void copyWeightsToArena(const Manifest &manifest, const Checkpoint &checkpoint,
                        unsigned char *arena);

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
