// tfc-fuse-residual-norm: a residual add whose result is normalised becomes
// one tfc.residual_norm with both results; everything else is left alone.
// RUN: tfc-opt %s --split-input-file --tfc-fuse-residual-norm | FileCheck %s

// Pre-norm (llama): the sum feeds the MLP's norm and the next residual add.
// CHECK-LABEL: func.func @pre_norm
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[A:.*]]: tensor<?x8xf32>, %[[M:.*]]: tensor<?x8xf32>, %[[W:.*]]: tensor<8xbf16>)
// CHECK-NOT: tfc.residual_add %[[X]]
// CHECK-NOT: tfc.rms_norm
// CHECK: %[[S:.*]], %[[N:.*]] = tfc.residual_norm %[[X]], %[[A]], %[[W]] {norm = #tfc.norm<rms_norm, eps = {{.*}}>} : tensor<?x8xf32>, tensor<8xbf16>
// CHECK: %[[Y:.*]] = tfc.residual_add %[[S]], %[[N]]
// CHECK: return %[[Y]]
func.func @pre_norm(%x: tensor<?x8xf32>, %a: tensor<?x8xf32>, %m: tensor<?x8xf32>, %w: tensor<8xbf16>) -> tensor<?x8xf32> {
  %h = tfc.residual_add %x, %a : tensor<?x8xf32>
  %n = tfc.rms_norm %h, %w {eps = 1.0e-6 : f64} : tensor<?x8xf32>, tensor<8xbf16>
  %y = tfc.residual_add %h, %n : tensor<?x8xf32>
  return %y : tensor<?x8xf32>
}

// -----

// Gemma's scale offset is kept.
// CHECK-LABEL: func.func @weight_offset
// CHECK: tfc.residual_norm %{{.*}}, %{{.*}}, %{{.*}} {norm = #tfc.norm<rms_norm, eps = {{.*}}, weight_offset = 1.000000e+00>}
// CHECK-NOT: tfc.rms_norm
func.func @weight_offset(%x: tensor<?x8xf32>, %a: tensor<?x8xf32>, %w: tensor<8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %h = tfc.residual_add %x, %a : tensor<?x8xf32>
  %n = tfc.rms_norm %h, %w {eps = 1.0e-6 : f64, weight_offset = 1.0 : f64} : tensor<?x8xf32>, tensor<8xf32>
  return %h, %n : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// Post-norm LayerNorm with a bias: only the normed value is used.
// CHECK-LABEL: func.func @post_norm_layer_norm
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[A:.*]]: tensor<?x8xf32>, %[[W:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: %{{.*}}, %[[N:.*]] = tfc.residual_norm %[[X]], %[[A]], %[[W]], %[[B]] {norm = #tfc.norm<layer_norm, eps = 1.000000e-05, bias = true>} : tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>
// CHECK-NOT: tfc.residual_add
// CHECK-NOT: tfc.layer_norm
// CHECK: return %[[N]]
func.func @post_norm_layer_norm(%x: tensor<?x8xf32>, %a: tensor<?x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<?x8xf32> {
  %h = tfc.residual_add %x, %a : tensor<?x8xf32>
  %n = tfc.layer_norm %h, %w, %b {eps = 1.0e-5 : f64} : tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>
  return %n : tensor<?x8xf32>
}

// -----

// DeepNorm: alpha moves onto the fused op.
// CHECK-LABEL: func.func @deepnorm
// CHECK: tfc.residual_norm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 2.500000e+00 : f64, norm = #tfc.norm<layer_norm, eps = 1.000000e-05>}
// CHECK-NOT: tfc.residual_add
// CHECK-NOT: tfc.layer_norm
func.func @deepnorm(%x: tensor<?x8xf32>, %a: tensor<?x8xf32>, %w: tensor<8xf32>) -> tensor<?x8xf32> {
  %h = tfc.residual_add %x, %a {alpha = 2.5 : f64} : tensor<?x8xf32>
  %n = tfc.layer_norm %h, %w {eps = 1.0e-5 : f64} : tensor<?x8xf32>, tensor<8xf32>
  return %n : tensor<?x8xf32>
}

// -----

// Sandwich: the sublayer's output norm precedes the add and stays; the norm of
// the sum fuses.
// CHECK-LABEL: func.func @sandwich
// CHECK: %[[P:.*]] = tfc.rms_norm %{{.*}}, %{{.*}}
// CHECK: %[[S:.*]], %[[N:.*]] = tfc.residual_norm %{{.*}}, %[[P]], %{{.*}}
// CHECK-NOT: tfc.rms_norm
// CHECK: return %[[S]], %[[N]]
func.func @sandwich(%x: tensor<?x8xf32>, %a: tensor<?x8xf32>, %w0: tensor<8xf32>, %w1: tensor<8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %p = tfc.rms_norm %a, %w0 {eps = 1.0e-6 : f64} : tensor<?x8xf32>, tensor<8xf32>
  %h = tfc.residual_add %x, %p : tensor<?x8xf32>
  %n = tfc.rms_norm %h, %w1 {eps = 1.0e-6 : f64} : tensor<?x8xf32>, tensor<8xf32>
  return %h, %n : tensor<?x8xf32>, tensor<?x8xf32>
}

// -----

// Post-sublayer (olmo2): the norm is of the update, not of the sum: nothing
// to fuse.
// CHECK-LABEL: func.func @post_sublayer
// CHECK: tfc.rms_norm
// CHECK: tfc.residual_add
// CHECK-NOT: tfc.residual_norm
func.func @post_sublayer(%x: tensor<?x8xf32>, %a: tensor<?x8xf32>, %w: tensor<8xf32>) -> tensor<?x8xf32> {
  %p = tfc.rms_norm %a, %w {eps = 1.0e-6 : f64} : tensor<?x8xf32>, tensor<8xf32>
  %h = tfc.residual_add %x, %p : tensor<?x8xf32>
  return %h : tensor<?x8xf32>
}

// -----

// The sum is used before the norm: the fused op could not take the norm's
// place.
// CHECK-LABEL: func.func @used_before
// CHECK: tfc.residual_add
// CHECK: tfc.activation
// CHECK: tfc.rms_norm
// CHECK-NOT: tfc.residual_norm
func.func @used_before(%x: tensor<?x8xf32>, %a: tensor<?x8xf32>, %w: tensor<8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %h = tfc.residual_add %x, %a : tensor<?x8xf32>
  %r = tfc.activation relu %h : tensor<?x8xf32>
  %n = tfc.rms_norm %h, %w {eps = 1.0e-6 : f64} : tensor<?x8xf32>, tensor<8xf32>
  return %r, %n : tensor<?x8xf32>, tensor<?x8xf32>
}
