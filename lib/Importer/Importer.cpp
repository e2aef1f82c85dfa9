//===- Importer.cpp - Reads a model description and emits its IR ----------===//
#include "tfc/Importer/Importer.h"

#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::tfc;

OwningOpRef<ModuleOp> mlir::tfc::importModel(llvm::StringRef path,
                                             MLIRContext *context,
                                             ImportDiagnostics &diags) {
  llvm::SmallString<256> file(path);
  if (llvm::sys::fs::is_directory(file))
    llvm::sys::path::append(file, "config.json");
  diags.file = file.str().str();

  auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/true);
  if (!buffer) {
    diags.error("cannot read: " + buffer.getError().message());
    return nullptr;
  }
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse((*buffer)->getBuffer());
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

  ModelSpec spec;
  const llvm::json::Value *format = object->get("format");
  bool isCard = format && format->getAsString() &&
                *format->getAsString() == "tfc-model-card";
  if (failed(isCard ? readModelCard(*object, spec, diags)
                    : readHFConfig(*object, spec, diags)))
    return nullptr;

  OwningOpRef<ModuleOp> module = emitModel(spec, context);
  // The readers check every field; a verifier failure here means two fields
  // disagree in a way the reader did not catch. Report it, never crash.
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
