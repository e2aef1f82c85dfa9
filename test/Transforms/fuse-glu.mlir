// tfc-fuse-glu: the gate and up projections of one input and their tfc.glu
// become one tfc.gated_linear.
// RUN: tfc-opt %s --split-input-file --tfc-fuse-glu | FileCheck %s

// SwiGLU (llama): the projections disappear.
// CHECK-LABEL: func.func @swiglu
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[G:.*]]: tensor<16x8xbf16>, %[[U:.*]]: tensor<16x8xbf16>)
// CHECK-NOT: tfc.linear
// CHECK-NOT: tfc.glu
// CHECK: %[[H:.*]] = tfc.gated_linear silu %[[X]], %[[G]], %[[U]] : tensor<?x8xf32>, tensor<16x8xbf16>, tensor<16x8xbf16> -> tensor<?x16xf32>
// CHECK: return %[[H]]
func.func @swiglu(%x: tensor<?x8xf32>, %wg: tensor<16x8xbf16>, %wu: tensor<16x8xbf16>) -> tensor<?x16xf32> {
  %u = tfc.linear %x, %wu : tensor<?x8xf32>, tensor<16x8xbf16> -> tensor<?x16xf32>
  %g = tfc.linear %x, %wg : tensor<?x8xf32>, tensor<16x8xbf16> -> tensor<?x16xf32>
  %h = tfc.glu silu %g, %u : tensor<?x16xf32>
  return %h : tensor<?x16xf32>
}

// -----

// GeGLU (gemma), in_out layout: the layout is kept.
// CHECK-LABEL: func.func @geglu_in_out
// CHECK: tfc.gated_linear gelu_tanh %{{.*}}, %{{.*}}, %{{.*}} {layout = #tfc.layout<in_out>} : tensor<?x8xf32>, tensor<8x16xf32>, tensor<8x16xf32> -> tensor<?x16xf32>
// CHECK-NOT: tfc.glu
func.func @geglu_in_out(%x: tensor<?x8xf32>, %wg: tensor<8x16xf32>, %wu: tensor<8x16xf32>) -> tensor<?x16xf32> {
  %g = tfc.linear %x, %wg {layout = #tfc.layout<in_out>} : tensor<?x8xf32>, tensor<8x16xf32> -> tensor<?x16xf32>
  %u = tfc.linear %x, %wu {layout = #tfc.layout<in_out>} : tensor<?x8xf32>, tensor<8x16xf32> -> tensor<?x16xf32>
  %h = tfc.glu gelu_tanh %g, %u : tensor<?x16xf32>
  return %h : tensor<?x16xf32>
}

// -----

// A biased projection is not fused.
// CHECK-LABEL: func.func @bias
// CHECK: tfc.linear
// CHECK: tfc.linear
// CHECK: tfc.glu relu
// CHECK-NOT: tfc.gated_linear
func.func @bias(%x: tensor<?x8xf32>, %wg: tensor<16x8xf32>, %wu: tensor<16x8xf32>, %b: tensor<16xf32>) -> tensor<?x16xf32> {
  %g = tfc.linear %x, %wg, %b : tensor<?x8xf32>, tensor<16x8xf32>, tensor<16xf32> -> tensor<?x16xf32>
  %u = tfc.linear %x, %wu : tensor<?x8xf32>, tensor<16x8xf32> -> tensor<?x16xf32>
  %h = tfc.glu relu %g, %u : tensor<?x16xf32>
  return %h : tensor<?x16xf32>
}

// -----

// Different inputs, or a projection used elsewhere: not fused.
// CHECK-LABEL: func.func @not_fused
// CHECK-NOT: tfc.gated_linear
// CHECK: return
func.func @not_fused(%x: tensor<?x8xf32>, %y: tensor<?x8xf32>, %wg: tensor<16x8xf32>, %wu: tensor<16x8xf32>) -> (tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x16xf32>) {
  %g = tfc.linear %x, %wg : tensor<?x8xf32>, tensor<16x8xf32> -> tensor<?x16xf32>
  %u = tfc.linear %y, %wu : tensor<?x8xf32>, tensor<16x8xf32> -> tensor<?x16xf32>
  %h = tfc.glu silu %g, %u : tensor<?x16xf32>
  %u2 = tfc.linear %x, %wu : tensor<?x8xf32>, tensor<16x8xf32> -> tensor<?x16xf32>
  %h2 = tfc.glu silu %g, %u2 : tensor<?x16xf32>
  return %h, %h2, %u2 : tensor<?x16xf32>, tensor<?x16xf32>, tensor<?x16xf32>
}

// -----

// A mixture of experts with gate weights is marked for its lowering to fuse
// each expert's pair (moe.mlir @moe_gated_experts); an ungated one is not.
// CHECK-LABEL: func.func @moe
// CHECK: tfc.moe {{.*}}gated_experts
// CHECK: tfc.moe
// CHECK-NOT: gated_experts
// CHECK: return
func.func @moe(%x: tensor<?x8xf32>, %router: tensor<2x8xf32>,
               %g0: tensor<4x8xf32>, %g1: tensor<4x8xf32>,
               %u0: tensor<4x8xf32>, %u1: tensor<4x8xf32>,
               %d0: tensor<8x4xf32>, %d1: tensor<8x4xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %0 = tfc.moe %x, %router gate(%g0, %g1) up(%u0, %u1) down(%d0, %d1) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x8xf32>, tensor<2x8xf32>, gate(tensor<4x8xf32>, tensor<4x8xf32>),
        up(tensor<4x8xf32>, tensor<4x8xf32>), down(tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<?x8xf32>
  %1 = tfc.moe %x, %router gate() up(%u0, %u1) down(%d0, %d1) {activation = #tfc.activation<gelu>, top_k = 1 : i64}
      : tensor<?x8xf32>, tensor<2x8xf32>, up(tensor<4x8xf32>, tensor<4x8xf32>), down(tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<?x8xf32>
  return %0, %1 : tensor<?x8xf32>, tensor<?x8xf32>
}
