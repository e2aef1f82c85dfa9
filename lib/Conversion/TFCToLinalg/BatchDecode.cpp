//===- BatchDecode.cpp - One decode step for a batch of sequences ---------===//
//
// See BatchDecode.h. The ops of a function split into the per-sequence ones
// (a forward slice of the position and the caches, cut at the ops whose
// results have a row per token) and the rest, which see the batch as B
// tokens. Per-sequence ops that share a value other than a token row, or a
// cache, form a cluster; clusters and the other ops are emitted in a
// topological order that keeps the source order where it can.
//
//===----------------------------------------------------------------------===//
#include "BatchDecode.h"

#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/EquivalenceClasses.h"

#include <queue>

using namespace mlir;
using namespace mlir::tfc;

namespace {
/// Results with one row per query token: they may leave a per-sequence
/// cluster as row b of a batch tensor.
bool hasTokenRows(Operation *op) {
  return isa<AttentionOp, RopeOp, LearnedPositionsOp, SinusoidalPositionsOp>(
      op);
}

/// Whether `op` or an op nested in it reads one of `values`.
bool readsAny(Operation *op, const llvm::DenseSet<Value> &values) {
  return op
      ->walk([&](Operation *nested) {
        for (Value operand : nested->getOperands())
          if (values.contains(operand))
            return WalkResult::interrupt();
        return WalkResult::advance();
      })
      .wasInterrupted();
}

class BatchCloner {
public:
  BatchCloner(OpBuilder &b, ArrayRef<Operation *> ops,
              const SequenceValues &seq, const Batch &batch, IRMapping &map,
              function_ref<bool(Operation *, IRMapping &)> cloneSpecial)
      : b(b), ops(ops), seq(seq), batch(batch), map(map),
        cloneSpecial(cloneSpecial) {}

  LogicalResult run();

private:
  LogicalResult emitCluster(ArrayRef<Operation *> cluster);
  LogicalResult emitCall(func::CallOp call);
  /// Sequence `index`'s version of the source value `v` inside a cluster.
  FailureOr<Value> perSequence(Value v, Value index, IRMapping &inner,
                               Location loc);
  FailureOr<func::FuncOp> batchedCallee(func::CallOp call);

  OpBuilder &b;
  ArrayRef<Operation *> ops;
  const SequenceValues &seq;
  const Batch &batch;
  IRMapping &map;
  function_ref<bool(Operation *, IRMapping &)> cloneSpecial;
  /// Values that differ per sequence and have no row per token.
  llvm::DenseSet<Value> perSeqValues;
};
} // namespace

