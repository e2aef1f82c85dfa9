//===- Pipelines.cpp - tfc's named pass pipelines -------------------------===//
//
// Each pipeline is a list of passes built in C++ from typed options, readable
// in one place; each stage can be printed with --mlir-print-ir-after-all and
// the whole with --dump-pass-pipeline.
//
//===----------------------------------------------------------------------===//
#include "tfc/Pipelines/Pipelines.h"

#include "tfc/Codegen/Passes.h"
#include "tfc/Conversion/Passes.h"
#include "tfc/Dialect/TFC/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/GPUCommon/GPUCommonPass.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/OpenMPToLLVM/ConvertOpenMPToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/SCFToGPU/SCFToGPUPass.h"
#include "mlir/Conversion/SCFToOpenMP/SCFToOpenMP.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::tfc;

//===----------------------------------------------------------------------===//
// Options
//===----------------------------------------------------------------------===//

namespace {
/// An optimisation: a pass the model computes the same without.
struct Optimisation {
  llvm::StringLiteral name;
  /// Off unless asked for (enable-pass): an optimisation that does not pay
  /// on this machine yet.
  bool offByDefault = false;
};
} // namespace

// In pipeline order.
static constexpr Optimisation kOptimisations[] = {
    {"tfc-fuse-residual-norm"},
    {"tfc-fuse-glu"},
    {"tfc-fuse-rope"},
    {"tfc-fuse-attention"},
    {"tfc-tile-kv"},
    {"tfc-dispatch-experts"},
    {"tfc-cpu-fuse-widening"},
    {"tfc-cpu-vectorize-contractions"},
    {"tfc-cpu-approximate-math"},
    {"tfc-cpu-serialize-small-parallel"},
};

static const Optimisation *findOptimisation(StringRef name) {
  for (const Optimisation &o : kOptimisations)
    if (o.name == name)
      return &o;
  return nullptr;
}

SmallVector<StringRef> mlir::tfc::getOptionalPasses() {
  SmallVector<StringRef> names;
  for (const Optimisation &o : kOptimisations)
    names.push_back(o.name);
  return names;
}

SmallVector<StringRef> mlir::tfc::getOffByDefaultPasses() {
  SmallVector<StringRef> names;
  for (const Optimisation &o : kOptimisations)
    if (o.offByDefault)
      names.push_back(o.name);
  return names;
}

llvm::cl::ValuesClass mlir::tfc::getElementTypeValues() {
  return llvm::cl::values(
      clEnumValN(ElementType::F32, "f32", "32-bit float"),
      clEnumValN(ElementType::BF16, "bf16", "bfloat16 (f32's range)"),
      clEnumValN(ElementType::F16, "f16", "IEEE half"));
}

static StringRef stringifyElementType(ElementType type) {
  switch (type) {
  case ElementType::Keep:
    return "";
  case ElementType::F32:
    return "f32";
  case ElementType::BF16:
    return "bf16";
  case ElementType::F16:
    return "f16";
  }
  llvm_unreachable("unknown element type");
}

