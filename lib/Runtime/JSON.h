//===- JSON.h - Minimal JSON parser for checkpoint headers ------*- C++ -*-===//
//
// Parses the JSON of safetensors headers and index files. The runtime is
// linked into every model .so and may not depend on LLVM, hence no
// llvm::json; this parser keeps integers exact (data offsets exceed 2^53 in
// principle) and bounds nesting so a corrupt header cannot overflow the stack.
//
//===----------------------------------------------------------------------===//

#ifndef TFC_RUNTIME_JSON_H
#define TFC_RUNTIME_JSON_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tfc::runtime {

struct JSONValue {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  /// Set when the number was written as an integer that fits in int64_t.
  bool isInteger = false;
  int64_t integer = 0;
  std::string string;
  std::vector<JSONValue> elements;
  /// Object members in source order; keys[i] names values[i].
  std::vector<std::string> keys;
  std::vector<JSONValue> values;

  bool isObject() const { return kind == Kind::Object; }
  bool isArray() const { return kind == Kind::Array; }
  bool isString() const { return kind == Kind::String; }
  /// The member named `key` of an object, or null if absent.
  const JSONValue *get(std::string_view key) const;
};

/// Parses `text` as one JSON value. On failure returns false and sets `error`
/// to a message with the byte offset. Duplicate object keys are errors.
bool parseJSON(std::string_view text, JSONValue &result, std::string &error);

/// Name of a kind for error messages ("object", "string", ...).
const char *jsonKindName(JSONValue::Kind kind);

} // namespace tfc::runtime

#endif // TFC_RUNTIME_JSON_H
