// tfc-gpu-pipeline: the shared lowering to linalg, then kernels from the
// parallel loops, in one gpu.module compiled to PTX; the host functions, with
// their buffers in device memory and their GPU ops on one stream, in the LLVM
// dialect, where they launch the kernels.
// RUN: tfc-opt %S/Inputs/tiny-model.mlir --tfc-gpu-pipeline --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=PIPE
// RUN: tfc-opt %S/Inputs/tiny-model.mlir --tfc-gpu-pipeline="gpu-chip=sm_80 gpu-tile=32" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=SM80
// RUN: tfc-opt %S/Inputs/tiny-model.mlir --tfc-gpu-pipeline | FileCheck %s

// PIPE:      builtin.module(
// PIPE-NEXT:   tfc-expand-blocks{outline-layers=true},
// PIPE:        tfc-lower-to-linalg,
// PIPE:        one-shot-bufferize{
// PIPE:        convert-linalg-to-parallel-loops,
// PIPE:        tfc-gpu-sequentialize-outer-parallel
// PIPE:        scf-parallel-loop-tiling{no-min-max-bounds=false parallel-loop-tile-sizes={16,16}}
// PIPE:        gpu-map-parallel-loops
// PIPE:        convert-parallel-loops-to-gpu
// PIPE:        gpu-kernel-outlining
// PIPE-NEXT:   tfc-gpu-merge-modules,
// PIPE-NEXT:   nvvm-attach-target{O=3 chip=sm_90 fast=false features=+ptx80
// PIPE-NEXT:   gpu.module(
// PIPE-NEXT:     tfc-gpu-lower-math,
// PIPE:          convert-gpu-to-nvvm
// PIPE:        gpu-module-to-binary{format=isa
// PIPE-NEXT:   tfc-gpu-device-memory,
// PIPE-NEXT:   func.func(
// PIPE-NEXT:     gpu-async-region
// PIPE:        gpu-to-llvm
// PIPE-NEXT:   reconcile-unrealized-casts
// PIPE-NEXT: )
// SM80: scf-parallel-loop-tiling{no-min-max-bounds=false parallel-loop-tile-sizes={32,32}}
// SM80: nvvm-attach-target{O=3 chip=sm_80 fast=false features=+ptx80

// The kernels' module, where the first kernel's module was (after the layer
// function), then the entry points launching its kernels.
// CHECK:       gpu.binary @layer_kind_0_kernel  [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, properties = {{.*}}, assembly = "
// CHECK-SAME:    .target sm_90
// CHECK-SAME:    .visible .entry layer_kind_0_kernel
// Blocks of up to 16x16 threads.
// Every host buffer a kernel uses from the stream-ordered allocator, every
// launch on the function's stream.
// CHECK-LABEL: llvm.func @tfc_prefill(
// CHECK:         %[[STREAM:.*]] = llvm.call @mgpuStreamCreate()
// CHECK:         llvm.call @mgpuMemAlloc(%{{.*}}, %[[STREAM]], %{{.*}})
// CHECK:         gpu.launch_func <%[[STREAM]] : !llvm.ptr> @layer_kind_0_kernel::@{{.*}} threads in
// CHECK-NOT:   llvm.call @malloc
// CHECK:         llvm.call @mgpuStreamSynchronize(%[[STREAM]])
// CHECK-NOT:   gpu.module
// CHECK-NOT:   gpu.binary
// The runtime's sign of the convention.
// CHECK:       llvm.mlir.global external constant @tfc_cuda_abi(1 : i64)
