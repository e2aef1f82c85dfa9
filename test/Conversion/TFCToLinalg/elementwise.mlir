// tfc-lower-to-linalg on the elementwise family: each op is one all-parallel
// linalg.generic with identity maps, its scalar function in the body.
// RUN: tfc-opt %s --tfc-lower-to-linalg --mlir-print-local-scope | FileCheck %s

// CHECK-LABEL: func.func @activation
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
// CHECK: arith.maximumf
// GELU, erf form: 0.5 x (1 + erf(x / sqrt 2)).
// CHECK: linalg.generic
// CHECK: arith.constant 0.707106769 : f32
// CHECK: math.erf
// GELU, tanh form: sqrt(2 / pi) (x + 0.044715 x^3).
// CHECK: linalg.generic
// CHECK: arith.constant 0.797884583 : f32
// CHECK: arith.constant 4.471500e-02 : f32
// CHECK: math.tanh
// SiLU: x / (1 + exp(-x)).
// CHECK: linalg.generic
// CHECK: %[[NEG:.*]] = arith.negf %[[X:.*]] : f32
// CHECK: %[[E:.*]] = math.exp %[[NEG]]
// CHECK: %[[D:.*]] = arith.addf %{{.*}}, %[[E]]
// CHECK: arith.divf %[[X]], %[[D]]
func.func @activation(%x: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>) {
  %0 = tfc.activation relu %x : tensor<?x8xf32>
  %1 = tfc.activation gelu %x : tensor<?x8xf32>
  %2 = tfc.activation gelu_tanh %x : tensor<?x8xf32>
  %3 = tfc.activation silu %x : tensor<?x8xf32>
  return %0, %1, %2, %3 : tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>, tensor<?x8xf32>
}

// act(gate) * up in one map over both operands.
// CHECK-LABEL: func.func @glu
// CHECK-SAME: (%[[G:.*]]: tensor<?x8xf32>, %[[U:.*]]: tensor<?x8xf32>)
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[G]], %[[U]] : tensor<?x8xf32>, tensor<?x8xf32>)
// CHECK-NEXT: ^bb0(%[[GI:.*]]: f32, %[[UI:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[A:.*]] = arith.divf %[[GI]]
// CHECK: %[[Y:.*]] = arith.mulf %[[A]], %[[UI]]
// CHECK: linalg.yield %[[Y]]
func.func @glu(%g: tensor<?x8xf32>, %u: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = tfc.glu silu %g, %u : tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// tanh(x / cap) * cap.
// CHECK-LABEL: func.func @softcap
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
// CHECK: %[[CAP:.*]] = arith.constant 3.000000e+01 : f32
// CHECK: %[[S:.*]] = arith.divf %{{.*}}, %[[CAP]]
// CHECK: %[[T:.*]] = math.tanh %[[S]]
// CHECK: arith.mulf %[[T]], %{{.*}}
func.func @softcap(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = tfc.softcap %x {cap = 30.0 : f64} : tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// CHECK-LABEL: func.func @clamp
// CHECK: linalg.generic
// CHECK: arith.constant -8.000000e+00 : f32
// CHECK: arith.maximumf
// CHECK: arith.constant 8.000000e+00 : f32
// CHECK: arith.minimumf
func.func @clamp(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = tfc.clamp %x {limit = 8.0 : f64} : tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// alpha = 1 adds; DeepNorm's alpha scales the residual first.
// CHECK-LABEL: func.func @residual_add
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[R:.*]]: f32, %[[F:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[R]], %[[F]] : f32
// CHECK-NEXT: linalg.yield %[[SUM]]
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[R2:.*]]: f32, %[[F2:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[ALPHA:.*]] = arith.constant 2.500000e+00 : f32
// CHECK-NEXT: %[[SCALED:.*]] = arith.mulf %[[R2]], %[[ALPHA]]
// CHECK-NEXT: arith.addf %[[SCALED]], %[[F2]]
func.func @residual_add(%x: tensor<?x8xf32>, %f: tensor<?x8xf32>) -> (tensor<?x8xf32>, tensor<?x8xf32>) {
  %0 = tfc.residual_add %x, %f : tensor<?x8xf32>
  %1 = tfc.residual_add %x, %f {alpha = 2.5 : f64} : tensor<?x8xf32>
  return %0, %1 : tensor<?x8xf32>, tensor<?x8xf32>
}
