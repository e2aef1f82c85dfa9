// tfc-set-dtypes: the weights' declared element type (and their tfc.weight
// uses) and the KV caches' element type (the cache arguments of the function
// holding the blocks); an unknown type name is an error.
// RUN: tfc-opt %s --tfc-set-dtypes="weights=bf16 kv-cache=f16" | FileCheck %s
// RUN: tfc-opt %s --tfc-set-dtypes="weights=f16" | FileCheck %s --check-prefix=WEIGHTS
// RUN: not tfc-opt %s --tfc-set-dtypes="kv-cache=f8" 2>&1 | FileCheck %s --check-prefix=BAD

// CHECK: tfc.weight_decl @embed : tensor<32x64xbf16>
// CHECK: tfc.weight_decl @n1 : tensor<64xbf16>
// CHECK-LABEL: func.func @forward(
// CHECK-SAME: %{{.*}}: memref<?x64xf16>) -> tensor<?x32xf32>
// CHECK: tfc.weight @embed : tensor<32x64xbf16>
// CHECK: tfc.decoder_block {{.*}} : tensor<?x64xf32>, memref<?x64xf16>
// WEIGHTS: tfc.weight_decl @embed : tensor<32x64xf16>
// WEIGHTS: memref<?x64xf32>) -> tensor<?x32xf32>
// BAD: tfc-set-dtypes: kv-cache=f8 is not one of f32, bf16, f16

module {
  tfc.weight_decl @embed : tensor<32x64xf32>
  tfc.weight_decl @n1 : tensor<64xf32>
  tfc.weight_decl @n2 : tensor<64xf32>
  tfc.weight_decl @q : tensor<64x64xf32>
  tfc.weight_decl @k : tensor<32x64xf32>
  tfc.weight_decl @v : tensor<32x64xf32>
  tfc.weight_decl @o : tensor<64x64xf32>
  tfc.weight_decl @up : tensor<128x64xf32>
  tfc.weight_decl @down : tensor<64x128xf32>
  func.func @forward(%tokens: tensor<?xi64>, %pos: index, %cache: memref<?x64xf32>) -> tensor<?x32xf32> {
    %e = tfc.weight @embed : tensor<32x64xf32>
    %x = tfc.embedding %tokens, %e : tensor<?xi64>, tensor<32x64xf32> -> tensor<?x64xf32>
    %0 = tfc.decoder_block %x at %pos cache %cache {layer = 0 : i64,
        norm = #tfc.norm<rms_norm, eps = 1.0e-5>, placement = #tfc.norm_placement<pre>,
        shape = #tfc.block_shape<serial>, position_encoding = #tfc.nope,
        attention = #tfc.attention<gqa, heads = 4, kv_heads = 2, head_dim = 16>,
        ffn = #tfc.ffn<relu, intermediate = 128>,
        weights = {attn_norm = @n1, ffn_norm = @n2, q_proj = @q, k_proj = @k, v_proj = @v, o_proj = @o, up_proj = @up, down_proj = @down}} : tensor<?x64xf32>, memref<?x64xf32>
    %l = tfc.lm_head %0, %e : tensor<?x64xf32>, tensor<32x64xf32> -> tensor<?x32xf32>
    return %l : tensor<?x32xf32>
  }
}
