// Round trip of tfc.moe without gate weights (experts `act(x U^T) D^T`): the
// printed `gate()` and the type list without a `gate(...)` group parse back.
// Regression test: the empty gate type list once failed to parse ("expected
// non-function type").
//
// RUN: tfc-opt %s | FileCheck %s
// RUN: tfc-opt %s | tfc-opt | FileCheck %s
// RUN: tfc-opt %s --mlir-print-op-generic | tfc-opt | FileCheck %s

// CHECK-LABEL: func.func @moe_ungated
// CHECK: tfc.moe %{{.*}}, %{{.*}} gate() up(%{{.*}}, %{{.*}}) down(%{{.*}}, %{{.*}}) {activation = #tfc.activation<gelu>, top_k = 2 : i64}
// CHECK-SAME: : tensor<?x64xf32>, tensor<2x64xf32>, up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
func.func @moe_ungated(%x: tensor<?x64xf32>, %router: tensor<2x64xf32>, %u: tensor<32x64xf32>, %d: tensor<64x32xf32>) -> tensor<?x64xf32> {
  %0 = tfc.moe %x, %router gate() up(%u, %u) down(%d, %d) {activation = #tfc.activation<gelu>, top_k = 2 : i64}
      : tensor<?x64xf32>, tensor<2x64xf32>, up(tensor<32x64xf32>, tensor<32x64xf32>), down(tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}
