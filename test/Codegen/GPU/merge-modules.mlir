// RUN: tfc-opt %s --tfc-gpu-merge-modules --split-input-file | FileCheck %s

// Outlining's one module per kernel, all kernels of @f named @f_kernel: one
// module, each kernel named after its old module, the launches updated.
// CHECK-LABEL: func.func @f
// CHECK: gpu.launch_func @f_kernel::@f_kernel blocks
// CHECK: gpu.launch_func @f_kernel::@f_kernel_0 blocks
// CHECK: gpu.module @f_kernel {
// CHECK:   gpu.func @f_kernel() kernel
// CHECK:   gpu.func @f_kernel_0() kernel
// CHECK: }
// CHECK-NOT: gpu.module
module attributes {gpu.container_module} {
  func.func @f() {
    %c1 = arith.constant 1 : index
    gpu.launch_func @f_kernel::@f_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    gpu.launch_func @f_kernel_0::@f_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    return
  }
  gpu.module @f_kernel {
    gpu.func @f_kernel() kernel {
      gpu.return
    }
  }
  gpu.module @f_kernel_0 {
    gpu.func @f_kernel() kernel {
      gpu.return
    }
  }
}

// -----

// A global each module has a copy of is renamed in the module it came from.
// CHECK-LABEL: gpu.module @g_kernel {
// CHECK:   memref.global "private" constant @table : memref<2xf32>
// CHECK:   gpu.func @g_kernel() kernel
// CHECK:     memref.get_global @table
// CHECK:   memref.global "private" constant @table_g_kernel_0 : memref<2xf32>
// CHECK:   gpu.func @g_kernel_0() kernel
// CHECK:     memref.get_global @table_g_kernel_0
module attributes {gpu.container_module} {
  gpu.module @g_kernel {
    memref.global "private" constant @table : memref<2xf32> = dense<1.0>
    gpu.func @g_kernel() kernel {
      %t = memref.get_global @table : memref<2xf32>
      gpu.return
    }
  }
  gpu.module @g_kernel_0 {
    memref.global "private" constant @table : memref<2xf32> = dense<1.0>
    gpu.func @g_kernel() kernel {
      %t = memref.get_global @table : memref<2xf32>
      gpu.return
    }
  }
}
