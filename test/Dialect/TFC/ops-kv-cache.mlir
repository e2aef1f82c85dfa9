// Round trip of tfc.kv_cache_append and tfc.kv_cache_read.
// RUN: tfc-opt %s | FileCheck %s
// RUN: tfc-opt %s | tfc-opt | FileCheck %s
// RUN: tfc-opt %s --mlir-print-op-generic | tfc-opt | FileCheck %s

// A dynamic cache row: any slice is accepted.
// CHECK-LABEL: func.func @append_dynamic
// CHECK-SAME: (%[[K:.*]]: tensor<?x2x16xf32>, %[[V:.*]]: tensor<?x2x16xf32>, %[[C:.*]]: memref<?x?xf32>, %[[P:.*]]: index)
// CHECK: tfc.kv_cache_append %[[K]], %[[V]] into %[[C]] at %[[P]] {offset = 0 : i64} : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x?xf32>
func.func @append_dynamic(%k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<?x?xf32>, %pos: index) {
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = 0 : i64} : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x?xf32>
  return
}

// Two layers share a row of 2 * 2 * (16 + 16) = 128 floats; the second slice
// [64, 128) ends exactly at the row's end.
// CHECK-LABEL: func.func @append_static
// CHECK: tfc.kv_cache_append %{{.*}}, %{{.*}} into %{{.*}} at %{{.*}} {offset = 0 : i64} : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<256x128xf32>
// CHECK: tfc.kv_cache_append %{{.*}}, %{{.*}} into %{{.*}} at %{{.*}} {offset = 64 : i64} : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<256x128xf32>
func.func @append_static(%k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %cache: memref<256x128xf32>, %pos: index) {
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = 0 : i64} : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<256x128xf32>
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = 64 : i64} : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<256x128xf32>
  return
}

// MLA-shaped cache slice: value dims differ from key dims (4 * (24 + 16) = 160).
// CHECK-LABEL: func.func @append_value_dim
// CHECK: tfc.kv_cache_append %{{.*}}, %{{.*}} into %{{.*}} at %{{.*}} {offset = 0 : i64} : tensor<?x4x24xf32>, tensor<?x4x16xf32>, memref<?x160xf32>
func.func @append_value_dim(%k: tensor<?x4x24xf32>, %v: tensor<?x4x16xf32>, %cache: memref<?x160xf32>, %pos: index) {
  tfc.kv_cache_append %k, %v into %cache at %pos {offset = 0 : i64} : tensor<?x4x24xf32>, tensor<?x4x16xf32>, memref<?x160xf32>
  return
}

// CHECK-LABEL: func.func @read
// CHECK-SAME: (%[[C:.*]]: memref<?x?xf32>, %[[S:.*]]: memref<256x128xf32>, %[[L:.*]]: index)
// CHECK: %{{.*}}, %{{.*}} = tfc.kv_cache_read %[[C]][%[[L]]] {offset = 0 : i64} : memref<?x?xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
// CHECK: %{{.*}}, %{{.*}} = tfc.kv_cache_read %[[S]][%[[L]]] {offset = 64 : i64} : memref<256x128xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
func.func @read(%cache: memref<?x?xf32>, %static: memref<256x128xf32>, %len: index) {
  %k, %v = tfc.kv_cache_read %cache[%len] {offset = 0 : i64} : memref<?x?xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
  %k1, %v1 = tfc.kv_cache_read %static[%len] {offset = 64 : i64} : memref<256x128xf32> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
  return
}
