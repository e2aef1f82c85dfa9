// tfc-lower-to-linalg on tfc.rope (and, at the end, on the rotations
// tfc-fuse-rope moves into tfc.attention and tfc.kv_cache_append): one
// parallel map over [tokens, heads, head_dim] that reads its partner dimension, the pair's frequency from a
// constant table (RopeAttr::getInverseFrequencies, folded into the IR here,
// so these checks are the attribute's unit tests), and passes dimensions past
// the rotary part through.
// RUN: tfc-opt %s --tfc-lower-to-linalg --mlir-print-local-scope | FileCheck %s

// theta^(-2k / 16), k < 8; rotate-half: d pairs with d +- 8, the first half
// negated.
// CHECK-LABEL: func.func @rope
// CHECK-SAME: (%[[X:.*]]: tensor<?x2x16xf32>, %[[POS:.*]]: index)
// CHECK: %[[INV:.*]] = arith.constant dense<[1.000000e+00, 0.316227764, 1.000000e-01, 0.0316227786, 0.00999999977, 0.00316227786, 1.000000e-03, 3.16227786E-4]> : tensor<8xf32>
// CHECK: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]] : tensor<?x2x16xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[I:.*]] = linalg.index 0 : index
// CHECK-NEXT: %[[H:.*]] = linalg.index 1 : index
// CHECK-NEXT: %[[D:.*]] = linalg.index 2 : index
// CHECK-NEXT: %[[P:.*]] = arith.addi %[[POS]], %[[I]] : index
// CHECK-NEXT: %[[ROT:.*]] = arith.constant 16 : index
// CHECK-NEXT: %[[HALF:.*]] = arith.constant 8 : index
// CHECK-NEXT: %[[ZERO:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[ROTATED:.*]] = arith.cmpi ult, %[[D]], %[[ROT]] : index
// CHECK-NEXT: %[[NEG:.*]] = arith.cmpi ult, %[[D]], %[[HALF]] : index
// CHECK-NEXT: %[[UP:.*]] = arith.addi %[[D]], %[[HALF]] : index
// CHECK-NEXT: %[[DOWN:.*]] = arith.subi %[[D]], %[[HALF]] : index
// CHECK-NEXT: %[[PARTNER0:.*]] = arith.select %[[NEG]], %[[UP]], %[[DOWN]] : index
// CHECK-NEXT: %[[K0:.*]] = arith.remui %[[D]], %[[HALF]] : index
// CHECK-NEXT: %[[PARTNER:.*]] = arith.select %[[ROTATED]], %[[PARTNER0]], %[[D]] : index
// CHECK-NEXT: %[[K:.*]] = arith.select %[[ROTATED]], %[[K0]], %[[ZERO]] : index
// CHECK-NEXT: arith.index_cast
// CHECK-NEXT: %[[PF:.*]] = arith.uitofp
// CHECK-NEXT: %[[F:.*]] = tensor.extract %[[INV]][%[[K]]] : tensor<8xf32>
// CHECK-NEXT: %[[ANGLE:.*]] = arith.mulf %[[PF]], %[[F]] : f32
// CHECK-NEXT: %[[COS:.*]] = math.cos %[[ANGLE]]
// CHECK-NEXT: %[[SIN:.*]] = math.sin %[[ANGLE]]
// CHECK-NEXT: %[[OTHER:.*]] = tensor.extract %[[X]][%[[I]], %[[H]], %[[PARTNER]]] : tensor<?x2x16xf32>
// CHECK-NEXT: %[[NOTHER:.*]] = arith.negf %[[OTHER]]
// CHECK-NEXT: %[[SOTHER:.*]] = arith.select %[[NEG]], %[[NOTHER]], %[[OTHER]] : f32
// CHECK-NEXT: %[[A:.*]] = arith.mulf %[[IN]], %[[COS]]
// CHECK-NEXT: %[[B:.*]] = arith.mulf %[[SOTHER]], %[[SIN]]
// CHECK-NEXT: %[[Y:.*]] = arith.addf %[[A]], %[[B]]
// CHECK-NEXT: %[[R:.*]] = arith.select %[[ROTATED]], %[[Y]], %[[IN]] : f32
// CHECK-NEXT: linalg.yield %[[R]]
func.func @rope(%q: tensor<?x2x16xf32>, %pos: index) -> tensor<?x2x16xf32> {
  %0 = tfc.rope %q at %pos <theta = 1.0e4> : tensor<?x2x16xf32>
  return %0 : tensor<?x2x16xf32>
}

