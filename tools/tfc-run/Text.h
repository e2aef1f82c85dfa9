//===- Text.h - tfc-run's text mode: sampling, EOS ids, perplexity --------===//

#ifndef TFC_TOOLS_TFC_RUN_TEXT_H
#define TFC_TOOLS_TFC_RUN_TEXT_H

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace tfc {
namespace run {

/// The sampler of --temperature/--top-k/--top-p/--min-p/--repeat-penalty.
/// Filters apply in llama.cpp's order (common_sampler's default chain):
/// repeat penalty, top-k, top-p, min-p, temperature, then a draw from the
/// softmax of what is left. Temperature 0 is greedy (argmax after the
/// penalty, lowest id on ties).
struct SamplingOptions {
  double temperature = 0.8;
  int64_t topK = 40;       // <= 0: off
  double topP = 0.95;      // >= 1: off
  double minP = 0.05;      // <= 0: off
  double repeatPenalty = 1.0; // 1: off
  int64_t repeatLastN = 64;   // tokens the penalty looks back over
  uint64_t seed = 0;
};

class Sampler {
public:
  explicit Sampler(const SamplingOptions &options)
      : options(options), rng(options.seed) {}
  /// Picks the next id from a row of logits; history is the prompt and the
  /// tokens generated so far (for the repeat penalty).
  int64_t sample(const float *logits, int64_t vocab,
                 const std::vector<int64_t> &history);

private:
  SamplingOptions options;
  std::mt19937_64 rng;
};

/// EOS ids of a checkpoint folder: `eos_token_id` (an int or a list) of
/// config.json and generation_config.json, both read when present.
std::vector<int64_t> readEosIds(const std::string &weightsPath);

/// The folder of a --weights PATH (itself when a directory).
std::string checkpointFolder(const std::string &weightsPath);

/// Reads a whole file; fails with its name.
std::string readFile(const std::string &path);

/// Sums of a perplexity run over the predicted tokens.
struct PerplexitySums {
  double crossEntropy = 0; // sum of log Z - logit[target]
  double zLoss = 0;        // sum of (log Z)^2
  int64_t tokens = 0;
  /// Adds the predictions of rows [0, n-1) of logits for tokens[1..n).
  void addWindow(const float *logits, int64_t vocab, const int64_t *tokens,
                 int64_t n);
};

} // namespace run
} // namespace tfc

#endif // TFC_TOOLS_TFC_RUN_TEXT_H
