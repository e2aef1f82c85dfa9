// tfc.attention with zero key heads must be rejected with a diagnostic.
//
// Known bug: AttentionOp::verify computes `q[1] % k[1]` without checking that
// the (static) key head count is positive; a key of type tensor<?x0x16xf32>
// makes tfc-opt die with SIGFPE (integer division by zero) in the verifier.
// Remove the XFAIL once the verifier rejects it.
//
// RUN: tfc-opt %s -verify-diagnostics

func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x0x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op}}
  %o = tfc.attention %q, %k, %k at %pos {scale = 0.25 : f64}
      : tensor<?x4x16xf32>, tensor<?x0x16xf32>, tensor<?x0x16xf32> -> tensor<?x4x16xf32>
  return %o : tensor<?x4x16xf32>
}
