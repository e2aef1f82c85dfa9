// tfc-cpu-vectorize-contractions on a q8_0 weight (tfc.dequantize's form: the
// int8 values and an f16 scale per 32 of a row, map (o, k floordiv 32)): each
// vector<16xi8> of a weight row is widened (arith.sitofp) and multiplied by
// its block's scale, broadcast, before the same FMAs as a float weight; where
// a step of the depth loop covers whole blocks (the remaining rows, with
// row-unroll 2), a block's products are summed first and scaled once. The
// two-weight (gated) form too. A vector width that does not divide the block
// is left to the generic lowering.
// RUN: tfc-opt %s --split-input-file --tfc-cpu-vectorize-contractions="tile-rows=2 tile-cols=2 row-cols=1 row-unroll=2 block-bytes=1024" | FileCheck %s
// RUN: tfc-opt %s --split-input-file --tfc-cpu-vectorize-contractions="vector-width=64 tile-rows=2 tile-cols=2 row-cols=1 row-unroll=2" | FileCheck %s --check-prefix=WIDE

#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d1, d2)>
#s = affine_map<(d0, d1, d2) -> (d1, d2 floordiv 32)>
#y = affine_map<(d0, d1, d2) -> (d0, d1)>

// CHECK-LABEL: func.func @q8_0(
// CHECK-SAME: %[[X:.*]]: memref<?x64xf32>, %[[Q:.*]]: memref<8x64xi8>, %[[S:.*]]: memref<8x2xf16>, %[[Y:.*]]: memref<?x8xf32>)
// CHECK-DAG: %[[C32:.*]] = arith.constant 32 : index
// CHECK: scf.parallel
// The register tiles of two rows of x: each slice of 16 scaled as it is
// widened (the step, 16, is not a whole block).
// CHECK: scf.for %[[K:.*]] = {{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// CHECK: %[[QV:.*]] = vector.load %[[Q]][%[[O:.*]], %[[K]]] : memref<8x64xi8>, vector<16xi8>
// CHECK: %[[QF:.*]] = arith.sitofp %[[QV]] : vector<16xi8> to vector<16xf32>
// CHECK: %[[BLOCK:.*]] = arith.divui %[[K]], %[[C32]] : index
// CHECK: %[[HALF:.*]] = memref.load %[[S]][%[[O]], %[[BLOCK]]] : memref<8x2xf16>
// CHECK: %[[HALVES:.*]] = vector.broadcast %[[HALF]] : f16 to vector<16xf16>
// CHECK: %[[SV:.*]] = arith.extf %[[HALVES]] : vector<16xf16> to vector<16xf32>
// CHECK: %[[WV:.*]] = arith.mulf %[[QF]], %[[SV]] : vector<16xf32>
// CHECK: vector.fma %{{.*}}, %[[WV]], %{{.*}} : vector<16xf32>
// The remaining row, two slices (one block) per step: their products summed
// unscaled, then scaled once into the accumulator.
// CHECK: scf.for %[[K2:.*]] = %{{.*}} to %{{.*}} step %[[C32]] iter_args
// CHECK: %[[X0:.*]] = vector.load %[[X]]
// CHECK: %[[Q0:.*]] = vector.load %[[Q]][%[[R:.*]], %[[K2]]] : memref<8x64xi8>, vector<16xi8>
// CHECK: %[[Q0F:.*]] = arith.sitofp %[[Q0]]
// CHECK: %[[P0:.*]] = arith.mulf %[[X0]], %[[Q0F]] : vector<16xf32>
// CHECK: vector.load %[[Q]]
// CHECK: %[[Q1F:.*]] = arith.sitofp
// CHECK: %[[P1:.*]] = vector.fma %{{.*}}, %[[Q1F]], %[[P0]] : vector<16xf32>
// CHECK: %[[B2:.*]] = arith.divui %[[K2]], %[[C32]]
// CHECK: memref.load %[[S]][%[[R]], %[[B2]]]
// CHECK: %[[S2:.*]] = arith.extf
// CHECK: vector.fma %[[P1]], %[[S2]], %{{.*}} : vector<16xf32>
// CHECK-NOT: linalg.generic
// WIDE-LABEL: func.func @q8_0(
// WIDE: linalg.generic
func.func @q8_0(%x: memref<?x64xf32>, %q: memref<8x64xi8>, %s: memref<8x2xf16>, %y: memref<?x8xf32>) {
  linalg.generic {indexing_maps = [#x, #w, #s, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %q, %s : memref<?x64xf32>, memref<8x64xi8>, memref<8x2xf16>) outs(%y : memref<?x8xf32>) {
  ^bb0(%a: f32, %b: i8, %c: f16, %acc: f32):
    %bf = arith.sitofp %b : i8 to f32
    %cf = arith.extf %c : f16 to f32
    %wv = arith.mulf %bf, %cf : f32
    %m = arith.mulf %a, %wv fastmath<reassoc, contract> : f32
    %r = arith.addf %acc, %m fastmath<reassoc, contract> : f32
    linalg.yield %r : f32
  }
  return
}

// -----

#x = affine_map<(d0, d1, d2) -> (d0, d2)>
#w = affine_map<(d0, d1, d2) -> (d1, d2)>
#s = affine_map<(d0, d1, d2) -> (d1, d2 floordiv 32)>
#y = affine_map<(d0, d1, d2) -> (d0, d1)>

// Gate and up, each with its scales.
// CHECK-LABEL: func.func @q8_0_gated(
// CHECK-SAME: %[[X:.*]]: memref<?x64xf32>, %[[GQ:.*]]: memref<8x64xi8>, %[[GS:.*]]: memref<8x2xf16>, %[[UQ:.*]]: memref<8x64xi8>, %[[US:.*]]: memref<8x2xf16>,
// CHECK: vector.load %[[GQ]]
// CHECK: memref.load %[[GS]]
// CHECK: vector.load %[[UQ]]
// CHECK: memref.load %[[US]]
// CHECK-NOT: linalg.generic
func.func @q8_0_gated(%x: memref<?x64xf32>, %gq: memref<8x64xi8>, %gs: memref<8x2xf16>, %uq: memref<8x64xi8>, %us: memref<8x2xf16>, %yg: memref<?x8xf32>, %yu: memref<?x8xf32>) {
  linalg.generic {indexing_maps = [#x, #w, #s, #w, #s, #y, #y], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %gq, %gs, %uq, %us : memref<?x64xf32>, memref<8x64xi8>, memref<8x2xf16>, memref<8x64xi8>, memref<8x2xf16>) outs(%yg, %yu : memref<?x8xf32>, memref<?x8xf32>) {
  ^bb0(%a: f32, %g: i8, %gsc: f16, %u: i8, %usc: f16, %accg: f32, %accu: f32):
    %gf = arith.sitofp %g : i8 to f32
    %gscf = arith.extf %gsc : f16 to f32
    %gw = arith.mulf %gf, %gscf : f32
    %uf = arith.sitofp %u : i8 to f32
    %uscf = arith.extf %usc : f16 to f32
    %uw = arith.mulf %uf, %uscf : f32
    %mg = arith.mulf %a, %gw fastmath<reassoc, contract> : f32
    %mu = arith.mulf %a, %uw fastmath<reassoc, contract> : f32
    %rg = arith.addf %accg, %mg fastmath<reassoc, contract> : f32
    %ru = arith.addf %accu, %mu fastmath<reassoc, contract> : f32
    linalg.yield %rg, %ru : f32, f32
  }
  return
}

// -----

// Quantized x too (tfc.quantize's values and scales before the projection):
// per step of 64 bytes (two blocks), an int8 dot product per output in 16
// i32 lanes of 4 products, converted and scaled by the product of the two
// sides' block scales (each block's scale in its 8 lanes). With vnni, one
// vpdpbusd of w xor 0x80 (w + 128, unsigned) and x, started at
// -128 * sum(x) (another vpdpbusd, of 0x80 and x); without, the bytes
// widened, multiplied and summed in fours.
// RUN: tfc-opt %s --split-input-file --tfc-cpu-vectorize-contractions="tile-rows=2 tile-cols=2 row-cols=1 prefetch-bytes=0 vnni=true" | FileCheck %s --check-prefix=VNNI
// RUN: tfc-opt %s --split-input-file --tfc-cpu-vectorize-contractions="tile-rows=2 tile-cols=2 row-cols=1 prefetch-bytes=0" | FileCheck %s --check-prefix=INT8
#xq = affine_map<(d0, d1, d2) -> (d0, d2)>
#xs = affine_map<(d0, d1, d2) -> (d0, d2 floordiv 32)>
#wq = affine_map<(d0, d1, d2) -> (d1, d2)>
#ws = affine_map<(d0, d1, d2) -> (d1, d2 floordiv 32)>
#yq = affine_map<(d0, d1, d2) -> (d0, d1)>
// VNNI-LABEL: func.func @int8(
// VNNI-SAME: %[[X:[^:]*]]: memref<?x128xi8>, %[[XS:[^:]*]]: memref<?x4xf16>, %[[Q:[^:]*]]: memref<8x128xi8>, %[[S:[^:]*]]: memref<8x4xf16>
// VNNI-DAG: %[[BIAS:.*]] = arith.constant dense<-128> : vector<64xi8>
// VNNI-DAG: %[[C64:.*]] = arith.constant 64 : index
// VNNI: scf.parallel
// VNNI: scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %[[C64]] iter_args
// VNNI: %[[W:.*]] = vector.load %[[Q]][%{{.*}}, %[[K]]] : memref<8x128xi8>, vector<64xi8>
// VNNI: %[[WU:.*]] = arith.xori %[[W]], %[[BIAS]] : vector<64xi8>
// VNNI: %[[PAIR:.*]] = vector.load %[[S]][%{{.*}}, %{{.*}}] : memref<8x4xf16>, vector<2xf16>
// VNNI: vector.shuffle %[[PAIR]], %[[PAIR]] [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1] : vector<2xf16>, vector<2xf16>
// VNNI: %[[XV:.*]] = vector.load %[[X]][%{{.*}}, %[[K]]] : memref<?x128xi8>, vector<64xi8>
// VNNI: %[[SUM:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %[[BIAS]], %[[XV]]) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// VNNI: %[[START:.*]] = arith.subi %{{.*}}, %[[SUM]] : vector<16xi32>
// VNNI: %[[DOT:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%[[START]], %[[WU]], %[[XV]])
// VNNI: %[[SCALE:.*]] = arith.mulf %{{.*}}, %{{.*}} : vector<16xf32>
// VNNI: %[[DF:.*]] = arith.sitofp %[[DOT]] : vector<16xi32> to vector<16xf32>
// VNNI: vector.fma %[[DF]], %[[SCALE]], %{{.*}} : vector<16xf32>
// VNNI-NOT: linalg.generic
// INT8-LABEL: func.func @int8(
// INT8-NOT: llvm.call_intrinsic
// INT8-NOT: arith.xori
// INT8: %[[A:.*]] = arith.extsi %{{.*}} : vector<64xi8> to vector<64xi32>
// INT8: %[[B:.*]] = arith.extsi %{{.*}} : vector<64xi8> to vector<64xi32>
// INT8: %[[P:.*]] = arith.muli %[[A]], %[[B]] : vector<64xi32>
// INT8: vector.shuffle %[[P]], %[[P]] [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60]
// INT8: vector.shuffle %[[P]], %[[P]] [3, 7, 11,
// INT8: arith.sitofp %{{.*}} : vector<16xi32> to vector<16xf32>
// INT8-NOT: linalg.generic
func.func @int8(%x: memref<?x128xi8>, %xs: memref<?x4xf16>, %q: memref<8x128xi8>, %s: memref<8x4xf16>, %y: memref<?x8xf32>) {
  linalg.generic {indexing_maps = [#xq, #xs, #wq, #ws, #yq], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %xs, %q, %s : memref<?x128xi8>, memref<?x4xf16>, memref<8x128xi8>, memref<8x4xf16>) outs(%y : memref<?x8xf32>) {
  ^bb0(%a: i8, %as: f16, %b: i8, %bs: f16, %acc: f32):
    %af = arith.sitofp %a : i8 to f32
    %asf = arith.extf %as : f16 to f32
    %av = arith.mulf %af, %asf : f32
    %bf = arith.sitofp %b : i8 to f32
    %bsf = arith.extf %bs : f16 to f32
    %bv = arith.mulf %bf, %bsf : f32
    %m = arith.mulf %av, %bv fastmath<reassoc, contract> : f32
    %r = arith.addf %acc, %m fastmath<reassoc, contract> : f32
    linalg.yield %r : f32
  }
  return
}