// The defaults are those of the passes' generated option structs, so they are
// declared once (in the passes' .td).
PipelineOptions::PipelineOptions()
    : disabledPasses(*this, "disable-pass",
                     llvm::cl::desc("Optimisation passes to leave out (the "
                                    "model computes the same, up to "
                                    "rounding)")),
      enabledPasses(*this, "enable-pass",
                    llvm::cl::desc("Optimisation passes that are off by "
                                   "default to run (tfc-compile --help "
                                   "lists them)")),
      weightDType(*this, "weight-dtype",
                  llvm::cl::desc("Element type the model reads its weights in "
                                 "(default: as imported)"),
                  llvm::cl::init(ElementType::Keep), getElementTypeValues()),
      kvDType(*this, "kv-dtype",
              llvm::cl::desc("Element type of the KV caches (default: as "
                             "imported, f32)"),
              llvm::cl::init(ElementType::Keep), getElementTypeValues()),
      outlineLayers(*this, "outline-layers",
                    llvm::cl::desc("One function per distinct layer kind "
                                   "(tfc-expand-blocks)"),
                    llvm::cl::init(TFCExpandBlocksOptions().outlineLayers)),
      quantize(*this, "quantize",
               llvm::cl::desc("Read the projection matrices block-quantized "
                              "(tfc-quantize-weights): q8_0 (default: in "
                              "their dtype)")),
      quantizeActivations(
          *this, "quantize-activations",
          llvm::cl::desc("With quantize=q8_0, round the projections' inputs "
                         "to q8_0 too: int8 dot products "
                         "(tfc-quantize-weights' activations)"),
          llvm::cl::init(TFCQuantizeWeightsOptions().activations)),
      kvTile(*this, "kv-tile",
             llvm::cl::desc("Keys per step of the online softmax "
                            "(tfc-fuse-attention)"),
             llvm::cl::init(TFCFuseAttentionOptions().kvTile)),
      queryTile(*this, "query-tile",
                llvm::cl::desc("Query rows per work item of the online "
                               "softmax (tfc-fuse-attention)"),
                llvm::cl::init(TFCFuseAttentionOptions().queryTile)),
      kvChunk(*this, "kv-chunk",
              llvm::cl::desc("Keys per parallel chunk of a decode step "
                             "(tfc-tile-kv)"),
              llvm::cl::init(TFCTileKVOptions().tileSize)),
      vectorWidth(
          *this, "vector-width",
          llvm::cl::desc("f32 lanes per vector register (16 for "
                         "AVX-512, 8 for AVX2)"),
          llvm::cl::init(TFCCPUVectorizeContractionsOptions().vectorWidth)),
      vnni(*this, "vnni",
           llvm::cl::desc("int8 dot products (quantize-activations) as "
                          "AVX512-VNNI's vpdpbusd (tfc-compile: where the "
                          "target CPU has it)"),
           llvm::cl::init(TFCCPUVectorizeContractionsOptions().vnni)),
      tileRows(*this, "tile-rows",
               llvm::cl::desc("Rows of x per register tile"),
               llvm::cl::init(TFCCPUVectorizeContractionsOptions().tileRows)),
      tileCols(*this, "tile-cols",
               llvm::cl::desc("Weight rows per register tile"),
               llvm::cl::init(TFCCPUVectorizeContractionsOptions().tileCols)),
      blockBytes(
          *this, "block-bytes",
          llvm::cl::desc("Bytes of weight rows per parallel block"),
          llvm::cl::init(TFCCPUVectorizeContractionsOptions().blockBytes)),
      prefetchBytes(
          *this, "prefetch-bytes",
          llvm::cl::desc("Prefetch each weight row this many bytes "
                         "ahead (0: none)"),
          llvm::cl::init(TFCCPUVectorizeContractionsOptions().prefetchBytes)),
      rowCols(*this, "row-cols",
              llvm::cl::desc("Weight rows per tile for the rows of x left "
                             "over (decode)"),
              llvm::cl::init(TFCCPUVectorizeContractionsOptions().rowCols)),
      rowUnroll(*this, "row-unroll",
                llvm::cl::desc("Accumulators per output along the depth for "
                               "those rows"),
                llvm::cl::init(TFCCPUVectorizeContractionsOptions().rowUnroll)),
      fuseEpilogues(
          *this, "fuse-epilogues",
          llvm::cl::desc("Fuse the elementwise map that consumes a "
                         "projection's outputs (the GLU, a residual add) into "
                         "its kernel"),
          llvm::cl::init(TFCCPUVectorizeContractionsOptions().fuseEpilogues)),
      threads(*this, "threads",
              llvm::cl::desc("Threads of every parallel region (0: the "
                             "runtime's team, tfc-run --threads)"),
              llvm::cl::init(ConvertSCFToOpenMPPassOptions().numThreads)),
      gpuChip(*this, "gpu-chip",
              llvm::cl::desc("NVIDIA GPU the kernels are compiled for "
                             "(sm_80, sm_90, sm_90a)"),
              llvm::cl::init("sm_90")),
      // PTX ISA 8.0 is the first with sm_90 (PTX ISA, release notes); NVVM
      // attaches +ptx60 without it, which ptxas refuses for sm_90.
      gpuFeatures(*this, "gpu-features",
                  llvm::cl::desc("NVPTX features of the kernels (the PTX "
                                 "ISA version)"),
                  llvm::cl::init("+ptx80")),
      gpuTile(*this, "gpu-tile",
              llvm::cl::desc("Threads of a block along each of the two "
                             "outermost dimensions of a kernel's parallel "
                             "loop (1: one thread per block)"),
              llvm::cl::init(16)),
      gpuFormat(*this, "gpu-format",
                llvm::cl::desc("What the kernels' gpu.binary holds: isa "
                               "(PTX, no toolkit needed), bin (a cubin, by "
                               "the toolkit's ptxas) or fatbin (by ptxas and "
                               "fatbinary)"),
                llvm::cl::init("isa")),
      cudaPath(*this, "cuda-path",
               llvm::cl::desc("The CUDA toolkit whose bin/ptxas and "
                              "bin/fatbinary gpu-format=bin and fatbin run"),
               llvm::cl::init("/usr/local/cuda")) {}

