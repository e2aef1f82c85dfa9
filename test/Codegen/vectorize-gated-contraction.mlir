// tfc-cpu-vectorize-contractions on tfc.gated_linear's contraction: two
// weights and two accumulators sharing x. One kernel: each x slice is loaded
// once and feeds an FMA into the gate and the up accumulator; the tile has
// half the columns of a single projection's (tile-cols=2 -> 1), so the same
// number of accumulators is in flight.
// RUN: tfc-opt %s --tfc-cpu-vectorize-contractions="tile-rows=2 tile-cols=2 row-cols=1 row-unroll=1 block-bytes=1024" | FileCheck %s

#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d1, d2)>
#y = affine_map<(d0, d1, d2) -> (d0, d1)>

// CHECK-LABEL: func.func @gated(
// CHECK-SAME: %[[X:.*]]: memref<?x32xf32>, %[[G:.*]]: memref<8x32xbf16>, %[[U:.*]]: memref<8x32xbf16>, %[[YG:.*]]: memref<?x8xf32>, %[[YU:.*]]: memref<?x8xf32>)
// CHECK-NOT: linalg.generic
// CHECK: scf.parallel
// Full tiles: 2 rows x 1 column x 2 weights.
// CHECK: scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK: %[[X0:.*]] = vector.load %[[X]]
// CHECK: %[[X1:.*]] = vector.load %[[X]]
// CHECK: %[[GV:.*]] = vector.load %[[G]]
// CHECK: %[[GW:.*]] = arith.extf %[[GV]]
// CHECK: %[[UV:.*]] = vector.load %[[U]]
// CHECK: %[[UW:.*]] = arith.extf %[[UV]]
// CHECK: vector.fma %[[X0]], %[[GW]]
// CHECK: vector.fma %[[X0]], %[[UW]]
// CHECK: vector.fma %[[X1]], %[[GW]]
// CHECK: vector.fma %[[X1]], %[[UW]]
// CHECK: memref.store %{{.*}}, %[[YG]]
// CHECK: memref.store %{{.*}}, %[[YU]]
// The remaining row: one weight row of each.
// CHECK: scf.for %{{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>) {
// CHECK-NOT: linalg.generic
func.func @gated(%x: memref<?x32xf32>, %g: memref<8x32xbf16>, %u: memref<8x32xbf16>, %yg: memref<?x8xf32>, %yu: memref<?x8xf32>) {
  linalg.generic {indexing_maps = [#x, #w, #w, #y, #y],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %g, %u : memref<?x32xf32>, memref<8x32xbf16>, memref<8x32xbf16>)
      outs(%yg, %yu : memref<?x8xf32>, memref<?x8xf32>) {
  ^bb0(%a: f32, %wg: bf16, %wu: bf16, %accg: f32, %accu: f32):
    %eg = arith.extf %wg : bf16 to f32
    %mg = arith.mulf %a, %eg fastmath<reassoc,contract> : f32
    %eu = arith.extf %wu : bf16 to f32
    %mu = arith.mulf %a, %eu fastmath<reassoc,contract> : f32
    %sg = arith.addf %accg, %mg fastmath<reassoc,contract> : f32
    %su = arith.addf %accu, %mu fastmath<reassoc,contract> : f32
    linalg.yield %sg, %su : f32, f32
  }
  return
}

// A body that is not two mul-adds (here the up half subtracts) is left alone.
// CHECK-LABEL: func.func @not_mul_add(
// CHECK: linalg.generic
func.func @not_mul_add(%x: memref<?x32xf32>, %g: memref<8x32xf32>, %u: memref<8x32xf32>, %yg: memref<?x8xf32>, %yu: memref<?x8xf32>) {
  linalg.generic {indexing_maps = [#x, #w, #w, #y, #y],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %g, %u : memref<?x32xf32>, memref<8x32xf32>, memref<8x32xf32>)
      outs(%yg, %yu : memref<?x8xf32>, memref<?x8xf32>) {
  ^bb0(%a: f32, %wg: f32, %wu: f32, %accg: f32, %accu: f32):
    %mg = arith.mulf %a, %wg : f32
    %mu = arith.mulf %a, %wu : f32
    %sg = arith.addf %accg, %mg : f32
    %su = arith.subf %accu, %mu : f32
    linalg.yield %sg, %su : f32, f32
  }
  return
}
