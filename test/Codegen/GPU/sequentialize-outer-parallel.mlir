// RUN: tfc-opt %s --tfc-gpu-sequentialize-outer-parallel --split-input-file --verify-diagnostics | FileCheck %s

// A parallel loop around a scratch buffer and two parallel loops (a flash
// attention tile) becomes a host loop; the inner loops stay parallel, to
// become kernels.
// CHECK-LABEL: func.func @nest
// CHECK:         scf.for %[[H:.*]] = %c0 to %[[N:.*]] step %c1 {
// CHECK-NEXT:      %[[S:.*]] = memref.alloc() : memref<16xf32>
// CHECK-NEXT:      scf.parallel (%{{.*}}) = (%c0) to (%c16) step (%c1) {
// CHECK:           scf.parallel (%{{.*}}) = (%c0) to (%c16) step (%c1) {
// CHECK:           memref.dealloc %[[S]]
func.func @nest(%n: index, %out: memref<?x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%h) = (%c0) to (%n) step (%c1) {
    %s = memref.alloc() : memref<16xf32>
    scf.parallel (%i) = (%c0) to (%c16) step (%c1) {
      memref.store %zero, %s[%i] : memref<16xf32>
    }
    scf.parallel (%i) = (%c0) to (%c16) step (%c1) {
      %v = memref.load %s[%i] : memref<16xf32>
      memref.store %v, %out[%h, %i] : memref<?x16xf32>
    }
    memref.dealloc %s : memref<16xf32>
  }
  return
}

// -----

// Three deep: the two outer loops become host loops (a 2-d one a nest).
// CHECK-LABEL: func.func @deep
// CHECK:         scf.for
// CHECK-NEXT:      scf.for
// CHECK-NEXT:        scf.for
// CHECK-NEXT:          scf.parallel
// CHECK-NOT:     scf.parallel
func.func @deep(%n: index, %out: memref<?x?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%a, %b) = (%c0, %c0) to (%n, %n) step (%c1, %c1) {
    scf.parallel (%c) = (%c0) to (%n) step (%c1) {
      scf.parallel (%d) = (%c0) to (%n) step (%c1) {
        memref.store %zero, %out[%a, %c, %d] : memref<?x?x?xf32>
      }
    }
  }
  return
}

// -----

// A perfectly nested loop alone is left to convert-parallel-loops-to-gpu.
// CHECK-LABEL: func.func @flat
// CHECK:         scf.parallel (%{{.*}}, %{{.*}}) =
// CHECK-NOT:     scf.for
func.func @flat(%n: index, %out: memref<?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%a, %b) = (%c0, %c0) to (%n, %n) step (%c1, %c1) {
    memref.store %zero, %out[%a, %b] : memref<?x?xf32>
  }
  return
}

// -----

func.func @reduces(%n: index, %out: memref<?xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  // expected-error @below {{holds parallel loops and reduces a value: it cannot run as host loops around kernels}}
  %r = scf.parallel (%a) = (%c0) to (%n) step (%c1) init (%zero) -> f32 {
    scf.parallel (%b) = (%c0) to (%n) step (%c1) {
      memref.store %zero, %out[%b] : memref<?xf32>
    }
    scf.reduce(%zero : f32) {
    ^bb0(%x: f32, %y: f32):
      %s = arith.addf %x, %y : f32
      scf.reduce.return %s : f32
    }
  }
  return %r : f32
}
