// Round trip of tfc.kv_cache_append and tfc.kv_cache_read.
// RUN: tfc-opt %s | FileCheck %s
// RUN: tfc-opt %s | tfc-opt | FileCheck %s
// RUN: tfc-opt %s --mlir-print-op-generic | tfc-opt | FileCheck %s

// A cache of dynamic width accepts any keys and values.
// CHECK-LABEL: func.func @append_dynamic
// CHECK-SAME: (%[[K:.*]]: tensor<?x2x16xf32>, %[[V:.*]]: tensor<?x2x16xf32>, %[[C:.*]]: memref<?x?xf32>, %[[P:.*]]: index)
// CHECK: tfc.kv_cache_append %[[K]], %[[V]] into %[[C]] at %[[P]] : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x?xf32>
func.func @append_dynamic(%k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x?xf32>, %pos: index) {
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x?xf32>
  return
}

// A row of 2 * (16 + 16) = 64 floats; a ring of 8 rows.
// CHECK-LABEL: func.func @append_static
// CHECK: tfc.kv_cache_append %{{.*}}, %{{.*}} into %{{.*}} at %{{.*}} : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<8x64xf32>
func.func @append_static(%k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<8x64xf32>, %pos: index) {
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<8x64xf32>
  return
}

// MLA-shaped row: value dims differ from key dims (4 * (24 + 16) = 160).
// CHECK-LABEL: func.func @append_value_dim
// CHECK: tfc.kv_cache_append %{{.*}}, %{{.*}} into %{{.*}} at %{{.*}} : tensor<?x4x24xf32>, tensor<?x4x16xf32>, memref<?x160xf32>
func.func @append_value_dim(%k: tensor<?x4x24xf32>, %v: tensor<?x4x16xf32>, %cache: memref<?x160xf32>, %pos: index) {
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<?x4x24xf32>, tensor<?x4x16xf32>, memref<?x160xf32>
  return
}

// A strided view of a larger buffer is a cache too (what the entry points pass).
// CHECK-LABEL: func.func @append_strided
// CHECK: tfc.kv_cache_append %{{.*}}, %{{.*}} into %{{.*}} at %{{.*}} : tensor<1x2x16xf32>, tensor<1x2x16xf32>, memref<?x64xf32, strided<[64, 1], offset: ?>>
func.func @append_strided(%k: tensor<1x2x16xf32>, %v: tensor<1x2x16xf32>, %cache: memref<?x64xf32, strided<[64, 1], offset: ?>>, %pos: index) {
  tfc.kv_cache_append %k, %v into %cache at %pos : tensor<1x2x16xf32>, tensor<1x2x16xf32>, memref<?x64xf32, strided<[64, 1], offset: ?>>
  return
}

// CHECK-LABEL: func.func @read
// CHECK-SAME: (%[[C:.*]]: memref<?x?xf32>, %[[S:.*]]: memref<8x64xf32>, %[[A:.*]]: index, %[[B:.*]]: index)
// CHECK: %{{.*}}, %{{.*}} = tfc.kv_cache_read %[[C]][%[[A]], %[[B]]] : memref<?x?xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
// CHECK: %{{.*}}, %{{.*}} = tfc.kv_cache_read %[[S]][%[[A]], %[[B]]] : memref<8x64xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
func.func @read(%cache: memref<?x?xf32>, %ring: memref<8x64xf32>, %start: index, %end: index) {
  %k, %v = tfc.kv_cache_read %cache[%start, %end] : memref<?x?xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
  %k1, %v1 = tfc.kv_cache_read %ring[%start, %end] : memref<8x64xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
  return
}
