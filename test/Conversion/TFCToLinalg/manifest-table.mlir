// tfc-create-entry-points emits the manifest as the constant table of
// include/tfc/Runtime/ManifestABI.h (docs/ABI.md, version 4): the
// tfc_manifest_v4 struct built field by field in its initializer region,
// pointing at private constant globals for the strings, the KV-cache records
// and the weight records (dims inline, zero past the rank); an empty list is
// a null pointer. The runtime casts the symbol; nothing is parsed.
// (test/tools/tfc-compile-emit.test checks the LLVM IR constant.)
// RUN: tfc-opt %s --tfc-create-entry-points -split-input-file | FileCheck %s
// RUN: tfc-opt %s --tfc-create-entry-points -split-input-file | FileCheck %s --check-prefix=EMPTY

// CHECK-LABEL: llvm.mlir.global private constant @tfc_manifest.kv_caches() {{.*}} : !llvm.array<2 x struct<"tfc_manifest_kv_cache_v4", (i64, i64)>> {
// CHECK: %[[KVS:.*]] = llvm.mlir.poison : !llvm.array<2 x struct<"tfc_manifest_kv_cache_v4", (i64, i64)>>
// CHECK: %[[KV0:.*]] = llvm.mlir.poison : !llvm.struct<"tfc_manifest_kv_cache_v4", (i64, i64)>
// CHECK: %[[C12:.*]] = llvm.mlir.constant(12 : i64) : i64
// CHECK: %[[A:.*]] = llvm.insertvalue %[[C12]], %[[KV0]][0]
// CHECK: %[[C0:.*]] = llvm.mlir.constant(0 : i64) : i64
// CHECK: %[[B:.*]] = llvm.insertvalue %[[C0]], %[[A]][1]
// CHECK: %[[KVS0:.*]] = llvm.insertvalue %[[B]], %[[KVS]][0]
// The second cache: a ring of 4 rows.
// CHECK: %[[KV1:.*]] = llvm.mlir.poison
// CHECK: %[[D:.*]] = llvm.insertvalue %[[C12]], %[[KV1]][0]
// CHECK: %[[C4:.*]] = llvm.mlir.constant(4 : i64) : i64
// CHECK: %[[E:.*]] = llvm.insertvalue %[[C4]], %[[D]][1]
// CHECK: %[[KVS1:.*]] = llvm.insertvalue %[[E]], %[[KVS0]][1]
// CHECK: llvm.return %[[KVS1]]

// Weight records {name, dtype (1 f32, 2 bf16, 3 f16), rank, shape[8]}.
// CHECK-LABEL: llvm.mlir.global private constant @tfc_manifest.weights() {{.*}} : !llvm.array<2 x struct<"tfc_manifest_weight_v4", (ptr, i64, i64, array<8 x i64>)>> {
// CHECK: %[[S0:.*]] = llvm.mlir.constant(dense<[16, 8, 0, 0, 0, 0, 0, 0]> : tensor<8xi64>) : !llvm.array<8 x i64>
// CHECK: %[[N0:.*]] = llvm.mlir.addressof @[[EMBED:tfc_manifest.str.[0-9]+]] : !llvm.ptr
// CHECK: llvm.insertvalue %[[N0]], %{{.*}}[0]
// CHECK: %[[BF16:.*]] = llvm.mlir.constant(2 : i64) : i64
// CHECK: llvm.insertvalue %[[BF16]], %{{.*}}[1]
// CHECK: llvm.insertvalue %[[BF16]], %{{.*}}[2]
// CHECK: llvm.insertvalue %[[S0]], %{{.*}}[3]
// CHECK: %[[S1:.*]] = llvm.mlir.constant(dense<[8, 0, 0, 0, 0, 0, 0, 0]> : tensor<8xi64>) : !llvm.array<8 x i64>
// CHECK: %[[N1:.*]] = llvm.mlir.addressof @[[NORM:tfc_manifest.str.[0-9]+]] : !llvm.ptr
// CHECK: llvm.insertvalue %[[N1]], %{{.*}}[0]
// CHECK: %[[F32:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK: llvm.insertvalue %[[F32]], %{{.*}}[1]
// CHECK: llvm.insertvalue %[[F32]], %{{.*}}[2]
// CHECK: llvm.insertvalue %[[S1]], %{{.*}}[3]
// CHECK: llvm.return
// CHECK-DAG: llvm.mlir.global private constant @[[EMBED]]("embed\00")
// CHECK-DAG: llvm.mlir.global private constant @[[NORM]]("norm\00")