LogicalResult BatchCloner::run() {
  perSeqValues.insert(seq.position);
  for (auto &entry : seq.caches)
    perSeqValues.insert(entry.first);

  // Classify in order: an op reading a per-sequence value is per sequence
  // (a call is batched instead).
  llvm::DenseMap<Operation *, unsigned> order;
  llvm::DenseSet<Operation *> perSeqOps;
  for (auto [i, op] : llvm::enumerate(ops)) {
    order[op] = i;
    if (!readsAny(op, perSeqValues) || isa<func::CallOp>(op))
      continue;
    perSeqOps.insert(op);
    if (!hasTokenRows(op))
      perSeqValues.insert(op->result_begin(), op->result_end());
  }

  // Clusters: ops joined by a per-sequence value other than a position (the
  // argument itself), or sharing a cache (an append before its read).
  llvm::EquivalenceClasses<Operation *> clusters;
  llvm::DenseMap<Value, Operation *> cacheUser;
  for (Operation *op : ops) {
    if (!perSeqOps.contains(op))
      continue;
    clusters.insert(op);
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands()) {
        Operation *def = operand.getDefiningOp();
        if (def && perSeqOps.contains(def) && perSeqValues.contains(operand))
          clusters.unionSets(op, def);
        if (seq.caches.contains(operand)) {
          auto [it, inserted] = cacheUser.try_emplace(operand, op);
          if (!inserted)
            clusters.unionSets(op, it->second);
        }
      }
    });
  }

  // Units: a cluster, or one other op; emitted in a topological order of
  // their data dependences, the earliest source op first among the ready.
  llvm::DenseMap<Operation *, unsigned> unitOf;
  SmallVector<SmallVector<Operation *>> units;
  for (Operation *op : ops) {
    Operation *leader =
        perSeqOps.contains(op) ? clusters.getLeaderValue(op) : op;
    auto [it, inserted] = unitOf.try_emplace(leader, units.size());
    if (inserted)
      units.emplace_back();
    units[it->second].push_back(op);
    unitOf[op] = it->second;
  }
  SmallVector<llvm::SmallDenseSet<unsigned>> successors(units.size());
  SmallVector<unsigned> pending(units.size(), 0);
  for (unsigned u = 0; u < units.size(); ++u)
    for (Operation *op : units[u])
      op->walk([&](Operation *nested) {
        for (Value operand : nested->getOperands()) {
          Operation *def = operand.getDefiningOp();
          auto it = def ? unitOf.find(def) : unitOf.end();
          if (it != unitOf.end() && it->second != u &&
              successors[it->second].insert(u).second)
            ++pending[u];
        }
      });
  auto later = [&](unsigned x, unsigned y) {
    return order[units[x].front()] > order[units[y].front()];
  };
  std::priority_queue<unsigned, std::vector<unsigned>, decltype(later)> ready(
      later);
  for (unsigned u = 0; u < units.size(); ++u)
    if (!pending[u])
      ready.push(u);
  unsigned emitted = 0;
  while (!ready.empty()) {
    unsigned u = ready.top();
    ready.pop();
    ++emitted;
    ArrayRef<Operation *> unit = units[u];
    if (perSeqOps.contains(unit.front())) {
      if (failed(emitCluster(unit)))
        return failure();
    } else if (auto call = dyn_cast<func::CallOp>(unit.front());
               call && readsAny(call, perSeqValues)) {
      if (failed(emitCall(call)))
        return failure();
    } else if (!cloneSpecial(unit.front(), map)) {
      b.clone(*unit.front(), map);
    }
    for (unsigned next : successors[u])
      if (--pending[next] == 0)
        ready.push(next);
  }
  if (emitted != units.size())
    return ops.front()->emitOpError(
        "cannot be batched for decode: its per-sequence ops (those reading "
        "the position or a KV cache) and the row-wise ops depend on each "
        "other in a cycle");
  return success();
}

FailureOr<Value> BatchCloner::perSequence(Value v, Value index,
                                          IRMapping &inner, Location loc) {
  if (Value mapped = inner.lookupOrNull(v))
    return mapped;
  Value result;
  if (v == seq.position) {
    Value position = tensor::ExtractOp::create(b, loc, batch.positions, index);
    result = arith::IndexCastOp::create(b, loc, b.getIndexType(), position);
  } else if (auto it = seq.caches.find(v); it != seq.caches.end()) {
    Value offset = arith::IndexCastOp::create(
        b, loc, b.getIndexType(),
        tensor::ExtractOp::create(b, loc, batch.offsets, index));
    offset = arith::AddIOp::create(b, loc, offset, it->second.start);
    result = memref::ViewOp::create(b, loc, cast<MemRefType>(v.getType()),
                                    batch.pool, offset,
                                    ValueRange{it->second.rows});
  } else if (auto type = dyn_cast<RankedTensorType>(v.getType());
             type && type.getRank() >= 1 && type.isDynamicDim(0)) {
    // A tensor with a row per token: the sequence's row.
    Value full = map.lookup(v);
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes, strides(type.getRank(), b.getIndexAttr(1));
    offsets[0] = index;
    sizes.push_back(b.getIndexAttr(1));
    for (int64_t d = 1; d < type.getRank(); ++d)
      sizes.push_back(tensor::getMixedSize(b, loc, full, d));
    Value row =
        tensor::ExtractSliceOp::create(b, loc, full, offsets, sizes, strides);
    result = tensor::CastOp::create(b, loc, type, row);
  } else if (Operation *def = v.getDefiningOp();
             def && !isa<ShapedType>(v.getType()) && def->getNumRegions() == 0 &&
             isMemoryEffectFree(def) && llvm::is_contained(ops, def)) {
    // A scalar computed from the batch (a token count): recomputed from the
    // sequence's operands.
    IRMapping operands;
    for (Value operand : def->getOperands()) {
      FailureOr<Value> mapped = perSequence(operand, index, inner, loc);
      if (failed(mapped))
        return failure();
      operands.map(operand, *mapped);
    }
    Operation *copy = b.clone(*def, operands);
    for (auto [from, to] : llvm::zip(def->getResults(), copy->getResults()))
      inner.map(from, to);
    return inner.lookup(v);
  } else if (Value mapped = map.lookupOrNull(v)) {
    // The same for every sequence (a weight, a constant).
    result = mapped;
  } else {
    return emitError(loc) << "cannot batch a value for decode: " << v;
  }
  inner.map(v, result);
  return result;
}

