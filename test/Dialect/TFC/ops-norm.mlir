// Round trip of tfc.rms_norm and tfc.layer_norm.
// RUN: tfc-opt %s | FileCheck %s
// RUN: tfc-opt %s | tfc-opt | FileCheck %s
// RUN: tfc-opt %s --mlir-print-op-generic | tfc-opt | FileCheck %s

// CHECK-LABEL: func.func @rms_norm
// CHECK-SAME: (%[[X:.*]]: tensor<?x64xf32>, %[[W:.*]]: tensor<64xf32>)
func.func @rms_norm(%x: tensor<?x64xf32>, %w: tensor<64xf32>) -> (tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>) {
  // llama: scale by w.
  // CHECK: tfc.rms_norm %[[X]], %[[W]] {eps = 1.000000e-05 : f64} : tensor<?x64xf32>, tensor<64xf32>
  %0 = tfc.rms_norm %x, %w {eps = 1.0e-5 : f64} : tensor<?x64xf32>, tensor<64xf32>
  // gemma: scale by 1 + w.
  // CHECK: tfc.rms_norm %[[X]], %[[W]] {eps = 9.9999999999999995E-7 : f64, weight_offset = 1.000000e+00 : f64} : tensor<?x64xf32>, tensor<64xf32>
  %1 = tfc.rms_norm %x, %w {eps = 1.0e-6 : f64, weight_offset = 1.0 : f64} : tensor<?x64xf32>, tensor<64xf32>
  // The default weight_offset (0.0) is not printed.
  // CHECK: tfc.rms_norm %[[X]], %[[W]] {eps = 1.000000e-05 : f64} : tensor<?x64xf32>, tensor<64xf32>
  %2 = tfc.rms_norm %x, %w {eps = 1.0e-5 : f64, weight_offset = 0.0 : f64} : tensor<?x64xf32>, tensor<64xf32>
  return %0, %1, %2 : tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>
}

// Per-head qk norm (qwen3): the last dimension of a [tokens, heads, head_dim] tensor.
// CHECK-LABEL: func.func @rms_norm_per_head
// CHECK: tfc.rms_norm %{{.*}}, %{{.*}} {eps = 9.9999999999999995E-7 : f64} : tensor<?x8x16xf32>, tensor<16xf32>
func.func @rms_norm_per_head(%q: tensor<?x8x16xf32>, %w: tensor<16xf32>) -> tensor<?x8x16xf32> {
  %0 = tfc.rms_norm %q, %w {eps = 0.000001 : f64} : tensor<?x8x16xf32>, tensor<16xf32>
  return %0 : tensor<?x8x16xf32>
}

// A dynamic weight extent is compatible with any width.
// CHECK-LABEL: func.func @rms_norm_dynamic_weight
// CHECK: tfc.rms_norm %{{.*}}, %{{.*}} {eps = 1.000000e-05 : f64} : tensor<?x64xf32>, tensor<?xf32>
func.func @rms_norm_dynamic_weight(%x: tensor<?x64xf32>, %w: tensor<?xf32>) -> tensor<?x64xf32> {
  %0 = tfc.rms_norm %x, %w {eps = 1.0e-5 : f64} : tensor<?x64xf32>, tensor<?xf32>
  return %0 : tensor<?x64xf32>
}

// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<?x64xf32>, %[[W:.*]]: tensor<64xf32>, %[[B:.*]]: tensor<64xf32>)
func.func @layer_norm(%x: tensor<?x64xf32>, %w: tensor<64xf32>, %b: tensor<64xf32>) -> (tensor<?x64xf32>, tensor<?x64xf32>) {
  // With a bias (GPT-2).
  // CHECK: tfc.layer_norm %[[X]], %[[W]], %[[B]] {eps = 1.000000e-05 : f64} : tensor<?x64xf32>, tensor<64xf32>, tensor<64xf32>
  %0 = tfc.layer_norm %x, %w, %b {eps = 1.0e-5 : f64} : tensor<?x64xf32>, tensor<64xf32>, tensor<64xf32>
  // Without a bias (olmo, command-r).
  // CHECK: tfc.layer_norm %[[X]], %[[W]] {eps = 1.000000e-05 : f64} : tensor<?x64xf32>, tensor<64xf32>
  %1 = tfc.layer_norm %x, %w {eps = 1.0e-5 : f64} : tensor<?x64xf32>, tensor<64xf32>
  return %0, %1 : tensor<?x64xf32>, tensor<?x64xf32>
}
