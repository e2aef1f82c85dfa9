// RUN: tfc-opt %s --tfc-cpu-fuse-widening | FileCheck %s

// A KV tile sliced out of a widened 16-bit cache: the slice moves above the
// widening, and the widening fuses into the contraction that reads the tile
// (the 16-bit elements are widened as they are loaded; no f32 copy of the
// cache remains).
// CHECK-LABEL: func.func @tile_of_widened_cache
// CHECK-SAME: (%[[BUF:.*]]: memref<?x4x64xbf16>, %[[Q:.*]]: tensor<4x64xf32>
// CHECK: %[[CACHE:.*]] = bufferization.to_tensor %[[BUF]]
// CHECK-NOT: tensor<?x4x64xf32>
// CHECK: %[[TILE:.*]] = tensor.extract_slice %[[CACHE]][%{{.*}}, 0, 0] [16, 4, 64] [1, 1, 1] : tensor<?x4x64xbf16> to tensor<16x4x64xbf16>
// CHECK: linalg.generic {{.*}} ins(%[[Q]], %[[TILE]] : tensor<4x64xf32>, tensor<16x4x64xbf16>)
// CHECK: arith.extf
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @tile_of_widened_cache(%buf: memref<?x4x64xbf16>, %q: tensor<4x64xf32>, %j: index) -> tensor<4x16xf32> {
  %cache = bufferization.to_tensor %buf restrict : memref<?x4x64xbf16> to tensor<?x4x64xbf16>
  %c0 = arith.constant 0 : index
  %t = tensor.dim %cache, %c0 : tensor<?x4x64xbf16>
  %e = tensor.empty(%t) : tensor<?x4x64xf32>
  %w = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%cache : tensor<?x4x64xbf16>) outs(%e : tensor<?x4x64xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %x = arith.extf %in : bf16 to f32
    linalg.yield %x : f32
  } -> tensor<?x4x64xf32>
  %tile = tensor.extract_slice %w[%j, 0, 0] [16, 4, 64] [1, 1, 1] : tensor<?x4x64xf32> to tensor<16x4x64xf32>
  %zero = arith.constant 0.0 : f32
  %se = tensor.empty() : tensor<4x16xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%se : tensor<4x16xf32>) -> tensor<4x16xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%q, %tile : tensor<4x64xf32>, tensor<16x4x64xf32>) outs(%s0 : tensor<4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %m = arith.mulf %a, %b : f32
    %r = arith.addf %acc, %m : f32
    linalg.yield %r : f32
  } -> tensor<4x16xf32>
  return %s : tensor<4x16xf32>
}

// Anything but a pure widening of a buffer read stays where it is: here a
// widening with arithmetic, and a widening of a function argument (a weight).
// CHECK-LABEL: func.func @not_a_widening
// CHECK: %[[SCALED:.*]] = linalg.generic
// CHECK: arith.mulf
// CHECK: tensor.extract_slice %[[SCALED]]
func.func @not_a_widening(%x: tensor<8x4xbf16>) -> tensor<2x4xf32> {
  %e = tensor.empty() : tensor<8x4xf32>
  %w = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<8x4xbf16>) outs(%e : tensor<8x4xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %v = arith.extf %in : bf16 to f32
    %s = arith.mulf %v, %v : f32
    linalg.yield %s : f32
  } -> tensor<8x4xf32>
  %t = tensor.extract_slice %w[2, 0] [2, 4] [1, 1] : tensor<8x4xf32> to tensor<2x4xf32>
  return %t : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @weight_widening
// CHECK: %[[WIDE:.*]] = linalg.generic
// CHECK: tensor.extract_slice %[[WIDE]]
func.func @weight_widening(%w: tensor<8x4xbf16>) -> tensor<2x4xf32> {
  %e = tensor.empty() : tensor<8x4xf32>
  %x = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%w : tensor<8x4xbf16>) outs(%e : tensor<8x4xf32>) {
  ^bb0(%in: bf16, %out: f32):
    %v = arith.extf %in : bf16 to f32
    linalg.yield %v : f32
  } -> tensor<8x4xf32>
  %t = tensor.extract_slice %x[2, 0] [2, 4] [1, 1] : tensor<8x4xf32> to tensor<2x4xf32>
  return %t : tensor<2x4xf32>
}