LogicalResult
PipelineOptions::verify(function_ref<void(const Twine &)> emitError) const {
  for (auto [option, names] : {std::pair{"disable-pass", &disabledPasses},
                               std::pair{"enable-pass", &enabledPasses}})
    for (const std::string &name : *names)
      if (!findOptimisation(name)) {
        emitError(Twine(option) + "=" + name +
                  ": not an optimisation pass; one of: " +
                  llvm::join(getOptionalPasses(), ", "));
        return failure();
      }
  if (!quantize.empty() && quantize.getValue() != "q8_0") {
    emitError("quantize=" + quantize.getValue() + ": one of q8_0");
    return failure();
  }
  StringRef format = gpuFormat.getValue();
  if (!llvm::is_contained({"isa", "bin", "fatbin"}, format)) {
    emitError("gpu-format=" + format + ": one of isa, bin, fatbin");
    return failure();
  }
  // Checked here, where the option is at fault, rather than left to
  // gpu-module-to-binary's error after the whole lowering.
  SmallVector<StringRef, 2> tools;
  if (format != "isa")
    tools.push_back("ptxas");
  if (format == "fatbin")
    tools.push_back("fatbinary");
  for (StringRef tool : tools) {
    SmallString<128> path(cudaPath.getValue());
    llvm::sys::path::append(path, "bin", tool);
    if (!llvm::sys::fs::can_execute(path)) {
      emitError("gpu-format=" + format + " runs the CUDA toolkit's " + tool +
                ", which is not at " + path +
                " (cuda-path: the toolkit's directory)");
      return failure();
    }
  }
  return success();
}

bool PipelineOptions::runs(StringRef name) const {
  const Optimisation *o = findOptimisation(name);
  if (!o)
    llvm::report_fatal_error("tfc pipelines: '" + name +
                             "' is not in kOptimisations");
  return o->offByDefault ? llvm::is_contained(enabledPasses, name)
                         : !llvm::is_contained(disabledPasses, name);
}

//===----------------------------------------------------------------------===//
// Pipelines
//===----------------------------------------------------------------------===//

void mlir::tfc::buildTFCModelPipeline(OpPassManager &pm,
                                      const PipelineOptions &options) {
  if (options.weightDType.getValue() == ElementType::Keep &&
      options.kvDType.getValue() == ElementType::Keep)
    return;
  TFCSetDTypesOptions dtypes;
  dtypes.weights = stringifyElementType(options.weightDType);
  dtypes.kvCache = stringifyElementType(options.kvDType);
  pm.addPass(createTFCSetDTypes(dtypes));
}

