// tfc-cpu-vectorize-contractions: a bufferized projection y[n, o] += x[n, k] *
// w[o, k] becomes threads over blocks of weight rows (scf.parallel), register
// tiles of 2 x 2 outputs for full row pairs, and for the remaining row one
// weight row at a time with 2 accumulators along k; each accumulates
// vector<16xf32> FMAs (16-bit weights widened in registers), then one
// reassociable horizontal add per output into y. Other contractions are left
// alone.
// RUN: tfc-opt %s --split-input-file --tfc-cpu-vectorize-contractions="tile-rows=2 tile-cols=2 row-cols=1 row-unroll=2 block-bytes=1024" | FileCheck %s

#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d1, d2)>
#y = affine_map<(d0, d1, d2) -> (d0, d1)>

// CHECK-LABEL: func.func @bf16_weights(
// CHECK-SAME: %[[X:.*]]: memref<?x32xf32>, %[[W:.*]]: memref<8x32xbf16>, %[[Y:.*]]: memref<?x8xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// 1024 bytes of 64-byte weight rows: blocks of 16 rows, capped at a quarter
// of the 8 rows there are (so that 4 threads share them): 2 rows.
// CHECK: %[[N:.*]] = memref.dim %[[X]], %[[C0]]
// CHECK: %[[PAIRS:.*]] = arith.divui %[[N]], %[[C2]]
// CHECK: %[[FULL:.*]] = arith.muli %[[PAIRS]], %[[C2]]
// CHECK: scf.parallel (%[[B:.*]]) = (%[[C0]]) to (%[[C8]]) step (%[[C2]]) {
// CHECK: scf.for %[[I:.*]] = %[[C0]] to %[[FULL]] step %[[C2]] {
// CHECK: scf.for %[[J:.*]] = %[[B]] to %{{.*}} step %[[C2]] {
// CHECK: %[[ACC:.*]]:4 = scf.for %[[K:.*]] = %[[C0]] to %[[C32]] step %[[C16]] iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK: %[[X0:.*]] = vector.load %[[X]][%[[I]], %[[K]]] : memref<?x32xf32>, vector<16xf32>
// CHECK: %[[X1:.*]] = vector.load %[[X]][%{{.*}}, %[[K]]] : memref<?x32xf32>, vector<16xf32>
// CHECK: %[[W0:.*]] = vector.load %[[W]][%[[J]], %[[K]]] : memref<8x32xbf16>, vector<16xbf16>
// CHECK: %[[W0F:.*]] = arith.extf %[[W0]] : vector<16xbf16> to vector<16xf32>
// CHECK: vector.load %[[W]]
// CHECK: arith.extf
// CHECK-COUNT-4: vector.fma
// CHECK: scf.yield
// CHECK: %[[OLD:.*]] = memref.load %[[Y]][%[[I]], %[[J]]]
// CHECK: %[[SUM:.*]] = vector.reduction <add>, %[[ACC]]#0, %[[OLD]] fastmath<reassoc,contract> : vector<16xf32> into f32
// CHECK: memref.store %[[SUM]], %[[Y]][%[[I]], %[[J]]]
// CHECK-COUNT-3: vector.reduction <add>
// The remaining row, one at a time, against one weight row at a time: two
// accumulators over the halves of each 32-wide step of k, added, then reduced.
// CHECK: scf.for %[[R:.*]] = %[[FULL]] to %[[N]] step %[[C1:.*]] {
// CHECK: scf.for %[[O:.*]] = %[[B]] to %{{.*}} step %[[C1]] {
// CHECK: %[[ACC2:.*]]:2 = scf.for %[[K2:.*]] = %[[C0]] to %[[C32]] step %[[C32]] iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>) {
// CHECK: vector.load %[[W]][%[[O]], %[[K2]]]
// CHECK: vector.fma
// CHECK: %[[K2B:.*]] = arith.addi %[[K2]], %[[C16]]
// CHECK: vector.load %[[W]][%[[O]], %[[K2B]]]
// CHECK: vector.fma
// CHECK: %[[BOTH:.*]] = arith.addf %[[ACC2]]#0, %[[ACC2]]#1 fastmath<reassoc,contract> : vector<16xf32>
// CHECK: vector.reduction <add>, %[[BOTH]], %{{.*}} fastmath<reassoc,contract>
// CHECK-NOT: linalg.generic
func.func @bf16_weights(%x: memref<?x32xf32>, %w: memref<8x32xbf16>, %y: memref<?x8xf32>) {
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<?x32xf32>, memref<8x32xbf16>) outs(%y : memref<?x8xf32>) {
  ^bb0(%a: f32, %b: bf16, %acc: f32):
    %bf = arith.extf %b : bf16 to f32
    %m = arith.mulf %a, %bf fastmath<reassoc, contract> : f32
    %s = arith.addf %acc, %m fastmath<reassoc, contract> : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d1, d2)>
#wt = affine_map<(d0, d1, d2) -> (d2, d1)>
#y = affine_map<(d0, d1, d2) -> (d0, d1)>

// f32 weights: no widening.
// CHECK-LABEL: func.func @f32_weights(
// CHECK: scf.parallel
// CHECK-NOT: arith.extf
// CHECK: vector.fma
func.func @f32_weights(%x: memref<?x16xf32>, %w: memref<4x16xf32>, %y: memref<?x4xf32>) {
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<?x16xf32>, memref<4x16xf32>) outs(%y : memref<?x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  return
}

// Left alone: a depth that is not a multiple of the vector width, the [in,
// out] weight layout, and a body that is not a multiply-add.
// CHECK-LABEL: func.func @not_projections(
// CHECK-COUNT-3: linalg.generic
// CHECK-NOT: vector.fma
func.func @not_projections(%x: memref<?x20xf32>, %w: memref<4x20xf32>, %y: memref<?x4xf32>,
                           %x2: memref<?x16xf32>, %wt: memref<16x4xf32>, %w2: memref<4x16xf32>) {
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<?x20xf32>, memref<4x20xf32>) outs(%y : memref<?x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#x, #wt, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x2, %wt : memref<?x16xf32>, memref<16x4xf32>) outs(%y : memref<?x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x2, %w2 : memref<?x16xf32>, memref<4x16xf32>) outs(%y : memref<?x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.maximumf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  return
}
