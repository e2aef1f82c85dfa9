// tfc.attention rejects a negative window and prints it signed. Regression
// test: the verifier once compared the I64Attr's unsigned getter, so -5
// wrapped to 2^64 - 5 and was accepted.
//
// RUN: tfc-opt %s -verify-diagnostics

func.func @f(%q: tensor<?x4x16xf32>, %k: tensor<?x2x16xf32>, %v: tensor<?x2x16xf32>, %pos: index) -> tensor<?x4x16xf32> {
  // expected-error@+1 {{'tfc.attention' op 'window' must be positive, got -5}}
  %o = tfc.attention %q, %k, %v at %pos {scale = 0.25 : f64, window = -5 : i64}
      : tensor<?x4x16xf32>, tensor<?x2x16xf32>, tensor<?x2x16xf32> -> tensor<?x4x16xf32>
  return %o : tensor<?x4x16xf32>
}
