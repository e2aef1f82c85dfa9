// What tfc-lower-to-linalg cannot lower, it names on the op (and nothing
// generic about legalization).
// RUN: tfc-opt %s --tfc-lower-to-linalg -split-input-file -verify-diagnostics

func.func @relative_position_bias(%table: tensor<32x4xf32>, %pos: index, %n: index, %len: index) -> tensor<4x?x?xf32> {
  // expected-error@+1 {{'tfc.relative_position_bias' op is not lowered yet (T5 bucketed bias; issue 12 makes it part of the fused attention)}}
  %0 = tfc.relative_position_bias %table at %pos, %n, %len <buckets = 32, max_distance = 128> : tensor<32x4xf32> -> tensor<4x?x?xf32>
  return %0 : tensor<4x?x?xf32>
}

// -----

func.func @attention_bias(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index, %bias: tensor<4x?x?xf32>) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op with an additive 'bias' is not lowered yet}}
  %0 = tfc.attention %q, %k, %v at %pos bias %bias {scale = 1.0 : f64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32>, tensor<4x?x?xf32> -> tensor<?x4x16xf32>
  return %0 : tensor<?x4x16xf32>
}
