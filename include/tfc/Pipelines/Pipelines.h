//===- Pipelines.h - tfc's named pass pipelines -----------------*- C++ -*-===//
#ifndef TFC_PIPELINES_PIPELINES_H
#define TFC_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::tfc {

/// An element type the weights or the KV caches may be read in.
enum class ElementType { Keep, F32, BF16, F16 };

/// The values of an ElementType option: f32, bf16, f16 (Keep, the default,
/// leaves the types as they are).
llvm::cl::ValuesClass getElementTypeValues();

/// What a user may change in the pipelines: `tfc-opt
/// --tfc-cpu-pipeline="kv-dtype=bf16 disable-pass=tfc-fuse-glu threads=4"`,
/// or tfc-compile's flags. Each value goes to the pass it configures, which
/// checks it when it runs; the defaults are the passes' own.
struct PipelineOptions : public PassPipelineOptions<PipelineOptions> {
  PipelineOptions();

  /// Optimisation passes to leave out, by pass name (getOptionalPasses()).
  ListOption<std::string> disabledPasses;
  /// Optimisation passes that are off by default to run.
  ListOption<std::string> enabledPasses;

  // Model level (tfc-set-dtypes).
  Option<ElementType> weightDType;
  Option<ElementType> kvDType;

  // tfc-to-linalg.
  Option<bool> outlineLayers;
  /// tfc-quantize-weights' scheme; empty: the weights stay in their dtype.
  Option<std::string> quantize;
  Option<bool> quantizeActivations;
  Option<int64_t> kvTile;
  Option<int64_t> queryTile;
  Option<int64_t> kvChunk;

  // CPU code generation (tfc-cpu-vectorize-contractions, OpenMP).
  Option<int64_t> vectorWidth;
  Option<bool> vnni;
  Option<int64_t> tileRows;
  Option<int64_t> tileCols;
  Option<int64_t> blockBytes;
  Option<int64_t> prefetchBytes;
  Option<int64_t> rowCols;
  Option<int64_t> rowUnroll;
  Option<bool> fuseEpilogues;
  Option<unsigned> threads;

  // GPU code generation (nvvm-attach-target, scf-parallel-loop-tiling,
  // gpu-module-to-binary).
  Option<std::string> gpuChip;
  Option<std::string> gpuFeatures;
  Option<int64_t> gpuTile;
  Option<std::string> gpuFormat;
  Option<std::string> cudaPath;
  /// Set by the GPU pipelines, not an option: the model-level passes leave
  /// out what only the host can run (tfc-dispatch-experts' data-dependent
  /// loops over each expert's tokens).
  bool forGPU = false;

  /// Fails, through `emitError`, on a disabled or enabled pass that is not an
  /// optimisation of the pipelines.
  LogicalResult verify(function_ref<void(const Twine &)> emitError) const;
  /// Whether the optimisation pass `name` (getOptionalPasses()) runs.
  bool runs(StringRef name) const;
};

/// The optimisation passes of the pipelines, which PipelineOptions may
/// disable (or enable, when off by default): the model computes the same (up
/// to reassociation) without them.
SmallVector<StringRef> getOptionalPasses();
/// Those of getOptionalPasses() that are off unless enabled.
SmallVector<StringRef> getOffByDefaultPasses();

/// The model-level choices: tfc-set-dtypes when a dtype is set, else nothing.
void buildTFCModelPipeline(OpPassManager &pm, const PipelineOptions &options);

/// Model-level tfc -> the C-ABI entry points on linalg/tensor
/// (tfc-expand-blocks, fusions, tfc-create-entry-points, tfc-lower-to-linalg,
/// cleanup).
void buildTFCToLinalgPipeline(OpPassManager &pm,
                              const PipelineOptions &options);

/// linalg on tensors -> LLVM dialect for a CPU (bufferization, vector
/// kernels, OpenMP loops, LLVM).
void buildLinalgToLLVMCPUPipeline(OpPassManager &pm,
                                  const PipelineOptions &options);

/// linalg on tensors -> PTX kernels for an NVIDIA GPU (bufferization,
/// parallel loops mapped to blocks and threads, kernels outlined into one
/// gpu.module, NVVM, gpu.binary with the PTX, or the cubin or fatbin that
/// the CUDA toolkit's ptxas and fatbinary make of it); the host functions
/// stay on memrefs with gpu.launch_func.
void buildLinalgToGPUPipeline(OpPassManager &pm,
                              const PipelineOptions &options);

/// Registers with the pass registry, each taking PipelineOptions:
/// `tfc-to-linalg` (the model-level choices, then to linalg),
/// `tfc-linalg-to-llvm-cpu` and `tfc-cpu-pipeline` (all three in sequence),
/// `tfc-gpu-pipeline` (the first two, then buildLinalgToGPUPipeline).
/// A bad option is an error that names it.
void registerTFCPipelines();

} // namespace mlir::tfc

#endif // TFC_PIPELINES_PIPELINES_H
