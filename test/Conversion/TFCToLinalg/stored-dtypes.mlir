// tfc-lower-to-linalg with 16-bit weights and caches: a bf16/f16 weight is
// widened to f32 inside the generic that reads it (no f32 copy of the weight),
// so the contraction multiplies and accumulates in f32; a bf16 cache gets its
// keys and values rounded (arith.truncf) before they are written and widened
// after they are read.
// RUN: tfc-opt %s --tfc-lower-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @f(
// The norm reads its f16 weight in the body.
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<?x64xf32>, tensor<?xf32>, tensor<64xf16>) outs(%{{.*}} : tensor<?x64xf32>)
// CHECK: arith.extf %{{.*}} : f16 to f32
// The projection widens each bf16 element of the weight as it multiplies.
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<?x64xf32>, tensor<32x64xbf16>) outs(%{{.*}} : tensor<?x32xf32>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %[[W:.*]]: bf16, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[WF:.*]] = arith.extf %[[W]] : bf16 to f32
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[X]], %[[WF]] fastmath<reassoc,contract> : f32
// CHECK-NEXT: arith.addf %[[ACC]], %[[M]] fastmath<reassoc,contract> : f32
// Keys are rounded to bf16, then written into the cache.
// CHECK: %[[NARROW:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<?x32xf32>) outs(%{{.*}} : tensor<?x32xbf16>)
// CHECK: arith.truncf %{{.*}} : f32 to bf16
// CHECK: bufferization.materialize_in_destination %[[NARROW]] in writable %{{.*}} : (tensor<?x32xbf16>, memref<?x32xbf16, strided<[64, 1], offset: ?>>) -> ()
// Cached keys are read as bf16, split into heads, and widened (as the last
// map, which tfc-cpu-fuse-widening moves into the tiles that read it).
// CHECK: %[[READ:.*]] = bufferization.to_tensor %{{.*}} restrict : memref<?x32xbf16, strided<[64, 1]>> to tensor<?x32xbf16>
// CHECK: %[[HEADS:.*]] = tensor.expand_shape %[[READ]] {{.*}} into tensor<?x2x16xbf16>
// CHECK: linalg.generic {{.*}} ins(%[[HEADS]] : tensor<?x2x16xbf16>) outs(%{{.*}} : tensor<?x2x16xf32>)
// CHECK: arith.extf %{{.*}} : bf16 to f32

func.func @f(%x: tensor<?x64xf32>, %w: tensor<32x64xbf16>, %n: tensor<64xf16>, %k: tensor<?x2x16xf32>, %cache: memref<?x64xbf16>, %pos: index) -> tensor<?x32xf32> {
  %h = tfc.rms_norm %x, %n {eps = 1.0e-5 : f64} : tensor<?x64xf32>, tensor<64xf16>
  %y = tfc.linear %h, %w : tensor<?x64xf32>, tensor<32x64xbf16> -> tensor<?x32xf32>
  tfc.kv_cache_append %k, %k into %cache at %pos : tensor<?x2x16xf32>, tensor<?x2x16xf32>, memref<?x64xbf16>
  %c0 = arith.constant 0 : index
  %kk, %vv = tfc.kv_cache_read %cache[%c0, %pos] : memref<?x64xbf16> -> tensor<?x2x16xf32>, tensor<?x2x16xf32>
  return %y : tensor<?x32xf32>
}
