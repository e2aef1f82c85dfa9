// Round trip of tfc.activation, tfc.glu, tfc.softcap, tfc.clamp, tfc.residual_add.
// RUN: tfc-opt %s | FileCheck %s
// RUN: tfc-opt %s | tfc-opt | FileCheck %s
// RUN: tfc-opt %s --mlir-print-op-generic | tfc-opt | FileCheck %s

// The activation is a bare keyword.
// CHECK-LABEL: func.func @activation
// CHECK-SAME: (%[[X:.*]]: tensor<?x128xf32>)
// CHECK: tfc.activation relu %[[X]] : tensor<?x128xf32>
// CHECK: tfc.activation gelu %[[X]] : tensor<?x128xf32>
// CHECK: tfc.activation gelu_tanh %[[X]] : tensor<?x128xf32>
// CHECK: tfc.activation silu %[[X]] : tensor<?x128xf32>
func.func @activation(%x: tensor<?x128xf32>) -> (tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>) {
  %0 = tfc.activation relu %x : tensor<?x128xf32>
  %1 = tfc.activation gelu %x : tensor<?x128xf32>
  %2 = tfc.activation gelu_tanh %x : tensor<?x128xf32>
  %3 = tfc.activation silu %x : tensor<?x128xf32>
  return %0, %1, %2, %3 : tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>
}

// SwiGLU, GeGLU, ReGLU.
// CHECK-LABEL: func.func @glu
// CHECK-SAME: (%[[G:.*]]: tensor<?x128xf32>, %[[U:.*]]: tensor<?x128xf32>)
// CHECK: tfc.glu silu %[[G]], %[[U]] : tensor<?x128xf32>
// CHECK: tfc.glu gelu_tanh %[[G]], %[[U]] : tensor<?x128xf32>
// CHECK: tfc.glu relu %[[U]], %[[G]] : tensor<?x128xf32>
func.func @glu(%g: tensor<?x128xf32>, %u: tensor<?x128xf32>) -> (tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>) {
  %0 = tfc.glu silu %g, %u : tensor<?x128xf32>
  %1 = tfc.glu gelu_tanh %g, %u : tensor<?x128xf32>
  %2 = tfc.glu relu %u, %g : tensor<?x128xf32>
  return %0, %1, %2 : tensor<?x128xf32>, tensor<?x128xf32>, tensor<?x128xf32>
}

// Final-logit soft-capping (gemma2).
// CHECK-LABEL: func.func @softcap
// CHECK: tfc.softcap %{{.*}} {cap = 3.000000e+01 : f64} : tensor<?x256xf32>
func.func @softcap(%logits: tensor<?x256xf32>) -> tensor<?x256xf32> {
  %0 = tfc.softcap %logits {cap = 30.0 : f64} : tensor<?x256xf32>
  return %0 : tensor<?x256xf32>
}

// clip_qkv of the fused QKV projection (mpt).
// CHECK-LABEL: func.func @clamp
// CHECK: tfc.clamp %{{.*}} {limit = 8.000000e+00 : f64} : tensor<?x192xf32>
func.func @clamp(%qkv: tensor<?x192xf32>) -> tensor<?x192xf32> {
  %0 = tfc.clamp %qkv {limit = 8.0 : f64} : tensor<?x192xf32>
  return %0 : tensor<?x192xf32>
}

// CHECK-LABEL: func.func @residual_add
// CHECK-SAME: (%[[X:.*]]: tensor<?x64xf32>, %[[F:.*]]: tensor<?x64xf32>)
func.func @residual_add(%x: tensor<?x64xf32>, %f: tensor<?x64xf32>) -> (tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>) {
  // Plain residual.
  // CHECK: tfc.residual_add %[[X]], %[[F]] : tensor<?x64xf32>
  %0 = tfc.residual_add %x, %f : tensor<?x64xf32>
  // The default alpha (1.0) is not printed.
  // CHECK: tfc.residual_add %[[X]], %[[F]] : tensor<?x64xf32>
  %1 = tfc.residual_add %x, %f {alpha = 1.0 : f64} : tensor<?x64xf32>
  // DeepNorm residual scale.
  // CHECK: tfc.residual_add %[[X]], %[[F]] {alpha = 2.500000e+00 : f64} : tensor<?x64xf32>
  %2 = tfc.residual_add %x, %f {alpha = 2.5 : f64} : tensor<?x64xf32>
  return %0, %1, %2 : tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>
}