// fraction 0.25 of 16: 4 rotated dims, 2 pairs, theta^(-2k / 4).
// CHECK-LABEL: func.func @rope_partial
// CHECK: arith.constant dense<[1.000000e+00, 0.00999999977]> : tensor<2xf32>
// CHECK: linalg.generic
// CHECK: arith.constant 4 : index
// CHECK-NEXT: arith.constant 2 : index
func.func @rope_partial(%q: tensor<?x2x16xf32>, %pos: index) -> tensor<?x2x16xf32> {
  %0 = tfc.rope %q at %pos <theta = 1.0e4, fraction = 0.25> : tensor<?x2x16xf32>
  return %0 : tensor<?x2x16xf32>
}

// Interleaved (GPT-J): even d pairs with d + 1 and is negated; pair d / 2.
// CHECK-LABEL: func.func @rope_interleaved
// CHECK: linalg.generic
// CHECK: %[[D:.*]] = linalg.index 2 : index
// CHECK: %[[ODD:.*]] = arith.remui %[[D]], %{{.*}} : index
// CHECK-NEXT: %[[NEG:.*]] = arith.cmpi eq, %[[ODD]], %{{.*}} : index
// CHECK: arith.select %[[NEG]], %{{.*}}, %{{.*}} : index
// CHECK: arith.divui %[[D]], %{{.*}} : index
func.func @rope_interleaved(%q: tensor<?x2x16xf32>, %pos: index) -> tensor<?x2x16xf32> {
  %0 = tfc.rope %q at %pos <theta = 1.0e4, style = interleaved> : tensor<?x2x16xf32>
  return %0 : tensor<?x2x16xf32>
}

// Linear scaling divides every frequency by the factor.
// CHECK-LABEL: func.func @rope_linear
// CHECK: arith.constant dense<[2.500000e-01, 0.0790569409, 2.500000e-02, 0.00790569466, 2.500000e-03, 7.90569466E-4, 2.500000e-04, 7.90569466E-5]> : tensor<8xf32>
func.func @rope_linear(%q: tensor<?x2x16xf32>, %pos: index) -> tensor<?x2x16xf32> {
  %0 = tfc.rope %q at %pos <theta = 1.0e4, scaling = <linear, factor = 4.0>> : tensor<?x2x16xf32>
  return %0 : tensor<?x2x16xf32>
}

// llama3 (original 8192, low 1, high 4): wavelengths 2 pi / f above 8192 are
// divided by 8 (the last pair, 19869), those in [2048, 8192] interpolated (pair
// 6, 6283: 1e-3 -> 2.136e-4), shorter ones kept (pairs 0-5).
// CHECK-LABEL: func.func @rope_llama3
// CHECK: arith.constant dense<[1.000000e+00, 0.316227764, 1.000000e-01, 0.0316227786, 0.00999999977, 0.00316227786, 2.13607578E-4, 3.95284733E-5]> : tensor<8xf32>
func.func @rope_llama3(%q: tensor<?x2x16xf32>, %pos: index) -> tensor<?x2x16xf32> {
  %0 = tfc.rope %q at %pos <theta = 1.0e4, scaling = <llama3, factor = 8.0, low_freq_factor = 1.0, high_freq_factor = 4.0, original_max_position = 8192>> : tensor<?x2x16xf32>
  return %0 : tensor<?x2x16xf32>
}

// Llama-3.1-8B's shape (theta 5e5, head_dim 128): the band edges, pairs 27-33
// (checked against HF _compute_llama3_parameters in f32).
// CHECK-LABEL: func.func @rope_llama31
// CHECK: arith.constant dense<[{{.*}}, 0.00394227589, 0.00321144611, 0.0021665704, 0.00137189368, 8.56751459E-4, 5.2484608E-4, 3.12693679E-4, {{.*}}]> : tensor<64xf32>
func.func @rope_llama31(%q: tensor<?x2x128xf32>, %pos: index) -> tensor<?x2x128xf32> {
  %0 = tfc.rope %q at %pos <theta = 5.0e5, scaling = <llama3, factor = 8.0, low_freq_factor = 1.0, high_freq_factor = 4.0, original_max_position = 8192>> : tensor<?x2x128xf32>
  return %0 : tensor<?x2x128xf32>
}