LogicalResult BatchCloner::emitCluster(ArrayRef<Operation *> cluster) {
  Location loc = cluster.front()->getLoc();
  llvm::SmallPtrSet<Operation *, 8> members(cluster.begin(), cluster.end());
  auto inCluster = [&](Operation *user) {
    for (Operation *op = user; op; op = op->getParentOp())
      if (members.contains(op))
        return true;
    return false;
  };
  // The results read after the cluster: a row per token each.
  SmallVector<Value> outputs;
  for (Operation *op : cluster)
    for (Value result : op->getResults()) {
      if (llvm::all_of(result.getUsers(), inCluster))
        continue;
      auto type = dyn_cast<RankedTensorType>(result.getType());
      if (!hasTokenRows(op) || !type || !type.isDynamicDim(0) ||
          type.getNumDynamicDims() != 1)
        return op->emitOpError(
            "cannot be batched for decode: a per-sequence value without a "
            "row per token is read by a row-wise op");
      outputs.push_back(result);
    }

  Value count = tensor::DimOp::create(b, loc, batch.positions, 0);
  SmallVector<Value> inits;
  for (Value output : outputs) {
    auto type = cast<RankedTensorType>(output.getType());
    inits.push_back(tensor::EmptyOp::create(b, loc, type.getShape(),
                                            type.getElementType(),
                                            ValueRange{count}));
  }
  auto forall =
      scf::ForallOp::create(b, loc, ArrayRef<OpFoldResult>{count}, inits,
                            /*mapping=*/std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  Value index = forall.getInductionVars()[0];
  IRMapping inner;
  for (Operation *op : cluster) {
    // The operands from outside the cluster, then the op itself.
    WalkResult walk = op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands()) {
        Operation *def = operand.getDefiningOp();
        Region *defRegion = operand.getParentRegion();
        if ((def && inCluster(def)) ||
            (!def && op->isAncestor(defRegion->getParentOp())))
          continue;
        if (failed(perSequence(operand, index, inner, nested->getLoc())))
          return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();
    b.clone(*op, inner);
  }
  b.setInsertionPointToEnd(forall.getTerminator().getBody());
  for (auto [i, output] : llvm::enumerate(outputs)) {
    auto type = cast<RankedTensorType>(output.getType());
    SmallVector<int64_t> rowShape(type.getShape());
    rowShape[0] = 1;
    // The cast sits in the body, before the terminator.
    OpBuilder::InsertionGuard castGuard(b);
    b.setInsertionPoint(forall.getTerminator());
    Value row = tensor::CastOp::create(
        b, loc, RankedTensorType::get(rowShape, type.getElementType()),
        inner.lookup(output));
    b.setInsertionPointToEnd(forall.getTerminator().getBody());
    SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes, strides(type.getRank(), b.getIndexAttr(1));
    offsets[0] = index;
    for (int64_t d : rowShape)
      sizes.push_back(b.getIndexAttr(d));
    tensor::ParallelInsertSliceOp::create(b, loc, row,
                                          forall.getRegionIterArgs()[i],
                                          offsets, sizes, strides);
    map.map(output, forall.getResult(i));
  }
  return success();
}

FailureOr<func::FuncOp> BatchCloner::batchedCallee(func::CallOp call) {
  auto module = call->getParentOfType<ModuleOp>();
  auto callee = module.lookupSymbol<func::FuncOp>(call.getCallee());
  if (!callee || callee.isExternal() || !callee.getBody().hasOneBlock())
    return call.emitOpError("cannot be batched for decode: its callee is not "
                            "a function of one block in the module");
  // The callee's arguments: the position becomes the positions, a cache
  // its (start, rows); the pool and the offsets come last.
  OpBuilder mb(callee);
  mb.setInsertionPointAfter(callee);
  MLIRContext *ctx = call.getContext();
  Type index = mb.getIndexType();
  SmallVector<Type> inputs;
  SmallVector<DictionaryAttr> argAttrs;
  auto named = [&](StringRef name) {
    return mb.getDictionaryAttr(
        mb.getNamedAttr("tfc.name", mb.getStringAttr(name)));
  };
  for (auto [i, operand] : llvm::enumerate(call.getOperands())) {
    if (operand == seq.position) {
      inputs.push_back(batch.positions.getType());
      argAttrs.push_back(named("positions"));
    } else if (seq.caches.contains(operand)) {
      inputs.append({index, index});
      argAttrs.append({named("kv_start"), named("kv_rows")});
    } else {
      inputs.push_back(operand.getType());
      argAttrs.push_back(callee.getArgAttrDict(i));
    }
  }
  inputs.append({batch.pool.getType(), batch.offsets.getType()});
  argAttrs.append({named("kv_pool"), named("kv_offsets")});
  auto type = FunctionType::get(ctx, inputs, callee.getResultTypes());
  std::string name = (callee.getSymName() + "_batch").str();
  if (auto existing = module.lookupSymbol<func::FuncOp>(name)) {
    if (existing.getFunctionType() != type)
      return call.emitOpError("cannot be batched for decode: ")
             << callee.getSymName()
             << " is called with the position or caches in other arguments "
             << "elsewhere";
    return existing;
  }

  auto fn = func::FuncOp::create(mb, callee.getLoc(), name, type);
  fn.setPrivate();
  fn.setAllArgAttrs(argAttrs);
  if (auto layers = callee->getAttr("tfc.layers"))
    fn->setAttr("tfc.layers", layers);
  Block *body = fn.addEntryBlock();
  OpBuilder fb = OpBuilder::atBlockBegin(body);
  unsigned numInputs = inputs.size();
  Batch inner{Value(), body->getArgument(numInputs - 1),
              body->getArgument(numInputs - 2)};
  SequenceValues calleeSeq;
  IRMapping calleeMap;
  unsigned next = 0;
  for (auto [i, operand] : llvm::enumerate(call.getOperands())) {
    BlockArgument arg = callee.getArgument(i);
    if (operand == seq.position) {
      calleeSeq.position = arg;
      inner.positions = body->getArgument(next++);
    } else if (seq.caches.contains(operand)) {
      calleeSeq.caches[arg] = {body->getArgument(next),
                               body->getArgument(next + 1)};
      next += 2;
    } else {
      calleeMap.map(arg, body->getArgument(next++));
    }
  }
  if (!calleeSeq.position) {
    // No position passed (a cache only): the positions are still needed.
    return call.emitOpError("cannot be batched for decode: passes a KV "
                            "cache without the position");
  }
  SmallVector<Operation *> calleeOps;
  for (Operation &op : callee.getBody().front())
    calleeOps.push_back(&op);
  if (failed(cloneBatched(fb, calleeOps, calleeSeq, inner, calleeMap,
                          [](Operation *, IRMapping &) { return false; })))
    return failure();
  return fn;
}

LogicalResult BatchCloner::emitCall(func::CallOp call) {
  for (Value operand : call.getOperands())
    if (perSeqValues.contains(operand) && operand != seq.position &&
        !seq.caches.contains(operand))
      return call.emitOpError("cannot be batched for decode: passes a value "
                              "computed from the position or a cache");
  FailureOr<func::FuncOp> callee = batchedCallee(call);
  if (failed(callee))
    return failure();
  OpBuilder::InsertionGuard guard(b);
  SmallVector<Value> operands;
  for (Value operand : call.getOperands()) {
    if (operand == seq.position) {
      operands.push_back(batch.positions);
    } else if (auto it = seq.caches.find(operand); it != seq.caches.end()) {
      operands.append({it->second.start, it->second.rows});
    } else {
      operands.push_back(map.lookup(operand));
    }
  }
  operands.append({batch.pool, batch.offsets});
  auto batched = func::CallOp::create(b, call.getLoc(), *callee, operands);
  map.map(call.getResults(), batched.getResults());
  return success();
}

LogicalResult mlir::tfc::cloneBatched(
    OpBuilder &b, ArrayRef<Operation *> ops, const SequenceValues &seq,
    const Batch &batch, IRMapping &map,
    function_ref<bool(Operation *, IRMapping &)> cloneSpecial) {
  if (ops.empty())
    return success();
  return BatchCloner(b, ops, seq, batch, map, cloneSpecial).run();
}
