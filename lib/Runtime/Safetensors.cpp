//===- Safetensors.cpp - Memory-mapped safetensors checkpoints ------------===//
//
// Format: an 8-byte little-endian header length N, N bytes of JSON mapping
// tensor names to {"dtype", "shape", "data_offsets": [begin, end]} (offsets
// relative to the data that follows the header), then the data.
//
//===----------------------------------------------------------------------===//

#include "Safetensors.h"
#include "JSON.h"
#include "Support.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace tfc::runtime;

// The limit of the reference implementation (safetensors' MAX_HEADER_SIZE);
// a larger length means the file is not safetensors or is corrupt.
static constexpr uint64_t kMaxHeaderBytes = 100000000;

// Index files hold one line per tensor; this bounds a corrupt one.
static constexpr off_t kMaxIndexBytes = 256 << 20;

static std::string errnoMessage(const std::string &what) {
  return what + ": " + std::strerror(errno);
}

size_t tfc::runtime::pageSize() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

AddressRange::~AddressRange() {
  if (base)
    munmap(base, length);
}

bool AddressRange::reserve(size_t bytes, std::string &error) {
  // mmap rejects length 0; one page keeps the base valid.
  size_t reserved = bytes ? bytes : pageSize();
  void *p = mmap(nullptr, reserved, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    error = errnoMessage("cannot reserve " + std::to_string(reserved) +
                         " bytes of address space for the weights");
    return false;
  }
  base = p;
  length = reserved;
  return true;
}

void AddressRange::shrink(size_t bytes) {
  size_t keep = (bytes + pageSize() - 1) / pageSize() * pageSize();
  if (keep == 0)
    keep = pageSize(); // the base stays valid
  if (!base || keep >= length)
    return;
  munmap(data() + keep, length - keep);
  length = keep;
}

std::unique_ptr<SafetensorsFile>
SafetensorsFile::parse(const std::string &path, const unsigned char *mapping,
                       size_t size, std::string &error) {
  std::unique_ptr<SafetensorsFile> file(new SafetensorsFile());
  file->path = path;
  file->mapping = mapping;
  file->size = size;
  if (!file->parseHeader(error)) {
    error = path + ": " + error;
    return nullptr;
  }
  return file;
}

