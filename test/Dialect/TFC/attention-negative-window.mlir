// tfc.attention must reject a negative window.
//
// Known bug: `window` is an I64Attr, whose getter returns uint64_t, so
// `*getWindow() <= 0` in AttentionOp::verify only catches 0; -5 wraps to
// 2^64 - 5 and is accepted. (The message would also print the wrapped value.)
// Remove the XFAIL once the check reads the signed value.
//
// RUN: tfc-opt %s -verify-diagnostics

func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'window' must be positive, got -5}}
  %o = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64, window = -5 : i64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %o : tensor<?x4x16xf32>
}
