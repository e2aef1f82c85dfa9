//===- Importer.h - config.json / model card -> tfc IR ----------*- C++ -*-===//
#ifndef TFC_IMPORTER_IMPORTER_H
#define TFC_IMPORTER_IMPORTER_H

#include "tfc/Importer/ModelSpec.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/JSON.h"

#include <functional>

namespace mlir::tfc {

/// Where the importer reports problems: every message names the file and the
/// field at fault. Errors make the import fail; warnings do not.
struct ImportDiagnostics {
  std::string file;
  std::vector<std::string> errors, warnings;
  /// A message already given is not repeated (a card's layer entries
  /// inherit the block's fields, and with them its mistakes).
  void error(const llvm::Twine &msg) { add(errors, msg.str()); }
  void warning(const llvm::Twine &msg) { add(warnings, msg.str()); }

private:
  static void add(std::vector<std::string> &list, std::string msg) {
    if (!llvm::is_contained(list, msg))
      list.push_back(std::move(msg));
  }
};

/// Model types a Hugging Face config.json may name.
llvm::ArrayRef<llvm::StringRef> getSupportedModelTypes();

/// Fills `spec` from a Hugging Face config.json object, its layers' attributes
/// built in `context`. Fails (with errors in `diags`) on unknown model types,
/// missing or mistyped fields and on attributes their verifiers reject.
llvm::LogicalResult readHFConfig(const llvm::json::Object &config,
                                 MLIRContext *context, ModelSpec &spec,
                                 ImportDiagnostics &diags);

/// Fills `spec` from a tfc model card (docs/model-card.md).
llvm::LogicalResult readModelCard(const llvm::json::Object &card,
                                  MLIRContext *context, ModelSpec &spec,
                                  ImportDiagnostics &diags);

/// Emits the model-level tfc IR of `spec` (unverified).
OwningOpRef<ModuleOp> emitModel(const ModelSpec &spec, MLIRContext *context);

/// Reads a config.json or model card (a file, or a directory holding
/// config.json) and emits its IR; null with `diags` filled on failure. The
/// weights are declared in the dtype the description says the checkpoint
/// stores (`torch_dtype` / `dtype`, a card's `weight_dtype`); the
/// tfc-set-dtypes pass chooses another.
OwningOpRef<ModuleOp> importModel(llvm::StringRef path, MLIRContext *context,
                                  ImportDiagnostics &diags);

/// importModel on the text of a config.json or model card (diags.file is
/// left as the caller set it). Texts over limits::kMaxConfigBytes or nested
/// deeper than limits::kMaxJSONDepth are refused before they are parsed.
OwningOpRef<ModuleOp> importModelFromText(llvm::StringRef text,
                                          MLIRContext *context,
                                          ImportDiagnostics &diags);

} // namespace mlir::tfc

#endif // TFC_IMPORTER_IMPORTER_H
