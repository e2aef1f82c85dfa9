//===- tfc-run.cpp - Load a compiled model, run tokens, benchmark ---------===//
//
// dlopen()s a model library built by tfc-compile and drives it through the C
// API of tfc.h, looked up with dlsym: the tool has no link-time tie to any
// model, and a library that is not a tfc model is an error, not a crash.
//
//===----------------------------------------------------------------------===//

#include "Support.h"
#include "Text.h"
#include "tfc/Runtime/tfc.h"
#include "tfc/Tokenizer/Tokenizer.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

using tfc::runtime::formatBytes;

namespace {

const char *const kUsage = R"(usage: tfc-run MODEL.so --weights PATH [options]

Loads a model library compiled by tfc-compile, binds a checkpoint once
(its files mapped read-only; tensors in another dtype than the model reads
are converted once, with a note on stderr) and runs one session on it. With
no --tokens and no --bench it checks the checkpoint against the model and
prints the model's shape, the load time and the memory used.

  --weights PATH          directory with model.safetensors or
                          model.safetensors.index.json, a .safetensors file or
                          an index .json file (required)
  --tokens A,B,C          prompt token ids, comma separated; prefilled at once
  --prefill-tokens K      prefill only the first K prompt tokens, then feed
                          the rest one at a time through decode (the KV-cache
                          path); --dump-logits still holds every position
  --prefill-chunk C       prefill in calls of at most C tokens (default: one
                          call); each call continues the sequence in the cache
  --max-new-tokens N      after the prompt, generate N tokens greedily (argmax,
                          lowest id on ties) and print their ids on one line,
                          comma separated (default 0)
  --dump-logits FILE      write the logits of every prompt position to FILE:
                          float32, row-major [prompt tokens, vocab], no header
  --threads N             OpenMP threads of prefill and decode, 1 to 1024
                          (TFC_MAX_THREADS; default: one per hardware thread)
  --max-context N         KV-cache positions. Default: the model's trained
                          context length capped at 4096 (4096 if unknown),
                          raised to what the prompt, generation and bench
                          need. A model with a learned position table refuses
                          more positions than the table has rows; past the
                          trained length of other models a warning is printed
  --device cpu|cuda       where the model runs; a library runs where it was
                          compiled for (tfc-compile --target), so this only
                          checks that (default: the library's)
  --copy-weights          copy every tensor into memory of the process's own
                          (huge pages where the kernel allows) instead of
                          reading those in the model's dtype in place
                          (tfc_weights_load_copied): faster decode, at the
                          cost of the weights' size in memory
  --stats                 after a --tokens or --bench run, print the weights,
                          kv cache and memory summary lines on stderr
  --batch B               run B sessions of one tfc_batch (tfc.h) and decode
                          them together, one token each per call. With
                          --tokens, session b prefills the first K + b prompt
                          tokens (K: --prefill-tokens, default 1; at most the
                          prompt), then each decodes the rest of the prompt,
                          all in shared steps; --dump-logits writes session
                          0's [prompt tokens, vocab] logits, then session
                          1's, ...; --max-new-tokens generates for all B and
                          prints one line per session. With --bench, also
                          times G steps of B sessions at depth D, and prints
                          their aggregate tokens/s beside one session's
  --bench                 measure prefill and decode speed: one warm-up, then
                          REPS times a prefill of P random tokens into an
                          empty cache (computing the last position's logits,
                          as llama-bench does) and G single-token decodes from
                          an empty cache; prints the median tokens/s of each,
                          then the weights load time and the memory used
  --bench-prompt P        prompt length of --bench (default 128)
  --bench-gen G           decoded tokens of --bench (default 64)
  --bench-reps REPS       repetitions of --bench (default 3)
  --bench-depth D         decode at depth D (llama-bench -d D): the G decodes
                          start after a prefill of D random tokens, run once
                          in chunks of 512 and not timed; each repetition
                          rewinds the cache to D (tfc_session_truncate; a
                          sliding-window ring that wrapped is filled again).
                          The prefill figure stays that of an empty cache

Text (docs/text.md; the tokenizer is the checkpoint folder's tokenizer.json
unless --tokenizer names one):
  --prompt TEXT           tokenise TEXT (with the special tokens of the
                          tokenizer's post_processor, e.g. BOS), prefill it
                          and stream the generated text to stdout as it is
                          produced; stops at an EOS id (eos_token_id of
                          config.json and generation_config.json) or after
                          --max-new-tokens (default 128 with a prompt)
  --prompt-file F         the prompt is the content of file F
  --tokenizer PATH        a tokenizer.json or a folder holding one
  --temperature T         0: greedy; default 0.8 with a text prompt, 0 with
                          --tokens (which then samples too when T > 0)
  --top-k K               keep the K most likely tokens (default 40; 0: off)
  --top-p P               keep the most likely tokens whose probabilities
                          sum to P (default 0.95; 1: off)
  --min-p P               keep tokens at least P times as likely as the most
                          likely one (default 0.05; 0: off)
  --repeat-penalty R      divide the positive logits (multiply the negative
                          ones) of the tokens among the last 64 by R
                          (default 1: off)
  --seed S                seed of the sampler (default: random); the same
                          seed gives the same text
                          Filters apply in llama.cpp's order: repeat penalty,
                          top-k, top-p, min-p, temperature, then a draw
  --perplexity FILE       tokenise FILE (no special tokens), run it in windows
                          of --ctx tokens, each from an empty cache, and print
                          the mean cross-entropy per predicted token (nats),
                          the perplexity exp(that) and the mean z-loss term
                          log^2 Z (Z the softmax normaliser), with a progress
                          line on stderr
  --ctx N                 window of --perplexity (default 512, at most the
                          KV-cache size)
  --help                  print this help

Every error is reported on stderr with exit status 1.
)";

struct Options {
  std::string modelPath;
  std::string weightsPath;
  bool haveTokens = false;
  std::vector<int64_t> tokens;
  int64_t maxNewTokens = 0;
  std::string dumpLogitsPath;
  int64_t prefillTokens = 0; // 0: the whole prompt
  int64_t prefillChunk = 0;  // 0: one call
  int64_t threads = 0;
  int64_t maxContext = 0;
  bool bench = false;
  bool stats = false;
  bool copyWeights = false;
  std::string device; // "": the library's
  int64_t benchPrompt = 128;
  int64_t benchGen = 64;
  int64_t benchReps = 3;
  int64_t benchDepth = 0;
  int64_t batch = 0; // 0: one session, no tfc_batch
  // Text mode.
  bool havePrompt = false;
  bool haveMaxNewTokens = false;
  std::string prompt;
  std::string tokenizerPath;
  bool haveTemperature = false, haveSeed = false;
  tfc::run::SamplingOptions sampling;
  std::string perplexityPath;
  int64_t ctx = 512;
};

double parseReal(const std::string &option, const std::string &text,
                 double min, double max);

[[noreturn]] void fatal(const std::string &message) {
  std::fprintf(stderr, "tfc-run: error: %s\n", message.c_str());
  std::exit(1);
}

bool parseInteger(const std::string &text, int64_t &value) {
  if (text.empty())
    return false;
  errno = 0;
  char *end = nullptr;
  long long parsed = std::strtoll(text.c_str(), &end, 10);
  if (errno == ERANGE || *end != '\0' || std::isspace((unsigned char)text[0]))
    return false;
  value = parsed;
  return true;
}

int64_t parseCount(const std::string &option, const std::string &text,
                   int64_t min, int64_t max = INT64_MAX) {
  int64_t value;
  if (!parseInteger(text, value) || value < min || value > max)
    fatal(option + " expects an integer " +
          (max == INT64_MAX
               ? ">= " + std::to_string(min)
               : "from " + std::to_string(min) + " to " + std::to_string(max)) +
          ", got '" + text + "'");
  return value;
}

std::vector<int64_t> parseTokens(const std::string &text) {
  std::vector<int64_t> tokens;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string item = text.substr(start, comma - start);
    int64_t id;
    if (!parseInteger(item, id))
      fatal("malformed --tokens '" + text + "': '" + item +
            "' is not an integer (expected comma-separated ids such as "
            "1,2,3)");
    tokens.push_back(id);
    if (comma == std::string::npos)
      return tokens;
    start = comma + 1;
  }
}

Options parseArgs(int argc, char **argv) {
  Options opts;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(0);
    }
    if (arg.rfind("--", 0) != 0) {
      if (!opts.modelPath.empty())
        fatal("more than one model library given: '" + opts.modelPath +
              "' and '" + arg + "'");
      opts.modelPath = arg;
      continue;
    }
    std::string name = arg, value;
    bool haveValue = false;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      haveValue = true;
    }
    if (name == "--bench" || name == "--stats" || name == "--copy-weights") {
      if (haveValue)
        fatal(name + " takes no value");
      (name == "--bench"   ? opts.bench
       : name == "--stats" ? opts.stats
                           : opts.copyWeights) = true;
      continue;
    }
    static const char *const kValued[] = {
        "--weights",      "--tokens",    "--max-new-tokens",
        "--dump-logits",  "--threads",   "--max-context",
        "--bench-prompt", "--bench-gen", "--bench-reps", "--bench-depth",
        "--prefill-tokens", "--prefill-chunk", "--batch",
        "--prompt",       "--prompt-file", "--tokenizer",
        "--temperature",  "--top-k",     "--top-p",
        "--min-p",        "--repeat-penalty", "--seed",
        "--perplexity",   "--ctx",       "--device"};
    if (std::find_if(std::begin(kValued), std::end(kValued),
                     [&](const char *known) { return name == known; }) ==
        std::end(kValued))
      fatal("unknown option '" + name + "' (see tfc-run --help)");
    if (!haveValue) {
      if (i + 1 >= argc)
        fatal(name + " needs a value");
      value = argv[++i];
    }
    if (name == "--weights")
      opts.weightsPath = value;
    else if (name == "--tokens") {
      opts.haveTokens = true;
      opts.tokens = parseTokens(value);
    } else if (name == "--max-new-tokens") {
      opts.maxNewTokens = parseCount(name, value, 0);
      opts.haveMaxNewTokens = true;
    } else if (name == "--prompt") {
      opts.havePrompt = true;
      opts.prompt = value;
    } else if (name == "--prompt-file") {
      opts.havePrompt = true;
      try {
        opts.prompt = tfc::run::readFile(value);
      } catch (const std::exception &e) {
        fatal(std::string("--prompt-file: ") + e.what());
      }
    } else if (name == "--tokenizer")
      opts.tokenizerPath = value;
    else if (name == "--temperature") {
      opts.sampling.temperature = parseReal(name, value, 0, 1e6);
      opts.haveTemperature = true;
    } else if (name == "--top-k")
      opts.sampling.topK = parseCount(name, value, 0);
    else if (name == "--top-p")
      opts.sampling.topP = parseReal(name, value, 0, 1);
    else if (name == "--min-p")
      opts.sampling.minP = parseReal(name, value, 0, 1);
    else if (name == "--repeat-penalty")
      opts.sampling.repeatPenalty = parseReal(name, value, 1e-6, 1e6);
    else if (name == "--seed") {
      opts.sampling.seed = static_cast<uint64_t>(parseCount(name, value, 0));
      opts.haveSeed = true;
    } else if (name == "--perplexity")
      opts.perplexityPath = value;
    else if (name == "--ctx")
      opts.ctx = parseCount(name, value, 2);
    else if (name == "--device") {
      if (value != "cpu" && value != "cuda")
        fatal("--device: one of cpu, cuda, not '" + value + "'");
      opts.device = value;
    }
    else if (name == "--dump-logits")
      opts.dumpLogitsPath = value;
    else if (name == "--threads")
      opts.threads = parseCount(name, value, 1, TFC_MAX_THREADS);
    else if (name == "--max-context")
      opts.maxContext = parseCount(name, value, 1);
    else if (name == "--bench-prompt")
      opts.benchPrompt = parseCount(name, value, 1);
    else if (name == "--bench-gen")
      opts.benchGen = parseCount(name, value, 1);
    else if (name == "--bench-reps")
      opts.benchReps = parseCount(name, value, 1);
    else if (name == "--bench-depth")
      opts.benchDepth = parseCount(name, value, 0);
    else if (name == "--prefill-tokens")
      opts.prefillTokens = parseCount(name, value, 1);
    else if (name == "--prefill-chunk")
      opts.prefillChunk = parseCount(name, value, 1);
    else if (name == "--batch")
      opts.batch = parseCount(name, value, 1, 4096);
  }
  if (opts.modelPath.empty())
    fatal("no model library given (usage: tfc-run MODEL.so --weights PATH "
          "...; see --help)");
  if (opts.weightsPath.empty())
    fatal("missing --weights PATH");
  if (opts.havePrompt && opts.haveTokens)
    fatal("--prompt/--prompt-file and --tokens exclude each other");
  if (!opts.perplexityPath.empty() && (opts.havePrompt || opts.haveTokens))
    fatal("--perplexity runs on its own (no --prompt or --tokens)");
  if (!opts.haveTokens && !opts.dumpLogitsPath.empty())
    fatal("--dump-logits needs --tokens");
  if (!opts.haveTokens && !opts.havePrompt && opts.maxNewTokens > 0)
    fatal("--max-new-tokens needs --tokens or --prompt");
  if (opts.havePrompt && !opts.haveMaxNewTokens)
    opts.maxNewTokens = 128;
  // Ids in, ids out stays greedy unless a temperature is given.
  if (!opts.havePrompt && !opts.haveTemperature)
    opts.sampling.temperature = 0;
  if (!opts.haveSeed)
    opts.sampling.seed = std::random_device()();
  if (opts.batch && (opts.havePrompt || !opts.perplexityPath.empty()))
    fatal("--batch runs --tokens or --bench, not text");
  if (opts.batch && opts.haveTokens && opts.prefillChunk)
    fatal("--batch prefills each session at once: no --prefill-chunk");
  if (opts.prefillTokens > static_cast<int64_t>(opts.tokens.size()))
    fatal("--prefill-tokens " + std::to_string(opts.prefillTokens) +
          " exceeds the prompt's " + std::to_string(opts.tokens.size()) +
          " tokens");
  return opts;
}

