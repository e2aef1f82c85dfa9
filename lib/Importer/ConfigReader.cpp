//===- ConfigReader.cpp - Typed, checked access to a JSON config ----------===//
#include "ConfigReader.h"

#include "tfc/Importer/Limits.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::tfc;
using JSONValue = llvm::json::Value;


static std::string describe(const JSONValue &value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << value;
  if (text.size() > 40)
    text = text.substr(0, 37) + "...";
  return text;
}

std::string ConfigReader::where(llvm::StringRef key) const {
  if (origins) {
    std::string full = path.empty() ? key.str() : path + "." + key.str();
    auto it = origins->find(full);
    return (it != origins->end() ? it->second : prefix) + "." + full;
  }
  return (prefix.empty() ? key.str() : prefix + "." + key.str());
}

ConfigReader ConfigReader::nested(const llvm::json::Object &o,
                                  llvm::StringRef key) const {
  if (origins)
    return ConfigReader(o, diags, origins,
                        path.empty() ? key.str() : path + "." + key.str(),
                        prefix);
  return ConfigReader(o, diags, where(key));
}

void ConfigReader::error(llvm::StringRef key, const llvm::Twine &msg) {
  diags.error("field '" + where(key) + "': " + msg);
}

const JSONValue *ConfigReader::lookup(llvm::StringRef key) {
  seen.insert(key);
  const JSONValue *value = object.get(key);
  if (!value || value->kind() == JSONValue::Null)
    return nullptr;
  return value;
}

bool ConfigReader::has(llvm::StringRef key) { return lookup(key) != nullptr; }

llvm::StringRef
ConfigReader::firstPresent(llvm::ArrayRef<llvm::StringRef> keys) {
  llvm::StringRef found;
  for (llvm::StringRef key : keys)
    if (has(key) && found.empty())
      found = key;
  return found;
}

std::optional<int64_t> ConfigReader::optInt(llvm::StringRef key, int64_t min) {
  const JSONValue *value = lookup(key);
  if (!value)
    return std::nullopt;
  limits::FieldLimit limit = limits::getFieldLimit(key);
  auto outOfRange = [&](const std::string &shown) {
    std::string bound =
        limit.what.empty()
            ? std::string(" (the largest integer a JSON number holds exactly)")
            : " (tfc's bound on " + limit.what.str() + ", docs/reliability.md)";
    error(key, llvm::formatv("value {0} is out of range; expected an integer "
                             "from {1} to {2}{3}",
                             shown, min, limit.max, bound));
    return std::nullopt;
  };
  std::optional<int64_t> v = value->getAsInteger();
  if (!v) {
    // 4096.0 is an integer written as a float: accept it. Whether it is in
    // range is decided on the double: casting one outside int64_t's range
    // is undefined behaviour.
    std::optional<double> d = value->getAsNumber();
    if (d && std::isfinite(*d) && std::trunc(*d) == *d) {
      if (!(*d >= static_cast<double>(min) &&
            *d <= static_cast<double>(limit.max)))
        return outOfRange(formatNumber(*d));
      v = static_cast<int64_t>(*d);
    } else if (d && !std::isfinite(*d)) {
      return outOfRange(describe(*value));
    }
  }
  if (!v) {
    error(key, "expected an integer, got " + describe(*value));
    return std::nullopt;
  }
  if (*v < min || *v > limit.max)
    return outOfRange(std::to_string(*v));
  return v;
}

int64_t ConfigReader::getInt(llvm::StringRef key, int64_t dflt, int64_t min) {
  return optInt(key, min).value_or(dflt);
}

int64_t ConfigReader::requireInt(llvm::StringRef key, int64_t min) {
  if (!object.get(key) || object.get(key)->kind() == JSONValue::Null) {
    seen.insert(key);
    error(key, "required field is missing");
    return min;
  }
  return optInt(key, min).value_or(min);
}

