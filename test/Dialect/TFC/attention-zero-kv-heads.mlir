// tfc.attention with zero key heads is rejected with a diagnostic. Regression
// test: the verifier once computed `q[1] % k[1]` before checking the key head
// count, and a tensor<?x0x16xf32> key killed tfc-opt with SIGFPE.
//
// RUN: tfc-opt %s -verify-diagnostics

func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x0x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op}}
  %o = tfc.attention %q, %k, %k at %pos {scale = 0.25 : f64}
      : tensor<?x4x16xf32>, tensor<?x0x16xf32>, tensor<?x0x16xf32> -> tensor<?x4x16xf32>
  return %o : tensor<?x4x16xf32>
}