double parseReal(const std::string &option, const std::string &text,
                 double min, double max) {
  errno = 0;
  char *end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || errno == ERANGE || *end != '\0' || !(value >= min) ||
      !(value <= max))
    fatal(option + " expects a number from " + std::to_string(min) + " to " +
          std::to_string(max) + ", got '" + text + "'");
  return value;
}

// The C API as function pointers; the X-macro keeps the list in one place.
#define TFC_RUN_API(X)                                                         \
  X(tfc_last_error)                                                            \
  X(tfc_weights_load)                                                          \
  X(tfc_weights_destroy)                                                       \
  X(tfc_weights_bytes_mapped)                                                  \
  X(tfc_weights_bytes_copied)                                                  \
  X(tfc_weights_bytes_allocated)                                               \
  X(tfc_session_create)                                                        \
  X(tfc_session_destroy)                                                       \
  X(tfc_session_prefill)                                                       \
  X(tfc_session_prefill_last)                                                  \
  X(tfc_session_decode)                                                        \
  X(tfc_session_logits)                                                        \
  X(tfc_session_reset)                                                         \
  X(tfc_session_truncate)                                                      \
  X(tfc_session_kv_cache_bytes)                                                \
  X(tfc_session_bytes_allocated)                                               \
  X(tfc_session_max_context)                                                   \
  X(tfc_session_beyond_trained_context)                                        \
  X(tfc_model_set_threads)                                                     \
  X(tfc_manifest_num_kv_caches)                                                \
  X(tfc_manifest_kv_cache_window)                                              \
  X(tfc_manifest_model_type)                                                   \
  X(tfc_manifest_vocab_size)                                                   \
  X(tfc_manifest_hidden_size)                                                  \
  X(tfc_manifest_num_layers)                                                   \
  X(tfc_manifest_num_weights)                                                  \
  X(tfc_manifest_weight_rank)                                                  \
  X(tfc_manifest_weight_dim)                                                   \
  X(tfc_manifest_trained_context)                                              \
  X(tfc_manifest_default_max_context)

