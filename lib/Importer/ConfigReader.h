//===- ConfigReader.h - Typed, checked access to a JSON config --*- C++ -*-===//
//
// Every read names its field; a missing required field, a wrong type or an
// out-of-range value becomes an error naming the field, the value and what is
// accepted. Fields never read are reported as unknown (a warning).
//
//===----------------------------------------------------------------------===//
#ifndef TFC_LIB_IMPORTER_CONFIGREADER_H
#define TFC_LIB_IMPORTER_CONFIGREADER_H

#include "tfc/Importer/Importer.h"

#include "llvm/ADT/StringSet.h"

namespace mlir::tfc {

class ConfigReader {
public:
  ConfigReader(const llvm::json::Object &object, ImportDiagnostics &diags,
               std::string prefix = "")
      : object(object), diags(diags), prefix(std::move(prefix)) {}

  /// A reader of an object merged from several (a card's block with a
  /// `layers` entry on top): `origins` maps each field's path inside the
  /// merged object to the object it came from, `path` is this object's path
  /// ("" at the top); where() names the field where it was written.
  ConfigReader(const llvm::json::Object &object, ImportDiagnostics &diags,
               const llvm::StringMap<std::string> *origins, std::string path,
               std::string fallback)
      : object(object), diags(diags), prefix(std::move(fallback)),
        origins(origins), path(std::move(path)) {}

  /// A reader of the nested object `o`, the value of `key`.
  ConfigReader nested(const llvm::json::Object &o, llvm::StringRef key) const;

  /// Whether `key` is present (and not null). Marks it as read.
  bool has(llvm::StringRef key);
  /// Whether `key` is present, even as null (null can differ from absent:
  /// absent means the family's default).
  bool present(llvm::StringRef key) { return object.get(key) != nullptr; }
  /// The first of `keys` that is present, or "" (aliases: n_embd / hidden_size).
  llvm::StringRef firstPresent(llvm::ArrayRef<llvm::StringRef> keys);

  /// An integer in [min, the field's bound] (limits::getFieldLimit: layers,
  /// heads, widths, ... have bounds of their own; any other integer at most
  /// 2^53); an integral float (4096.0) counts.
  std::optional<int64_t> optInt(llvm::StringRef key, int64_t min = 1);
  int64_t getInt(llvm::StringRef key, int64_t dflt, int64_t min = 1);
  int64_t requireInt(llvm::StringRef key, int64_t min = 1);
  /// A number above (or at, without exclusiveMin) `min` that is finite and
  /// neither overflows f32 nor rounds to zero in it.
  std::optional<double> optFloat(llvm::StringRef key, double min = 0.0,
                                 bool exclusiveMin = true);
  double getFloat(llvm::StringRef key, double dflt, double min = 0.0,
                  bool exclusiveMin = true);
  double requireFloat(llvm::StringRef key, double min = 0.0,
                      bool exclusiveMin = true);
  bool getBool(llvm::StringRef key, bool dflt);
  std::optional<std::string> optString(llvm::StringRef key);
  std::string getString(llvm::StringRef key, llvm::StringRef dflt);
  std::string requireString(llvm::StringRef key);
  /// A string among `accepted`.
  std::string getChoice(llvm::StringRef key, llvm::StringRef dflt,
                        llvm::ArrayRef<llvm::StringRef> accepted);
  /// A nested object, or null (an error if present with another type).
  const llvm::json::Object *optObject(llvm::StringRef key);
  /// A nested array, or null (an error if present with another type).
  const llvm::json::Array *optArray(llvm::StringRef key);

  /// Marks fields as known but without effect on the computation.
  void ignore(llvm::ArrayRef<llvm::StringRef> keys);
  /// Warns about every field neither read nor ignored.
  void warnUnknown();

  void error(llvm::StringRef key, const llvm::Twine &msg);
  std::string where(llvm::StringRef key) const;
  ImportDiagnostics &getDiags() { return diags; }
  const llvm::json::Object &getObject() const { return object; }

private:
  const llvm::json::Value *lookup(llvm::StringRef key);

  const llvm::json::Object &object;
  ImportDiagnostics &diags;
  std::string prefix;
  const llvm::StringMap<std::string> *origins = nullptr;
  std::string path;
  llvm::StringSet<> seen;
};

} // namespace mlir::tfc

#endif // TFC_LIB_IMPORTER_CONFIGREADER_H
