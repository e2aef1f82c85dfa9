// tfc-lower-to-linalg of tfc.quantize (activations rounded to q8_0 blocks)
// and of a projection that reads them: x viewed as [rows, blocks, 32], the
// blocks' largest |x|, from it 127 / amax (0 where amax is 0) and the f16
// scale amax / 127, then roundeven(x * 127 / amax) as int8; the projection's
// contraction reads x's values and scales as it reads the weight's.
// RUN: tfc-opt %s --tfc-lower-to-linalg --canonicalize | FileCheck %s

// CHECK-DAG: #[[ELEM:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[BLK:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[XQ:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[XS:.*]] = affine_map<(d0, d1, d2) -> (d0, d2 floordiv 32)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[WS:.*]] = affine_map<(d0, d1, d2) -> (d1, d2 floordiv 32)>
// CHECK-LABEL: func.func @f(
// CHECK-SAME: %[[X:[^:]*]]: tensor<?x64xf32>
// CHECK: %[[BLOCKS:.*]] = tensor.expand_shape %[[X]] {{\[\[}}0], [1, 2]] output_shape [%{{.*}}, 2, 32] : tensor<?x64xf32> into tensor<?x2x32xf32>
// CHECK: %[[AMAX:.*]] = linalg.generic {indexing_maps = [#[[ELEM]], #[[BLK]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[BLOCKS]] : tensor<?x2x32xf32>)
// CHECK: math.absf
// CHECK: arith.maximumf
// CHECK: %[[INV:.*]]:2 = linalg.generic {{.*}} ins(%[[AMAX]] : tensor<?x2xf32>) outs(%{{.*}}, %{{.*}} : tensor<?x2xf32>, tensor<?x2xf16>)
// CHECK: arith.cmpf oeq
// CHECK: arith.divf %{{.*}}, %{{.*}} : f32
// CHECK: arith.select
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: %[[Q:.*]] = linalg.generic {indexing_maps = [#[[ELEM]], #[[BLK]], #[[ELEM]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[BLOCKS]], %[[INV]]#0 : tensor<?x2x32xf32>, tensor<?x2xf32>) outs(%{{.*}} : tensor<?x2x32xi8>)
// CHECK: arith.mulf
// CHECK-NEXT: math.roundeven
// CHECK-NEXT: arith.fptosi %{{.*}} : f32 to i8
// CHECK: %[[QX:.*]] = tensor.collapse_shape %[[Q]] {{\[\[}}0], [1, 2]] : tensor<?x2x32xi8> into tensor<?x64xi8>
// CHECK: linalg.generic {indexing_maps = [#[[XQ]], #[[XS]], #[[W]], #[[WS]], #[[BLK]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[QX]], %[[INV]]#1, %{{.*}}, %{{.*}} : tensor<?x64xi8>, tensor<?x2xf16>, tensor<32x64xi8>, tensor<32x2xf16>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: i8, %[[AS:.*]]: f16, %[[B:.*]]: i8, %[[BS:.*]]: f16, %[[ACC:.*]]: f32):
// CHECK-NEXT: arith.sitofp %[[A]] : i8 to f32
// CHECK-NEXT: arith.extf %[[AS]] : f16 to f32
// CHECK-NEXT: %[[XV:.*]] = arith.mulf
// CHECK-NEXT: arith.sitofp %[[B]] : i8 to f32
// CHECK-NEXT: arith.extf %[[BS]] : f16 to f32
// CHECK-NEXT: %[[WV:.*]] = arith.mulf
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[XV]], %[[WV]] fastmath<reassoc,contract> : f32
// CHECK-NEXT: arith.addf %[[ACC]], %[[M]] fastmath<reassoc,contract> : f32
func.func @f(%x: tensor<?x64xf32>, %q: tensor<32x64xi8>, %s: tensor<32x2xf16>) -> tensor<?x32xf32> {
  %xq, %xs = tfc.quantize %x : tensor<?x64xf32> -> tensor<?x64xi8>, tensor<?x2xf16>
  %xd = tfc.dequantize %xq, %xs : tensor<?x64xi8>, tensor<?x2xf16> -> tensor<?x64xf32>
  %w = tfc.dequantize %q, %s : tensor<32x64xi8>, tensor<32x2xf16> -> tensor<32x64xf32>
  %y = tfc.linear %xd, %w : tensor<?x64xf32>, tensor<32x64xf32> -> tensor<?x32xf32>
  return %y : tensor<?x32xf32>
}
