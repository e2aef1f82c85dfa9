// Round trip of the fused ops.
// RUN: tfc-opt %s | tfc-opt | FileCheck %s

// CHECK-LABEL: func.func @residual_norm
// CHECK: tfc.residual_norm %{{.*}}, %{{.*}}, %{{.*}} {norm = #tfc.norm<rms_norm, eps = {{.*}}>} : tensor<?x8xf32>, tensor<8xbf16>
// CHECK: tfc.residual_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {alpha = 2.000000e+00 : f64, norm = #tfc.norm<layer_norm, eps = 1.000000e-05, bias = true>} : tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>
func.func @residual_norm(%x: tensor<?x8xf32>, %a: tensor<?x8xf32>, %w: tensor<8xbf16>, %v: tensor<8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %s, %n = tfc.residual_norm %x, %a, %w {norm = #tfc.norm<rms_norm, eps = 1.0e-6>} : tensor<?x8xf32>, tensor<8xbf16>
  %s2, %n2 = tfc.residual_norm %s, %n, %v, %v {alpha = 2.0 : f64, norm = #tfc.norm<layer_norm, eps = 1.0e-5, bias = true>} : tensor<?x8xf32>, tensor<8xf32>, tensor<8xf32>
  return %s2, %n2 : tensor<?x8xf32>, tensor<?x8xf32>
}

// CHECK-LABEL: func.func @gated_linear
// CHECK: tfc.gated_linear silu %{{.*}}, %{{.*}}, %{{.*}} : tensor<?x8xf32>, tensor<16x8xf16>, tensor<16x8xf16> -> tensor<?x16xf32>
// CHECK: tfc.gated_linear relu %{{.*}}, %{{.*}}, %{{.*}} {layout = #tfc.layout<in_out>} : tensor<?x8xf32>, tensor<8x16xf32>, tensor<8x16xf32> -> tensor<?x16xf32>
func.func @gated_linear(%x: tensor<?x8xf32>, %g: tensor<16x8xf16>, %u: tensor<16x8xf16>, %g2: tensor<8x16xf32>) -> (tensor<?x16xf32>, tensor<?x16xf32>) {
  %h = tfc.gated_linear silu %x, %g, %u : tensor<?x8xf32>, tensor<16x8xf16>, tensor<16x8xf16> -> tensor<?x16xf32>
  %h2 = tfc.gated_linear relu %x, %g2, %g2 {layout = #tfc.layout<in_out>} : tensor<?x8xf32>, tensor<8x16xf32>, tensor<8x16xf32> -> tensor<?x16xf32>
  return %h, %h2 : tensor<?x16xf32>, tensor<?x16xf32>
}
