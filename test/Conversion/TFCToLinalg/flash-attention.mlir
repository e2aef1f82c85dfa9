// RUN: tfc-opt %s -tfc-lower-to-linalg | FileCheck %s

// The flash form: queries [n, kv_heads, group, d], keys in tiles, no
// [heads, n, T] score tensor and no floordiv maps; with tfc.kv_chunk a decode
// step splits the keys over an scf.forall and combines.
// CHECK-LABEL: func.func @flash
// CHECK-NOT: tensor<8x?x?xf32>
// CHECK-NOT: floordiv
// CHECK: tensor.expand_shape {{.*}} into tensor<?x2x4x16xf32>
// CHECK: scf.forall
// CHECK: scf.for
// CHECK: math.exp
// CHECK: scf.for
// CHECK-NOT: tensor<8x?x?xf32>
// CHECK-NOT: floordiv
func.func @flash(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %lo: index) -> tensor<?x8x16xf32> {
  %o = tfc.attention %q, %k, %v at %pos keys_from %lo {scale = 0.25 : f64, window = 8 : i64, softcap = 50.0 : f64, tfc.kv_tile = 64 : i64, tfc.kv_chunk = 128 : i64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
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