bool SafetensorsFile::parseHeader(std::string &error) {
  const unsigned char *bytes = mapping;
  // Checkpoint::open refuses such files first; parse must not rely on it
  // (tfc-fuzz-safetensors read 8 bytes of a 3-byte file).
  if (size < 8) {
    error = "truncated or not a safetensors file: " + std::to_string(size) +
            " bytes, fewer than the 8 of the header length";
    return false;
  }
  uint64_t headerBytes = 0;
  for (int i = 7; i >= 0; --i)
    headerBytes = (headerBytes << 8) | bytes[i];
  uint64_t available = size - 8;
  if (headerBytes > available) {
    error = "truncated or not a safetensors file: header length " +
            std::to_string(headerBytes) + " exceeds the " +
            std::to_string(available) + " bytes after it";
    return false;
  }
  if (headerBytes > kMaxHeaderBytes) {
    error = "corrupt safetensors header: length " +
            std::to_string(headerBytes) + " exceeds the limit of " +
            std::to_string(kMaxHeaderBytes);
    return false;
  }
  std::string_view headerText(reinterpret_cast<const char *>(bytes + 8),
                              headerBytes);
  JSONValue header;
  std::string jsonError;
  if (!parseJSON(headerText, header, jsonError)) {
    error = "corrupt safetensors header: " + jsonError;
    return false;
  }
  if (!header.isObject()) {
    error = "corrupt safetensors header: expected a JSON object, got " +
            std::string(jsonKindName(header.kind));
    return false;
  }

  const unsigned char *data = bytes + 8 + headerBytes;
  int64_t dataBytes = static_cast<int64_t>(available - headerBytes);
  std::vector<std::pair<int64_t, int64_t>> ranges; // (begin, tensor index)
  for (size_t i = 0; i < header.keys.size(); ++i) {
    const std::string &name = header.keys[i];
    const JSONValue &entry = header.values[i];
    if (name == "__metadata__")
      continue; // free-form string map; nothing the runtime needs
    std::string where = "tensor '" + name + "': ";
    if (!entry.isObject()) {
      error = "corrupt safetensors header: " + where + "expected an object";
      return false;
    }
    const JSONValue *dtype = entry.get("dtype");
    const JSONValue *shape = entry.get("shape");
    const JSONValue *offsets = entry.get("data_offsets");
    if (!dtype || !dtype->isString() || !shape || !shape->isArray() ||
        !offsets || !offsets->isArray()) {
      error = "corrupt safetensors header: " + where +
              "needs \"dtype\" (string), \"shape\" and \"data_offsets\" "
              "(arrays)";
      return false;
    }
    TensorInfo tensor;
    tensor.name = name;
    tensor.path = &path;
    if (!parseDType(dtype->string, tensor.dtype)) {
      error = where + "unsupported dtype '" + dtype->string + "'";
      return false;
    }
    for (const JSONValue &dim : shape->elements) {
      if (!dim.isInteger || dim.integer < 0) {
        error = "corrupt safetensors header: " + where +
                "shape entries must be non-negative integers";
        return false;
      }
      tensor.shape.push_back(dim.integer);
    }
    if (offsets->elements.size() != 2 || !offsets->elements[0].isInteger ||
        !offsets->elements[1].isInteger || offsets->elements[0].integer < 0 ||
        offsets->elements[1].integer < offsets->elements[0].integer) {
      error = "corrupt safetensors header: " + where +
              "data_offsets must be [begin, end] with 0 <= begin <= end";
      return false;
    }
    int64_t begin = offsets->elements[0].integer;
    int64_t end = offsets->elements[1].integer;
    int64_t expectedBytes;
    if (!checkedVolume(tensor.shape, dtypeSize(tensor.dtype), expectedBytes)) {
      error = "corrupt safetensors header: " + where + "shape too large";
      return false;
    }
    if (end > dataBytes) {
      error = "truncated safetensors file: " + where + "data_offsets [" +
              std::to_string(begin) + ", " + std::to_string(end) +
              ") extend past the " + std::to_string(dataBytes) +
              " data bytes in the file";
      return false;
    }
    if (end - begin != expectedBytes) {
      error = "corrupt safetensors header: " + where + "data_offsets [" +
              std::to_string(begin) + ", " + std::to_string(end) + ") hold " +
              std::to_string(end - begin) + " bytes but " +
              dtypeName(tensor.dtype) + " " + formatShape(tensor.shape) +
              " needs " + std::to_string(expectedBytes);
      return false;
    }
    tensor.data = data + begin;
    tensor.numBytes = expectedBytes;
    ranges.emplace_back(begin, static_cast<int64_t>(tensors.size()));
    tensors.push_back(std::move(tensor));
  }

  // Overlapping tensors mean a corrupt header (the writer never shares data).
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i) {
    const TensorInfo &prev = tensors[ranges[i - 1].second];
    const TensorInfo &cur = tensors[ranges[i].second];
    if (prev.numBytes > 0 &&
        ranges[i].first < ranges[i - 1].first + prev.numBytes) {
      error = "corrupt safetensors header: the data of tensors '" + prev.name +
              "' and '" + cur.name + "' overlap";
      return false;
    }
  }
  for (const TensorInfo &tensor : tensors)
    byName[tensor.name] = &tensor;
  return true;
}

const TensorInfo *SafetensorsFile::find(const std::string &name) const {
  auto it = byName.find(name);
  return it == byName.end() ? nullptr : it->second;
}

