//===- tfc-compile.cpp - config.json / model card / .mlir -> compiled model ===//
#include "tfc/Dialect/TFC/IR/TFCDialect.h"
#include "tfc/Importer/Importer.h"
#include "tfc/Pipelines/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/WithColor.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/SubtargetFeature.h"

#include <chrono>
#include <optional>

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory category("tfc-compile options");

static cl::opt<std::string> inputPath(
    cl::Positional, cl::Required, cl::cat(category),
    cl::desc("<config.json | model directory | model card | .mlir>"));
static cl::opt<std::string>
    outputPath("o", cl::cat(category), cl::value_desc("file"),
               cl::desc("Output file (default: stdout for text, model.o / "
                        "model.so for binaries)"));

enum class Emit { TFC, Linalg, LLVMIR, Obj, SO, PTX, Cubin, Fatbin };
static cl::opt<Emit> emitKind(
    "emit",
    cl::desc("What to produce (default: so; --target=cuda also ptx, cubin "
             "or fatbin: its kernels alone)"),
    cl::init(Emit::SO), cl::cat(category),
    cl::values(
        clEnumValN(Emit::TFC, "tfc", "model-level tfc IR"),
        clEnumValN(Emit::Linalg, "linalg",
                   "entry points on linalg/tensor (before bufferization)"),
        clEnumValN(Emit::LLVMIR, "llvm-ir", "LLVM IR (.ll)"),
        clEnumValN(Emit::Obj, "obj", "object file (.o)"),
        clEnumValN(Emit::SO, "so",
                   "shared library with the C API of tfc/Runtime/tfc.h"),
        clEnumValN(Emit::PTX, "ptx",
                   "PTX of the model's GPU kernels, one module "
                   "(--target=cuda)"),
        clEnumValN(Emit::Cubin, "cubin",
                   "the kernels' PTX assembled by the CUDA toolkit's ptxas "
                   "for --gpu-arch (--target=cuda)"),
        clEnumValN(Emit::Fatbin, "fatbin",
                   "the cubin and PTX in one fatbinary (--target=cuda)")));

/// What gpu-module-to-binary makes for a GPU --emit (the pipeline's
/// gpu-format); none for the CPU's.
static std::optional<llvm::StringRef> gpuBinaryFormat(Emit emit) {
  switch (emit) {
  case Emit::PTX:
    return "isa";
  case Emit::Cubin:
    return "bin";
  case Emit::Fatbin:
    return "fatbin";
  default:
    return std::nullopt;
  }
}

enum class Target { CPU, CUDA };
static cl::opt<Target> target(
    "target", cl::desc("Where the model runs (default: cpu)"),
    cl::init(Target::CPU), cl::cat(category),
    cl::values(clEnumValN(Target::CPU, "cpu", "the host CPU through LLVM"),
               clEnumValN(Target::CUDA, "cuda",
                          "NVIDIA GPUs: a library whose host code launches "
                          "the kernels through the CUDA driver, loaded when "
                          "the model runs (docs/runtime.md)")));
static cl::opt<std::string>
    gpuArch("gpu-arch", cl::cat(category), cl::value_desc("sm_XX"),
            cl::init("sm_90"),
            cl::desc("GPU to compile the kernels for with --target=cuda: "
                     "sm_80, sm_90 or sm_90a (default: sm_90)"));
static cl::opt<std::string>
    cudaPath("cuda-path", cl::cat(category), cl::value_desc("dir"),
             cl::desc("CUDA toolkit whose bin/ptxas (--emit=cubin, and "
                      "the cubin a --target=cuda library embeds) and "
                      "bin/fatbinary (--emit=fatbin) are run (default: "
                      "/usr/local/cuda)"));
static cl::opt<std::string>
    cpuName("cpu", cl::cat(category), cl::value_desc("name"),
            cl::desc("CPU to generate code for (default: the host's, e.g. "
                     "znver4, skylake-avx512, x86-64-v3)"));
namespace {
/// cl's enum parser, but an unknown value is reported with the known ones.
struct ElementTypeParser : cl::parser<tfc::ElementType> {
  using parser::parser;
  bool parse(cl::Option &option, llvm::StringRef, llvm::StringRef arg,
             tfc::ElementType &value) {
    for (const OptionInfo &known : Values)
      if (known.Name == arg) {
        value = known.V.getValue();
        return false;
      }
    return option.error("'" + arg + "' is not one of " +
                        llvm::join(llvm::map_range(Values,
                                                   [](const OptionInfo &known) {
                                                     return known.Name;
                                                   }),
                                   ", "));
  }
};
} // namespace

