//===- Safetensors.h - Memory-mapped safetensors checkpoints ----*- C++ -*-===//
//
// Reads single-file and sharded (model.safetensors.index.json) checkpoints.
// Files are mapped, not read, all into one reserved address range, so that
// the generated code reaches every tensor as an offset from one base
// (docs/ABI.md). Every header is validated before any tensor is touched, so
// a corrupt or truncated file is an error, never a crash.
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

/// An address range reserved with PROT_NONE (MAP_NORESERVE: it costs no
/// memory); files and anonymous memory are mapped over parts of it with
/// MAP_FIXED. The whole range is unmapped on destruction.
class AddressRange {
public:
  AddressRange() = default;
  ~AddressRange();
  AddressRange(const AddressRange &) = delete;
  AddressRange &operator=(const AddressRange &) = delete;

  bool reserve(size_t bytes, std::string &error);
  /// Unmaps everything from `bytes` on.
  void shrink(size_t bytes);
  unsigned char *data() const { return static_cast<unsigned char *>(base); }
  size_t size() const { return length; }

private:
  void *base = nullptr;
  size_t length = 0;
};

/// The system page size; mappings start at multiples of it.
size_t pageSize();

/// One mapped .safetensors file with a validated header. The mapping
/// belongs to the Checkpoint's AddressRange.
class SafetensorsFile {
public:
  SafetensorsFile(const SafetensorsFile &) = delete;
  SafetensorsFile &operator=(const SafetensorsFile &) = delete;

  /// Validates the header of the file `path` mapped at `mapping`; null with
  /// `error` (naming the file) on failure.
  static std::unique_ptr<SafetensorsFile>
  parse(const std::string &path, const unsigned char *mapping, size_t size,
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
  const unsigned char *mapping = nullptr;
  size_t size = 0;
  std::vector<TensorInfo> tensors;
  std::unordered_map<std::string, const TensorInfo *> byName;
};

/// A whole checkpoint: one file or the shards of an index.
class Checkpoint {
public:
  /// Opens a directory (model.safetensors, else
  /// model.safetensors.index.json), an index .json or a .safetensors file,
  /// and maps its files one after another (each at a page boundary) at the
  /// start of one address range that reserves `reserveAfter` more bytes
  /// after them. On failure returns null and appends every problem found to
  /// `errors`.
  static std::unique_ptr<Checkpoint> open(const std::string &path,
                                          size_t reserveAfter,
                                          std::vector<std::string> &errors);

  /// The tensor called `name`, or null.
  const TensorInfo *find(const std::string &name) const;
  /// Every tensor of the checkpoint, sorted by name.
  std::vector<const TensorInfo *> getTensorsByName() const;

  /// The range holding the files, then the reserved bytes.
  AddressRange &getRange() { return range; }
  const AddressRange &getRange() const { return range; }
  /// Offset in the range of the first byte after the (page-rounded) files.
  size_t getFilesEnd() const { return filesEnd; }
  /// Sum of the file sizes.
  int64_t getFileBytes() const { return fileBytes; }

private:
  Checkpoint() = default;
  bool openIndex(const std::string &indexPath, size_t reserveAfter,
                 std::vector<std::string> &errors);
  struct OpenFile;
  /// Reserves the range and maps `opened` into it; parsed files are added
  /// to `files`, a failure to `errors` (and its slot stays null).
  bool mapFiles(std::vector<OpenFile> &opened, size_t reserveAfter,
                std::vector<std::string> &errors,
                std::vector<SafetensorsFile *> &parsed);

  AddressRange range;
  size_t filesEnd = 0;
  int64_t fileBytes = 0;
  std::vector<std::unique_ptr<SafetensorsFile>> files;
  std::unordered_map<std::string, const TensorInfo *> byName;
};

} // namespace tfc::runtime

#endif // TFC_RUNTIME_SAFETENSORS_H
