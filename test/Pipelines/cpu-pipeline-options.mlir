// The registered pipelines take typed options (tfc/Pipelines/Pipelines.h):
// each goes to the pass it configures, optimisations are left out or added
// by name, and the pipeline with options runs to the LLVM dialect.
// RUN: tfc-opt %S/Inputs/tiny-model.mlir --tfc-cpu-pipeline="weight-dtype=f16 kv-dtype=bf16 disable-pass=tfc-fuse-glu enable-pass=tfc-tile-kv outline-layers=false kv-tile=8 kv-chunk=16 vector-width=8 tile-rows=2 fuse-epilogues=false threads=2" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=PIPE
// RUN: tfc-opt %S/Inputs/tiny-model.mlir --tfc-cpu-pipeline="disable-pass=tfc-cpu-vectorize-contractions,tfc-fuse-attention" --dump-pass-pipeline -o /dev/null 2>&1 | FileCheck %s --check-prefix=OFF
// RUN: tfc-opt %S/Inputs/tiny-model.mlir --tfc-to-linalg="weight-dtype=f16 kv-dtype=bf16 enable-pass=tfc-tile-kv kv-tile=8 kv-chunk=16" | FileCheck %s --check-prefix=LINALG
// RUN: tfc-opt %S/Inputs/tiny-model.mlir --tfc-cpu-pipeline="threads=2 vector-width=8" | FileCheck %s --check-prefix=LLVM

// PIPE:      builtin.module(
// PIPE-NEXT:   tfc-set-dtypes{kv-cache=bf16 weights=f16},
// PIPE-NEXT:   tfc-expand-blocks{outline-layers=false},
// PIPE-NEXT:   tfc-fuse-residual-norm,
// PIPE-NEXT:   tfc-fuse-rope,
// PIPE-NEXT:   tfc-fuse-attention{kv-tile=8 query-tile=16},
// PIPE-NEXT:   tfc-tile-kv{tile-size=16},
// PIPE-NEXT:   tfc-create-entry-points,
// PIPE:        tfc-cpu-vectorize-contractions{block-bytes=262144 fuse-epilogues=false prefetch-bytes=2048 row-cols=1 row-unroll=4 tile-cols=4 tile-rows=2 vector-width=8 vnni=false}
// PIPE:        tfc-cpu-serialize-small-parallel{min-work=32768}
// PIPE:        convert-scf-to-openmp{num-threads=2}
// PIPE:        reconcile-unrealized-casts
// PIPE-NEXT: )

// Without options: no dtype pass; the disabled passes gone (split-KV too:
// it needs the flash form).
// OFF:       builtin.module(
// OFF-NEXT:    tfc-expand-blocks{outline-layers=true},
// OFF-NEXT:    tfc-fuse-residual-norm,
// OFF-NEXT:    tfc-fuse-glu,
// OFF-NEXT:    tfc-fuse-rope,
// OFF-NEXT:    tfc-tile-kv{tile-size=256},
// OFF-NEXT:    tfc-create-entry-points,
// OFF-NOT:     tfc-cpu-vectorize-contractions
// OFF:         reconcile-unrealized-casts

// LINALG: func.func private @layer_kind_0({{.*}}memref<?x64xbf16> {tfc.name = "kv_cache"}, %{{.*}}: tensor<64xf16> {tfc.name = "attn_norm"}
// LINALG: scf.forall
// LINALG: func.func @tfc_decode

// LLVM: llvm.func @layer_kind_0(
// LLVM: %[[THREADS:.*]] = llvm.mlir.constant(2 : i32) : i32
// LLVM: llvm.load {{.*}} -> vector<8xf32>
// LLVM: omp.parallel num_threads(%[[THREADS]] : i32)
// LLVM: llvm.func @tfc_decode(
