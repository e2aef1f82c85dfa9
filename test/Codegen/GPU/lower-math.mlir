// RUN: tfc-opt %s --pass-pipeline='builtin.module(gpu.module(tfc-gpu-lower-math))' | FileCheck %s

// No math op is left for convert-gpu-to-nvvm to turn into a libdevice call.
// CHECK-LABEL: gpu.func @approximated
// CHECK-NOT: math.
// CHECK: llvm.intr.fma
// CHECK-NOT: math.
// CHECK: gpu.return
// CHECK-LABEL: gpu.func @instructions
// CHECK-NOT: math.
// CHECK: nvvm.inline_ptx "sqrt.rn.f32 $0, $1;"
// CHECK: nvvm.inline_ptx "rsqrt.approx.f32 $0, $1;"
// CHECK: nvvm.inline_ptx "abs.f32 $0, $1;"
// CHECK: nvvm.inline_ptx "cvt.rmi.f32.f32 $0, $1;"
// CHECK-NOT: math.
// CHECK: gpu.return
gpu.module @kernels {
  gpu.func @approximated(%x: f32, %h: bf16, %out: memref<6xf32>, %outh: memref<1xbf16>) kernel {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %c4 = arith.constant 4 : index
    %e = math.exp %x : f32
    %t = math.tanh %x : f32
    %r = math.erf %x : f32
    %s = math.sin %x : f32
    %c = math.cos %x : f32
    %eh = math.exp %h : bf16
    memref.store %e, %out[%c0] : memref<6xf32>
    memref.store %t, %out[%c1] : memref<6xf32>
    memref.store %r, %out[%c2] : memref<6xf32>
    memref.store %s, %out[%c3] : memref<6xf32>
    memref.store %c, %out[%c4] : memref<6xf32>
    memref.store %eh, %outh[%c0] : memref<1xbf16>
    gpu.return
  }
  gpu.func @instructions(%x: f32, %out: memref<4xf32>) kernel {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %q = math.sqrt %x : f32
    %r = math.rsqrt %x : f32
    %a = math.absf %x : f32
    %f = math.floor %x : f32
    memref.store %q, %out[%c0] : memref<4xf32>
    memref.store %r, %out[%c1] : memref<4xf32>
    memref.store %a, %out[%c2] : memref<4xf32>
    memref.store %f, %out[%c3] : memref<4xf32>
    gpu.return
  }
}