// CHECK-LABEL: llvm.mlir.global private constant @tfc_manifest.optional() {{.*}} : !llvm.array<1 x ptr> {
// CHECK: llvm.mlir.addressof @[[HEAD:tfc_manifest.str.[0-9]+]] : !llvm.ptr
// CHECK: llvm.mlir.global private constant @[[HEAD]]("lm_head.weight\00")

// The table: every field in declaration order.
// CHECK-LABEL: llvm.mlir.global external constant @tfc_manifest() {{.*}} : !llvm.struct<"tfc_manifest_v4", (array<8 x i8>, i64, ptr, i64, i64, i64, i64, i64, ptr, i64, i64, ptr, i64, ptr, i64, ptr)> {
// CHECK: %[[MAGIC:.*]] = llvm.mlir.constant("TFC-MFT\00") : !llvm.array<8 x i8>
// CHECK: llvm.insertvalue %[[MAGIC]], %{{.*}}[0]
// CHECK: %[[VERSION:.*]] = llvm.mlir.constant(4 : i64) : i64
// CHECK: llvm.insertvalue %[[VERSION]], %{{.*}}[1]
// CHECK: %[[MODEL:.*]] = llvm.mlir.addressof @[[TEST:tfc_manifest.str.[0-9]+]]
// CHECK: llvm.insertvalue %[[MODEL]], %{{.*}}[2]
// CHECK: %[[VOCAB:.*]] = llvm.mlir.constant(16 : i64) : i64
// CHECK: llvm.insertvalue %[[VOCAB]], %{{.*}}[3]
// CHECK: %[[HIDDEN:.*]] = llvm.mlir.constant(8 : i64) : i64
// CHECK: llvm.insertvalue %[[HIDDEN]], %{{.*}}[4]
// CHECK: %[[LAYERS:.*]] = llvm.mlir.constant(2 : i64) : i64
// CHECK: llvm.insertvalue %[[LAYERS]], %{{.*}}[5]
// CHECK: %[[TRAINED:.*]] = llvm.mlir.constant(32 : i64) : i64
// CHECK: llvm.insertvalue %[[TRAINED]], %{{.*}}[6]
// CHECK: %[[LIMIT:.*]] = llvm.mlir.constant(64 : i64) : i64
// CHECK: llvm.insertvalue %[[LIMIT]], %{{.*}}[7]
// CHECK: %[[PREFIX:.*]] = llvm.mlir.addressof @[[TRANSFORMER:tfc_manifest.str.[0-9]+]]
// CHECK: llvm.insertvalue %[[PREFIX]], %{{.*}}[8]
// CHECK: %[[F16:.*]] = llvm.mlir.constant(3 : i64) : i64
// CHECK: llvm.insertvalue %[[F16]], %{{.*}}[9]
// CHECK: llvm.insertvalue %[[LAYERS]], %{{.*}}[10]
// CHECK: %[[KVADDR:.*]] = llvm.mlir.addressof @tfc_manifest.kv_caches : !llvm.ptr
// CHECK: llvm.insertvalue %[[KVADDR]], %{{.*}}[11]
// CHECK: llvm.insertvalue %[[LAYERS]], %{{.*}}[12]
// CHECK: %[[WADDR:.*]] = llvm.mlir.addressof @tfc_manifest.weights : !llvm.ptr
// CHECK: llvm.insertvalue %[[WADDR]], %{{.*}}[13]
// CHECK: %[[ONE:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK: llvm.insertvalue %[[ONE]], %{{.*}}[14]
// CHECK: %[[OADDR:.*]] = llvm.mlir.addressof @tfc_manifest.optional : !llvm.ptr
// CHECK: %[[T:.*]] = llvm.insertvalue %[[OADDR]], %{{.*}}[15]
// CHECK: llvm.return %[[T]]
// CHECK-DAG: llvm.mlir.global private constant @[[TEST]]("test\00")
// CHECK-DAG: llvm.mlir.global private constant @[[TRANSFORMER]]("transformer.\00")

