//===- CAPI.cpp - The C API of a compiled model (tfc.h) -------------------===//
//
// Thin wrappers: argument checks, error text into a thread-local string, and
// no C++ type or exception crossing the C boundary.
//
//===----------------------------------------------------------------------===//

#include "tfc/Runtime/tfc.h"

#include "Manifest.h"
#include "Model.h"

#include <new>

using namespace tfc::runtime;

struct tfc_model {
  std::unique_ptr<Model> impl;
};

static thread_local std::string lastError;

static int fail(std::string message) {
  lastError = std::move(message);
  return -1;
}

static bool checkModel(const tfc_model *model, const char *function) {
  if (model)
    return true;
  fail(std::string(function) + ": model is NULL");
  return false;
}

/// The manifest, or null with the error recorded.
static const Manifest *manifestOrFail() {
  std::string error;
  const Manifest *manifest = getLibraryManifest(error);
  if (!manifest)
    fail(error);
  return manifest;
}

/// Element i of a manifest list, or null with the error recorded.
template <typename T>
static const T *elementOrFail(std::vector<T> Manifest::*list, int64_t i,
                              const char *what) {
  const Manifest *manifest = manifestOrFail();
  if (!manifest)
    return nullptr;
  const std::vector<T> &elements = manifest->*list;
  if (i < 0 || i >= static_cast<int64_t>(elements.size())) {
    fail(std::string(what) + " index " + std::to_string(i) +
         " out of range [0, " + std::to_string(elements.size()) + ")");
    return nullptr;
  }
  return &elements[i];
}

static const ManifestWeight *weightOrFail(int64_t i) {
  return elementOrFail(&Manifest::weights, i, "weight");
}

static const ManifestKVCache *kvCacheOrFail(int64_t i) {
  return elementOrFail(&Manifest::kvCaches, i, "KV cache");
}

extern "C" {

const char *tfc_last_error(void) { return lastError.c_str(); }

tfc_model *tfc_model_create(int64_t max_context) {
  std::string error;
  std::unique_ptr<Model> impl = Model::create(max_context, error);
  if (!impl) {
    fail("tfc_model_create: " + error);
    return nullptr;
  }
  auto *model = new (std::nothrow) tfc_model{std::move(impl)};
  if (!model)
    fail("tfc_model_create: out of memory");
  return model;
}

void tfc_model_destroy(tfc_model *model) { delete model; }

int tfc_model_bind_weights(tfc_model *model, const char *path) {
  if (!checkModel(model, "tfc_model_bind_weights"))
    return -1;
  if (!path)
    return fail("tfc_model_bind_weights: path is NULL");
  std::string error;
  return model->impl->bindWeights(path, error) ? 0 : fail(error);
}

int tfc_model_prefill(tfc_model *model, const int64_t *tokens, int64_t n) {
  if (!checkModel(model, "tfc_model_prefill"))
    return -1;
  std::string error;
  return model->impl->prefill(tokens, n, error) ? 0 : fail(error);
}

int tfc_model_prefill_last(tfc_model *model, const int64_t *tokens,
                           int64_t n) {
  if (!checkModel(model, "tfc_model_prefill_last"))
    return -1;
  std::string error;
  return model->impl->prefillLast(tokens, n, error) ? 0 : fail(error);
}

int tfc_model_decode(tfc_model *model, int64_t token) {
  if (!checkModel(model, "tfc_model_decode"))
    return -1;
  std::string error;
  return model->impl->decode(token, error) ? 0 : fail(error);
}

const float *tfc_model_logits(tfc_model *model, int64_t *n_rows) {
  int64_t rows = 0;
  const float *logits = nullptr;
  if (checkModel(model, "tfc_model_logits"))
    logits = model->impl->getLogits(rows);
  if (n_rows)
    *n_rows = rows;
  return logits;
}

int64_t tfc_model_position(const tfc_model *model) {
  return checkModel(model, "tfc_model_position") ? model->impl->getPosition()
                                                 : -1;
}

int64_t tfc_model_max_context(const tfc_model *model) {
  return checkModel(model, "tfc_model_max_context")
             ? model->impl->getMaxContext()
             : -1;
}

int64_t tfc_model_kv_cache_bytes(const tfc_model *model) {
  return checkModel(model, "tfc_model_kv_cache_bytes")
             ? model->impl->getKVCacheBytes()
             : -1;
}

int64_t tfc_model_vocab_size(const tfc_model *model) {
  return checkModel(model, "tfc_model_vocab_size")
             ? model->impl->getManifest().vocabSize
             : -1;
}

void tfc_model_reset(tfc_model *model) {
  if (model)
    model->impl->reset();
}

void tfc_model_set_threads(int n) { setThreadCount(n); }

const char *tfc_manifest_text(void) { return getLibraryManifestText(); }

const char *tfc_manifest_model_type(void) {
  const Manifest *manifest = manifestOrFail();
  return manifest ? manifest->modelType.c_str() : nullptr;
}

int64_t tfc_manifest_vocab_size(void) {
  const Manifest *manifest = manifestOrFail();
  return manifest ? manifest->vocabSize : -1;
}

int64_t tfc_manifest_hidden_size(void) {
  const Manifest *manifest = manifestOrFail();
  return manifest ? manifest->hiddenSize : -1;
}

int64_t tfc_manifest_num_layers(void) {
  const Manifest *manifest = manifestOrFail();
  return manifest ? manifest->numLayers : -1;
}

int64_t tfc_manifest_num_kv_caches(void) {
  const Manifest *manifest = manifestOrFail();
  return manifest ? static_cast<int64_t>(manifest->kvCaches.size()) : -1;
}

int64_t tfc_manifest_kv_cache_floats_per_token(int64_t i) {
  const ManifestKVCache *cache = kvCacheOrFail(i);
  return cache ? cache->floatsPerToken : -1;
}

int64_t tfc_manifest_kv_cache_window(int64_t i) {
  const ManifestKVCache *cache = kvCacheOrFail(i);
  return cache ? cache->window : -1;
}

int64_t tfc_manifest_arena_bytes(void) {
  const Manifest *manifest = manifestOrFail();
  return manifest ? manifest->arenaBytes : -1;
}

int64_t tfc_manifest_num_weights(void) {
  const Manifest *manifest = manifestOrFail();
  return manifest ? static_cast<int64_t>(manifest->weights.size()) : -1;
}

const char *tfc_manifest_weight_name(int64_t i) {
  const ManifestWeight *weight = weightOrFail(i);
  return weight ? weight->name.c_str() : nullptr;
}

const char *tfc_manifest_weight_dtype(int64_t i) {
  const ManifestWeight *weight = weightOrFail(i);
  return weight ? weight->dtype.c_str() : nullptr;
}

int64_t tfc_manifest_weight_rank(int64_t i) {
  const ManifestWeight *weight = weightOrFail(i);
  return weight ? static_cast<int64_t>(weight->shape.size()) : -1;
}

int64_t tfc_manifest_weight_dim(int64_t i, int64_t d) {
  const ManifestWeight *weight = weightOrFail(i);
  if (!weight)
    return -1;
  if (d < 0 || d >= static_cast<int64_t>(weight->shape.size()))
    return fail("dimension " + std::to_string(d) + " out of range for '" +
                weight->name + "' of rank " +
                std::to_string(weight->shape.size()));
  return weight->shape[d];
}

int64_t tfc_manifest_weight_offset(int64_t i) {
  const ManifestWeight *weight = weightOrFail(i);
  return weight ? weight->offset : -1;
}

} // extern "C"
