// tfc-lower-to-linalg on tfc.moe: the router contraction, a softmax over the
// experts, each expert's rank among them (a reduction over the other experts),
// gates = probs where rank < top_k, then every expert's FFN accumulated with
// its gate (dense, as without tfc-dispatch-experts: moe-dispatch.mlir).
// RUN: tfc-opt %s --tfc-lower-to-linalg --mlir-print-local-scope | FileCheck %s

// CHECK-LABEL: func.func @moe_gated
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[R:.*]]: tensor<2x8xf32>, %[[G0:.*]]: tensor<4x8xf32>, %[[G1:.*]]: tensor<4x8xf32>, %[[U0:.*]]: tensor<4x8xf32>, %[[U1:.*]]: tensor<4x8xf32>, %[[D0:.*]]: tensor<8x4xf32>, %[[D1:.*]]: tensor<8x4xf32>)
// CHECK: %[[LOGITS:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]], %[[R]] : tensor<?x8xf32>, tensor<2x8xf32>) outs(%{{.*}} : tensor<?x2xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[LOGITS]] : tensor<?x2xf32>)
// CHECK: arith.maximumf
// CHECK: %[[PROBS:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%[[LOGITS]], %{{.*}}, %{{.*}} : tensor<?x2xf32>, tensor<?xf32>, tensor<?xf32>)
// rank[i, e] = #{e' : p[e'] > p[e] or (p[e'] == p[e] and e' < e)}.
// CHECK: %[[RANK:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[PROBS]], %[[PROBS]] : tensor<?x2xf32>, tensor<?x2xf32>)
// CHECK-NEXT: ^bb0(%[[ME:.*]]: f32, %[[OTHER:.*]]: f32, %{{.*}}: f32):
// CHECK: arith.cmpf ogt, %[[OTHER]], %[[ME]] : f32
// CHECK: arith.cmpf oeq, %[[OTHER]], %[[ME]] : f32
// CHECK: arith.cmpi ult
// CHECK: %[[GATES:.*]] = linalg.generic {{.*}} ins(%[[PROBS]], %[[RANK]] : tensor<?x2xf32>, tensor<?x2xf32>)
// CHECK: %[[K:.*]] = arith.constant 1.000000e+00 : f32
// CHECK: arith.cmpf olt, %{{.*}}, %[[K]] : f32
// Expert 0: up, gate, act(gate) * up, down; accumulated with gates[i, 0].
// CHECK: %[[UP:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[U0]] : tensor<?x8xf32>, tensor<4x8xf32>)
// CHECK: %[[GATE:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[G0]] : tensor<?x8xf32>, tensor<4x8xf32>)
// CHECK: %[[H:.*]] = linalg.generic {{.*}} ins(%[[GATE]], %[[UP]] : tensor<?x4xf32>, tensor<?x4xf32>)
// CHECK: %[[Y0:.*]] = linalg.generic {{.*}} ins(%[[H]], %[[D0]] : tensor<?x4xf32>, tensor<8x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[Y0]] : tensor<?x8xf32>, tensor<?x8xf32>)
// CHECK: tensor.extract %[[GATES]][%{{.*}}, %{{.*}}] : tensor<?x2xf32>
// Expert 1.
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[U1]] : tensor<?x8xf32>, tensor<4x8xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[G1]] : tensor<?x8xf32>, tensor<4x8xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[D1]] : tensor<?x4xf32>, tensor<8x4xf32>)
func.func @moe_gated(%x: tensor<?x8xf32>, %router: tensor<2x8xf32>,
                     %g0: tensor<4x8xf32>, %g1: tensor<4x8xf32>,
                     %u0: tensor<4x8xf32>, %u1: tensor<4x8xf32>,
                     %d0: tensor<8x4xf32>, %d1: tensor<8x4xf32>) -> tensor<?x8xf32> {
  %0 = tfc.moe %x, %router gate(%g0, %g1) up(%u0, %u1) down(%d0, %d1) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x8xf32>, tensor<2x8xf32>, gate(tensor<4x8xf32>, tensor<4x8xf32>),
        up(tensor<4x8xf32>, tensor<4x8xf32>), down(tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// Renormalised top-2 (mixtral) with a routed scale (deepseek), ungated GELU
// experts: gates divided by their row sum, the routed scale applied per gate.
// CHECK-LABEL: func.func @moe_renormalize
// CHECK: %[[GATES:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%{{.*}}, %{{.*}} : tensor<?x2xf32>, tensor<?x2xf32>)
// CHECK: arith.cmpf olt
// CHECK: %[[TOTAL:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%[[GATES]] : tensor<?x2xf32>)
// CHECK: %[[NORM:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[GATES]], %[[TOTAL]] : tensor<?x2xf32>, tensor<?xf32>)
// CHECK-NEXT: ^bb0(%[[G:.*]]: f32, %[[T:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: arith.divf %[[G]], %[[T]]
// CHECK: math.erf
// CHECK: tensor.extract %[[NORM]]
// CHECK-NEXT: %[[SCALE:.*]] = arith.constant 2.500000e+00 : f32
// CHECK-NEXT: arith.mulf %{{.*}}, %[[SCALE]]
func.func @moe_renormalize(%x: tensor<?x8xf32>, %router: tensor<2x8xf32>,
                           %u0: tensor<4x8xf32>, %u1: tensor<4x8xf32>,
                           %d0: tensor<8x4xf32>, %d1: tensor<8x4xf32>) -> tensor<?x8xf32> {
  %0 = tfc.moe %x, %router gate() up(%u0, %u1) down(%d0, %d1) {activation = #tfc.activation<gelu>, top_k = 2 : i64, renormalize, routed_scale = 2.5 : f64}
      : tensor<?x8xf32>, tensor<2x8xf32>, up(tensor<4x8xf32>, tensor<4x8xf32>), down(tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// With tfc.gated_experts (tfc-fuse-glu): each expert's gate and up
// projections are one contraction with two accumulators (no [n, d_ff]
// gate/up pair written apart), then act(gate) * up, then down.
// CHECK-LABEL: func.func @moe_gated_experts
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[R:.*]]: tensor<2x8xf32>, %[[G0:.*]]: tensor<4x8xf32>, %[[G1:.*]]: tensor<4x8xf32>, %[[U0:.*]]: tensor<4x8xf32>, %[[U1:.*]]: tensor<4x8xf32>, %[[D0:.*]]: tensor<8x4xf32>, %[[D1:.*]]: tensor<8x4xf32>)
// CHECK: %[[BOTH:.*]]:2 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]], %[[G0]], %[[U0]] : tensor<?x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>)
// CHECK: %[[H:.*]] = linalg.generic {{.*}} ins(%[[BOTH]]#0, %[[BOTH]]#1 : tensor<?x4xf32>, tensor<?x4xf32>)
// CHECK: arith.negf
// CHECK: linalg.generic {{.*}} ins(%[[H]], %[[D0]] : tensor<?x4xf32>, tensor<8x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[G1]], %[[U1]] : tensor<?x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>)
func.func @moe_gated_experts(%x: tensor<?x8xf32>, %router: tensor<2x8xf32>,
                             %g0: tensor<4x8xf32>, %g1: tensor<4x8xf32>,
                             %u0: tensor<4x8xf32>, %u1: tensor<4x8xf32>,
                             %d0: tensor<8x4xf32>, %d1: tensor<8x4xf32>) -> tensor<?x8xf32> {
  %0 = tfc.moe %x, %router gate(%g0, %g1) up(%u0, %u1) down(%d0, %d1) {activation = #tfc.activation<silu>, top_k = 1 : i64, tfc.gated_experts}
      : tensor<?x8xf32>, tensor<2x8xf32>, gate(tensor<4x8xf32>, tensor<4x8xf32>),
        up(tensor<4x8xf32>, tensor<4x8xf32>), down(tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}
