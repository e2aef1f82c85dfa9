//===- Safetensors.h - Memory-mapped safetensors checkpoints ----*- C++ -*-===//
//
// Reads single-file and sharded (model.safetensors.index.json) checkpoints.
// Files are mapped, not read: binding converts each tensor straight from the
// page cache into the arena. Every header is validated before any tensor is
// touched, so a corrupt or truncated file is an error, never a crash.
//
//===----------------------------------------------------------------------===//

#ifndef TFC_RUNTIME_SAFETENSORS_H
#define TFC_RUNTIME_SAFETENSORS_H

#include "DType.h"

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace tfc::runtime {

struct TensorInfo {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  /// First byte of the tensor in the mapping; any alignment.
  const unsigned char *data = nullptr;
  int64_t numBytes = 0;
  /// Path of the file holding the tensor.
  const std::string *path = nullptr;
};

/// One mapped .safetensors file with a validated header.
class SafetensorsFile {
public:
  ~SafetensorsFile();
  SafetensorsFile(const SafetensorsFile &) = delete;
  SafetensorsFile &operator=(const SafetensorsFile &) = delete;

  /// Maps and validates `path`; null with `error` (naming the file) on
  /// failure.
  static std::unique_ptr<SafetensorsFile> open(const std::string &path,
                                               std::string &error);

  const std::string &getPath() const { return path; }
  /// Tensors in header order.
  const std::vector<TensorInfo> &getTensors() const { return tensors; }
  /// The tensor called `name`, or null.
  const TensorInfo *find(const std::string &name) const;

private:
  SafetensorsFile() = default;
  bool parseHeader(std::string &error);

  std::string path;
  void *mapping = nullptr;
  size_t size = 0;
  std::vector<TensorInfo> tensors;
  std::unordered_map<std::string, const TensorInfo *> byName;
};

/// A whole checkpoint: one file or the shards of an index.
class Checkpoint {
public:
  /// Opens a directory (model.safetensors, else
  /// model.safetensors.index.json), an index .json or a .safetensors file.
  /// On failure returns null and appends every problem found to `errors`.
  static std::unique_ptr<Checkpoint> open(const std::string &path,
                                          std::vector<std::string> &errors);

  /// The tensor called `name`, or null.
  const TensorInfo *find(const std::string &name) const;
  /// Every tensor of the checkpoint, sorted by name.
  std::vector<const TensorInfo *> getTensorsByName() const;

private:
  Checkpoint() = default;
  bool openIndex(const std::string &indexPath,
                 std::vector<std::string> &errors);

  std::vector<std::unique_ptr<SafetensorsFile>> files;
  std::unordered_map<std::string, const TensorInfo *> byName;
};

} // namespace tfc::runtime

#endif // TFC_RUNTIME_SAFETENSORS_H