module attributes {tfc.model_type = "test", tfc.num_layers = 2 : i64, tfc.trained_context = 32 : i64, tfc.position_limit = 64 : i64, tfc.base_model_prefix = "transformer.", tfc.optional_weights = ["lm_head.weight"]} {
  tfc.weight_decl @embed : tensor<16x8xbf16>
  tfc.weight_decl @norm : tensor<8xf32>
  func.func @forward(%tokens: tensor<?xi64>, %pos: index, %full: memref<?x12xf16>, %ring: memref<?x12xf16> {tfc.kv_window = 4 : i64}) -> tensor<?x16xf32> {
    %e = tfc.weight @embed : tensor<16x8xbf16>
    %w = tfc.weight @norm : tensor<8xf32>
    %h0 = tfc.embedding %tokens, %e : tensor<?xi64>, tensor<16x8xbf16> -> tensor<?x8xf32>
    %h = tfc.rms_norm %h0, %w {eps = 1.0e-5 : f64} : tensor<?x8xf32>, tensor<8xf32>
    %logits = tfc.lm_head %h, %e : tensor<?x8xf32>, tensor<16x8xbf16> -> tensor<?x16xf32>
    return %logits : tensor<?x16xf32>
  }
}

// -----

// No caches, no optional tensors, no module attributes: null pointers, the
// "unknown" model, an empty prefix, kv_dtype f32.
// EMPTY-LABEL: {{^}}module {{[{]$}}
// EMPTY-NOT: @tfc_manifest.kv_caches
// EMPTY-NOT: @tfc_manifest.optional
// EMPTY: llvm.mlir.global private constant @tfc_manifest.weights()
// EMPTY: llvm.mlir.global external constant @tfc_manifest() {{.*}} !llvm.struct<"tfc_manifest_v4"
// EMPTY: llvm.mlir.addressof @[[UNKNOWN:tfc_manifest.str.[0-9]+]]
// EMPTY: %[[ZERO:.*]] = llvm.mlir.constant(0 : i64) : i64
// EMPTY: llvm.insertvalue %[[ZERO]], %{{.*}}[5]
// EMPTY: llvm.insertvalue %[[ZERO]], %{{.*}}[6]
// EMPTY: llvm.insertvalue %[[ZERO]], %{{.*}}[7]
// EMPTY: llvm.mlir.addressof @[[EMPTYSTR:tfc_manifest.str.[0-9]+]]
// EMPTY: %[[F32:.*]] = llvm.mlir.constant(1 : i64) : i64
// EMPTY: llvm.insertvalue %[[F32]], %{{.*}}[9]
// EMPTY: llvm.insertvalue %[[ZERO]], %{{.*}}[10]
// EMPTY: %[[NULL:.*]] = llvm.mlir.zero : !llvm.ptr
// EMPTY: llvm.insertvalue %[[NULL]], %{{.*}}[11]
// EMPTY: llvm.insertvalue %[[F32]], %{{.*}}[12]
// EMPTY: llvm.mlir.addressof @tfc_manifest.weights
// EMPTY: llvm.insertvalue %[[ZERO]], %{{.*}}[14]
// EMPTY: %[[NULL2:.*]] = llvm.mlir.zero : !llvm.ptr
// EMPTY: llvm.insertvalue %[[NULL2]], %{{.*}}[15]
// EMPTY-DAG: llvm.mlir.global private constant @[[UNKNOWN]]("unknown\00")
// EMPTY-DAG: llvm.mlir.global private constant @[[EMPTYSTR]]("\00")

module {
  tfc.weight_decl @embed : tensor<16x8xf32>
  func.func @forward(%tokens: tensor<?xi64>, %pos: index) -> tensor<?x16xf32> {
    %e = tfc.weight @embed : tensor<16x8xf32>
    %h = tfc.embedding %tokens, %e : tensor<?xi64>, tensor<16x8xf32> -> tensor<?x8xf32>
    %logits = tfc.lm_head %h, %e : tensor<?x8xf32>, tensor<16x8xf32> -> tensor<?x16xf32>
    return %logits : tensor<?x16xf32>
  }
}
