//===- BatchDecode.h - One decode step for a batch of sequences -*- C++ -*-===//
//
// Internal to lib/Conversion/TFCToLinalg (tfc-create-entry-points): clones a
// model or layer function for B sequences that each decode one token at
// their own position with their own KV cache. Every op that works row by row
// (embedding, norms, projections, the MLP, the head) runs once on the B rows,
// so each weight is read once per step; only the ops that read a sequence's
// position or cache run per sequence, in an scf.forall over the batch.
//
//===----------------------------------------------------------------------===//
#ifndef TFC_LIB_CONVERSION_TFCTOLINALG_BATCHDECODE_H
#define TFC_LIB_CONVERSION_TFCTOLINALG_BATCHDECODE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::tfc {

/// Where one layer's cache lies in a batched function: sequence b's is the
/// `rows`-row view at byte `offsets[b] + start` of the batch's KV pool.
struct BatchedCache {
  Value start, rows;
};

/// What differs per sequence, as the batched function receives it.
struct Batch {
  /// tensor<?xi64>: sequence b's position (its token count so far).
  Value positions;
  /// tensor<?xi64>: the byte offset of sequence b's caches in `pool`.
  Value offsets;
  /// memref<?xi8>: the buffer holding every sequence's caches.
  Value pool;
};

/// The source values that are one sequence's in the unbatched function.
struct SequenceValues {
  /// The position (index) of the first token.
  Value position;
  /// The layers' caches (memref<?xNxT>), each with its place in the pool.
  llvm::SmallDenseMap<Value, BatchedCache> caches;
};

/// Clones `ops` (one block's, in order) at `b`'s insertion point for the
/// batch, with `map` taking the source values (other than `seq`'s) to the
/// batched function's. An op that reads a position or a cache, or a value
/// computed from them before attention, is per sequence: connected such ops
/// (and every op on one cache) are one scf.forall over the batch, given row
/// b of the tensors they read (every tensor with a dynamic leading dimension
/// has a row per token) and sequence b's position and cache views. Their
/// results with a row per token (tfc.attention, tfc.rope, position
/// encodings) are the only values that leave it. A call that passes a
/// position or cache calls the callee's batched copy (created once, named
/// `<callee>_batch`). `cloneSpecial` may clone an op itself (return true)
/// before the default clone. Fails, with an error on the op, when the ops do
/// not have that form.
LogicalResult cloneBatched(OpBuilder &b, ArrayRef<Operation *> ops,
                           const SequenceValues &seq, const Batch &batch,
                           IRMapping &map,
                           function_ref<bool(Operation *, IRMapping &)>
                               cloneSpecial);

} // namespace mlir::tfc

#endif // TFC_LIB_CONVERSION_TFCTOLINALG_BATCHDECODE_H