// tfc-fuse-rope's forms. Attention's prologue: in the flash form, each work
// item's query rows [rows, heads, d] are rotated by the same map inside the
// scf.forall (at position pos + the block's first row), here over dimensions
// [4, 6) of each head (MLA's decoupled part: one pair, frequency 1;
// r = d - 4, unsigned, so d < 4 passes through), then viewed
// [rows, kv_heads, group, d] for the KV-tile loop.
// CHECK-LABEL: func.func @attention_rope
// CHECK-SAME: (%[[Q:[a-z0-9]+]]: tensor<?x2x6xf32>
// CHECK: scf.forall
// CHECK: %[[QS:.*]] = tensor.extract_slice %[[Q]]{{.*}} : tensor<?x2x6xf32> to tensor<?x2x6xf32>
// CHECK: arith.constant dense<1.000000e+00> : tensor<1xf32>
// CHECK: %[[QR:.*]] = linalg.generic {{.*}} ins(%[[QS]] : tensor<?x2x6xf32>)
// CHECK: %[[D:.*]] = linalg.index 2 : index
// CHECK: %[[OFF:.*]] = arith.constant 4 : index
// CHECK-NEXT: %[[R:.*]] = arith.subi %[[D]], %[[OFF]] : index
// CHECK-NEXT: arith.cmpi ult, %[[R]], %{{.*}} : index
// CHECK: math.cos
// CHECK: tensor.expand_shape %[[QR]] {{.*}} into tensor<?x2x1x6xf32>
// CHECK: scf.for
// CHECK-NOT: tfc.
func.func @attention_rope(%q: tensor<?x2x6xf32>, %k: tensor<?x2x6xf32>, %v: tensor<?x2x4xf32>, %pos: index) -> tensor<?x2x4xf32> {
  %o = tfc.attention %q, %k, %v at %pos {rope = #tfc.rope<theta = 1.0e4>, rope_offset = 4 : i64, scale = 0.5 : f64, tfc.kv_tile = 64 : i64, tfc.query_tile = 16 : i64} : tensor<?x2x6xf32>, tensor<?x2x6xf32>, tensor<?x2x4xf32> -> tensor<?x2x4xf32>
  return %o : tensor<?x2x4xf32>
}

// The cache write: each piece of the flattened keys [count, kv_heads * 4] is
// rotated (column c is dimension c mod 4 of its head; interleaved) and
// rounded to the cache's bf16 by one map whose destination is the cache
// block itself, which is then materialised there (in place: no copy). The
// values are only rounded.
// CHECK-LABEL: func.func @append_rope
// CHECK-SAME: (%[[K:[a-z0-9]+]]: tensor<?x2x4xf32>, %[[V:[a-z0-9]+]]: tensor<?x2x4xf32>, %[[CACHE:[a-z0-9]+]]: memref<?x16xbf16>
// CHECK: %[[FLATK:.*]] = tensor.collapse_shape %[[K]]
// CHECK: %[[K1:.*]] = tensor.extract_slice %[[FLATK]]
// CHECK: %[[D1:.*]] = memref.subview %[[CACHE]][%{{.*}}, 0] [%{{.*}}, 8] [1, 1]
// CHECK: %[[T1:.*]] = bufferization.to_tensor %[[D1]] restrict writable
// CHECK: %[[R1:.*]] = linalg.generic {{.*}} ins(%[[K1]] : tensor<?x8xf32>) outs(%[[T1]] : tensor<?x8xbf16>)
// CHECK: %[[C:.*]] = linalg.index 1 : index
// CHECK: arith.remui %[[C]], %{{.*}} : index
// CHECK: math.cos
// CHECK: tensor.extract %[[K1]]
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: bufferization.materialize_in_destination %[[R1]] in writable %[[D1]]
// CHECK: linalg.generic
// CHECK: math.cos
// CHECK: bufferization.materialize_in_destination
// CHECK: %[[FLATV:.*]] = tensor.collapse_shape %[[V]]
// CHECK-NOT: math.cos
// CHECK: return
func.func @append_rope(%k: tensor<?x2x4xf32>, %v: tensor<?x2x4xf32>, %cache: memref<?x16xbf16>, %pos: index) {
  tfc.kv_cache_append %k, %v into %cache at %pos {rope = #tfc.rope<theta = 1.0e4, style = interleaved>} : tensor<?x2x4xf32>, tensor<?x2x4xf32>, memref<?x16xbf16>
  return
}
