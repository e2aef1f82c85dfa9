// Round trip of tfc.linear and tfc.lm_head.
// RUN: tfc-opt %s | FileCheck %s
// RUN: tfc-opt %s | tfc-opt | FileCheck %s
// RUN: tfc-opt %s --mlir-print-op-generic | tfc-opt | FileCheck %s

// CHECK-LABEL: func.func @linear
// CHECK-SAME: (%[[X:.*]]: tensor<?x64xf32>, %[[W:.*]]: tensor<128x64xf32>, %[[WT:.*]]: tensor<64x128xf32>, %[[B:.*]]: tensor<128xf32>)
func.func @linear(%x: tensor<?x64xf32>, %w: tensor<128x64xf32>, %wt: tensor<64x128xf32>, %b: tensor<128xf32>)
    -> (tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>) {
  // out_in (torch.nn.Linear), no bias; the default layout is not printed.
  // CHECK: tfc.linear %[[X]], %[[W]] : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
  %0 = tfc.linear %x, %w : tensor<?x64xf32>, tensor<128x64xf32> -> tensor<?x128xf32>
  // out_in given explicitly, with a bias.
  // CHECK: tfc.linear %[[X]], %[[W]], %[[B]] : tensor<?x64xf32>, tensor<128x64xf32>, tensor<128xf32> -> tensor<?x128xf32>
  %1 = tfc.linear %x, %w, %b {layout = #tfc.layout<out_in>} : tensor<?x64xf32>, tensor<128x64xf32>, tensor<128xf32> -> tensor<?x128xf32>
  // in_out (GPT-2 Conv1D), no bias.
  // CHECK: tfc.linear %[[X]], %[[WT]] {layout = #tfc.layout<in_out>} : tensor<?x64xf32>, tensor<64x128xf32> -> tensor<?x128xf32>
  %2 = tfc.linear %x, %wt {layout = #tfc.layout<in_out>} : tensor<?x64xf32>, tensor<64x128xf32> -> tensor<?x128xf32>
  // in_out with a bias.
  // CHECK: tfc.linear %[[X]], %[[WT]], %[[B]] {layout = #tfc.layout<in_out>} : tensor<?x64xf32>, tensor<64x128xf32>, tensor<128xf32> -> tensor<?x128xf32>
  %3 = tfc.linear %x, %wt, %b {layout = #tfc.layout<in_out>} : tensor<?x64xf32>, tensor<64x128xf32>, tensor<128xf32> -> tensor<?x128xf32>
  // A square weight is valid in both layouts.
  // CHECK: tfc.linear %{{.*}}, %{{.*}} {layout = #tfc.layout<in_out>} : tensor<?x128xf32>, tensor<128x128xf32> -> tensor<?x128xf32>
  %sq = arith.constant dense<0.0> : tensor<128x128xf32>
  %4 = tfc.linear %3, %sq {layout = #tfc.layout<in_out>} : tensor<?x128xf32>, tensor<128x128xf32> -> tensor<?x128xf32>
  return %0, %1, %2, %3, %4 : tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>
}

// Dynamic extents are compatible with static ones.
// CHECK-LABEL: func.func @linear_dynamic
// CHECK: tfc.linear %{{.*}}, %{{.*}} : tensor<4x?xf32>, tensor<?x?xf32> -> tensor<?x128xf32>
func.func @linear_dynamic(%x: tensor<4x?xf32>, %w: tensor<?x?xf32>) -> tensor<?x128xf32> {
  %0 = tfc.linear %x, %w : tensor<4x?xf32>, tensor<?x?xf32> -> tensor<?x128xf32>
  return %0 : tensor<?x128xf32>
}

// CHECK-LABEL: func.func @lm_head
// CHECK-SAME: (%[[X:.*]]: tensor<?x64xf32>, %[[E:.*]]: tensor<32000x64xf32>, %[[ET:.*]]: tensor<64x32000xf32>, %[[B:.*]]: tensor<32000xf32>)
func.func @lm_head(%x: tensor<?x64xf32>, %e: tensor<32000x64xf32>, %et: tensor<64x32000xf32>, %b: tensor<32000xf32>)
    -> (tensor<?x32000xf32>, tensor<?x32000xf32>, tensor<?x32000xf32>) {
  // Tied to the [vocab, hidden] embedding table.
  // CHECK: tfc.lm_head %[[X]], %[[E]] : tensor<?x64xf32>, tensor<32000x64xf32> -> tensor<?x32000xf32>
  %0 = tfc.lm_head %x, %e : tensor<?x64xf32>, tensor<32000x64xf32> -> tensor<?x32000xf32>
  // With a bias (phi).
  // CHECK: tfc.lm_head %[[X]], %[[E]], %[[B]] : tensor<?x64xf32>, tensor<32000x64xf32>, tensor<32000xf32> -> tensor<?x32000xf32>
  %1 = tfc.lm_head %x, %e, %b : tensor<?x64xf32>, tensor<32000x64xf32>, tensor<32000xf32> -> tensor<?x32000xf32>
  // in_out layout.
  // CHECK: tfc.lm_head %[[X]], %[[ET]] {layout = #tfc.layout<in_out>} : tensor<?x64xf32>, tensor<64x32000xf32> -> tensor<?x32000xf32>
  %2 = tfc.lm_head %x, %et {layout = #tfc.layout<in_out>} : tensor<?x64xf32>, tensor<64x32000xf32> -> tensor<?x32000xf32>
  return %0, %1, %2 : tensor<?x32000xf32>, tensor<?x32000xf32>, tensor<?x32000xf32>
}
