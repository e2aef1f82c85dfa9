// RUN: tfc-opt %s --tfc-cpu-serialize-nested-parallel | FileCheck %s

// A parallel loop inside another becomes sequential loops (one OpenMP level
// per nest); the outer loop and a loop on its own stay parallel.
// CHECK-LABEL: func.func @nested
// CHECK:         scf.parallel (%[[C:.*]]) =
// CHECK-NOT:       scf.parallel
// CHECK:           scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT:        scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step
// CHECK-NEXT:          memref.load %{{.*}}[%[[C]], %[[I]], %[[J]]]
// CHECK:       scf.parallel
func.func @nested(%m: memref<?x?x?xf32>, %n: index, %a: index, %b: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.parallel (%c) = (%c0) to (%n) step (%c1) {
    scf.parallel (%i, %j) = (%c0, %c0) to (%a, %b) step (%c1, %c1) {
      %x = memref.load %m[%c, %i, %j] : memref<?x?x?xf32>
      %y = arith.addf %x, %x : f32
      memref.store %y, %m[%c, %i, %j] : memref<?x?x?xf32>
      scf.reduce
    }
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%a) step (%c1) {
    %x = memref.load %m[%i, %i, %i] : memref<?x?x?xf32>
    memref.store %x, %m[%c0, %c0, %i] : memref<?x?x?xf32>
    scf.reduce
  }
  return
}