void mlir::tfc::buildTFCToLinalgPipeline(OpPassManager &pm,
                                         const PipelineOptions &options) {
  pm.addPass(createTFCExpandBlocks({options.outlineLayers}));
  // Fusions of the expanded layer functions.
  if (options.runs("tfc-fuse-residual-norm"))
    pm.addPass(createTFCFuseResidualNorm());
  if (options.runs("tfc-fuse-glu"))
    pm.addPass(createTFCFuseGLU());
  // RoPE as attention's prologue (queries) and in the cache write (keys)
  // (off: a tfc.rope pass over each).
  if (options.runs("tfc-fuse-rope"))
    pm.addPass(createTFCFuseRope());
  // Attention over KV tiles with an online softmax (off: the [heads, n, T]
  // scores materialised); then split-KV decode over parallel chunks.
  if (options.runs("tfc-fuse-attention"))
    pm.addPass(createTFCFuseAttention({options.kvTile, options.queryTile}));
  if (options.runs("tfc-tile-kv"))
    pm.addPass(createTFCTileKV({options.kvChunk}));
  // After the fusions, which match projections on their weights' types.
  if (!options.quantize.empty())
    pm.addPass(createTFCQuantizeWeights(
        {options.quantize, options.quantizeActivations}));
  pm.addPass(createTFCCreateEntryPoints());
  // Each token through its routed experts only (off: every expert on
  // every token, weighted by a gate that is 0 unless chosen).
  if (options.runs("tfc-dispatch-experts") && !options.forGPU)
    pm.addPass(createTFCDispatchExperts());
  pm.addPass(createTFCLowerToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

/// linalg on tensors -> linalg on memrefs, shared by the CPU and GPU
/// pipelines.
static void buildBufferizationPipeline(OpPassManager &pm) {
  // Function boundaries keep identity layouts: the entry points' memrefs are
  // the descriptors the runtime builds (docs/ABI.md).
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createTFCMemRefCopyToLinalg());
}

void mlir::tfc::buildLinalgToLLVMCPUPipeline(OpPassManager &pm,
                                             const PipelineOptions &options) {
  if (options.runs("tfc-cpu-fuse-widening"))
    pm.addNestedPass<func::FuncOp>(createTFCCPUFuseWidening());
  buildBufferizationPipeline(pm);
  // The projections as register-blocked vector kernels; every other
  // generic becomes parallel loops below.
  if (options.runs("tfc-cpu-vectorize-contractions")) {
    TFCCPUVectorizeContractionsOptions kernels;
    kernels.vectorWidth = options.vectorWidth;
    kernels.tileRows = options.tileRows;
    kernels.tileCols = options.tileCols;
    kernels.blockBytes = options.blockBytes;
    kernels.prefetchBytes = options.prefetchBytes;
    kernels.rowCols = options.rowCols;
    kernels.rowUnroll = options.rowUnroll;
    kernels.fuseEpilogues = options.fuseEpilogues;
    kernels.vnni = options.vnni;
    pm.addNestedPass<func::FuncOp>(createTFCCPUVectorizeContractions(kernels));
  }
  // bf16 <-> f32 as integer shifts, which LLVM vectorises 16 wide (it
  // vectorises fpext from bfloat 4 wide only).
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  if (options.runs("tfc-cpu-approximate-math"))
    pm.addNestedPass<func::FuncOp>(createTFCCPUApproximateMath());
  // Parallel loops run on libomp's team; reductions stay sequential loops
  // inside them.
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  // Split-KV chunks (tfc-tile-kv) are scf.forall: to OpenMP with the rest.
  pm.addPass(createForallToParallelLoopPass());
  pm.addNestedPass<func::FuncOp>(createTFCCPUSerializeNestedParallel());
  // A decode step's elementwise ops on one row: no team forked for each.
  if (options.runs("tfc-cpu-serialize-small-parallel"))
    pm.addNestedPass<func::FuncOp>(createTFCCPUSerializeSmallParallel());
  pm.addPass(createConvertSCFToOpenMPPass({options.threads}));
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::tfc::buildLinalgToGPUPipeline(OpPassManager &pm,
                                         const PipelineOptions &options) {
  buildBufferizationPipeline(pm);
  // Every linalg op as parallel loops around sequential reductions; each
  // outermost scf.parallel becomes one kernel, launched from the host
  // functions.
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  pm.addPass(createForallToParallelLoopPass());
  pm.addPass(createCanonicalizerPass());
  // A parallel loop around parallel loops is host loops around kernels.
  pm.addNestedPass<func::FuncOp>(createTFCGPUSequentializeOuterParallel());
  // Tiles of the two outer dimensions become a block's threads (nested
  // scf.parallel: the outer loop maps to blocks, the inner to threads).
  int64_t tile = options.gpuTile;
  pm.addNestedPass<func::FuncOp>(createParallelLoopTilingPass({tile, tile}));
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createTFCGPUMergeModules());

  GpuNVVMAttachTargetOptions target;
  target.chip = options.gpuChip;
  target.features = options.gpuFeatures;
  target.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(target));
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  // Before convert-gpu-to-nvvm, which would call libdevice for them.
  kernels.addPass(createTFCGPULowerMath());
  kernels.addPass(memref::createExpandStridedMetadataPass());
  kernels.addPass(createLowerAffinePass());
  kernels.addPass(createSCFToControlFlowPass());
  kernels.addPass(createConvertGpuOpsToNVVMOps());
  kernels.addPass(createConvertNVVMToLLVMPass());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());
  // PTX needs no toolkit; a cubin or fatbin runs its ptxas (and fatbinary).
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = options.gpuFormat;
  binary.toolkitPath = options.cudaPath;
  pm.addPass(createGpuModuleToBinaryPass(binary));

  // The host functions: their buffers in device memory, every GPU op of a
  // call on one stream (the runtime's, docs/ABI.md), then the LLVM dialect
  // with the mgpu* calls that lib/Runtime/CUDA.cpp implements.
  pm.addPass(createTFCGPUDeviceMemory());
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

