// Round trip of tfc.embedding, tfc.learned_positions, tfc.sinusoidal_positions.
// RUN: tfc-opt %s | FileCheck %s
// RUN: tfc-opt %s | tfc-opt | FileCheck %s
// RUN: tfc-opt %s --mlir-print-op-generic | tfc-opt | FileCheck %s

// CHECK-LABEL: func.func @embedding
// CHECK-SAME: (%[[TOK:.*]]: tensor<?xi64>, %[[TAB:.*]]: tensor<32x64xf32>)
func.func @embedding(%tok: tensor<?xi64>, %table: tensor<32x64xf32>) -> (tensor<?x64xf32>, tensor<?x64xf32>, tensor<5x64xf32>) {
  // Plain lookup.
  // CHECK: tfc.embedding %[[TOK]], %[[TAB]] : tensor<?xi64>, tensor<32x64xf32> -> tensor<?x64xf32>
  %0 = tfc.embedding %tok, %table : tensor<?xi64>, tensor<32x64xf32> -> tensor<?x64xf32>
  // Scaled lookup (gemma: sqrt(hidden)).
  // CHECK: tfc.embedding %[[TOK]], %[[TAB]] {scale = 8.000000e+00 : f64} : tensor<?xi64>, tensor<32x64xf32> -> tensor<?x64xf32>
  %1 = tfc.embedding %tok, %table {scale = 8.0 : f64} : tensor<?xi64>, tensor<32x64xf32> -> tensor<?x64xf32>
  // A static number of tokens may refine the result.
  // CHECK: tfc.embedding %[[TOK]], %[[TAB]] : tensor<?xi64>, tensor<32x64xf32> -> tensor<5x64xf32>
  %2 = tfc.embedding %tok, %table : tensor<?xi64>, tensor<32x64xf32> -> tensor<5x64xf32>
  return %0, %1, %2 : tensor<?x64xf32>, tensor<?x64xf32>, tensor<5x64xf32>
}

// GPT-2 wpe.
// CHECK-LABEL: func.func @learned_positions
// CHECK-SAME: (%[[X:.*]]: tensor<?x64xf32>, %[[WPE:.*]]: tensor<1024x64xf32>, %[[POS:.*]]: index)
// CHECK: tfc.learned_positions %[[X]], %[[WPE]] at %[[POS]] : tensor<?x64xf32>, tensor<1024x64xf32>
func.func @learned_positions(%x: tensor<?x64xf32>, %wpe: tensor<1024x64xf32>, %pos: index) -> tensor<?x64xf32> {
  %0 = tfc.learned_positions %x, %wpe at %pos : tensor<?x64xf32>, tensor<1024x64xf32>
  return %0 : tensor<?x64xf32>
}

// Vaswani et al. sinusoids.
// CHECK-LABEL: func.func @sinusoidal_positions
// CHECK-SAME: (%[[X:.*]]: tensor<?x64xf32>, %[[POS:.*]]: index)
// CHECK: tfc.sinusoidal_positions %[[X]] at %[[POS]] {base = 1.000000e+04 : f64} : tensor<?x64xf32>
func.func @sinusoidal_positions(%x: tensor<?x64xf32>, %pos: index) -> tensor<?x64xf32> {
  %0 = tfc.sinusoidal_positions %x at %pos {base = 1.0e4 : f64} : tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}
