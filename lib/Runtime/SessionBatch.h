//===- SessionBatch.h - Sessions decoded together ---------------*- C++ -*-===//
//
// A fixed set of sessions on one Weights whose KV caches are slots of one
// buffer, so that the generated tfc_decode_batch runs one token of any subset
// of them in one call and reads each weight once for all of them.
//
//===----------------------------------------------------------------------===//

#ifndef TFC_RUNTIME_SESSIONBATCH_H
#define TFC_RUNTIME_SESSIONBATCH_H

#include "Session.h"

namespace tfc::runtime {

class SessionBatch {
public:
  /// `count` sessions of `maxContext` positions (<= 0: the manifest's
  /// default). Null with `error` set as Session::create, or when count is
  /// outside [1, kMaxSessions].
  static std::unique_ptr<SessionBatch>
  create(std::shared_ptr<const Weights> weights, int64_t count,
         int64_t maxContext, std::string &error);

  /// The most sessions one batch holds.
  static constexpr int64_t kMaxSessions = 4096;

  int64_t size() const { return static_cast<int64_t>(sessions.size()); }
  Session &getSession(int64_t i) { return *sessions[i]; }

  /// One decode step: session indices[j] runs tokens[j], as
  /// Session::decode would, for j in [0, n). Fails, changing nothing, when
  /// n is outside [1, size()], an index is out of range or repeated, or a
  /// session's decode would fail.
  bool decode(const int64_t *indices, const int64_t *tokens, int64_t n,
              std::string &error);

private:
  SessionBatch() = default;

  std::shared_ptr<const Weights> weights;
  /// The sessions' caches, `stride` bytes apart, each followed by an
  /// inaccessible page.
  ZeroedBuffer pool;
  int64_t stride = 0;
  std::vector<std::unique_ptr<Session>> sessions;
  /// [n, vocab] of the last step, before each row goes to its session.
  ZeroedBuffer logits;
  /// A --target=cuda library: the pool and the logits on the device, the
  /// tokens, positions and cache offsets in mapped host memory.
  bool onDevice = false;
  cuda::DeviceBuffer devicePool, deviceLogits;
  cuda::MappedBuffer deviceInputs;
};

} // namespace tfc::runtime

#endif // TFC_RUNTIME_SESSIONBATCH_H
