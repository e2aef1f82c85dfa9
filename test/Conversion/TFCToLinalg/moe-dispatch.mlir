// tfc-dispatch-experts marks a tfc.moe whose top_k is below its number of
// experts; tfc-lower-to-linalg then runs each expert on its routed rows only:
// a scan lists them (rows, slot, count), an scf.if skips the expert when the
// count is 0, else the rows are gathered into [m, hidden], the FFN runs on
// them (projections in the x[n, k] * w[o, k] form) and acc[i] gains
// gate * y[slot[i]] where token i is routed. Without the pass: dense.
// RUN: tfc-opt %s --tfc-dispatch-experts -split-input-file --mlir-print-local-scope | FileCheck %s --check-prefix=MARK
// RUN: tfc-opt %s --tfc-dispatch-experts --tfc-lower-to-linalg -split-input-file --mlir-print-local-scope | FileCheck %s
// RUN: tfc-opt %s --tfc-lower-to-linalg -split-input-file | FileCheck %s --check-prefix=DENSE

// MARK-LABEL: func.func @moe_top1
// MARK: tfc.moe {{.*}}tfc.dispatch
// CHECK-LABEL: func.func @moe_top1
// CHECK-SAME: (%[[X:.*]]: tensor<?x8xf32>, %[[R:.*]]: tensor<2x8xf32>, %[[G0:.*]]: tensor<4x8xf32>, %[[G1:.*]]: tensor<4x8xf32>, %[[U0:.*]]: tensor<4x8xf32>, %[[U1:.*]]: tensor<4x8xf32>, %[[D0:.*]]: tensor<8x4xf32>, %[[D1:.*]]: tensor<8x4xf32>)
// CHECK: %[[RANK:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[PROBS:.*]], %[[PROBS]] : tensor<?x2xf32>, tensor<?x2xf32>)
// CHECK: %[[GATES:.*]] = linalg.generic {{.*}} ins(%[[PROBS]], %[[RANK]] : tensor<?x2xf32>, tensor<?x2xf32>)
// CHECK: %[[ACC0:.*]] = linalg.fill {{.*}} -> tensor<?x8xf32>
// Expert 0: the scan over the tokens.
// CHECK: %[[SCAN:.*]]:3 = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ROWS:.*]] = %{{.*}}, %[[SLOT:.*]] = %{{.*}}, %[[COUNT:.*]] = %{{.*}}) -> (tensor<?xindex>, tensor<?xindex>, index)
// CHECK: %[[RK:.*]] = tensor.extract %[[RANK]][%[[I]], %{{.*}}] : tensor<?x2xf32>
// CHECK: %[[ROUTED:.*]] = arith.cmpf olt, %[[RK]]
// CHECK: tensor.insert %[[I]] into %[[ROWS]][%[[COUNT]]]
// CHECK: tensor.insert %[[COUNT]] into %[[SLOT]][%[[I]]]
// CHECK: arith.select %[[ROUTED]]
// CHECK: %[[ANY:.*]] = arith.cmpi ugt, %[[SCAN]]#2
// CHECK: %[[ACC1:.*]] = scf.if %[[ANY]] -> (tensor<?x8xf32>) {
// The gather: xg[j, h] = x[rows[j], h], m = count rows.
// CHECK: %[[XG:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<?x8xf32>)
// CHECK: %[[T:.*]] = tensor.extract %[[SCAN]]#0[%{{.*}}] : tensor<?xindex>
// CHECK: tensor.extract %[[X]][%[[T]], %{{.*}}] : tensor<?x8xf32>
// The FFN on the gathered rows, in the projection-kernel form.
// CHECK: %[[UP:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[XG]], %[[U0]] : tensor<?x8xf32>, tensor<4x8xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[XG]], %[[G0]] : tensor<?x8xf32>, tensor<4x8xf32>)
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[D0]] : tensor<?x4xf32>, tensor<8x4xf32>)
// The combine, in place on the accumulator: acc + gate * y[slot] if routed.
// CHECK: %[[NEW:.*]] = linalg.generic {{.*}} outs(%[[ACC0]] : tensor<?x8xf32>)
// CHECK: tensor.extract %[[SCAN]]#1
// CHECK: tensor.extract %[[Y]]
// CHECK: tensor.extract %[[GATES]]
// CHECK: arith.select
// CHECK: scf.yield %[[NEW]]
// CHECK: } else {
// CHECK: scf.yield %[[ACC0]]
// Expert 1, on the accumulator of expert 0.
// CHECK: scf.for
// CHECK: scf.if
// CHECK: ins(%{{.*}}, %[[U1]] : tensor<?x8xf32>, tensor<4x8xf32>)
// CHECK: ins(%{{.*}}, %[[D1]] : tensor<?x4xf32>, tensor<8x4xf32>)
// CHECK: outs(%[[ACC1]] : tensor<?x8xf32>)
// The dense form runs every expert on x itself.
// DENSE-LABEL: func.func @moe_top1
// DENSE-NOT: scf.
// DENSE: ins(%arg0, %arg4 : tensor<?x8xf32>, tensor<4x8xf32>)
// DENSE-NOT: scf.
// DENSE: ins(%arg0, %arg5 : tensor<?x8xf32>, tensor<4x8xf32>)
// DENSE-NOT: scf.
func.func @moe_top1(%x: tensor<?x8xf32>, %router: tensor<2x8xf32>,
                    %g0: tensor<4x8xf32>, %g1: tensor<4x8xf32>,
                    %u0: tensor<4x8xf32>, %u1: tensor<4x8xf32>,
                    %d0: tensor<8x4xf32>, %d1: tensor<8x4xf32>) -> tensor<?x8xf32> {
  %0 = tfc.moe %x, %router gate(%g0, %g1) up(%u0, %u1) down(%d0, %d1) {activation = #tfc.activation<silu>, top_k = 1 : i64}
      : tensor<?x8xf32>, tensor<2x8xf32>, gate(tensor<4x8xf32>, tensor<4x8xf32>),
        up(tensor<4x8xf32>, tensor<4x8xf32>), down(tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// Renormalised, scaled gates (deepseek's routed_scale) in the combine: the
// routed scale multiplies the gate before the expert's output, as dense.
// CHECK-LABEL: func.func @moe_scaled
// CHECK: scf.if
// CHECK: math.erf
// CHECK: arith.minui
// CHECK: tensor.extract
// CHECK: %[[G:.*]] = tensor.extract
// CHECK-NEXT: %[[SCALE:.*]] = arith.constant 2.500000e+00 : f32
// CHECK-NEXT: arith.mulf %[[G]], %[[SCALE]]
func.func @moe_scaled(%x: tensor<?x8xf32>, %router: tensor<3x8xf32>,
                      %u0: tensor<4x8xf32>, %u1: tensor<4x8xf32>, %u2: tensor<4x8xf32>,
                      %d0: tensor<8x4xf32>, %d1: tensor<8x4xf32>, %d2: tensor<8x4xf32>) -> tensor<?x8xf32> {
  %0 = tfc.moe %x, %router gate() up(%u0, %u1, %u2) down(%d0, %d1, %d2) {activation = #tfc.activation<gelu>, top_k = 2 : i64, renormalize, routed_scale = 2.5 : f64}
      : tensor<?x8xf32>, tensor<3x8xf32>, up(tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>), down(tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// top_k = experts: nothing to skip, left dense.
// MARK-LABEL: func.func @moe_all_chosen
// MARK-NOT: tfc.dispatch
// CHECK-LABEL: func.func @moe_all_chosen
// CHECK-NOT: scf.if
func.func @moe_all_chosen(%x: tensor<?x8xf32>, %router: tensor<2x8xf32>,
                          %u0: tensor<4x8xf32>, %u1: tensor<4x8xf32>,
                          %d0: tensor<8x4xf32>, %d1: tensor<8x4xf32>) -> tensor<?x8xf32> {
  %0 = tfc.moe %x, %router gate() up(%u0, %u1) down(%d0, %d1) {activation = #tfc.activation<gelu>, top_k = 2 : i64}
      : tensor<?x8xf32>, tensor<2x8xf32>, up(tensor<4x8xf32>, tensor<4x8xf32>), down(tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}
