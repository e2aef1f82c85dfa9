// tfc.head_linear (MLA's absorbed W_uk / W_uv): each head's block of the
// weight is a view of it (expand_shape + extract_slice, no copy), read in its
// stored dtype and widened in the contraction; the innermost loop runs along
// the block's rows (out_in: the reduction, a dot product; in_out: the
// output, after the reduction). A value_in_key read returns the value as the
// leading columns of the same cache rows.
// RUN: tfc-opt %s --tfc-lower-to-linalg | FileCheck %s

// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @head_linear
// CHECK-SAME: (%[[QN:.*]]: tensor<?x4x8xf32>, %[[LAT:.*]]: tensor<?x4x16xf32>, %[[W:.*]]: tensor<56x16xbf16>)
// CHECK: %[[HEADS:.*]] = tensor.expand_shape %[[W]] {{\[}}[0, 1], [2]] output_shape [4, 14, 16] : tensor<56x16xbf16> into tensor<4x14x16xbf16>
// CHECK: %[[UK:.*]] = tensor.extract_slice %[[HEADS]][0, 0, 0] [4, 8, 16] [1, 1, 1] : tensor<4x14x16xbf16> to tensor<4x8x16xbf16>
// CHECK: linalg.generic {indexing_maps = [#[[C]], #[[B]], #[[A]]], iterator_types = ["parallel", "parallel", "reduction", "parallel"]} ins(%[[QN]], %[[UK]] : tensor<?x4x8xf32>, tensor<4x8x16xbf16>)
// CHECK: arith.extf %{{.*}} : bf16 to f32
// CHECK: %[[UV:.*]] = tensor.extract_slice %{{.*}}[0, 8, 0] [4, 6, 16] [1, 1, 1] : tensor<4x14x16xbf16> to tensor<4x6x16xbf16>
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[LAT]], %[[UV]] : tensor<?x4x16xf32>, tensor<4x6x16xbf16>)
func.func @head_linear(%qn: tensor<?x4x8xf32>, %lat: tensor<?x4x16xf32>, %w: tensor<56x16xbf16>)
    -> (tensor<?x4x16xf32>, tensor<?x4x6xf32>) {
  %0 = tfc.head_linear %qn, %w {head_rows = 14 : i64, row_offset = 0 : i64, layout = #tfc.layout<in_out>}
      : tensor<?x4x8xf32>, tensor<56x16xbf16> -> tensor<?x4x16xf32>
  %1 = tfc.head_linear %lat, %w {head_rows = 14 : i64, row_offset = 8 : i64}
      : tensor<?x4x16xf32>, tensor<56x16xbf16> -> tensor<?x4x6xf32>
  return %0, %1 : tensor<?x4x16xf32>, tensor<?x4x6xf32>
}

// CHECK-LABEL: func.func @latent_read
// CHECK-SAME: (%[[CACHE:.*]]: memref<?x20xf32>, %[[END:.*]]: index)
// CHECK: %[[ROWS:.*]] = memref.subview %[[CACHE]][0, 0] [%[[N:.*]], 20] [1, 1]
// CHECK-NOT: memref.subview
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[ROWS]] restrict
// CHECK: %[[K:.*]] = tensor.expand_shape %[[T]] {{\[}}[0], [1, 2]] output_shape [%[[N]], 1, 20]
// CHECK: %[[V:.*]] = tensor.extract_slice %[[K]][0, 0, 0] [%[[N]], 1, 16] [1, 1, 1] : tensor<?x1x20xf32> to tensor<?x1x16xf32>
// CHECK: return %[[K]], %[[V]]
func.func @latent_read(%cache: memref<?x20xf32>, %end: index) -> (tensor<?x1x20xf32>, tensor<?x1x16xf32>) {
  %c0 = arith.constant 0 : index
  %kc, %v = tfc.kv_cache_read %cache[%c0, %end] value_in_key : memref<?x20xf32> -> tensor<?x1x20xf32>, tensor<?x1x16xf32>
  return %kc, %v : tensor<?x1x20xf32>, tensor<?x1x16xf32>
}