// Looked up too, but needed only with --batch (and --copy-weights,
// --device; a library without tfc_model_device runs on the CPU).
#define TFC_RUN_OPTIONAL_API(X)                                                   \
  X(tfc_weights_load_copied)                                                   \
  X(tfc_model_device)                                                          \
  X(tfc_batch_create)                                                          \
  X(tfc_batch_destroy)                                                         \
  X(tfc_batch_session)                                                         \
  X(tfc_batch_decode)

struct API {
#define TFC_RUN_DECLARE(name) decltype(&::name) name = nullptr;
  TFC_RUN_API(TFC_RUN_DECLARE)
  TFC_RUN_OPTIONAL_API(TFC_RUN_DECLARE)
#undef TFC_RUN_DECLARE
};

API loadModelLibrary(std::string path) {
  // Without a slash dlopen searches the library path, not the working
  // directory.
  if (path.find('/') == std::string::npos)
    path = "./" + path;
  // RTLD_NOW: a library with unresolved generated symbols fails here, with
  // dlerror's message, rather than at the first call.
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    fatal("cannot load model library: " + std::string(dlerror()));
  API api;
  std::vector<std::string> missing;
#define TFC_RUN_LOOKUP(name)                                                   \
  api.name = reinterpret_cast<decltype(api.name)>(dlsym(handle, #name));       \
  if (!api.name)                                                               \
    missing.push_back(#name);
  TFC_RUN_API(TFC_RUN_LOOKUP)
#undef TFC_RUN_LOOKUP
#define TFC_RUN_LOOKUP_OPTIONAL(name)                                          \
  api.name = reinterpret_cast<decltype(api.name)>(dlsym(handle, #name));
  TFC_RUN_OPTIONAL_API(TFC_RUN_LOOKUP_OPTIONAL)
#undef TFC_RUN_LOOKUP_OPTIONAL
  if (!missing.empty()) {
    std::string list;
    for (const std::string &name : missing)
      list += (list.empty() ? "" : ", ") + name;
    fatal("'" + path +
          "' is not a tfc model library (built by tfc-compile): missing " +
          list);
  }
  // The library stays loaded until exit: unloading it under libomp's worker
  // threads is not safe.
  return api;
}

/// The median of a bench's repetitions.
double median(std::vector<double> times) {
  std::sort(times.begin(), times.end());
  size_t mid = times.size() / 2;
  return times.size() % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

class Runner {
public:
  Runner(const API &api, const Options &opts) : api(api), opts(opts) {}
  int run();

private:
  const API &api;
  const Options &opts;
  tfc_weights *weights = nullptr;
  tfc_session *session = nullptr;
  int64_t vocab = 0;
  double loadSeconds = 0;

  [[noreturn]] void failWithLastError() { fatal(api.tfc_last_error()); }
  void check(int status) {
    if (status != 0)
      failWithLastError();
  }
  tfc_batch *batch = nullptr;
  std::vector<tfc_session *> batchSessions;

  int64_t argmaxOfLastRow() { return argmaxOfLastRow(session); }
  int64_t argmaxOfLastRow(tfc_session *of);
  void createBatch(int64_t maxContext);
  void runBatchTokens();
  void benchBatch(double singleDecodeTokensPerSecond);
  /// Empties `of` and prefills `opts.benchDepth` random tokens in chunks of
  /// 512 (the untimed depth of --bench).
  void fillDepth(tfc_session *of, std::mt19937_64 &rng);
  void appendLogits();
  void dumpLogits();
  std::vector<float> promptLogits;
  void generate();
  std::unique_ptr<tfc::tokenizer::Tokenizer> loadTokenizer();
  void generateText(const std::vector<int64_t> &promptTokens,
                    const tfc::tokenizer::Tokenizer &tokenizer);
  void perplexity(const std::vector<int64_t> &tokens);
  void bench(int64_t threads);
  void printShape();
  void printStats(FILE *out);
};

int64_t Runner::argmaxOfLastRow(tfc_session *of) {
  int64_t rows = 0;
  const float *logits = api.tfc_session_logits(of, &rows);
  const float *row = logits + (rows - 1) * vocab;
  return std::max_element(row, row + vocab) - row;
}

void Runner::appendLogits() {
  // Kept only for --dump-logits; generation reads the model's last row.
  if (opts.dumpLogitsPath.empty())
    return;
  int64_t rows = 0;
  const float *logits = api.tfc_session_logits(session, &rows);
  promptLogits.insert(promptLogits.end(), logits, logits + rows * vocab);
}

void Runner::createBatch(int64_t maxContext) {
  if (!api.tfc_batch_create || !api.tfc_batch_destroy ||
      !api.tfc_batch_session || !api.tfc_batch_decode)
    fatal("--batch: '" + opts.modelPath +
          "' has no tfc_batch functions: rebuild it with this tfc-compile");
  batch = api.tfc_batch_create(weights, opts.batch, maxContext);
  if (!batch)
    failWithLastError();
  for (int64_t b = 0; b < opts.batch; ++b)
    batchSessions.push_back(api.tfc_batch_session(batch, b));
}

void Runner::runBatchTokens() {
  int64_t prompt = static_cast<int64_t>(opts.tokens.size());
  int64_t first = opts.prefillTokens ? opts.prefillTokens : 1;
  int64_t count = opts.batch;
  bool allLogits = !opts.dumpLogitsPath.empty();
  std::vector<std::vector<float>> logits(count);
  auto keep = [&](int64_t b) {
    if (!allLogits)
      return;
    int64_t rows = 0;
    const float *l = api.tfc_session_logits(batchSessions[b], &rows);
    logits[b].insert(logits[b].end(), l, l + rows * vocab);
  };
  // Session b starts b tokens further on, so every step decodes sessions
  // at different positions.
  std::vector<int64_t> done(count);
  auto prefill =
      allLogits ? api.tfc_session_prefill : api.tfc_session_prefill_last;
  for (int64_t b = 0; b < count; ++b) {
    done[b] = std::min(prompt, first + b);
    check(prefill(batchSessions[b], opts.tokens.data(), done[b]));
    keep(b);
  }
  std::vector<int64_t> indices, tokens;
  while (true) {
    indices.clear();
    tokens.clear();
    for (int64_t b = 0; b < count; ++b)
      if (done[b] < prompt) {
        indices.push_back(b);
        tokens.push_back(opts.tokens[done[b]]);
      }
    if (indices.empty())
      break;
    check(api.tfc_batch_decode(batch, indices.data(), tokens.data(),
                               static_cast<int64_t>(indices.size())));
    for (int64_t b : indices) {
      keep(b);
      ++done[b];
    }
  }
  if (allLogits) {
    promptLogits.clear();
    for (const std::vector<float> &rows : logits)
      promptLogits.insert(promptLogits.end(), rows.begin(), rows.end());
    dumpLogits();
  }
  if (opts.maxNewTokens == 0)
    return;
  // Greedy generation of every session, in shared steps.
  std::vector<std::string> lines(count);
  indices.resize(count);
  tokens.resize(count);
  for (int64_t i = 0; i < opts.maxNewTokens; ++i) {
    for (int64_t b = 0; b < count; ++b) {
      indices[b] = b;
      tokens[b] = argmaxOfLastRow(batchSessions[b]);
      lines[b] += (i ? "," : "") + std::to_string(tokens[b]);
    }
    if (i + 1 < opts.maxNewTokens)
      check(api.tfc_batch_decode(batch, indices.data(), tokens.data(), count));
  }
  for (const std::string &line : lines)
    std::printf("%s\n", line.c_str());
}

void Runner::dumpLogits() {
  const float *logits = promptLogits.data();
  FILE *out = std::fopen(opts.dumpLogitsPath.c_str(), "wb");
  if (!out)
    fatal("cannot write '" + opts.dumpLogitsPath +
          "': " + std::strerror(errno));
  size_t count = promptLogits.size();
  bool ok = std::fwrite(logits, sizeof(float), count, out) == count;
  ok &= std::fclose(out) == 0;
  if (!ok)
    fatal("cannot write '" + opts.dumpLogitsPath +
          "': " + std::strerror(errno));
}

void Runner::generate() {
  std::string line;
  tfc::run::Sampler sampler(opts.sampling);
  std::vector<int64_t> history = opts.tokens;
  for (int64_t i = 0; i < opts.maxNewTokens; ++i) {
    int64_t next = argmaxOfLastRow();
    if (opts.sampling.temperature > 0 || opts.sampling.repeatPenalty != 1.0) {
      int64_t rows = 0;
      const float *logits = api.tfc_session_logits(session, &rows);
      next = sampler.sample(logits + (rows - 1) * vocab, vocab, history);
    }
    history.push_back(next);
    line += (i ? "," : "") + std::to_string(next);
    // The last token's logits are never used, so it is not decoded.
    if (i + 1 < opts.maxNewTokens)
      check(api.tfc_session_decode(session, next));
  }
  std::printf("%s\n", line.c_str());
}

std::unique_ptr<tfc::tokenizer::Tokenizer> Runner::loadTokenizer() {
  std::string path = opts.tokenizerPath.empty()
                         ? tfc::run::checkpointFolder(opts.weightsPath)
                         : opts.tokenizerPath;
  try {
    return tfc::tokenizer::Tokenizer::fromFile(path);
  } catch (const tfc::tokenizer::TokenizerError &e) {
    fatal(std::string("tokenizer: ") + e.what() +
          (opts.tokenizerPath.empty() ? " (give one with --tokenizer PATH)"
                                      : ""));
  }
}

void Runner::generateText(const std::vector<int64_t> &promptTokens,
                          const tfc::tokenizer::Tokenizer &tokenizer) {
  std::vector<int64_t> eos;
  try {
    eos = tfc::run::readEosIds(opts.weightsPath);
  } catch (const std::exception &e) {
    fatal(e.what());
  }
  check(api.tfc_session_prefill_last(session, promptTokens.data(),
                                     static_cast<int64_t>(promptTokens.size())));
  tfc::run::Sampler sampler(opts.sampling);
  tfc::tokenizer::DecodeStream stream(tokenizer);
  std::vector<int64_t> history = promptTokens;
  int64_t room = api.tfc_session_max_context(session) -
                 static_cast<int64_t>(promptTokens.size());
  for (int64_t i = 0; i < opts.maxNewTokens; ++i) {
    int64_t rows = 0;
    const float *logits = api.tfc_session_logits(session, &rows);
    int64_t next = sampler.sample(logits + (rows - 1) * vocab, vocab, history);
    if (std::find(eos.begin(), eos.end(), next) != eos.end())
      break;
    history.push_back(next);
    try {
      std::fputs(stream.step(next).c_str(), stdout);
    } catch (const tfc::tokenizer::TokenizerError &e) {
      fatal(std::string("decoding the generated tokens: ") + e.what());
    }
    std::fflush(stdout);
    // The last token's logits are never used, so it is not decoded; the
    // cache holds at most max_context positions.
    if (i + 1 >= opts.maxNewTokens || i + 1 >= room)
      break;
    check(api.tfc_session_decode(session, next));
  }
  std::fputs(stream.finish().c_str(), stdout);
  std::fputs("\n", stdout);
}

void Runner::perplexity(const std::vector<int64_t> &tokens) {
  int64_t ctx = std::min(opts.ctx, api.tfc_session_max_context(session));
  int64_t total = static_cast<int64_t>(tokens.size());
  if (total < 2)
    fatal("--perplexity: '" + opts.perplexityPath + "' has " +
          std::to_string(total) + " tokens; at least 2 are needed");
  int64_t windows = (total + ctx - 1) / ctx;
  // A last window of one token predicts nothing.
  if (total % ctx == 1)
    --windows;
  tfc::run::PerplexitySums sums;
  for (int64_t w = 0; w < windows; ++w) {
    int64_t at = w * ctx, n = std::min(ctx, total - at);
    api.tfc_session_reset(session);
    check(api.tfc_session_prefill(session, tokens.data() + at, n));
    int64_t rows = 0;
    const float *logits = api.tfc_session_logits(session, &rows);
    sums.addWindow(logits, vocab, tokens.data() + at, n);
    std::fprintf(stderr,
                 "\rperplexity: window %lld/%lld, %lld tokens, running "
                 "perplexity %.4f",
                 (long long)(w + 1), (long long)windows,
                 (long long)sums.tokens,
                 std::exp(sums.crossEntropy / sums.tokens));
    std::fflush(stderr);
  }
  std::fputs("\n", stderr);
  double ce = sums.crossEntropy / sums.tokens;
  std::printf("tokens: %lld predicted in %lld windows of at most %lld\n",
              (long long)sums.tokens, (long long)windows, (long long)ctx);
  std::printf("cross-entropy: %.9g nats/token\n", ce);
  std::printf("perplexity: %.9g\n", std::exp(ce));
  std::printf("z-loss: %.9g (mean log^2 Z)\n", sums.zLoss / sums.tokens);
}

void Runner::bench(int64_t threads) {
  using Clock = std::chrono::steady_clock;
  std::mt19937_64 rng(1234);
  std::uniform_int_distribution<int64_t> pick(0, vocab - 1);
  std::vector<int64_t> prompt(opts.benchPrompt);
  auto seconds = [](Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  auto timePrefill = [&] {
    for (int64_t &token : prompt)
      token = pick(rng);
    api.tfc_session_reset(session);
    Clock::time_point start = Clock::now();
    check(api.tfc_session_prefill_last(session, prompt.data(), opts.benchPrompt));
    return seconds(start);
  };
  // The cache at depth, filled once; each timed decode rewinds to it.
  auto fillDepth = [&] { Runner::fillDepth(session, rng); };
  auto timeDecode = [&](int64_t count) {
    // A wrapped sliding-window ring rewinds by its window at most: beyond,
    // fill it again.
    if (api.tfc_session_truncate(session, opts.benchDepth) != 0)
      fillDepth();
    Clock::time_point start = Clock::now();
    for (int64_t i = 0; i < count; ++i)
      check(api.tfc_session_decode(session, pick(rng)));
    return seconds(start);
  };
  // Warm-up as llama-bench: one prefill, one decode (page faults, thread
  // pool start-up, caches).
  timePrefill();
  fillDepth();
  timeDecode(1);
  std::vector<double> prefillTimes, decodeTimes;
  for (int64_t rep = 0; rep < opts.benchReps; ++rep)
    prefillTimes.push_back(timePrefill());
  fillDepth();
  for (int64_t rep = 0; rep < opts.benchReps; ++rep)
    decodeTimes.push_back(timeDecode(opts.benchGen));
  std::printf("model: %s  vocab=%lld  hidden=%lld  layers=%lld  threads=%lld  "
              "reps=%lld (median)\n",
              api.tfc_manifest_model_type(), (long long)vocab,
              (long long)api.tfc_manifest_hidden_size(),
              (long long)api.tfc_manifest_num_layers(), (long long)threads,
              (long long)opts.benchReps);
  std::printf("prefill: P=%lld tokens, last-position logits  %.1f tok/s\n",
              (long long)opts.benchPrompt,
              opts.benchPrompt / median(prefillTimes));
  double decodeRate = opts.benchGen / median(decodeTimes);
  std::printf("decode: G=%lld tokens at depth %lld  %.1f tok/s\n",
              (long long)opts.benchGen, (long long)opts.benchDepth,
              decodeRate);
  api.tfc_session_reset(session);
  if (batch)
    benchBatch(decodeRate);
  printStats(stdout);
}

void Runner::fillDepth(tfc_session *of, std::mt19937_64 &rng) {
  std::uniform_int_distribution<int64_t> pick(0, vocab - 1);
  api.tfc_session_reset(of);
  std::vector<int64_t> chunk;
  for (int64_t done = 0; done < opts.benchDepth; done += chunk.size()) {
    chunk.resize(std::min<int64_t>(512, opts.benchDepth - done));
    for (int64_t &token : chunk)
      token = pick(rng);
    check(api.tfc_session_prefill_last(of, chunk.data(), chunk.size()));
  }
}

void Runner::benchBatch(double singleDecodeTokensPerSecond) {
  using Clock = std::chrono::steady_clock;
  std::mt19937_64 rng(5678);
  std::uniform_int_distribution<int64_t> pick(0, vocab - 1);
  int64_t count = opts.batch;
  std::vector<int64_t> indices(count), tokens(count);
  for (int64_t b = 0; b < count; ++b)
    indices[b] = b;
  // Every session at depth D, as the single-session figure.
  auto fillDepth = [&] {
    for (tfc_session *s : batchSessions)
      Runner::fillDepth(s, rng);
  };
  auto timeSteps = [&](int64_t steps) {
    for (tfc_session *s : batchSessions)
      if (api.tfc_session_truncate(s, opts.benchDepth) != 0) {
        fillDepth();
        break;
      }
    Clock::time_point start = Clock::now();
    for (int64_t i = 0; i < steps; ++i) {
      for (int64_t &token : tokens)
        token = pick(rng);
      check(api.tfc_batch_decode(batch, indices.data(), tokens.data(), count));
    }
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  fillDepth();
  timeSteps(1); // warm-up
  std::vector<double> times;
  for (int64_t rep = 0; rep < opts.benchReps; ++rep)
    times.push_back(timeSteps(opts.benchGen));
  double aggregate = count * opts.benchGen / median(times);
  std::printf("decode batch: B=%lld sessions, G=%lld steps at depth %lld  "
              "%.1f tok/s aggregate, %.1f tok/s per session, %.2fx one "
              "session's decode\n",
              (long long)count, (long long)opts.benchGen,
              (long long)opts.benchDepth, aggregate, aggregate / count,
              aggregate / singleDecodeTokensPerSecond);
  for (tfc_session *s : batchSessions)
    api.tfc_session_reset(s);
}


void Runner::printShape() {
  int64_t numWeights = api.tfc_manifest_num_weights();
  int64_t parameters = 0;
  for (int64_t i = 0; i < numWeights; ++i) {
    int64_t volume = 1;
    for (int64_t d = 0; d < api.tfc_manifest_weight_rank(i); ++d)
      volume *= api.tfc_manifest_weight_dim(i, d);
    parameters += volume;
  }
  std::printf("model: %s  vocab=%lld  hidden=%lld  layers=%lld  weights=%lld "
              " parameters=%lld\n",
              api.tfc_manifest_model_type(), (long long)vocab,
              (long long)api.tfc_manifest_hidden_size(),
              (long long)api.tfc_manifest_num_layers(), (long long)numWeights,
              (long long)parameters);
}

void Runner::printStats(FILE *out) {
  std::fprintf(out, "weights: bound from %s in %.2f s\n",
               opts.weightsPath.c_str(), loadSeconds);
  int64_t caches = api.tfc_manifest_num_kv_caches(), rings = 0;
  for (int64_t i = 0; i < caches; ++i)
    rings += api.tfc_manifest_kv_cache_window(i) > 0 ? 1 : 0;
  int64_t kvBytes = api.tfc_session_kv_cache_bytes(session);
  std::fprintf(out,
               "kv cache: %s for max_context %lld (%lld layers, %lld "
               "sliding-window rings)\n",
               formatBytes(kvBytes).c_str(),
               (long long)api.tfc_session_max_context(session),
               (long long)caches, (long long)rings);
  // Mapped: the checkpoint files, shared with the page cache; allocated:
  // anonymous memory of this process (converted weights, session buffers).
  int64_t tail = api.tfc_weights_bytes_allocated(weights);
  int64_t sessionBytes = api.tfc_session_bytes_allocated(session);
  std::fprintf(out,
               "memory: mapped %s, copied %s, allocated %s (converted weights "
               "%s, kv cache %s, logits %s)\n",
               formatBytes(api.tfc_weights_bytes_mapped(weights)).c_str(),
               formatBytes(api.tfc_weights_bytes_copied(weights)).c_str(),
               formatBytes(tail + sessionBytes).c_str(),
               formatBytes(tail).c_str(), formatBytes(kvBytes).c_str(),
               formatBytes(sessionBytes - kvBytes).c_str());
}

int Runner::run() {
  vocab = api.tfc_manifest_vocab_size();
  if (vocab < 0)
    failWithLastError(); // malformed manifest
  int64_t threads = opts.threads;
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());
  api.tfc_model_set_threads(static_cast<int>(threads));

  std::unique_ptr<tfc::tokenizer::Tokenizer> tokenizer;
  std::vector<int64_t> textTokens;
  if (opts.havePrompt || !opts.perplexityPath.empty()) {
    tokenizer = loadTokenizer();
    try {
      textTokens = opts.havePrompt
                       ? tokenizer->encode(opts.prompt, /*addSpecial=*/true)
                       : tokenizer->encode(
                             tfc::run::readFile(opts.perplexityPath), false);
    } catch (const std::exception &e) {
      fatal(std::string(opts.havePrompt ? "--prompt: " : "--perplexity: ") +
            e.what());
    }
    if (opts.havePrompt && textTokens.empty())
      fatal("--prompt: the prompt has no tokens");
    for (int64_t id : textTokens)
      if (id >= vocab)
        fatal("the tokenizer gives id " + std::to_string(id) +
              ", outside the model's vocabulary of " + std::to_string(vocab));
  }
  int64_t prompt = static_cast<int64_t>(opts.havePrompt ? textTokens.size()
                                                        : opts.tokens.size());
  int64_t maxContext = opts.maxContext;
  if (maxContext == 0) {
    // The runtime's default, unless the run needs more: the prompt and all
    // generated tokens but the last, which is never decoded.
    int64_t need = prompt + std::max<int64_t>(opts.maxNewTokens - 1, 0);
    if (opts.bench)
      need = std::max({need, opts.benchPrompt,
                       opts.benchDepth + opts.benchGen});
    if (!opts.perplexityPath.empty())
      need = std::max(need, std::min<int64_t>(
                                opts.ctx, static_cast<int64_t>(textTokens.size())));
    maxContext = std::max(need, api.tfc_manifest_default_max_context());
  }
  using Clock = std::chrono::steady_clock;
  Clock::time_point start = Clock::now();
  if (opts.copyWeights && !api.tfc_weights_load_copied)
    fatal("--copy-weights: this model library has no tfc_weights_load_copied "
          "(compiled by an older tfc-compile)");
  weights = opts.copyWeights
                ? api.tfc_weights_load_copied(opts.weightsPath.c_str())
                : api.tfc_weights_load(opts.weightsPath.c_str());
  if (!weights)
    failWithLastError();
  loadSeconds = std::chrono::duration<double>(Clock::now() - start).count();
  session = api.tfc_session_create(weights, maxContext);
  if (!session)
    failWithLastError();
  if (api.tfc_session_beyond_trained_context(session) == 1)
    std::fprintf(stderr,
                 "tfc-run: warning: max_context %lld exceeds the model's "
                 "trained context length %lld; positions past it are "
                 "extrapolation\n",
                 (long long)maxContext,
                 (long long)api.tfc_manifest_trained_context());

  if (opts.batch)
    createBatch(maxContext);
  if (opts.haveTokens && opts.batch) {
    runBatchTokens();
  } else if (opts.haveTokens) {
    int64_t first = opts.prefillTokens ? opts.prefillTokens : prompt;
    int64_t chunk = opts.prefillChunk ? opts.prefillChunk : first;
    // Generation alone needs the logits of the last position only.
    bool allLogits = !opts.dumpLogitsPath.empty();
    auto prefill =
        allLogits ? api.tfc_session_prefill : api.tfc_session_prefill_last;
    for (int64_t at = 0; at < first; at += chunk) {
      check(prefill(session, opts.tokens.data() + at,
                    std::min(chunk, first - at)));
      appendLogits();
    }
    for (int64_t i = first; i < prompt; ++i) {
      check(api.tfc_session_decode(session, opts.tokens[i]));
      appendLogits();
    }
    if (!opts.dumpLogitsPath.empty())
      dumpLogits();
    if (opts.maxNewTokens > 0)
      generate();
  }
  if (opts.havePrompt)
    generateText(textTokens, *tokenizer);
  if (!opts.perplexityPath.empty())
    perplexity(textTokens);
  if (opts.bench)
    bench(threads);
  bool ran = opts.haveTokens || opts.bench || opts.havePrompt ||
             !opts.perplexityPath.empty();
  if (!ran) {
    printShape();
    printStats(stdout);
  } else if (opts.stats) {
    printStats(stderr);
  }
  if (batch)
    api.tfc_batch_destroy(batch);
  api.tfc_session_destroy(session);
  api.tfc_weights_destroy(weights);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Options opts = parseArgs(argc, argv);
  API api = loadModelLibrary(opts.modelPath);
  std::string device = api.tfc_model_device ? api.tfc_model_device() : "cpu";
  if (!opts.device.empty() && opts.device != device)
    fatal("--device " + opts.device + ": '" + opts.modelPath +
          "' was compiled for " + device + " (compile with tfc-compile "
          "--target=" + opts.device + " to run it there)");
  return Runner(api, opts).run();
}
