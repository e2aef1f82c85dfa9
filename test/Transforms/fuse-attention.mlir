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