static cl::opt<tfc::ElementType, false, ElementTypeParser> weightDType(
    "weight-dtype", cl::cat(category), cl::init(tfc::ElementType::Keep),
    tfc::getElementTypeValues(),
    cl::desc("Element type the model reads its weights in (default: the "
             "config's torch_dtype, f32 without one). A checkpoint stored in "
             "this type is read in place from its memory map; one stored in "
             "another is converted once when it is bound"));
static cl::opt<tfc::ElementType, false, ElementTypeParser> kvDType(
    "kv-dtype", cl::cat(category), cl::init(tfc::ElementType::Keep),
    tfc::getElementTypeValues(),
    cl::desc("Element type of the KV cache (default: f32); bf16 and f16 "
             "halve its size at a small error"));
static cl::opt<std::string> quantize(
    "quantize", cl::cat(category), cl::value_desc("scheme"),
    cl::desc("Quantize the weight matrices (projections, the LM head, the "
             "embedding table) when the weights are bound, from whatever "
             "dtype the checkpoint stores: q8_0 (GGUF's Q8_0 blocks, 32 int8 "
             "and one f16 scale: 8.5 bits a weight). Norms, biases, position "
             "tables, MoE experts and GPT-2-style [in, out] matrices stay in "
             "--weight-dtype. The projections' inputs are rounded to q8_0 "
             "too, as llama.cpp does (int8 dot products, AVX512-VNNI where "
             "the CPU has it; --pipeline-options=quantize-activations=false "
             "keeps them f32)"));
static cl::list<std::string> disabledPasses(
    "disable-pass", cl::cat(category), cl::CommaSeparated,
    cl::value_desc("name[,name...]"),
    cl::desc("Leave out optimisation passes (set in main from the pipelines)"));
static cl::list<std::string> enabledPasses(
    "enable-pass", cl::cat(category), cl::CommaSeparated,
    cl::value_desc("name[,name...]"),
    cl::desc("Run optimisation passes that are off by default (set in main "
             "from the pipelines)"));
static cl::opt<std::string> pipelineOptionsText(
    "pipeline-options", cl::cat(category), cl::value_desc("'key=value ...'"),
    cl::desc("Options of the pipelines, as tfc-opt's --tfc-cpu-pipeline takes "
             "them (kv-tile, query-tile, kv-chunk, vector-width, tile-rows, "
             "tile-cols, block-bytes, threads, ...; see docs/benchmarks.md); "
             "the flags above override their keys"));
static cl::opt<bool> quiet("quiet", cl::cat(category),
                           cl::desc("Do not print progress to stderr"));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "tfc-compile") << message << "\n";
  return 1;
}

namespace {
/// Prints one line per stage with its duration.
struct Progress {
  using Clock = std::chrono::steady_clock;
  Clock::time_point start = Clock::now();
  void step(llvm::StringRef what) {
    if (quiet)
      return;
    double s = std::chrono::duration<double>(Clock::now() - start).count();
    llvm::errs() << llvm::format("tfc-compile: [%6.2fs] ", s) << what << "\n";
  }
};
} // namespace

static OwningOpRef<ModuleOp> loadModel(MLIRContext &context) {
  if (llvm::StringRef(inputPath).ends_with(".mlir")) {
    llvm::SourceMgr sourceMgr;
    SourceMgrDiagnosticHandler handler(sourceMgr, &context);
    std::string error;
    auto file = openInputFile(inputPath, &error);
    if (!file) {
      fail(error);
      return nullptr;
    }
    sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    return parseSourceFile<ModuleOp>(sourceMgr, &context);
  }
  tfc::ImportDiagnostics diags;
  OwningOpRef<ModuleOp> module = tfc::importModel(inputPath, &context, diags);
  for (const std::string &w : diags.warnings)
    llvm::WithColor::warning(llvm::errs(), diags.file) << w << "\n";
  for (const std::string &e : diags.errors)
    llvm::WithColor::error(llvm::errs(), diags.file) << e << "\n";
  return module;
}

