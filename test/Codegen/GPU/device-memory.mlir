// RUN: tfc-opt %s --tfc-gpu-device-memory --split-input-file --verify-diagnostics | FileCheck %s

module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @fill(%a: memref<?xf32>) kernel { gpu.return }
    gpu.func @table(%a: memref<4xf32>) kernel { gpu.return }
  }
  memref.global "private" constant @slopes : memref<4xf32> = dense<[1.0, 0.5, 0.25, 0.125]>

  // A buffer a kernel uses, directly or through a view, a call or a result,
  // comes from the device; the deallocation pipeline's pointer list, which
  // only the host reads, stays in host memory.
  // CHECK-LABEL: func.func private @layer
  // CHECK:         %[[A:.*]] = gpu.alloc (%{{.*}}) : memref<?xf32>
  // CHECK:         gpu.launch_func @k::@fill {{.*}} args(%[[A]] : memref<?xf32>)
  // CHECK:         %[[LIST:.*]] = memref.alloc() : memref<2xindex>
  // CHECK:         memref.store %{{.*}}, %[[LIST]]
  // CHECK:         memref.dealloc %[[LIST]]
  // CHECK:         return %[[A]]
  func.func private @layer(%n: index) -> memref<?xf32> {
    %c1 = arith.constant 1 : index
    %c0 = arith.constant 0 : index
    %a = memref.alloc(%n) : memref<?xf32>
    gpu.launch_func @k::@fill blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<?xf32>)
    %list = memref.alloc() : memref<2xindex>
    memref.store %c0, %list[%c0] : memref<2xindex>
    memref.dealloc %list : memref<2xindex>
    return %a : memref<?xf32>
  }

  // CHECK-LABEL: func.func @tfc_prefill
  // The constant table: a device copy made at entry, freed at the return.
  // CHECK:         %[[HOST:.*]] = memref.get_global @slopes : memref<4xf32>
  // CHECK-NEXT:    %[[TABLE:.*]] = gpu.alloc () : memref<4xf32>
  // CHECK-NEXT:    gpu.memcpy %[[TABLE]], %[[HOST]] : memref<4xf32>, memref<4xf32>
  // CHECK:         %[[B:.*]] = gpu.alloc (%{{.*}}) : memref<?xf32>
  // CHECK:         %[[V:.*]] = memref.subview %[[B]]
  // CHECK:         call @consume(%[[V]])
  // CHECK:         gpu.launch_func @k::@table {{.*}} args(%[[TABLE]] : memref<4xf32>)
  // CHECK:         %[[R:.*]] = call @layer
  // The host reads the i64 tables (in mapped host memory) but no buffer.
  // CHECK:         memref.load %arg0
  // CHECK:         gpu.dealloc %[[R]]
  // CHECK:         gpu.dealloc %[[B]]
  // CHECK:         gpu.dealloc %[[TABLE]]
  // CHECK-NEXT:    return
  func.func @tfc_prefill(%offsets: memref<?xi64>, %n: index) {
    %c1 = arith.constant 1 : index
    %c0 = arith.constant 0 : index
    %b = memref.alloc(%n) : memref<?xf32>
    %v = memref.subview %b[0] [4] [1] : memref<?xf32> to memref<4xf32, strided<[1]>>
    call @consume(%v) : (memref<4xf32, strided<[1]>>) -> ()
    %t = memref.get_global @slopes : memref<4xf32>
    gpu.launch_func @k::@table blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%t : memref<4xf32>)
    %r = call @layer(%n) : (index) -> memref<?xf32>
    %o = memref.load %offsets[%c0] : memref<?xi64>
    memref.dealloc %r : memref<?xf32>
    memref.dealloc %b : memref<?xf32>
    return
  }
  func.func private @consume(%v: memref<4xf32, strided<[1]>>) {
    %c1 = arith.constant 1 : index
    %cast = memref.cast %v : memref<4xf32, strided<[1]>> to memref<?xf32, strided<[1]>>
    %w = memref.reinterpret_cast %cast to offset: [0], sizes: [4], strides: [1] : memref<?xf32, strided<[1]>> to memref<4xf32>
    gpu.launch_func @k::@table blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%w : memref<4xf32>)
    return
  }
  // CHECK: llvm.mlir.global external constant @tfc_cuda_abi(1 : i64)
}

// -----

module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @fill(%a: memref<?xf32>) kernel { gpu.return }
  }
  // The host reads what a kernel wrote, and an entry point's buffer.
  func.func @tfc_decode(%logits: memref<?xf32>, %n: index) -> f32 {
    %c1 = arith.constant 1 : index
    %c0 = arith.constant 0 : index
    // expected-note @below {{the buffer comes from here}}
    %a = memref.alloc(%n) : memref<?xf32>
    gpu.launch_func @k::@fill blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<?xf32>)
    // expected-error @below {{'memref.load' op on the host accesses device memory (a buffer the kernels use); it must run in a kernel}}
    %x = memref.load %a[%c0] : memref<?xf32>
    // expected-error @below {{'memref.store' op on the host accesses device memory}}
    memref.store %x, %logits[%c0] : memref<?xf32>
    memref.dealloc %a : memref<?xf32>
    return %x : f32
  }
}

// -----

module attributes {gpu.container_module} {
  gpu.module @k {
    gpu.func @fill(%a: memref<4xf32>) kernel { gpu.return }
  }
  // A kernel given a buffer on the host's stack.
  func.func @tfc_decode() {
    %c1 = arith.constant 1 : index
    // expected-note @below {{the buffer comes from here}}
    %a = memref.alloca() : memref<4xf32>
    // expected-error @below {{'gpu.launch_func' op passes a kernel host memory it cannot read}}
    gpu.launch_func @k::@fill blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%a : memref<4xf32>)
    return
  }
}
