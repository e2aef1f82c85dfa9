// tfc-cpu-vectorize-contractions with fuse-epilogues (the default): the
// elementwise map right after a projection that reads its zero-initialised
// outputs is applied per output in the kernel, after the horizontal add, and
// stored into the map's result; the projection's output buffers, their
// zeroing and their deallocs go away. tfc.gated_linear's GLU map is the case
// that matters (no two [n, d_ff] buffers), a residual add the other.
// RUN: tfc-opt %s --split-input-file --tfc-cpu-vectorize-contractions="tile-rows=2 tile-cols=2 row-cols=1 row-unroll=2 block-bytes=1024" | FileCheck %s
// RUN: tfc-opt %s --split-input-file --tfc-cpu-vectorize-contractions="tile-rows=2 tile-cols=2 row-cols=1 row-unroll=2 block-bytes=1024 fuse-epilogues=false" | FileCheck %s --check-prefix=OFF

#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d1, d2)>
#y = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// The GLU as the pipeline leaves it: CSE shared one zero buffer, copied into
// both outputs; the map writes into that buffer.
// CHECK-LABEL: func.func @swiglu(
// CHECK: %[[OUT:.*]] = memref.alloc(%{{.*}}) : memref<?x8xf32>
// CHECK-NEXT: linalg.fill
// CHECK-NOT: memref.alloc
// CHECK-NOT: linalg.copy
// CHECK: scf.parallel
// CHECK: %[[ACC:.*]]:4 = scf.for
// CHECK: %[[G:.*]] = vector.reduction <add>, %[[ACC]]#0 fastmath<reassoc,contract> : vector<16xf32> into f32
// CHECK: %[[U:.*]] = vector.reduction <add>, %[[ACC]]#1 fastmath<reassoc,contract> : vector<16xf32> into f32
// CHECK: %[[NEG:.*]] = arith.negf %[[G]]
// CHECK: math.exp %[[NEG]]
// CHECK: %[[SILU:.*]] = arith.divf %[[G]], %{{.*}}
// CHECK: %[[H:.*]] = arith.mulf %[[SILU]], %[[U]]
// CHECK: memref.store %[[H]], %[[OUT]][
// CHECK-NOT: linalg.generic
// CHECK-NOT: memref.dealloc
// CHECK: return %[[OUT]]
// OFF-LABEL: func.func @swiglu(
// OFF-COUNT-2: linalg.copy
// OFF: vector.fma
// OFF: linalg.generic
// OFF-COUNT-2: memref.dealloc
func.func @swiglu(%x: memref<?x32xf32>, %g: memref<8x32xbf16>, %u: memref<8x32xbf16>) -> memref<?x8xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %n = memref.dim %x, %c0 : memref<?x32xf32>
  %zeros = memref.alloc(%n) : memref<?x8xf32>
  linalg.fill ins(%zero : f32) outs(%zeros : memref<?x8xf32>)
  %yg = memref.alloc(%n) : memref<?x8xf32>
  linalg.copy ins(%zeros : memref<?x8xf32>) outs(%yg : memref<?x8xf32>)
  %yu = memref.alloc(%n) : memref<?x8xf32>
  linalg.copy ins(%zeros : memref<?x8xf32>) outs(%yu : memref<?x8xf32>)
  linalg.generic {indexing_maps = [#x, #w, #w, #y, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %g, %u : memref<?x32xf32>, memref<8x32xbf16>, memref<8x32xbf16>) outs(%yg, %yu : memref<?x8xf32>, memref<?x8xf32>) {
  ^bb0(%in: f32, %wg: bf16, %wu: bf16, %og: f32, %ou: f32):
    %wgf = arith.extf %wg : bf16 to f32
    %wuf = arith.extf %wu : bf16 to f32
    %a = arith.mulf %in, %wgf fastmath<reassoc,contract> : f32
    %b = arith.mulf %in, %wuf fastmath<reassoc,contract> : f32
    %c = arith.addf %og, %a fastmath<reassoc,contract> : f32
    %d = arith.addf %ou, %b fastmath<reassoc,contract> : f32
    linalg.yield %c, %d : f32, f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%yg, %yu : memref<?x8xf32>, memref<?x8xf32>) outs(%zeros : memref<?x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %na = arith.negf %a : f32
    %e = math.exp %na : f32
    %den = arith.addf %e, %one : f32
    %s = arith.divf %a, %den : f32
    %r = arith.mulf %s, %b : f32
    linalg.yield %r : f32
  }
  memref.dealloc %yg : memref<?x8xf32>
  memref.dealloc %yu : memref<?x8xf32>
  return %zeros : memref<?x8xf32>
}