static std::unique_ptr<llvm::TargetMachine> createTargetMachine() {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *t = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!t) {
    fail("no LLVM target for " + triple.str() + ": " + error);
    return nullptr;
  }
  std::string cpu = cpuName.empty() ? llvm::sys::getHostCPUName().str()
                                    : cpuName.getValue();
  llvm::SubtargetFeatures features;
  if (cpuName.empty())
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features.AddFeature(feature.first(), feature.second);
  std::unique_ptr<llvm::TargetMachine> tm(t->createTargetMachine(
      triple, cpu, features.getString(), llvm::TargetOptions(),
      llvm::Reloc::PIC_, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!tm) {
    fail("cannot create a target machine for CPU '" + cpu + "'");
    return nullptr;
  }
  return tm;
}

/// A temporary file next to `output` (same directory, so the final rename
/// is atomic), removed on SIGINT/SIGTERM; the caller keeps it under the
/// output's name once complete or discards it. A failed or killed compile
/// thus never leaves a truncated file where the user's previous one was.
static llvm::Expected<llvm::sys::fs::TempFile>
createTemp(llvm::StringRef output, llvm::StringRef suffix = "") {
  return llvm::sys::fs::TempFile::create(output + ".tmp-%%%%%%" + suffix);
}

/// Renames `temp` to `output`; an error message on failure.
static int keepAs(llvm::sys::fs::TempFile &temp, llvm::StringRef output) {
  if (llvm::Error err = temp.keep(output)) {
    std::string message = llvm::toString(std::move(err));
    llvm::consumeError(temp.discard());
    return fail("cannot write " + output + ": " + message);
  }
  return 0;
}

/// Writes `output` with `print` through a temporary file ("-": stdout).
static int
writeAtomically(llvm::StringRef output,
                llvm::function_ref<void(llvm::raw_ostream &)> print) {
  if (output == "-") {
    print(llvm::outs());
    return 0;
  }
  llvm::Expected<llvm::sys::fs::TempFile> temp = createTemp(output);
  if (!temp)
    return fail("cannot write " + output + ": " +
                llvm::toString(temp.takeError()));
  {
    llvm::raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    print(os);
    os.flush();
    if (os.has_error()) {
      std::string message = os.error().message();
      os.clear_error();
      llvm::consumeError(temp->discard());
      return fail("cannot write " + output + ": " + message);
    }
  }
  return keepAs(*temp, output);
}

