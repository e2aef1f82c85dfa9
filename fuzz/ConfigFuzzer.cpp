//===- ConfigFuzzer.cpp - libFuzzer target: config.json -> verified IR ----===//
//
// Feeds arbitrary bytes to the importer as a Hugging Face config.json
// (importModelFromText: size and depth limits, the family readers, the
// emitter, the verifier). Any crash, sanitizer report, or a module returned
// that does not verify is a finding. TFC_FUZZ_CARD builds the model-card
// variant: inputs are read as a card (the `format` field forced), so the
// fuzzer does not spend its time on the HF dispatch.
//
//===----------------------------------------------------------------------===//
#include "tfc/Dialect/TFC/IR/TFCDialect.h"
#include "tfc/Importer/Importer.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstdlib>
#include <memory>

using namespace mlir;

namespace {
/// One context for many inputs (creating one per input would dominate), yet
/// not for ever: the attributes each input interns stay in it, so it is
/// replaced every few thousand inputs to keep memory flat.
MLIRContext &getContext() {
  static std::unique_ptr<MLIRContext> context;
  static int uses = 0;
  if (!context || ++uses % 4096 == 0) {
    DialectRegistry registry;
    registry.insert<tfc::TFCDialect, func::FuncDialect>();
    context = std::make_unique<MLIRContext>(registry);
    context->loadDialect<tfc::TFCDialect, func::FuncDialect>();
    // Verifier failures are reported through diags; keep stderr quiet.
    context->printOpOnDiagnostic(false);
  }
  return *context;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
#ifdef TFC_FUZZ_CARD
  // A card's object with the input's members after the format: the card
  // reader runs on every input that is an object.
  std::string card;
  if (!text.starts_with("{"))
    return 0;
  card = "{\"format\":\"tfc-model-card\"," + text.drop_front().str();
  text = card;
#endif
  MLIRContext &context = getContext();
  ScopedDiagnosticHandler quiet(&context, [](Diagnostic &) { return success(); });
  tfc::ImportDiagnostics diags;
  OwningOpRef<ModuleOp> module = tfc::importModelFromText(text, &context, diags);
  if (module && failed(verify(*module)))
    std::abort(); // importModelFromText promises verified IR
  if (!module && diags.errors.empty())
    std::abort(); // a failure must say why
  return 0;
}