// -----

#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d1, d2)>
#y = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// A residual add: the map's other operand is read at the same output.
// CHECK-LABEL: func.func @residual(
// CHECK-SAME: %[[X:.*]]: memref<?x16xf32>, %[[W:.*]]: memref<4x16xf32>, %[[R:.*]]: memref<?x4xf32>)
// CHECK: %[[OUT:.*]] = memref.alloc
// CHECK-NOT: memref.alloc
// CHECK-NOT: linalg.fill
// CHECK: %[[ACC:.*]]:4 = scf.for
// CHECK: %[[RES:.*]] = memref.load %[[R]][%[[I:.*]], %[[J:.*]]] : memref<?x4xf32>
// CHECK: %[[SUM:.*]] = vector.reduction <add>, %[[ACC]]#0 fastmath<reassoc,contract> : vector<16xf32> into f32
// CHECK: %[[NEW:.*]] = arith.addf %[[RES]], %[[SUM]]
// CHECK: memref.store %[[NEW]], %[[OUT]][%[[I]], %[[J]]]
// CHECK-NOT: linalg.generic
func.func @residual(%x: memref<?x16xf32>, %w: memref<4x16xf32>, %r: memref<?x4xf32>) -> memref<?x4xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = memref.dim %x, %c0 : memref<?x16xf32>
  %out = memref.alloc(%n) : memref<?x4xf32>
  %y = memref.alloc(%n) : memref<?x4xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<?x4xf32>)
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<?x16xf32>, memref<4x16xf32>) outs(%y : memref<?x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%r, %y : memref<?x4xf32>, memref<?x4xf32>) outs(%out : memref<?x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  memref.dealloc %y : memref<?x4xf32>
  return %out : memref<?x4xf32>
}

// -----

#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d1, d2)>
#y = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// Not fused: the output is read again later (it must exist); the map writes
// into x (a view of it): writing it while x is still read for other outputs
// would be wrong; y starts from a bias, not zero.
// CHECK-LABEL: func.func @not_epilogues(
// CHECK: vector.fma
// CHECK: linalg.generic
// CHECK: vector.fma
// CHECK: linalg.generic
// CHECK: vector.fma
// CHECK: linalg.generic
func.func @not_epilogues(%x: memref<?x16xf32>, %w: memref<4x16xf32>, %r: memref<?x4xf32>, %out: memref<?x4xf32>,
                         %bias: memref<?x4xf32>) -> memref<?x4xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = memref.dim %x, %c0 : memref<?x16xf32>
  %y = memref.alloc(%n) : memref<?x4xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<?x4xf32>)
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<?x16xf32>, memref<4x16xf32>) outs(%y : memref<?x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%r, %y : memref<?x4xf32>, memref<?x4xf32>) outs(%out : memref<?x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  %y2 = memref.alloc(%n) : memref<?x4xf32>
  linalg.fill ins(%zero : f32) outs(%y2 : memref<?x4xf32>)
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<?x16xf32>, memref<4x16xf32>) outs(%y2 : memref<?x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  %xv = memref.subview %x[0, 0] [%n, 4] [1, 1] : memref<?x16xf32> to memref<?x4xf32, strided<[16, 1]>>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%r, %y2 : memref<?x4xf32>, memref<?x4xf32>) outs(%xv : memref<?x4xf32, strided<[16, 1]>>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  %y3 = memref.alloc(%n) : memref<?x4xf32>
  linalg.copy ins(%bias : memref<?x4xf32>) outs(%y3 : memref<?x4xf32>)
  linalg.generic {indexing_maps = [#x, #w, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<?x16xf32>, memref<4x16xf32>) outs(%y3 : memref<?x4xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%r, %y3 : memref<?x4xf32>, memref<?x4xf32>) outs(%out : memref<?x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return %y : memref<?x4xf32>
}