std::optional<double> ConfigReader::optFloat(llvm::StringRef key, double min,
                                             bool exclusiveMin) {
  const JSONValue *value = lookup(key);
  if (!value)
    return std::nullopt;
  std::optional<double> v = value->getAsNumber();
  if (!v) {
    error(key, "expected a number, got " + describe(*value));
    return std::nullopt;
  }
  // A literal beyond double's range (1e400) parses as infinity; the model
  // computes in f32, where a finite double may still overflow (1e39) or
  // flush to zero (1e-50, which would pass a "> 0" check as a value the
  // model then divides by). Any of them would compile into silently wrong
  // logits.
  if (!std::isfinite(*v) || std::fabs(*v) > std::numeric_limits<float>::max()) {
    error(key, "value " +
                   (std::isfinite(*v) ? formatNumber(*v) : std::string("inf")) +
                   " is out of range; expected a finite number of magnitude "
                   "at most 3.4e38 (the model computes in f32)");
    return std::nullopt;
  }
  if (*v != 0.0 && static_cast<float>(*v) == 0.0f) {
    error(key, "value " + formatNumber(*v) +
                   " is out of range; it rounds to 0 in f32 (the model "
                   "computes in f32; the least positive f32 is 1.4e-45)");
    return std::nullopt;
  }
  if (exclusiveMin ? !(*v > min) : !(*v >= min)) {
    error(key, "value " + formatNumber(*v) + " is out of range; expected a number " +
                   (exclusiveMin ? "> " : ">= ") + formatNumber(min));
    return std::nullopt;
  }
  return v;
}

double ConfigReader::getFloat(llvm::StringRef key, double dflt, double min,
                              bool exclusiveMin) {
  return optFloat(key, min, exclusiveMin).value_or(dflt);
}

double ConfigReader::requireFloat(llvm::StringRef key, double min,
                                  bool exclusiveMin) {
  if (!object.get(key) || object.get(key)->kind() == JSONValue::Null) {
    seen.insert(key);
    error(key, "required field is missing");
    return 1.0;
  }
  return optFloat(key, min, exclusiveMin).value_or(1.0);
}

bool ConfigReader::getBool(llvm::StringRef key, bool dflt) {
  const JSONValue *value = lookup(key);
  if (!value)
    return dflt;
  std::optional<bool> v = value->getAsBoolean();
  if (!v) {
    error(key, "expected true or false, got " + describe(*value));
    return dflt;
  }
  return *v;
}

std::optional<std::string> ConfigReader::optString(llvm::StringRef key) {
  const JSONValue *value = lookup(key);
  if (!value)
    return std::nullopt;
  std::optional<llvm::StringRef> v = value->getAsString();
  if (!v) {
    error(key, "expected a string, got " + describe(*value));
    return std::nullopt;
  }
  return v->str();
}

std::string ConfigReader::getString(llvm::StringRef key, llvm::StringRef dflt) {
  return optString(key).value_or(dflt.str());
}

std::string ConfigReader::requireString(llvm::StringRef key) {
  if (!object.get(key) || object.get(key)->kind() == JSONValue::Null) {
    seen.insert(key);
    error(key, "required field is missing");
    return "";
  }
  return optString(key).value_or("");
}

std::string ConfigReader::getChoice(llvm::StringRef key, llvm::StringRef dflt,
                                    llvm::ArrayRef<llvm::StringRef> accepted) {
  std::optional<std::string> v = optString(key);
  if (!v)
    return dflt.str();
  if (llvm::is_contained(accepted, *v))
    return *v;
  std::string list;
  for (llvm::StringRef a : accepted)
    list += (list.empty() ? "" : ", ") + ("\"" + a + "\"").str();
  error(key, "unsupported value \"" + *v + "\"; accepted: " + list);
  return dflt.str();
}

const llvm::json::Object *ConfigReader::optObject(llvm::StringRef key) {
  const JSONValue *value = lookup(key);
  if (!value)
    return nullptr;
  if (!value->getAsObject())
    error(key, "expected an object, got " + describe(*value));
  return value->getAsObject();
}

const llvm::json::Array *ConfigReader::optArray(llvm::StringRef key) {
  const JSONValue *value = lookup(key);
  if (!value)
    return nullptr;
  if (!value->getAsArray())
    error(key, "expected an array, got " + describe(*value));
  return value->getAsArray();
}

void ConfigReader::ignore(llvm::ArrayRef<llvm::StringRef> keys) {
  for (llvm::StringRef key : keys)
    seen.insert(key);
}

void ConfigReader::warnUnknown() {
  std::vector<std::string> unknown;
  for (const auto &entry : object)
    if (!seen.contains(entry.first))
      unknown.push_back(entry.first.str());
  llvm::sort(unknown);
  for (const std::string &key : unknown)
    diags.warning("unknown field '" + where(key) + "' is ignored");
}
