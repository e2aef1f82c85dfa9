//===- Passes.td - tfc code generation passes --------------*- tablegen -*-===//
//
// Passes on bufferized linalg that decide how the CPU or the GPU runs the
// model's kernels (the layer between the lowering to linalg and LLVM).
//
//===----------------------------------------------------------------------===//
#ifndef TFC_CODEGEN_PASSES_TD
#define TFC_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def TFCCPUVectorizeContractions
    : Pass<"tfc-cpu-vectorize-contractions", "::mlir::func::FuncOp"> {
  let summary = "Register-blocked vector kernels for the projections";
  let description = [{
    Rewrites every bufferized projection `y[n, o] += x[n, k] * w[o, k]`
    (tfc.linear / tfc.lm_head / the MoE experts after tfc-lower-to-linalg;
    weights in f32, bf16 or f16, `k` a multiple of the vector width) into
    a loop nest of `vector` ops:
    - an `scf.parallel` loop over blocks of `o` (the threads split the
      weight rows, so each weight byte is read by one thread), sized so that
      a block of weight rows stays in L2 while every row of `x` passes it;
    - inside, tiles of `tile-rows x tile-cols` outputs (rows of `x` times
      rows of `w`), each accumulated in its own `vector<width x f32>`
      register over `k`: one load of each `x` and `w` slice feeds
      `rows * cols` FMAs, and 16-bit weights are widened in registers;
    - the rows of `x` left over (all of decode, where `x` has one row) go
      one at a time against `row-cols` weight rows with `row-unroll`
      accumulators each along `k`: with one weight row at a time the weights
      are read as one sequential stream, which is what a matrix-vector
      product is bound by;
    - one horizontal add per output at the end, added to what `y` held (the
      bias or zero).
    With `fuse-epilogues`, an elementwise generic right after the
    contraction that reads its zero-initialised outputs (tfc.gated_linear's
    GLU map, a residual add; identity maps, plain arithmetic) becomes the
    kernel's epilogue: each output goes from the accumulators through that
    map into the map's result, and the contraction's own output buffers (two
    `[n, d_ff]` for a GLU) are removed.
    When `x` is int8 too (tfc.quantize's blocks before a projection of q8_0
    weights: `x[n, k] = xq[n, k] * xs[n, k / 32]`), each step of 64 (or 32)
    along `k` is an int8 dot product per output in i32 lanes of 4 products
    (`vpdpbusd` with `vnni`; the unsigned operand is `w xor 0x80`, and the
    128 * sum(x) this adds is subtracted through the initial accumulator),
    converted to f32 and scaled by the product of the two blocks' scales.
    Contractions of any other form are left as they are.

    ```mlir
    linalg.generic {iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%x, %w : memref<?x2048xf32>, memref<8192x2048xbf16>) outs(%y : memref<?x8192xf32>)
    // becomes
    scf.parallel (%ob) = (%c0) to (%c8192) step (%c64) {
      scf.for %n = ... step %c4 {
        scf.for %o = ... step %c4 {
          %acc:16 = scf.for %k = %c0 to %c2048 step %c16 iter_args(...) -> (vector<16xf32>, ...) {
            %xv = vector.transfer_read %x[...] : memref<?x2048xf32>, vector<16xf32>
            %wv = vector.transfer_read %w[...] : memref<8192x2048xbf16>, vector<16xbf16>
            %wf = arith.extf %wv : vector<16xbf16> to vector<16xf32>
            %a = vector.fma %xv, %wf, %acc#0 : vector<16xf32>
            ...
    ```
  }];
  let options = [
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes per vector register (16 for AVX-512, 8 for AVX2)">,
    Option<"tileRows", "tile-rows", "int64_t", /*default=*/"4",
           "Rows of x per register tile">,
    Option<"tileCols", "tile-cols", "int64_t", /*default=*/"4",
           "Weight rows per register tile">,
    Option<"blockBytes", "block-bytes", "int64_t", /*default=*/"262144",
           "Bytes of weight rows per parallel block (kept in L2)">,
    Option<"prefetchBytes", "prefetch-bytes", "int64_t", /*default=*/"2048",
           "Prefetch each weight row this many bytes ahead (0: none)">,
    Option<"rowCols", "row-cols", "int64_t", /*default=*/"1",
           "Weight rows per tile for the rows of x left over (decode)">,
    Option<"rowUnroll", "row-unroll", "int64_t", /*default=*/"4",
           "Accumulators per output along the depth for those rows">,
    Option<"fuseEpilogues", "fuse-epilogues", "bool", /*default=*/"true",
           "Fuse the elementwise map that consumes a contraction's outputs "
           "into its kernel">,
    Option<"vnni", "vnni", "bool", /*default=*/"false",
           "int8 x int8 dot products as AVX512-VNNI vpdpbusd (the target "
           "must have avx512vnni); otherwise as widening vector arithmetic">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

def TFCCPUFuseWidening : Pass<"tfc-cpu-fuse-widening", "::mlir::func::FuncOp"> {
  let summary = "16-bit reads widened inside the tiles that consume them";
  let description = [{
    A 16-bit KV cache is read as `bf16`/`f16` and widened to f32 by one
    elementwise `linalg.generic` over the whole `[T, kv_heads, d]` view.
    Left alone, that map is a pass over the cache that writes an f32 copy
    twice its size, which attention then reads again. This pass moves the
    widening to where the values are used: a `tensor.extract_slice` of a
    widening map becomes the map of a slice (so the flash form's KV tiles
    widen only their own rows), and a widening map that feeds a
    `linalg.generic` is fused into it (the widening happens in registers as
    the contraction loads each element). Only pure widenings (one `arith.extf`,
    identity maps, parallel loops) of buffer reads (`bufferization.to_tensor`
    through reshapes, slices and concatenations: the KV cache) move; others
    (of weights, which are function arguments) stay where they are.

    ```mlir
    %w = linalg.generic {identity maps, parallel} ins(%cache : tensor<?x4x64xbf16>) ... { arith.extf }
    %t = tensor.extract_slice %w[%j, 0, 0] [%n, 4, 64] [1, 1, 1]
    %s = linalg.generic ... ins(%q, %t : ...) { mulf, addf }
    // becomes
    %c = tensor.extract_slice %cache[%j, 0, 0] [%n, 4, 64] [1, 1, 1]
    %s = linalg.generic ... ins(%q, %c : ...) { extf, mulf, addf }
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def TFCCPUApproximateMath
    : Pass<"tfc-cpu-approximate-math", "::mlir::func::FuncOp"> {
  let summary = "math.exp as a polynomial that vectorises, not a libm call";
  let description = [{
    `math.exp` becomes a `expf` call per element on the CPU, which keeps
    LLVM from vectorising the loops of the online softmax, the softmaxes and
    SiLU. This pass rewrites f32 `math.exp` into MLIR's polynomial
    approximation (range reduction and a polynomial: plain arithmetic that
    vectorises, a few ulp from libm; the end-to-end tests bound the effect).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def TFCCPUSerializeNestedParallel
    : Pass<"tfc-cpu-serialize-nested-parallel", "::mlir::func::FuncOp"> {
  let summary = "Parallel loops inside a parallel loop become sequential";
  let description = [{
    `convert-scf-to-openmp` turns every `scf.parallel` into an OpenMP
    region. One nested in another (the linalg ops of a flash-attention work
    item, of a split-KV chunk, of an expert) then forks a serialized team per
    op per iteration: libomp's fork path costs microseconds each time, more
    than the tiles' arithmetic. The outermost loop already gives every
    thread work, so this pass rewrites each `scf.parallel` (without
    reductions) that has an `scf.parallel` ancestor into nested `scf.for`
    loops, which LLVM then vectorises as plain loops.

    ```mlir
    scf.parallel (%c) = (%c0) to (%n) step (%c1) {
      scf.parallel (%i, %j) = (%c0, %c0) to (%a, %b) step (%c1, %c1) { ... }
    }
    // becomes
    scf.parallel (%c) = (%c0) to (%n) step (%c1) {
      scf.for %i = %c0 to %a step %c1 {
        scf.for %j = %c0 to %b step %c1 { ... }
      }
    }
    ```
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def TFCCPUSerializeSmallParallel
    : Pass<"tfc-cpu-serialize-small-parallel", "::mlir::func::FuncOp"> {
  let summary = "Parallel loops with little work run sequentially";
  let description = [{
    Each outermost `scf.parallel` (without reductions) whose work per
    iteration is known (straight-line code, `scf.for` loops of constant trip
    count) is guarded by its total work, estimated as its iterations times
    the ops they run: with at least `min-work`, the parallel loop (an OpenMP
    region below); with less, the same loop as nested `scf.for` loops on the
    calling thread. A decode step runs dozens of elementwise ops, norms and
    block quantizations on one row per layer; forking the team for each
    costs more than the op (a few microseconds each time at 2 threads).
    Loops with work that is not known this way (the projection kernels,
    attention's work items: loops of dynamic trip count) keep their form.

    ```mlir
    scf.parallel (%i, %j) = (%c0, %c0) to (%n, %c768) step (%c1, %c1) { ... }
    // becomes
    scf.if %enough_work {   // %n * 768 * (ops per element) >= min-work
      scf.parallel (%i, %j) = (%c0, %c0) to (%n, %c768) step (%c1, %c1) { ... }
    } else {
      scf.for %i = %c0 to %n step %c1 {
        scf.for %j = %c0 to %c768 step %c1 { ... }
      }
    }
    ```
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"32768",
           "Ops (iterations x ops per iteration) from which a loop runs in "
           "parallel">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect"];
}

def TFCGPULowerMath : Pass<"tfc-gpu-lower-math", "::mlir::gpu::GPUModuleOp"> {
  let summary = "Math ops of GPU kernels without libdevice";
  let description = [{
    `convert-gpu-to-nvvm` lowers `math` ops to calls of libdevice's `__nv_*`
    functions, which stay unresolved in the PTX unless libdevice is linked
    (it ships with the CUDA toolkit, which tfc does not require to emit PTX).
    This pass, run on a `gpu.module` before it, removes them: `exp`, `tanh`,
    `erf`, `sin`, `cos` (and their f16/bf16 forms, through f32) become
    upstream's polynomial approximations in `arith` and `math.fma`; f32
    `fma` becomes `llvm.intr.fma`; f32 `sqrt`, `rsqrt`, `absf` and `floor`
    become the PTX instructions `sqrt.rn.f32`, `rsqrt.approx.f32` (relative
    error below 2^-22, PTX ISA "rsqrt"), `abs.f32` and `cvt.rmi.f32.f32`.

    ```mlir
    %y = math.rsqrt %x : f32
    // becomes
    %y = nvvm.inline_ptx "rsqrt.approx.f32 $0, $1;" ro(%x : f32) -> f32
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::NVVM::NVVMDialect"];
}

def TFCGPUMergeModules : Pass<"tfc-gpu-merge-modules", "::mlir::ModuleOp"> {
  let summary = "One gpu.module holding every kernel";
  let description = [{
    `gpu-kernel-outlining` makes one `gpu.module` per host function; each
    becomes its own PTX module. This pass moves every kernel into the first
    `gpu.module` and updates the `gpu.launch_func`s, so that the model's
    kernels are one PTX module (one file for `ptxas`, one module to load).
    Outlining makes one module per kernel and gives all the kernels of a
    host function one name; each kernel is renamed after its module, whose
    name is unique.

    ```mlir
    gpu.module @f_kernel { gpu.func @f_kernel() kernel {...} }
    gpu.module @f_kernel_0 { gpu.func @f_kernel() kernel {...} }
    gpu.launch_func @f_kernel_0::@f_kernel ...
    // becomes
    gpu.module @f_kernel { gpu.func @f_kernel() kernel {...}
                           gpu.func @f_kernel_0() kernel {...} }
    gpu.launch_func @f_kernel::@f_kernel_0 ...
    ```
  }];
}

def TFCGPUSequentializeOuterParallel
    : Pass<"tfc-gpu-sequentialize-outer-parallel", "::mlir::func::FuncOp"> {
  let summary = "Host loops around the parallel loops nested in a parallel loop";
  let description = [{
    `convert-parallel-loop-to-gpu` maps one perfectly nested `scf.parallel`
    to a kernel's blocks and threads. An `scf.parallel` that holds other
    `scf.parallel`s among other ops (the split-KV and flash-attention nests,
    the per-sequence loop of a batched decode, with their scratch buffers)
    is no such nest: it would stay host code that touches device memory.
    This pass, run before the loops are tiled and mapped, turns every
    `scf.parallel` without reductions that contains another `scf.parallel`
    into `scf.for` loops on the host, so that each innermost parallel loop
    becomes a kernel launched once per iteration. That is always correct
    (a parallel loop may run in any order), but it launches a kernel per
    head or sequence: the patterns for the hot kernels replace it.

    ```mlir
    scf.parallel (%h) = (%c0) to (%heads) step (%c1) {
      %s = memref.alloc() : memref<16xf32>
      scf.parallel (%i) = (%c0) to (%c16) step (%c1) { ... }
    }
    // becomes
    scf.for %h = %c0 to %heads step %c1 {
      %s = memref.alloc() : memref<16xf32>
      scf.parallel (%i) = (%c0) to (%c16) step (%c1) { ... }
    }
    ```
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def TFCGPUDeviceMemory : Pass<"tfc-gpu-device-memory", "::mlir::ModuleOp"> {
  let summary = "Buffers the kernels use in device memory; no host access to them";
  let description = [{
    After the kernels are outlined, the host functions still allocate their
    buffers with `memref.alloc`, in host memory. This pass moves every
    buffer a kernel may touch to the device: a `memref.alloc` whose value,
    through view-like ops, reaches a `gpu.launch_func`, a function's
    result, or a call argument that does, becomes a `gpu.alloc` (its
    `memref.dealloc`s `gpu.dealloc`s). The runtime passes the entry points'
    memrefs in device memory (docs/ABI.md), so their arguments count as
    device memory too. A `memref.get_global` a kernel reads is copied into
    a `gpu.alloc` by a `gpu.memcpy` (freed before the function returns).
    Buffers only the host uses (the deallocation pipeline's pointer lists)
    stay in host memory.

    The pass then checks that no host op reads or writes device memory
    (`memref.load`, `memref.store`, `memref.copy`, a `vector` transfer):
    such an op would fault, or read garbage, at run time, so it is an error
    naming the op and the buffer's origin; so is a `gpu.launch_func` given
    a buffer a kernel cannot read (a `memref.alloca`). Last, it defines the constant
    `tfc_cuda_abi` (1), by which the runtime knows the convention.

    ```mlir
    %a = memref.alloc(%n) : memref<?xf32>
    gpu.launch_func @k::@f blocks in (...) threads in (...) args(%a : memref<?xf32>)
    memref.dealloc %a : memref<?xf32>
    // becomes
    %a = gpu.alloc (%n) : memref<?xf32>
    gpu.launch_func @k::@f blocks in (...) threads in (...) args(%a : memref<?xf32>)
    gpu.dealloc %a : memref<?xf32>
    ```
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::LLVM::LLVMDialect"];
}

#endif // TFC_CODEGEN_PASSES_TD
