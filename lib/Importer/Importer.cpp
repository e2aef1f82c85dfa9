//===- Importer.cpp - Reads a model description and emits its IR ----------===//
#include "BlockBuilder.h"

#include "tfc/Importer/Importer.h"
#include "tfc/Importer/Limits.h"

#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::tfc;

/// The nesting depth of the JSON text's arrays and objects, scanning no
/// further than one level past `limit` (strings skipped, escapes honoured);
/// `line` receives the line where the limit was passed. Run before
/// llvm::json::parse, which recurses once per level with no limit of its own
/// (a file nested 50,000 deep overflowed the stack).
static int jsonDepth(llvm::StringRef text, int limit, int &line) {
  int depth = 0, deepest = 0;
  bool inString = false;
  line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n')
      ++line;
    if (inString) {
      if (c == '\\')
        ++i; // the escaped character cannot end the string
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (depth > limit)
        return depth;
    } else if (c == ']' || c == '}') {
      // Unbalanced closers are the parser's to report.
      depth = std::max(0, depth - 1);
    }
  }
  return deepest;
}

OwningOpRef<ModuleOp> mlir::tfc::importModel(llvm::StringRef path,
                                             MLIRContext *context,
                                             ImportDiagnostics &diags) {
  llvm::SmallString<256> file(path);
  if (llvm::sys::fs::is_directory(file))
    llvm::sys::path::append(file, "config.json");
  diags.file = file.str().str();

  // The size first: reading is cheap (a mapping), parsing takes ~27 bytes of
  // memory per byte of JSON (a 200 MB config took 5.5 GB).
  uint64_t size = 0;
  if (!llvm::sys::fs::file_size(file, size) &&
      size > static_cast<uint64_t>(limits::kMaxConfigBytes)) {
    diags.error(llvm::formatv("file of {0} bytes is larger than tfc reads "
                              "(at most {1} bytes: {2} MiB; a config.json is "
                              "a few KiB)",
                              size, limits::kMaxConfigBytes,
                              limits::kMaxConfigBytes >> 20));
    return nullptr;
  }
  auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/true);
  if (!buffer) {
    diags.error("cannot read: " + buffer.getError().message());
    return nullptr;
  }
  return importModelFromText((*buffer)->getBuffer(), context, diags);
}

OwningOpRef<ModuleOp> mlir::tfc::importModelFromText(llvm::StringRef text,
                                                     MLIRContext *context,
                                                     ImportDiagnostics &diags) {
  if (text.size() > static_cast<size_t>(limits::kMaxConfigBytes)) {
    diags.error(llvm::formatv("{0} bytes of JSON is more than tfc reads (at "
                              "most {1} bytes)",
                              text.size(), limits::kMaxConfigBytes));
    return nullptr;
  }
  int line = 0;
  if (jsonDepth(text, limits::kMaxJSONDepth, line) > limits::kMaxJSONDepth) {
    diags.error(llvm::formatv("JSON nested more than {0} levels deep (line "
                              "{1}); a config.json is at most a few levels "
                              "deep",
                              limits::kMaxJSONDepth, line));
    return nullptr;
  }
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(text);
  if (!json) {
    std::string message;
    llvm::handleAllErrors(json.takeError(), [&](const llvm::json::ParseError &e) {
      llvm::raw_string_ostream os(message);
      e.log(os);
    });
    diags.error("malformed JSON " + message);
    return nullptr;
  }
  const llvm::json::Object *object = json->getAsObject();
  if (!object) {
    diags.error("expected a JSON object at the top level");
    return nullptr;
  }

  context->loadDialect<TFCDialect>();
  ModelSpec spec;
  const llvm::json::Value *format = object->get("format");
  bool isCard = format && format->getAsString() &&
                *format->getAsString() == "tfc-model-card";
  if (failed(isCard ? readModelCard(*object, context, spec, diags)
                    : readHFConfig(*object, context, spec, diags)))
    return nullptr;

  OwningOpRef<ModuleOp> module = emitModel(spec, context);
  // Each kind of layer once through its op verifier, errors reported on the
  // fields its attributes came from; the readers check types and ranges of
  // fields, the dialect whether they make a valid block.
  BlockBuilder builder(context, diags);
  llvm::DenseSet<llvm::hash_code> verified;
  bool invalid = false;
  module->walk([&](DecoderBlockOp block) {
    const LayerSpec &layer = spec.layers[block.getLayer()];
    if (!verified.insert(DecoderBlockOp::computePropertiesHash(layer.block))
             .second)
      return WalkResult::advance();
    FieldOrigins none;
    invalid |= failed(
        builder.verify(block, layer.origins ? *layer.origins : none));
    return invalid ? WalkResult::interrupt() : WalkResult::advance();
  });
  if (invalid)
    return nullptr;
  // What the layers' verifiers do not see (weights, the model's ops).
  std::string verifierMessage;
  {
    ScopedDiagnosticHandler handler(context, [&](Diagnostic &d) {
      llvm::raw_string_ostream(verifierMessage) << d;
      return success();
    });
    if (failed(verify(*module))) {
      diags.error("the configuration is inconsistent: " + verifierMessage);
      return nullptr;
    }
  }
  return module;
}
