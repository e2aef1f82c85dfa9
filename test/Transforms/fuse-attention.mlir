// RUN: tfc-opt %s -tfc-fuse-attention | FileCheck %s
// RUN: tfc-opt %s -tfc-fuse-attention -tfc-tile-kv=tile-size=128 | FileCheck %s --check-prefix=SPLIT

// CHECK-LABEL: func.func @gqa
// CHECK: tfc.attention {{.*}}tfc.kv_tile = 64 : i64
// SPLIT-LABEL: func.func @gqa
// SPLIT: tfc.attention {{.*}}tfc.kv_chunk = 128 : i64, tfc.kv_tile = 64 : i64
func.func @gqa(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x8x16xf32> {
  %o = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
  return %o : tensor<?x8x16xf32>
}

// A T5 relative bias as the op's own table: the flash form as for any
// attention (the table is read per KV tile, tfc-lower-to-linalg).
// CHECK-LABEL: func.func @relative_bias
// CHECK: tfc.attention {{.*}} relative_bias <buckets = 8, max_distance = 16>(%{{.*}} : tensor<8x8xf32>) {{.*}}tfc.kv_tile = 64 : i64
func.func @relative_bias(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %t: tensor<8x8xf32>) -> tensor<?x8x16xf32> {
  %o = tfc.attention %q, %k, %v at %pos relative_bias <buckets = 8, max_distance = 16>(%t : tensor<8x8xf32>) {scale = 1.0 : f64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
  return %o : tensor<?x8x16xf32>
}

// tfc.relative_position_bias feeding `bias` folds into the attention's
// relative_bias: the [heads, n, T] tensor is gone and the flash form applies.
// CHECK-LABEL: func.func @fold_relative_position_bias
// CHECK-SAME: (%{{.*}}: tensor<?x8x16xf32>, %{{.*}}: tensor<?x2x16xf32>, %{{.*}}: tensor<?x2x16xf32>, %[[POS:.*]]: index, %[[T:.*]]: tensor<8x8xbf16>)
// CHECK-NOT: tfc.relative_position_bias
// CHECK: tfc.attention %{{.*}}, %{{.*}}, %{{.*}} at %[[POS]] relative_bias <buckets = 8, max_distance = 16, bidirectional = true>(%[[T]] : tensor<8x8xbf16>) {scale = 1.000000e+00 : f64, tfc.kv_tile = 64 : i64, tfc.query_tile = 16 : i64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x8x16xf32>
// CHECK-NOT: tensor<8x?x?xf32>
func.func @fold_relative_position_bias(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %t: tensor<8x8xbf16>) -> tensor<?x8x16xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %q, %c0 : tensor<?x8x16xf32>
  %T = tensor.dim %k, %c0 : tensor<?x2x16xf32>
  %b = tfc.relative_position_bias %t at %pos, %n, %T <buckets = 8, max_distance = 16, bidirectional = true> : tensor<8x8xbf16> -> tensor<8x?x?xf32>
  %o = tfc.attention %q, %k, %v at %pos bias %b {scale = 1.0 : f64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<8x?x?xf32> -> tensor<?x8x16xf32>
  return %o : tensor<?x8x16xf32>
}

// Keys from a ring (keys_from) are not at the positions the bias op assumes
// (0 .. T - 1): no fold, and a score-sized bias keeps the materialised form.
// CHECK-LABEL: func.func @no_fold_keys_from
// CHECK: tfc.relative_position_bias
// CHECK: tfc.attention {{.*}} keys_from {{.*}} bias
// CHECK-NOT: tfc.kv_tile
func.func @no_fold_keys_from(%q: tensor<?x8x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %lo: index, %t: tensor<8x8xf32>) -> tensor<?x8x16xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %q, %c0 : tensor<?x8x16xf32>
  %T = tensor.dim %k, %c0 : tensor<?x2x16xf32>
  %b = tfc.relative_position_bias %t at %pos, %n, %T <buckets = 8, max_distance = 16> : tensor<8x8xf32> -> tensor<8x?x?xf32>
  %o = tfc.attention %q, %k, %v at %pos keys_from %lo bias %b {scale = 1.0 : f64} : tensor<?x8x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<8x?x?xf32> -> tensor<?x8x16xf32>
  return %o : tensor<?x8x16xf32>
}
