// Round trip of tfc.moe with gated experts. (The non-gated form is in
// moe-ungated-roundtrip.mlir.)
// RUN: tfc-opt %s | FileCheck %s
// RUN: tfc-opt %s | tfc-opt | FileCheck %s
// RUN: tfc-opt %s --mlir-print-op-generic | tfc-opt | FileCheck %s

// Two SwiGLU experts, top-1 (defaults: no renormalisation, routed_scale 1.0).
// CHECK-LABEL: func.func @moe_gated
// CHECK-SAME: (%[[X:.*]]: tensor<?x64xf32>, %[[R:.*]]: tensor<2x64xf32>, %[[G0:.*]]: tensor<32x64xf32>, %[[G1:.*]]: tensor<32x64xf32>, %[[U0:.*]]: tensor<32x64xf32>, %[[U1:.*]]: tensor<32x64xf32>, %[[D0:.*]]: tensor<64x32xf32>, %[[D1:.*]]: tensor<64x32xf32>)
// CHECK: tfc.moe %[[X]], %[[R]] gate(%[[G0]], %[[G1]]) up(%[[U0]], %[[U1]]) down(%[[D0]], %[[D1]]) {activation = #tfc.activation<silu>, top_k = 1 : i64}
// CHECK-SAME: : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>), up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
func.func @moe_gated(%x: tensor<?x64xf32>, %router: tensor<2x64xf32>,
                     %g0: tensor<32x64xf32>, %g1: tensor<32x64xf32>,
                     %u0: tensor<32x64xf32>, %u1: tensor<32x64xf32>,
                     %d0: tensor<64x32xf32>, %d1: tensor<64x32xf32>) -> tensor<?x64xf32> {
  %0 = tfc.moe %x, %router gate(%g0, %g1) up(%u0, %u1) down(%d0, %d1) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>),
        up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// Mixtral-style top-2 with renormalisation and a routed scale; routed_scale =
// 1.0 (the default) is not printed.
// CHECK-LABEL: func.func @moe_renormalize
// CHECK: tfc.moe %{{.*}}, %{{.*}} gate(%{{.*}}, %{{.*}}) up(%{{.*}}, %{{.*}}) down(%{{.*}}, %{{.*}}) {activation = #tfc.activation<gelu>, renormalize, routed_scale = 2.500000e+00 : f64, top_k = 2 : i64}
// CHECK: tfc.moe %{{.*}}, %{{.*}} gate(%{{.*}}, %{{.*}}) up(%{{.*}}, %{{.*}}) down(%{{.*}}, %{{.*}}) {activation = #tfc.activation<relu>, renormalize, top_k = 2 : i64}
func.func @moe_renormalize(%x: tensor<?x64xf32>, %router: tensor<2x64xf32>,
                           %g: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> (tensor<?x64xf32>, tensor<?x64xf32>) {
  %0 = tfc.moe %x, %router gate(%g, %g) up(%g, %g) down(%d, %d) {activation = #tfc.activation<gelu>, top_k = 2 : i64, renormalize, routed_scale = 2.5 : f64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>),
        up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  %1 = tfc.moe %x, %router gate(%g, %g) up(%g, %g) down(%d, %d) {activation = #tfc.activation<relu>, top_k = 2 : i64, renormalize, routed_scale = 1.0 : f64}
      : tensor<?x64xf32>, tensor<2x64xf32>, gate(tensor<32x64xf32>, tensor<32x64xf32>),
        up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0, %1 : tensor<?x64xf32>, tensor<?x64xf32>
}

// A single expert.
// CHECK-LABEL: func.func @moe_one_expert
// CHECK: tfc.moe %{{.*}}, %{{.*}} gate(%{{.*}}) up(%{{.*}}) down(%{{.*}}) {activation = #tfc.activation<silu>, top_k = 1 : i64} : tensor<3x64xf32>, tensor<1x64xf32>, gate(tensor<32x64xf32>), up(tensor<32x64xf32>), down(tensor<64x32xf32>) -> tensor<3x64xf32>
func.func @moe_one_expert(%x: tensor<3x64xf32>, %router: tensor<1x64xf32>, %g: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<3x64xf32> {
  %0 = tfc.moe %x, %router gate(%g) up(%g) down(%d) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<3x64xf32>, tensor<1x64xf32>, gate(tensor<32x64xf32>), up(tensor<32x64xf32>), down(tensor<64x32xf32>) -> tensor<3x64xf32>
  return %0 : tensor<3x64xf32>
}
