// Round trip of tfc.head_linear and of the keys-only cache ops MLA's absorbed
// form uses (an append without values, a read with value_in_key).
// RUN: tfc-opt %s | FileCheck %s
// RUN: tfc-opt %s | tfc-opt | FileCheck %s
// RUN: tfc-opt %s --mlir-print-op-generic | tfc-opt | FileCheck %s

// CHECK-LABEL: func.func @head_linear
// CHECK-SAME: (%[[QN:.*]]: tensor<?x4x8xf32>, %[[LAT:.*]]: tensor<?x4x16xf32>, %[[W:.*]]: tensor<56x16xbf16>)
func.func @head_linear(%qn: tensor<?x4x8xf32>, %lat: tensor<?x4x16xf32>, %w: tensor<56x16xbf16>)
    -> (tensor<?x4x16xf32>, tensor<?x4x6xf32>) {
  // W_uk: rows 0..8 of each head's 14 as [in, out].
  // CHECK: tfc.head_linear %[[QN]], %[[W]] {head_rows = 14 : i64, layout = #tfc.layout<in_out>, row_offset = 0 : i64} : tensor<?x4x8xf32>, tensor<56x16xbf16> -> tensor<?x4x16xf32>
  %0 = tfc.head_linear %qn, %w {head_rows = 14 : i64, row_offset = 0 : i64, layout = #tfc.layout<in_out>}
      : tensor<?x4x8xf32>, tensor<56x16xbf16> -> tensor<?x4x16xf32>
  // W_uv: rows 8..14 as [out, in], the default layout (not printed).
  // CHECK: tfc.head_linear %[[LAT]], %[[W]] {head_rows = 14 : i64, row_offset = 8 : i64} : tensor<?x4x16xf32>, tensor<56x16xbf16> -> tensor<?x4x6xf32>
  %1 = tfc.head_linear %lat, %w {head_rows = 14 : i64, row_offset = 8 : i64}
      : tensor<?x4x16xf32>, tensor<56x16xbf16> -> tensor<?x4x6xf32>
  return %0, %1 : tensor<?x4x16xf32>, tensor<?x4x6xf32>
}

// CHECK-LABEL: func.func @latent_cache
// CHECK-SAME: (%[[K:.*]]: tensor<?x1x20xf32>, %[[C:.*]]: memref<?x20xf32>, %[[P:.*]]: index, %[[E:.*]]: index)
func.func @latent_cache(%k: tensor<?x1x20xf32>, %cache: memref<?x20xf32>, %pos: index, %end: index)
    -> (tensor<?x1x20xf32>, tensor<?x1x16xf32>) {
  // CHECK: tfc.kv_cache_append %[[K]] into %[[C]] at %[[P]] : tensor<?x1x20xf32>, memref<?x20xf32>
  tfc.kv_cache_append %k into %cache at %pos : tensor<?x1x20xf32>, memref<?x20xf32>
  // CHECK: tfc.kv_cache_read %[[C]][%{{.*}}, %[[E]]] value_in_key : memref<?x20xf32> -> tensor<?x1x20xf32>, tensor<?x1x16xf32>
  %c0 = arith.constant 0 : index
  %kc, %v = tfc.kv_cache_read %cache[%c0, %end] value_in_key : memref<?x20xf32> -> tensor<?x1x20xf32>, tensor<?x1x16xf32>
  return %kc, %v : tensor<?x1x20xf32>, tensor<?x1x16xf32>
}
