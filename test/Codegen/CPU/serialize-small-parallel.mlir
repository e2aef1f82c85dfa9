// tfc-cpu-serialize-small-parallel: an outermost scf.parallel whose work per
// iteration is known (straight-line code, scf.for of constant trip count)
// runs in parallel only with at least min-work ops in all (iterations x ops
// per iteration); with less, as sequential loops. A loop of unknown work per
// iteration, and one nested in another, keep their form.
// RUN: tfc-opt %s --tfc-cpu-serialize-small-parallel=min-work=1000 | FileCheck %s

// CHECK-LABEL: func.func @elementwise(
// CHECK-SAME: %[[A:[^:]*]]: memref<?x64xf32>, %[[N:[^:]*]]: index
// 3 ops per element (load, add, store) x n rows x 64:
// CHECK-DAG: %[[PER:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C64:.*]] = arith.constant 64 : index
// CHECK: %[[W0:.*]] = arith.muli %[[N]], %[[PER]] : index
// CHECK: %[[W:.*]] = arith.muli %[[W0]], %[[C64]] : index
// CHECK: %[[MIN:.*]] = arith.constant 1000 : index
// CHECK: %[[BIG:.*]] = arith.cmpi uge, %[[W]], %[[MIN]] : index
// CHECK: scf.if %[[BIG]] {
// CHECK-NEXT: scf.parallel (%{{.*}}, %{{.*}}) =
// CHECK: } else {
// CHECK-NEXT: scf.for %{{.*}} = %{{.*}} to %[[N]]
// CHECK-NEXT: scf.for
// CHECK-NEXT: memref.load
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @elementwise(%a: memref<?x64xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%n, %c64) step (%c1, %c1) {
    %v = memref.load %a[%i, %j] : memref<?x64xf32>
    %s = arith.addf %v, %one : f32
    memref.store %s, %a[%i, %j] : memref<?x64xf32>
  }
  return
}

// A reduction along a static dimension: 64 x (load, add), and the store.
// CHECK-LABEL: func.func @row_sum(
// CHECK: arith.constant 129 : index
// CHECK: scf.if
func.func @row_sum(%a: memref<?x64xf32>, %out: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    %sum = scf.for %k = %c0 to %c64 step %c1 iter_args(%acc = %zero) -> (f32) {
      %v = memref.load %a[%i, %k] : memref<?x64xf32>
      %s = arith.addf %acc, %v : f32
      scf.yield %s : f32
    }
    memref.store %sum, %out[%i] : memref<?xf32>
  }
  return
}

// A loop of dynamic trip count inside: the work is not known, the loop stays.
// CHECK-LABEL: func.func @unknown(
// CHECK-NOT: scf.if
// CHECK: scf.parallel
func.func @unknown(%a: memref<?x?xf32>, %n: index, %m: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    scf.for %k = %c0 to %m step %c1 {
      memref.store %one, %a[%i, %k] : memref<?x?xf32>
    }
  }
  return
}