/// PassPipelineRegistration<PipelineOptions> without its one gap: a builder
/// that can fail. A bad option value is reported by the option parser, a bad
/// pass name by PipelineOptions::verify, both as errors of the pipeline.
static void registerPipeline(StringLiteral name, StringLiteral description,
                             void (*build)(OpPassManager &,
                                           const PipelineOptions &)) {
  registerPassPipeline(
      name, description,
      [name, build](OpPassManager &pm, StringRef text,
                    function_ref<LogicalResult(const Twine &)> errorHandler) {
        PipelineOptions options;
        if (failed(options.parseFromString(text)))
          return errorHandler(Twine(name) + ": cannot parse options '" + text +
                              "'");
        LogicalResult valid = options.verify([&](const Twine &message) {
          (void)errorHandler(Twine(name) + ": " + message);
        });
        if (failed(valid))
          return failure();
        build(pm, options);
        return success();
      },
      [](function_ref<void(const detail::PassOptions &)> optHandler) {
        optHandler(PipelineOptions());
      });
}

void mlir::tfc::registerTFCPipelines() {
  registerPipeline(
      "tfc-to-linalg",
      "Lower model-level tfc IR to linalg entry points (dtypes, expand, "
      "fusions, entry points, lower)",
      [](OpPassManager &pm, const PipelineOptions &options) {
        buildTFCModelPipeline(pm, options);
        buildTFCToLinalgPipeline(pm, options);
      });
  registerPipeline(
      "tfc-linalg-to-llvm-cpu",
      "Bufferize linalg entry points and lower them to the LLVM dialect",
      buildLinalgToLLVMCPUPipeline);
  registerPipeline("tfc-cpu-pipeline",
                   "Model-level tfc IR to the LLVM dialect for a CPU",
                   [](OpPassManager &pm, const PipelineOptions &options) {
                     buildTFCModelPipeline(pm, options);
                     buildTFCToLinalgPipeline(pm, options);
                     buildLinalgToLLVMCPUPipeline(pm, options);
                   });
  registerPipeline("tfc-gpu-pipeline",
                   "Model-level tfc IR to an NVIDIA GPU's kernels (one "
                   "gpu.binary) and their host functions in the LLVM dialect",
                   [](OpPassManager &pm, const PipelineOptions &options) {
                     PipelineOptions gpu;
                     gpu.copyOptionValuesFrom(options);
                     gpu.forGPU = true;
                     buildTFCModelPipeline(pm, gpu);
                     buildTFCToLinalgPipeline(pm, gpu);
                     buildLinalgToGPUPipeline(pm, gpu);
                   });
}
