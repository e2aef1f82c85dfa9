//===- tfc-compile.cpp - config.json / model card / .mlir -> compiled model ===//
#include "tfc/Dialect/TFC/IR/TFCDialect.h"
#include "tfc/Importer/Importer.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("tfc-compile options");

static cl::opt<std::string>
    inputPath(cl::Positional, cl::Required, cl::cat(category),
              cl::desc("<config.json | model directory | model card | .mlir>"));
static cl::opt<std::string> outputPath("o", cl::desc("Output file ('-' for stdout)"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(category));
enum class Emit { TFC };
static cl::opt<Emit> emitKind(
    "emit", cl::desc("What to produce"), cl::init(Emit::TFC), cl::cat(category),
    cl::values(clEnumValN(Emit::TFC, "tfc", "model-level tfc IR")));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "tfc-compile: compiles a decoder-only Transformer described by a Hugging "
      "Face config.json (or a directory holding one), a tfc model card, or tfc "
      "IR (.mlir)\n");

  MLIRContext context;
  context.loadDialect<tfc::TFCDialect, func::FuncDialect>();

  OwningOpRef<ModuleOp> module;
  if (llvm::StringRef(inputPath).ends_with(".mlir")) {
    llvm::SourceMgr sourceMgr;
    SourceMgrDiagnosticHandler handler(sourceMgr, &context);
    std::string error;
    auto file = openInputFile(inputPath, &error);
    if (!file) {
      llvm::WithColor::error(llvm::errs(), "tfc-compile") << error << "\n";
      return 1;
    }
    sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    module = parseSourceFile<ModuleOp>(sourceMgr, &context);
    if (!module)
      return 1;
  } else {
    tfc::ImportDiagnostics diags;
    module = tfc::importModel(inputPath, &context, diags);
    for (const std::string &w : diags.warnings)
      llvm::WithColor::warning(llvm::errs(), diags.file) << w << "\n";
    for (const std::string &e : diags.errors)
      llvm::WithColor::error(llvm::errs(), diags.file) << e << "\n";
    if (!module)
      return 1;
  }

  std::string error;
  auto output = openOutputFile(outputPath, &error);
  if (!output) {
    llvm::WithColor::error(llvm::errs(), "tfc-compile") << error << "\n";
    return 1;
  }
  module->print(output->os());
  output->keep();
  return 0;
}