/// The directory holding libTFCRuntime.a: ../lib from this executable.
static std::string runtimeLibrary(const char *argv0) {
  std::string exe = llvm::sys::fs::getMainExecutable(
      argv0, reinterpret_cast<void *>(&runtimeLibrary));
  llvm::SmallString<256> path(llvm::sys::path::parent_path(
      llvm::sys::path::parent_path(exe)));
  llvm::sys::path::append(path, "lib", "libTFCRuntime.a");
  return path.str().str();
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  static std::string disableHelp =
      "Leave out optimisation passes (the model computes the same, up to "
      "rounding: reassociation, and tfc-cpu-approximate-math's polynomial "
      "exp): " +
      llvm::join(tfc::getOptionalPasses(), ", ");
  disabledPasses.setDescription(disableHelp);
  // Generated, like the list above: test/e2e/check-passes-off.sh reads both
  // lists from --help to know which passes to switch off and which on.
  llvm::SmallVector<llvm::StringRef> offByDefault =
      tfc::getOffByDefaultPasses();
  static std::string enableHelp =
      offByDefault.empty()
          ? std::string("Run optimisation passes that are off by default "
                        "(none at present)")
          : "Run optimisation passes that are off by default: " +
                llvm::join(offByDefault, ", ");
  enabledPasses.setDescription(enableHelp);
  cl::ParseCommandLineOptions(
      argc, argv,
      "tfc-compile: compiles a decoder-only Transformer described by a Hugging "
      "Face config.json (or a directory holding one), a tfc model card "
      "(docs/model-card.md), or tfc IR (.mlir) into a shared library with the "
      "C API of include/tfc/Runtime/tfc.h, for the CPU or (--target=cuda) "
      "an NVIDIA GPU, or into its GPU kernels alone (--emit=ptx|cubin|"
      "fatbin).\n");
  if (target == Target::CUDA) {
    if (!llvm::is_contained({"sm_80", "sm_90", "sm_90a"}, gpuArch))
      return fail("--gpu-arch=" + gpuArch +
                  ": not a supported GPU; one of sm_80, sm_90, sm_90a");
  } else {
    if (gpuBinaryFormat(emitKind))
      return fail(Twine("--emit=") +
                  (emitKind == Emit::PTX     ? "ptx"
                   : emitKind == Emit::Cubin ? "cubin"
                                             : "fatbin") +
                  " needs --target=cuda");
    for (cl::Option *gpuOnly : std::initializer_list<cl::Option *>{
             &gpuArch, &cudaPath})
      if (gpuOnly->getNumOccurrences())
        return fail("--" + gpuOnly->ArgStr + " applies to --target=cuda only");
  }
  tfc::PipelineOptions pipelineOptions;
  {
    std::string error;
    llvm::raw_string_ostream errorStream(error);
    if (failed(pipelineOptions.parseFromString(pipelineOptionsText,
                                               errorStream)))
      return fail("--pipeline-options: " + llvm::StringRef(error).trim());
  }
  pipelineOptions.forGPU = target == Target::CUDA;
  if (gpuArch.getNumOccurrences())
    pipelineOptions.gpuChip = gpuArch;
  if (cudaPath.getNumOccurrences())
    pipelineOptions.cudaPath = cudaPath;
  if (std::optional<llvm::StringRef> format = gpuBinaryFormat(emitKind))
    pipelineOptions.gpuFormat = format->str();
  // A library embeds a cubin, which the driver loads without a JIT;
  // --pipeline-options=gpu-format=isa embeds PTX instead.
  else if (target == Target::CUDA && !pipelineOptions.gpuFormat.hasValue())
    pipelineOptions.gpuFormat = "bin";
  if (disabledPasses.getNumOccurrences())
    pipelineOptions.disabledPasses =
        llvm::ArrayRef<std::string>(disabledPasses);
  if (enabledPasses.getNumOccurrences())
    pipelineOptions.enabledPasses = llvm::ArrayRef<std::string>(enabledPasses);
  if (weightDType.getNumOccurrences())
    pipelineOptions.weightDType = weightDType;
  if (kvDType.getNumOccurrences())
    pipelineOptions.kvDType = kvDType;
  if (quantize.getNumOccurrences())
    pipelineOptions.quantize = quantize;
  if (failed(pipelineOptions.verify(
          [](const llvm::Twine &message) { fail("--" + message); })))
    return 1;

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  // Builtin, LLVM, GPU and NVVM: the CPU module and the kernels.
  registerAllGPUToLLVMIRTranslations(registry);
  registerOpenMPDialectTranslation(registry);
  registry.insert<tfc::TFCDialect>();
  MLIRContext context(registry);
  context.loadDialect<tfc::TFCDialect, func::FuncDialect>();

  std::string output = outputPath;
  if (output.empty())
    output = emitKind == Emit::SO ? "model.so"
             : emitKind == Emit::Obj ? "model.o"
                                     : "-";
  Progress progress;
  progress.step("reading " + inputPath);
  OwningOpRef<ModuleOp> module = loadModel(context);
  if (!module)
    return 1;

  PassManager modelLevel(&context);
  tfc::buildTFCModelPipeline(modelLevel, pipelineOptions);
  if (failed(modelLevel.run(*module)))
    return fail("setting the element types (--weight-dtype, --kv-dtype) "
                "failed");

  auto writeText = [&](llvm::function_ref<void(llvm::raw_ostream &)> print) {
    return writeAtomically(output, print);
  };
  if (emitKind == Emit::TFC)
    return writeText([&](llvm::raw_ostream &os) { module->print(os); });

  progress.step("lowering to linalg (tfc-to-linalg)");
  PassManager toLinalg(&context);
  tfc::buildTFCToLinalgPipeline(toLinalg, pipelineOptions);
  if (failed(toLinalg.run(*module)))
    return fail("lowering to linalg failed");
  if (emitKind == Emit::Linalg)
    return writeText([&](llvm::raw_ostream &os) { module->print(os); });

  if (target == Target::CUDA) {
    progress.step(std::string(pipelineOptions.gpuFormat.getValue() == "isa"
                                  ? "lowering the kernels to PTX"
                                  : "lowering the kernels to PTX and "
                                    "assembling them with ptxas") +
                  " for " + gpuArch);
    PassManager toGPU(&context);
    tfc::buildLinalgToGPUPipeline(toGPU, pipelineOptions);
    if (failed(toGPU.run(*module)))
      return fail("lowering to GPU kernels failed");
  }
  if (gpuBinaryFormat(emitKind)) {
    SmallVector<StringRef> objects;
    module->walk([&](gpu::BinaryOp binary) {
      for (auto object : binary.getObjects().getAsRange<gpu::ObjectAttr>())
        objects.push_back(object.getObject().getValue());
    });
    // tfc-gpu-merge-modules leaves one gpu.module, hence one binary.
    if (objects.size() != 1)
      return fail("expected one GPU module, got " + Twine(objects.size()));
    return writeText([&](llvm::raw_ostream &os) { os << objects.front(); });
  }

  std::unique_ptr<llvm::TargetMachine> tm = createTargetMachine();
  if (!tm)
    return 1;
  if (target == Target::CPU) {
    // The int8 kernels use what the target has, unless told otherwise.
    if (!pipelineOptions.vnni.hasValue())
      pipelineOptions.vnni =
          tm->getMCSubtargetInfo()->checkFeatures("+avx512vnni,+avx512bw");
    progress.step("bufferizing and lowering to LLVM (tfc-linalg-to-llvm-cpu)");
    PassManager toLLVM(&context);
    tfc::buildLinalgToLLVMCPUPipeline(toLLVM, pipelineOptions);
    if (failed(toLLVM.run(*module)))
      return fail("lowering to the LLVM dialect failed");
  }

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, "tfc_model");
  if (!llvmModule)
    return fail("translation to LLVM IR failed");
  llvmModule->setDataLayout(tm->createDataLayout());
  llvmModule->setTargetTriple(tm->getTargetTriple());
  progress.step("optimising LLVM IR (O3, cpu " + tm->getTargetCPU().str() + ")");
  if (llvm::Error err = makeOptimizingTransformer(3, 0, tm.get())(llvmModule.get()))
    return fail("LLVM optimisation failed: " + llvm::toString(std::move(err)));
  if (emitKind == Emit::LLVMIR)
    return writeText([&](llvm::raw_ostream &os) { llvmModule->print(os, nullptr); });

  // The object is a temporary file next to the output: the output itself
  // (--emit=obj) or the input of the link (--emit=so).
  llvm::Expected<llvm::sys::fs::TempFile> object = createTemp(output, ".o");
  if (!object)
    return fail("cannot write " + output + ": " +
                llvm::toString(object.takeError()));
  // Every return below discards the temporary files it has not kept.
  auto discard = [](llvm::sys::fs::TempFile &temp) {
    llvm::consumeError(temp.discard());
  };
  {
    progress.step("generating machine code");
    llvm::raw_fd_ostream os(object->FD, /*shouldClose=*/false);
    llvm::legacy::PassManager codegen;
    if (tm->addPassesToEmitFile(codegen, os, nullptr,
                                llvm::CodeGenFileType::ObjectFile)) {
      discard(*object);
      return fail("the target cannot emit object files");
    }
    codegen.run(*llvmModule);
    os.flush();
    if (os.has_error()) {
      std::string message = os.error().message();
      os.clear_error();
      discard(*object);
      return fail("cannot write " + object->TmpName + ": " + message);
    }
  }
  if (emitKind == Emit::Obj)
    return keepAs(*object, output);

  progress.step("linking " + output);
  std::string runtime = runtimeLibrary(argv[0]);
  if (!llvm::sys::fs::exists(runtime)) {
    discard(*object);
    return fail("runtime library not found at " + runtime);
  }
  llvm::Expected<llvm::sys::fs::TempFile> library = createTemp(output, ".so");
  if (!library) {
    discard(*object);
    return fail("cannot write " + output + ": " +
                llvm::toString(library.takeError()));
  }
  std::string linker = TFC_CLANGXX;
  std::string libDir = TFC_LLVM_LIB_DIR;
  // --whole-archive: the generated object uses no runtime symbol, yet the
  // library must export the whole C API. The linker writes the temporary
  // library, renamed over the output once it succeeded.
  llvm::SmallVector<std::string> owned = {
      linker, "-shared", "-o", library->TmpName, object->TmpName,
      "-Wl,--whole-archive", runtime, "-Wl,--no-whole-archive", "-lm"};
  // A CUDA library's host code runs no OpenMP, and it loads the driver at
  // run time: it needs nothing outside libc and libstdc++.
  if (target == Target::CPU)
    owned.append({"-L" + libDir, "-lomp", "-Wl,-rpath," + libDir});
  llvm::SmallVector<llvm::StringRef> argRefs(owned.begin(), owned.end());
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(linker, argRefs, std::nullopt, {}, 0, 0,
                                     &error);
  discard(*object);
  if (rc != 0) {
    discard(*library);
    return fail("linking failed (" + linker + "): " +
                (error.empty() ? "exit code " + std::to_string(rc) : error));
  }
  if (int status = keepAs(*library, output))
    return status;
  progress.step("done: " + output);
  return 0;
}
