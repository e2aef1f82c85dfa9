//===- CAPI.cpp - The C API of a compiled model (tfc.h) -------------------===//
//
// Thin wrappers: argument checks, error text into a thread-local string, and
// no C++ type or exception crossing the C boundary.
//
//===----------------------------------------------------------------------===//

#include "tfc/Runtime/tfc.h"

#include "CUDA.h"
#include "Manifest.h"
#include "Session.h"
#include "SessionBatch.h"
#include "Weights.h"

#include <new>

using namespace tfc::runtime;

// A handle holds one reference; every session holds another (tfc.h,
// Lifetime), so the handle may go before the sessions.
struct tfc_weights {
  std::shared_ptr<const Weights> impl;
};

struct tfc_session {
  /// Null for a session of a tfc_batch, which owns it.
  std::unique_ptr<Session> owned;
  Session *impl;
};

struct tfc_batch {
  std::unique_ptr<SessionBatch> impl;
  /// The handles tfc_batch_session returns, one per session.
  std::vector<tfc_session> sessions;
};

struct tfc_model {
  std::unique_ptr<Session> impl;
};

static thread_local std::string lastError;

static int fail(std::string message) {
  lastError = std::move(message);
  return -1;
}

template <typename T> static bool checkHandle(const T *handle, const char *function,
                                              const char *what) {
  if (handle)
    return true;
  fail(std::string(function) + ": " + what + " is NULL");
  return false;
}

