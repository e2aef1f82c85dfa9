// RUN: tfc-opt %s -tfc-lower-to-linalg | FileCheck %s

// The flash form: one scf.forall over (query blocks of tfc.query_tile rows,
// key chunks; the middle dimension is 1: an item takes every kv head, whole
// cache rows); an item takes its rows of every query head ([rows, kv_heads,
// group, d]: no floordiv maps) and the keys of its chunk, walks the
// keys its rows can see (causal end, window start) in tiles with an online
// softmax, and writes a partial (max, sum, output) that one combine merges.
// No [heads, n, T] score tensor. With tfc.kv_chunk a one-row step (decode)
// splits its keys into chunks of 128; any other step is one chunk.
// CHECK-LABEL: func.func @flash
// CHECK-NOT: tensor<8x?x?xf32>
// CHECK-NOT: floordiv
// CHECK: %[[DECODE:.*]] = arith.cmpi eq, %{{.*}}, %c1
// CHECK: %[[ROWS:.*]] = arith.select %[[DECODE]], %c128, %{{.*}}
// CHECK: %[[CHUNKS:.*]] = arith.ceildivui
// CHECK: %[[BLOCKS:.*]] = arith.ceildivui %{{.*}}, %c16
// CHECK: scf.forall (%[[QB:.*]], %{{.*}}, %[[C:.*]]) in (%[[BLOCKS]], 1, %[[CHUNKS]])
// CHECK: tensor.extract_slice %arg0[%{{.*}}, %{{.*}}, 0] [%{{.*}}, 8, 16] [1, 1, 1] : tensor<?x8x16xf32> to tensor<?x8x16xf32>
// CHECK: tensor.expand_shape {{.*}} into tensor<?x2x4x16xf32>
// CHECK: tensor.extract_slice %arg1[0, %[[KH:.*]], 0] [%{{.*}}, 2, 16]
// CHECK: tensor.extract_slice %arg2[0, %[[KH]], 0] [%{{.*}}, 2, 16]
// The keys the block sees: up to its last row (causal), from its first
// row's window.
// Whole tiles with static shapes, then the rest as one dynamic tile (the
// keys are one segment here: its part of the range is the range).
// CHECK: arith.minsi
// CHECK: arith.maxsi
// CHECK: %[[START:.*]] = arith.maxsi %c0
// CHECK: %[[END:.*]] = arith.minsi
// CHECK: %[[WHOLE:.*]] = arith.addi %[[START]],
// CHECK: scf.for %{{.*}} = %[[START]] to %[[WHOLE]] step %c64
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<?x2x4x64xf32>)
// CHECK: math.exp
// CHECK: scf.for %{{.*}} = %[[WHOLE]] to %[[END]] step %c64
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<?x2x4x?xf32>)
// CHECK: math.exp
// CHECK: scf.forall.in_parallel
// CHECK: tensor.parallel_insert_slice {{.*}}[%[[C]], %{{.*}}, %[[KH]], 0]
// CHECK: math.exp
// CHECK: arith.divf
// CHECK-NOT: tensor<8x?x?xf32>
// CHECK-NOT: floordiv
func.func @flash(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %lo: index) -> tensor<?x8x16xf32> {
  %o = tfc.attention %q, %k, %v at %pos keys_from %lo {scale = 0.25 : f64, window = 8 : i64, softcap = 50.0 : f64, tfc.kv_tile = 64 : i64, tfc.query_tile = 16 : i64, tfc.kv_chunk = 128 : i64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
  return %o : tensor<?x8x16xf32>
}

// The T5 relative bias in the flash form: no [heads, n, T] tensor (neither
// scores nor a bias); inside the KV-tile loop the score map reads the bucket
// of j - p and table[bucket, h], h = kv_head * group + g.
// CHECK-LABEL: func.func @flash_relative_bias
// CHECK-NOT: tensor<8x?x?xf32>
// CHECK: %[[BUCKETS:.*]] = arith.constant dense<{{.*}}> : tensor<257xi32>
// CHECK-NOT: tensor<8x?x?xf32>
// CHECK: scf.for
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<?x2x4x?xf32>)
// CHECK: tensor.extract %[[BUCKETS]]
// CHECK: tensor.extract %{{.*}} : tensor<32x8xf32>
// CHECK: math.exp
// CHECK-NOT: tensor<8x?x?xf32>
func.func @flash_relative_bias(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %t: tensor<32x8xf32>) -> tensor<?x8x16xf32> {
  %o = tfc.attention %q, %k, %v at %pos relative_bias <buckets = 32, max_distance = 128>(%t : tensor<32x8xf32>) {scale = 1.0 : f64, tfc.kv_tile = 64 : i64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
  return %o : tensor<?x8x16xf32>
}
