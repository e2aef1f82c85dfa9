// tfc-lower-to-linalg on the normalisation family: row reductions over the
// last dimension (parallel rows, reduction last), then one parallel map that
// reads the row statistics through a projected map and the weight through the
// last dimension.
// RUN: tfc-opt %s --tfc-lower-to-linalg --mlir-print-local-scope | FileCheck %s

// RMSNorm: sum of squares, then x * rsqrt(sum / width + eps) * w.
// CHECK-LABEL: func.func @rms_norm
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[W:.*]]: tensor<8xf32>)
// CHECK: %[[SS:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<?x8xf32>) outs(%{{.*}} : tensor<?xf32>)
// CHECK: %[[SQ:.*]] = arith.mulf %[[IN:.*]], %[[IN]] : f32
// CHECK: arith.addf %{{.*}}, %[[SQ]] : f32
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[SS]], %[[W]] : tensor<?x8xf32>, tensor<?xf32>, tensor<8xf32>)
// CHECK-NEXT: ^bb0(%[[XI:.*]]: f32, %[[SI:.*]]: f32, %[[WI:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[VAR:.*]] = arith.divf %[[SI]], %{{.*}} : f32
// CHECK-NEXT: %[[VE:.*]] = arith.addf %[[VAR]], %{{.*}} : f32
// CHECK-NEXT: %[[INV:.*]] = math.rsqrt %[[VE]] : f32
// CHECK-NEXT: %[[SCALE:.*]] = arith.addf %[[WI]], %{{.*}} : f32
// CHECK-NEXT: %[[N:.*]] = arith.mulf %[[XI]], %[[INV]] : f32
// CHECK-NEXT: %[[Y:.*]] = arith.mulf %[[N]], %[[SCALE]] : f32
// CHECK-NEXT: linalg.yield %[[Y]]
func.func @rms_norm(%x: tensor<?x8xf32>, %w: tensor<8xf32>) -> tensor<?x8xf32> {
  %0 = tfc.rms_norm %x, %w {eps = 1.0e-5 : f64} : tensor<?x8xf32>, tensor<8xf32>
  return %0 : tensor<?x8xf32>
}

// gemma's (1 + w): the offset is the constant added to the weight.
// CHECK-LABEL: func.func @rms_norm_offset
// CHECK: linalg.generic
// CHECK: arith.constant 8.000000e+00 : f32
// CHECK-NEXT: arith.constant 9.99999997E-7 : f32
// CHECK-NEXT: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: linalg.generic
// CHECK: arith.addf %{{.*}}, %[[ONE]] : f32
func.func @rms_norm_offset(%x: tensor<?x8xf32>, %w: tensor<8xf32>) -> tensor<?x8xf32> {
  %0 = tfc.rms_norm %x, %w {eps = 1.0e-6 : f64, weight_offset = 1.0 : f64} : tensor<?x8xf32>, tensor<8xf32>
  return %0 : tensor<?x8xf32>
}

// Per-head QK-norm: rank 3, the reduction is still the last dimension.
// CHECK-LABEL: func.func @rms_norm_per_head
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
func.func @rms_norm_per_head(%q: tensor<?x4x16xf32>, %w: tensor<16xf32>) -> tensor<?x4x16xf32> {
  %0 = tfc.rms_norm %q, %w {eps = 1.0e-6 : f64} : tensor<?x4x16xf32>, tensor<16xf32>
  return %0 : tensor<?x4x16xf32>
}

// LayerNorm: sum, mean, the sum of squared deviations from the mean, then
// (x - mean) * rsqrt(var + eps) * w + b.
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[W:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<?x8xf32>)
// CHECK: %[[MEAN:.*]] = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%[[SUM]] : tensor<?xf32>)
// CHECK: arith.divf
// CHECK: %[[SS:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%[[X]], %[[MEAN]] : tensor<?x8xf32>, tensor<?xf32>)
// CHECK: arith.subf
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[SS]], %[[W]], %[[MEAN]], %[[B]] :
// CHECK-NEXT: ^bb0(%[[XI:.*]]: f32, %{{.*}}: f32, %{{.*}}: f32, %[[MI:.*]]: f32, %[[BI:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: arith.subf %[[XI]], %[[MI]]
// CHECK: arith.mulf
// CHECK-NEXT: %[[Y:.*]] = arith.mulf
// CHECK-NEXT: %[[YB:.*]] = arith.addf %[[Y]], %[[BI]]
// CHECK-NEXT: linalg.yield %[[YB]]
func.func @layer_norm(%x: tensor<?x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<?x8xf32> {
  %0 = tfc.layer_norm %x, %w, %b {eps = 1.0e-5 : f64} : tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>
  return %0 : tensor<?x8xf32>
}

// Without a bias the final map has no bias operand.
// CHECK-LABEL: func.func @layer_norm_no_bias
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
func.func @layer_norm_no_bias(%x: tensor<?x8xf32>, %w: tensor<8xf32>) -> tensor<?x8xf32> {
  %0 = tfc.layer_norm %x, %w {eps = 1.0e-5 : f64} : tensor<?x8xf32>, tensor<8xf32>
  return %0 : tensor<?x8xf32>
}