static bool checkModel(const tfc_model *model, const char *function) {
  return checkHandle(model, function, "model");
}
static bool checkSession(const tfc_session *session, const char *function) {
  return checkHandle(session, function, "session");
}
static bool checkWeights(const tfc_weights *weights, const char *function) {
  return checkHandle(weights, function, "weights");
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

static std::unique_ptr<Session>
createSession(std::shared_ptr<const Weights> weights, int64_t maxContext,
              const char *function) {
  std::string error;
  std::unique_ptr<Session> impl =
      Session::create(std::move(weights), maxContext, error);
  if (!impl)
    fail(std::string(function) + ": " + error);
  return impl;
}

extern "C" {

const char *tfc_last_error(void) { return lastError.c_str(); }

// ---- Weights ----

static tfc_weights *loadWeights(const char *path, bool copyAll,
                                const char *function) {
  if (!path) {
    fail(std::string(function) + ": path is NULL");
    return nullptr;
  }
  std::string error;
  std::shared_ptr<const Weights> impl = Weights::load(path, error, copyAll);
  if (!impl) {
    fail(error);
    return nullptr;
  }
  auto *weights = new (std::nothrow) tfc_weights{std::move(impl)};
  if (!weights)
    fail(std::string(function) + ": out of memory");
  return weights;
}

tfc_weights *tfc_weights_load(const char *path) {
  return loadWeights(path, false, "tfc_weights_load");
}

tfc_weights *tfc_weights_load_copied(const char *path) {
  return loadWeights(path, true, "tfc_weights_load_copied");
}

void tfc_weights_destroy(tfc_weights *weights) { delete weights; }

int64_t tfc_weights_bytes_mapped(const tfc_weights *weights) {
  return checkWeights(weights, "tfc_weights_bytes_mapped")
             ? weights->impl->getBytesMapped()
             : -1;
}

int64_t tfc_weights_bytes_copied(const tfc_weights *weights) {
  return checkWeights(weights, "tfc_weights_bytes_copied")
             ? weights->impl->getBytesCopied()
             : -1;
}

int64_t tfc_weights_bytes_allocated(const tfc_weights *weights) {
  return checkWeights(weights, "tfc_weights_bytes_allocated")
             ? weights->impl->getBytesAllocated()
             : -1;
}

int64_t tfc_weights_tensors_copied(const tfc_weights *weights) {
  return checkWeights(weights, "tfc_weights_tensors_copied")
             ? weights->impl->getTensorsCopied()
             : -1;
}

const char *tfc_weights_note(const tfc_weights *weights) {
  return checkWeights(weights, "tfc_weights_note")
             ? weights->impl->getNote().c_str()
             : nullptr;
}

// ---- Sessions ----

tfc_session *tfc_session_create(const tfc_weights *weights,
                                int64_t max_context) {
  if (!checkWeights(weights, "tfc_session_create"))
    return nullptr;
  std::unique_ptr<Session> impl =
      createSession(weights->impl, max_context, "tfc_session_create");
  if (!impl)
    return nullptr;
  Session *raw = impl.get();
  auto *session = new (std::nothrow) tfc_session{std::move(impl), raw};
  if (!session)
    fail("tfc_session_create: out of memory");
  return session;
}

void tfc_session_destroy(tfc_session *session) {
  // A batch's session lives as long as its batch (tfc.h).
  if (session && session->owned)
    delete session;
}

int tfc_session_prefill(tfc_session *session, const int64_t *tokens,
                        int64_t n) {
  if (!checkSession(session, "tfc_session_prefill"))
    return -1;
  std::string error;
  return session->impl->prefill(tokens, n, error) ? 0 : fail(error);
}

int tfc_session_prefill_last(tfc_session *session, const int64_t *tokens,
                             int64_t n) {
  if (!checkSession(session, "tfc_session_prefill_last"))
    return -1;
  std::string error;
  return session->impl->prefillLast(tokens, n, error) ? 0 : fail(error);
}

int tfc_session_decode(tfc_session *session, int64_t token) {
  if (!checkSession(session, "tfc_session_decode"))
    return -1;
  std::string error;
  return session->impl->decode(token, error) ? 0 : fail(error);
}

const float *tfc_session_logits(tfc_session *session, int64_t *n_rows) {
  int64_t rows = 0;
  const float *logits = nullptr;
  if (checkSession(session, "tfc_session_logits"))
    logits = session->impl->getLogits(rows);
  if (n_rows)
    *n_rows = rows;
  return logits;
}

int64_t tfc_session_position(const tfc_session *session) {
  return checkSession(session, "tfc_session_position")
             ? session->impl->getPosition()
             : -1;
}

int64_t tfc_session_max_context(const tfc_session *session) {
  return checkSession(session, "tfc_session_max_context")
             ? session->impl->getMaxContext()
             : -1;
}

int tfc_session_beyond_trained_context(const tfc_session *session) {
  if (!checkSession(session, "tfc_session_beyond_trained_context"))
    return -1;
  return session->impl->isBeyondTrainedContext() ? 1 : 0;
}

int64_t tfc_session_kv_cache_bytes(const tfc_session *session) {
  return checkSession(session, "tfc_session_kv_cache_bytes")
             ? session->impl->getKVCacheBytes()
             : -1;
}

int64_t tfc_session_bytes_allocated(const tfc_session *session) {
  return checkSession(session, "tfc_session_bytes_allocated")
             ? session->impl->getBytesAllocated()
             : -1;
}

void tfc_session_reset(tfc_session *session) {
  if (session)
    session->impl->reset();
}

int tfc_session_truncate(tfc_session *session, int64_t n) {
  if (!checkSession(session, "tfc_session_truncate"))
    return -1;
  std::string error;
  return session->impl->truncate(n, error) ? 0 : fail(error);
}

// ---- Batches ----

tfc_batch *tfc_batch_create(const tfc_weights *weights, int64_t num_sessions,
                            int64_t max_context) {
  if (!checkWeights(weights, "tfc_batch_create"))
    return nullptr;
  std::string error;
  std::unique_ptr<SessionBatch> impl =
      SessionBatch::create(weights->impl, num_sessions, max_context, error);
  if (!impl) {
    fail("tfc_batch_create: " + error);
    return nullptr;
  }
  auto *batch = new (std::nothrow) tfc_batch;
  if (!batch) {
    fail("tfc_batch_create: out of memory");
    return nullptr;
  }
  batch->impl = std::move(impl);
  batch->sessions.reserve(static_cast<size_t>(batch->impl->size()));
  for (int64_t i = 0; i < batch->impl->size(); ++i)
    batch->sessions.push_back({nullptr, &batch->impl->getSession(i)});
  return batch;
}

void tfc_batch_destroy(tfc_batch *batch) { delete batch; }

int64_t tfc_batch_size(const tfc_batch *batch) {
  return checkHandle(batch, "tfc_batch_size", "batch") ? batch->impl->size()
                                                       : -1;
}

tfc_session *tfc_batch_session(tfc_batch *batch, int64_t i) {
  if (!checkHandle(batch, "tfc_batch_session", "batch"))
    return nullptr;
  if (i < 0 || i >= batch->impl->size()) {
    fail("tfc_batch_session: index " + std::to_string(i) +
         " is out of range [0, " + std::to_string(batch->impl->size()) + ")");
    return nullptr;
  }
  return &batch->sessions[static_cast<size_t>(i)];
}

int tfc_batch_decode(tfc_batch *batch, const int64_t *sessions,
                     const int64_t *tokens, int64_t n) {
  if (!checkHandle(batch, "tfc_batch_decode", "batch"))
    return -1;
  std::string error;
  return batch->impl->decode(sessions, tokens, n, error)
             ? 0
             : fail("tfc_batch_decode: " + error);
}

// ---- Models ----

tfc_model *tfc_model_create(int64_t max_context) {
  std::unique_ptr<Session> impl =
      createSession(nullptr, max_context, "tfc_model_create");
  if (!impl)
    return nullptr;
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
  std::shared_ptr<const Weights> weights = Weights::load(path, error);
  if (!weights)
    return fail(error);
  model->impl->setWeights(std::move(weights));
  return 0;
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

const char *tfc_model_device(void) {
  return cuda::isCUDALibrary() ? "cuda" : "cpu";
}

// ---- Manifest ----

const char *tfc_manifest_text(void) {
  std::string error;
  const char *text = getLibraryManifestText(error);
  if (!text)
    fail(error);
  return text;
}

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

int64_t tfc_manifest_trained_context(void) {
  const Manifest *manifest = manifestOrFail();
  return manifest ? manifest->trainedContext : -1;
}

int64_t tfc_manifest_position_limit(void) {
  const Manifest *manifest = manifestOrFail();
  return manifest ? manifest->positionLimit : -1;
}

int64_t tfc_manifest_default_max_context(void) {
  const Manifest *manifest = manifestOrFail();
  return manifest ? manifest->defaultMaxContext() : -1;
}

const char *tfc_manifest_base_model_prefix(void) {
  const Manifest *manifest = manifestOrFail();
  return manifest ? manifest->baseModelPrefix.c_str() : nullptr;
}

const char *tfc_manifest_kv_dtype(void) {
  const Manifest *manifest = manifestOrFail();
  return manifest ? manifestDTypeName(manifest->kvDType) : nullptr;
}

int64_t tfc_manifest_num_kv_caches(void) {
  const Manifest *manifest = manifestOrFail();
  return manifest ? static_cast<int64_t>(manifest->kvCaches.size()) : -1;
}

int64_t tfc_manifest_kv_cache_elements_per_token(int64_t i) {
  const ManifestKVCache *cache = kvCacheOrFail(i);
  return cache ? cache->elementsPerToken : -1;
}

int64_t tfc_manifest_kv_cache_window(int64_t i) {
  const ManifestKVCache *cache = kvCacheOrFail(i);
  return cache ? cache->window : -1;
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
  return weight ? manifestDTypeName(weight->dtype) : nullptr;
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

int64_t tfc_manifest_num_optional(void) {
  const Manifest *manifest = manifestOrFail();
  return manifest ? static_cast<int64_t>(manifest->optional.size()) : -1;
}

const char *tfc_manifest_optional_name(int64_t i) {
  const std::string *name =
      elementOrFail(&Manifest::optional, i, "optional tensor");
  return name ? name->c_str() : nullptr;
}

} // extern "C"
