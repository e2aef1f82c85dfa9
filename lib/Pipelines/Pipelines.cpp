//===- Pipelines.cpp - tfc's named pass pipelines -------------------------===//
//
// Each pipeline is a list readable in one place; each stage can be printed
// with --mlir-print-ir-after-all.
//
//===----------------------------------------------------------------------===//
#include "tfc/Pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

namespace {
/// One pass of a pipeline, in textual form. An optimisation can be left out
/// by its pass name (tfc-compile --disable-pass); the other stages are what
/// makes the model run at all.
struct Stage {
  const char *pass;
  const char *optimisation = nullptr;
  /// Off unless asked for (tfc-compile --enable-pass): an optimisation that
  /// does not pay on this machine yet.
  bool offByDefault = false;
};
} // namespace

static const Stage kTFCToLinalg[] = {
    {"tfc-expand-blocks"},
    // Fusions of the expanded layer functions.
    {"tfc-fuse-residual-norm", "tfc-fuse-residual-norm"},
    {"tfc-fuse-glu", "tfc-fuse-glu"},
    // Attention over KV tiles with an online softmax (off: the [heads, n, T]
    // scores materialised); then split-KV decode over parallel chunks.
    {"tfc-fuse-attention", "tfc-fuse-attention"},
    // Split-KV decode: off by default, as it slows prefill for now (a prefill
    // is one scf.forall iteration, so its loops run on one thread).
    {"tfc-tile-kv", "tfc-tile-kv", /*offByDefault=*/true},
    {"tfc-create-entry-points"},
    // Each token through its routed experts only (off: every expert on
    // every token, weighted by a gate that is 0 unless chosen).
    {"tfc-dispatch-experts", "tfc-dispatch-experts"},
    {"tfc-lower-to-linalg"},
    {"canonicalize"},
    {"cse"},
};

// Function boundaries keep identity layouts: the entry points' memrefs are the
// descriptors the runtime builds (docs/ABI.md).
static const Stage kLinalgToLLVMCPU[] = {
    {"one-shot-bufferize{bufferize-function-boundaries "
     "function-boundary-type-conversion=identity-layout-map}"},
    {"buffer-deallocation-pipeline"},
    {"tfc-memref-copy-to-linalg"},
    // The projections as register-blocked vector kernels; every other
    // generic becomes parallel loops below.
    {"func.func(tfc-cpu-vectorize-contractions)",
     "tfc-cpu-vectorize-contractions"},
    // bf16 <-> f32 as integer shifts, which LLVM vectorises 16 wide (it
    // vectorises fpext from bfloat 4 wide only).
    {"arith-expand{include-bf16=true}"},
    // Parallel loops run on libomp's team (--threads); reductions stay
    // sequential loops inside them.
    {"convert-linalg-to-parallel-loops"},
    // Split-KV chunks (tfc-tile-kv) are scf.forall: to OpenMP with the rest.
    {"scf-forall-to-parallel"},
    {"convert-scf-to-openmp"},
    {"expand-strided-metadata"},
    {"lower-affine"},
    {"convert-vector-to-llvm"},
    {"finalize-memref-to-llvm"},
    {"convert-scf-to-cf"},
    {"convert-openmp-to-llvm"},
    {"convert-math-to-llvm"},
    {"convert-math-to-libm"},
    {"convert-arith-to-llvm"},
    {"convert-index-to-llvm"},
    {"convert-func-to-llvm"},
    {"convert-cf-to-llvm"},
    {"reconcile-unrealized-casts"},
};

static LogicalResult addStages(OpPassManager &pm, ArrayRef<Stage> stages,
                               const tfc::PipelineOptions &options) {
  for (const Stage &stage : stages) {
    bool run = !stage.optimisation ||
               (stage.offByDefault
                    ? options.enabledPasses.contains(stage.optimisation)
                    : !options.disabledPasses.contains(stage.optimisation));
    if (run && failed(parsePassPipeline(stage.pass, pm)))
      return failure();
  }
  return success();
}

SmallVector<StringRef> mlir::tfc::getOptionalPasses() {
  SmallVector<StringRef> names;
  for (ArrayRef<Stage> stages : {ArrayRef<Stage>(kTFCToLinalg),
                                 ArrayRef<Stage>(kLinalgToLLVMCPU)})
    for (const Stage &stage : stages)
      if (stage.optimisation)
        names.push_back(stage.optimisation);
  return names;
}

LogicalResult mlir::tfc::buildTFCToLinalgPipeline(OpPassManager &pm,
                                                  const PipelineOptions &options) {
  return addStages(pm, kTFCToLinalg, options);
}

LogicalResult
mlir::tfc::buildLinalgToLLVMCPUPipeline(OpPassManager &pm,
                                        const PipelineOptions &options) {
  return addStages(pm, kLinalgToLLVMCPU, options);
}

void mlir::tfc::registerTFCPipelines() {
  PassPipelineRegistration<>(
      "tfc-to-linalg",
      "Lower model-level tfc IR to linalg entry points (expand, entry points, "
      "lower)",
      [](OpPassManager &pm) { (void)buildTFCToLinalgPipeline(pm); });
  PassPipelineRegistration<>(
      "tfc-linalg-to-llvm-cpu",
      "Bufferize linalg entry points and lower them to the LLVM dialect",
      [](OpPassManager &pm) { (void)buildLinalgToLLVMCPUPipeline(pm); });
  PassPipelineRegistration<>(
      "tfc-cpu-pipeline", "Model-level tfc IR to the LLVM dialect for a CPU",
      [](OpPassManager &pm) {
        (void)buildTFCToLinalgPipeline(pm);
        (void)buildLinalgToLLVMCPUPipeline(pm);
      });
}