static bool isDirectory(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

static bool exists(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

static bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

static bool readSmallFile(const std::string &path, std::string &text,
                          std::string &error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = errnoMessage("cannot open '" + path + "'");
    return false;
  }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      st.st_size > kMaxIndexBytes) {
    error = "'" + path + "' is not a regular file of at most " +
            std::to_string(kMaxIndexBytes) + " bytes";
    ::close(fd);
    return false;
  }
  text.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::read(fd, &text[done], text.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      error = errnoMessage("cannot read '" + path + "'");
      ::close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  return true;
}

struct Checkpoint::OpenFile {
  std::string path;
  int fd = -1;
  size_t size = 0;
};

/// Opens `path` for mapping; false with `error` naming the file.
static bool openForMapping(const std::string &path, int &fd, size_t &size,
                           std::string &error) {
  fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = errnoMessage("cannot open '" + path + "'");
    return false;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    error = errnoMessage("cannot stat '" + path + "'");
  } else if (!S_ISREG(st.st_mode)) {
    error = "'" + path + "' is not a regular file";
  } else if (st.st_size < 8) {
    error = path +
            ": truncated safetensors file: " + std::to_string(st.st_size) +
            " bytes, less than the 8-byte header length";
  } else {
    size = static_cast<size_t>(st.st_size);
    return true;
  }
  ::close(fd);
  fd = -1;
  return false;
}

bool Checkpoint::mapFiles(std::vector<OpenFile> &opened, size_t reserveAfter,
                          std::vector<std::string> &errors,
                          std::vector<SafetensorsFile *> &parsed) {
  parsed.assign(opened.size(), nullptr);
  size_t page = pageSize(), total = 0;
  bool overflow = false;
  std::vector<size_t> starts;
  for (const OpenFile &file : opened) {
    starts.push_back(total);
    size_t rounded = (file.size + page - 1) / page * page;
    overflow |= rounded < file.size ||
                __builtin_add_overflow(total, rounded, &total);
    fileBytes += static_cast<int64_t>(file.size);
  }
  filesEnd = total;
  std::string error;
  bool ok = true;
  if (overflow || __builtin_add_overflow(total, reserveAfter, &total)) {
    errors.push_back("the checkpoint's files do not fit in the address space");
    ok = false;
  } else if (!range.reserve(total, error)) {
    errors.push_back(error);
    ok = false;
  }
  for (size_t i = 0; i < opened.size(); ++i) {
    OpenFile &file = opened[i];
    if (ok) {
      void *at = range.data() + starts[i];
      // MAP_PRIVATE + PROT_READ: the page cache's pages, shared with every
      // process mapping the same file; nothing is read until touched.
      void *p = mmap(at, file.size, PROT_READ, MAP_PRIVATE | MAP_FIXED,
                     file.fd, 0);
      if (p == MAP_FAILED) {
        errors.push_back(errnoMessage("cannot map '" + file.path + "'"));
      } else {
        std::unique_ptr<SafetensorsFile> st = SafetensorsFile::parse(
            file.path, static_cast<unsigned char *>(p), file.size, error);
        if (!st) {
          errors.push_back(error);
        } else {
          parsed[i] = st.get();
          files.push_back(std::move(st));
        }
      }
    }
    ::close(file.fd); // the mapping keeps the file alive
    file.fd = -1;
  }
  return ok;
}

std::unique_ptr<Checkpoint> Checkpoint::open(const std::string &path,
                                             size_t reserveAfter,
                                             std::vector<std::string> &errors) {
  std::unique_ptr<Checkpoint> checkpoint(new Checkpoint());
  if (!exists(path)) {
    errors.push_back(std::strerror(errno));
    return nullptr;
  }
  std::string file = path;
  if (isDirectory(path)) {
    std::string dir = endsWith(path, "/") ? path : path + "/";
    if (exists(dir + "model.safetensors")) {
      file = dir + "model.safetensors";
    } else if (exists(dir + "model.safetensors.index.json")) {
      file = dir + "model.safetensors.index.json";
    } else {
      errors.push_back("directory '" + path +
                       "' holds neither model.safetensors nor "
                       "model.safetensors.index.json");
      return nullptr;
    }
  }

  if (endsWith(file, ".json")) {
    if (!checkpoint->openIndex(file, reserveAfter, errors))
      return nullptr;
    return checkpoint;
  }
  std::string error;
  std::vector<OpenFile> opened(1);
  opened[0].path = file;
  if (!openForMapping(file, opened[0].fd, opened[0].size, error)) {
    errors.push_back(error);
    return nullptr;
  }
  std::vector<SafetensorsFile *> parsed;
  if (!checkpoint->mapFiles(opened, reserveAfter, errors, parsed) ||
      !parsed[0])
    return nullptr;
  for (const TensorInfo &tensor : parsed[0]->getTensors())
    checkpoint->byName[tensor.name] = &tensor;
  return checkpoint;
}

