//===- Text.cpp - tfc-run's text mode: sampling, EOS ids, perplexity ------===//

#include "Text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unordered_set>

namespace tfc {
namespace run {

int64_t Sampler::sample(const float *logits, int64_t vocab,
                        const std::vector<int64_t> &history) {
  std::vector<double> values(logits, logits + vocab);
  // Repeat penalty as llama.cpp and HF's RepetitionPenaltyLogitsProcessor:
  // a seen token's positive logit is divided by the penalty, a negative one
  // multiplied, once per distinct token of the last repeatLastN.
  if (options.repeatPenalty != 1.0) {
    std::unordered_set<int64_t> seen;
    size_t from = history.size() > static_cast<size_t>(options.repeatLastN)
                      ? history.size() - options.repeatLastN
                      : 0;
    for (size_t i = from; i < history.size(); ++i)
      if (history[i] >= 0 && history[i] < vocab && seen.insert(history[i]).second) {
        double &v = values[history[i]];
        v = v > 0 ? v / options.repeatPenalty : v * options.repeatPenalty;
      }
  }
  if (options.temperature <= 0)
    return std::max_element(values.begin(), values.end()) - values.begin();

  // Candidates by descending logit, lowest id first on ties.
  std::vector<int64_t> ids(vocab);
  std::iota(ids.begin(), ids.end(), 0);
  auto byLogit = [&](int64_t a, int64_t b) {
    return values[a] != values[b] ? values[a] > values[b] : a < b;
  };
  size_t keep = vocab;
  if (options.topK > 0 && options.topK < vocab) {
    std::partial_sort(ids.begin(), ids.begin() + options.topK, ids.end(),
                      byLogit);
    keep = options.topK;
  } else {
    std::sort(ids.begin(), ids.end(), byLogit);
  }
  ids.resize(keep);
  // Probabilities of the kept candidates (temperature 1).
  auto softmax = [&](double temperature) {
    std::vector<double> p(ids.size());
    double max = values[ids[0]], sum = 0;
    for (size_t i = 0; i < ids.size(); ++i)
      sum += p[i] = std::exp((values[ids[i]] - max) / temperature);
    for (double &x : p)
      x /= sum;
    return p;
  };
  if (options.topP < 1.0) {
    std::vector<double> p = softmax(1.0);
    double cumulative = 0;
    size_t n = 0;
    while (n < p.size()) {
      cumulative += p[n++];
      if (cumulative >= options.topP)
        break;
    }
    ids.resize(n);
  }
  if (options.minP > 0) {
    std::vector<double> p = softmax(1.0);
    size_t n = 1;
    while (n < p.size() && p[n] >= options.minP * p[0])
      ++n;
    ids.resize(n);
  }
  std::vector<double> p = softmax(options.temperature);
  // A uniform double from 53 random bits: the same on every platform.
  double u = static_cast<double>(rng() >> 11) * 0x1.0p-53;
  double cumulative = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    cumulative += p[i];
    if (u < cumulative)
      return ids[i];
  }
  return ids.back();
}

std::string checkpointFolder(const std::string &weightsPath) {
  struct stat st;
  if (stat(weightsPath.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    return weightsPath;
  size_t slash = weightsPath.rfind('/');
  return slash == std::string::npos ? "." : weightsPath.substr(0, slash);
}

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<int64_t> readEosIds(const std::string &weightsPath) {
  std::vector<int64_t> ids;
  std::string folder = checkpointFolder(weightsPath);
  for (const char *name : {"config.json", "generation_config.json"}) {
    std::string path = folder + "/" + name;
    std::ifstream in(path);
    if (!in)
      continue;
    nlohmann::json json;
    try {
      json = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception &e) {
      throw std::runtime_error(path + ": malformed JSON: " + e.what());
    }
    auto it = json.find("eos_token_id");
    if (it == json.end() || it->is_null())
      continue;
    auto add = [&](const nlohmann::json &v) {
      if (!v.is_number_integer())
        throw std::runtime_error(path + ": eos_token_id: expected an integer "
                                        "or a list of integers, got " +
                                 it->dump());
      if (std::find(ids.begin(), ids.end(), v.get<int64_t>()) == ids.end())
        ids.push_back(v.get<int64_t>());
    };
    if (it->is_array())
      for (const auto &v : *it)
        add(v);
    else
      add(*it);
  }
  return ids;
}

void PerplexitySums::addWindow(const float *logits, int64_t vocab,
                               const int64_t *window, int64_t n) {
  for (int64_t i = 0; i + 1 < n; ++i) {
    const float *row = logits + i * vocab;
    double max = *std::max_element(row, row + vocab), sum = 0;
    for (int64_t v = 0; v < vocab; ++v)
      sum += std::exp(static_cast<double>(row[v]) - max);
    double logZ = max + std::log(sum);
    crossEntropy += logZ - row[window[i + 1]];
    zLoss += logZ * logZ;
    ++tokens;
  }
}

} // namespace run
} // namespace tfc