bool Checkpoint::openIndex(const std::string &indexPath, size_t reserveAfter,
                           std::vector<std::string> &errors) {
  std::string text, error;
  if (!readSmallFile(indexPath, text, error)) {
    errors.push_back(error);
    return false;
  }
  JSONValue index;
  if (!parseJSON(text, index, error)) {
    errors.push_back(indexPath + ": corrupt index: " + error);
    return false;
  }
  const JSONValue *weightMap =
      index.isObject() ? index.get("weight_map") : nullptr;
  if (!weightMap || !weightMap->isObject()) {
    errors.push_back(indexPath + ": not a safetensors index: no \"weight_map\" "
                                 "object");
    return false;
  }

  size_t slash = indexPath.rfind('/');
  std::string dir =
      slash == std::string::npos ? "" : indexPath.substr(0, slash + 1);
  size_t errorsBefore = errors.size();
  // Shards in order of first mention; a shard that fails to open is reported
  // once and its tensors are not reported again.
  std::unordered_map<std::string, size_t> shardSlot;
  std::vector<OpenFile> opened;
  std::vector<bool> openFailed;
  for (size_t i = 0; i < weightMap->keys.size(); ++i) {
    const JSONValue &shardValue = weightMap->values[i];
    if (!shardValue.isString()) {
      errors.push_back(indexPath + ": weight_map entry '" + weightMap->keys[i] +
                       "' is not a file name");
      continue;
    }
    if (shardSlot.count(shardValue.string))
      continue;
    OpenFile shard;
    shard.path = dir + shardValue.string;
    if (!openForMapping(shard.path, shard.fd, shard.size, error)) {
      errors.push_back(error);
      shardSlot[shardValue.string] = SIZE_MAX;
      continue;
    }
    shardSlot[shardValue.string] = opened.size();
    opened.push_back(std::move(shard));
  }
  std::vector<SafetensorsFile *> parsed;
  if (!mapFiles(opened, reserveAfter, errors, parsed))
    return false;
  for (size_t i = 0; i < weightMap->keys.size(); ++i) {
    const std::string &name = weightMap->keys[i];
    const JSONValue &shardValue = weightMap->values[i];
    if (!shardValue.isString())
      continue;
    size_t slot = shardSlot[shardValue.string];
    if (slot == SIZE_MAX || !parsed[slot])
      continue; // reported above
    const TensorInfo *found = parsed[slot]->find(name);
    if (!found) {
      errors.push_back(indexPath + ": maps '" + name + "' to " +
                       shardValue.string + ", which does not hold it");
      continue;
    }
    byName[name] = found;
  }
  // A tensor the index does not send to its shard would silently vanish.
  for (const auto &file : files)
    for (const TensorInfo &tensor : file->getTensors()) {
      auto it = byName.find(tensor.name);
      if (it == byName.end() || it->second != &tensor)
        errors.push_back(file->getPath() + ": holds '" + tensor.name +
                         "', which " + indexPath + " does not map to it");
    }
  return errors.size() == errorsBefore;
}

const TensorInfo *Checkpoint::find(const std::string &name) const {
  auto it = byName.find(name);
  return it == byName.end() ? nullptr : it->second;
}

std::vector<const TensorInfo *> Checkpoint::getTensorsByName() const {
  std::vector<const TensorInfo *> result;
  for (const auto &entry : byName)
    result.push_back(entry.second);
  std::sort(result.begin(), result.end(),
            [](const TensorInfo *a, const TensorInfo *b) {
              return a->name < b->name;
            });
  return result;
}
