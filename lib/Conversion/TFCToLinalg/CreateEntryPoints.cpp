//===- CreateEntryPoints.cpp - The compiled model's C-ABI entry points ----===//
//
// @forward(tokens, position, caches...) -> logits becomes @tfc_prefill,
// @tfc_prefill_last, @tfc_decode and @tfc_decode_batch with the signatures of
// docs/ABI.md: every weight is a view of the runtime's weight region at the
// offset its table gives, every layer's cache a view of one byte buffer (of
// one sequence's in the pool, for a batch); the weight manifest becomes the
// `tfc_manifest` table the runtime checks checkpoints against.
//
//===----------------------------------------------------------------------===//
#include "BatchDecode.h"
#include "ManifestTable.h"

#include "tfc/Conversion/Passes.h"
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCCREATEENTRYPOINTS
#include "tfc/Conversion/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;
using namespace mlir::tfc;

namespace {
/// A weight's declaration and its index in the runtime's offsets table.
struct WeightSlot {
  WeightDeclOp decl;
  int64_t index;
};

/// One layer's cache: `elementsPerToken` elements per row, and `min(2 *
/// window - 1, max_context)` rows for a sliding-window layer (a ring that
/// keeps a window after appending up to `window` tokens), `max_context`
/// otherwise.
struct CacheSlot {
  int64_t elementsPerToken;
  std::optional<int64_t> window;
  MemRefType type;
};

/// The runtime's buffers as the entry points and @tfc_hidden receive them.
struct EntryBuffers {
  Value weights, offsets, kv, maxContext;
};

/// A tensor view of `type` at `offset` bytes into the weight region.
Value viewRegion(OpBuilder &b, Location loc, const EntryBuffers &buffers,
                 Value offset, RankedTensorType type) {
  Value view = memref::ViewOp::create(
      b, loc, MemRefType::get(type.getShape(), type.getElementType()),
      buffers.weights, offset, ValueRange());
  return bufferization::ToTensorOp::create(b, loc, type, view,
                                           /*restrict=*/true,
                                           /*writable=*/false);
}

/// The byte offset of weight `name` in the weight region, from the
/// runtime's offsets table.
Value weightOffset(OpBuilder &b, Location loc, StringRef name,
                   const llvm::StringMap<WeightSlot> &slots,
                   const EntryBuffers &buffers) {
  Value index =
      arith::ConstantIndexOp::create(b, loc, slots.lookup(name).index);
  return arith::IndexCastOp::create(
      b, loc, b.getIndexType(),
      memref::LoadOp::create(b, loc, buffers.offsets, ValueRange{index}));
}

/// Maps the results of a weight read (`tfc.weight`, `tfc.quantized_weight`)
/// to views of the weight region; false for any other op.
bool mapWeightRead(OpBuilder &b, Operation *op,
                   const llvm::StringMap<WeightSlot> &slots,
                   const EntryBuffers &buffers, IRMapping &map) {
  Location loc = op->getLoc();
  if (auto weight = dyn_cast<WeightOp>(op)) {
    Value offset = weightOffset(b, loc, weight.getName(), slots, buffers);
    map.map(weight.getResult(),
            viewRegion(b, loc, buffers, offset, weight.getType()));
    return true;
  }
  auto quantized = dyn_cast<QuantizedWeightOp>(op);
  if (!quantized)
    return false;
  // The int8 values, then the scales (TFC_MANIFEST_Q8_0).
  RankedTensorType values = quantized.getValues().getType();
  Value offset = weightOffset(b, loc, quantized.getName(), slots, buffers);
  Value scalesOffset = arith::AddIOp::create(
      b, loc, offset,
      arith::ConstantIndexOp::create(b, loc, values.getNumElements()));
  map.map(quantized.getValues(), viewRegion(b, loc, buffers, offset, values));
  map.map(quantized.getScales(), viewRegion(b, loc, buffers, scalesOffset,
                                            quantized.getScales().getType()));
  return true;
}

struct TFCCreateEntryPointsPass
    : tfc::impl::TFCCreateEntryPointsBase<TFCCreateEntryPointsPass> {
  void runOnOperation() override;

  /// @tfc_hidden(weights, offsets, kv_cache, tokens, pos, max_context): the
  /// ops of `forward` before its LM head, shared by the three entry points so
  /// that the per-layer calls exist once. Returns the head's input.
  func::FuncOp createHidden(func::FuncOp forward, LMHeadOp head,
                            const llvm::StringMap<WeightSlot> &slots,
                            ArrayRef<CacheSlot> caches);

  /// @tfc_hidden_batch(weights, offsets, kv_pool, tokens, positions,
  /// kv_offsets, max_context): @tfc_hidden for one token of each of a batch
  /// of sequences (BatchDecode.h).
  FailureOr<func::FuncOp>
  createHiddenBatch(func::FuncOp forward, LMHeadOp head,
                    const llvm::StringMap<WeightSlot> &slots,
                    ArrayRef<CacheSlot> caches);

  /// An entry point named `name`: @tfc_hidden, then the LM head and what
  /// follows it; `tokenCount` is 1 for decode. With `lastLogitsOnly` the LM
  /// head reads only the last position. With `batched`, `hidden` is
  /// @tfc_hidden_batch and the entry takes the tokens, positions and KV
  /// offsets of a batch.
  LogicalResult createEntry(func::FuncOp forward, LMHeadOp head,
                            func::FuncOp hidden, StringRef name,
                            int64_t tokenCount, bool lastLogitsOnly,
                            bool batched,
                            const llvm::StringMap<WeightSlot> &slots);
};
} // namespace

/// Where each layer's cache lies in one sequence's KV buffer: one after
/// another, each at a multiple of 64 bytes (docs/ABI.md).
static SmallVector<BatchedCache> cacheExtents(OpBuilder &b, Location loc,
                                              ArrayRef<CacheSlot> caches,
                                              Value maxContext) {
  auto cst = [&](int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); };
  SmallVector<BatchedCache> extents;
  Value cacheStart = cst(0);
  for (const CacheSlot &slot : caches) {
    Value rows = maxContext;
    if (slot.window)
      rows = arith::MinUIOp::create(b, loc, rows, cst(2 * *slot.window - 1));
    extents.push_back({cacheStart, rows});
    int64_t rowBytes =
        slot.elementsPerToken * slot.type.getElementTypeBitWidth() / 8;
    Value end = arith::AddIOp::create(
        b, loc, cacheStart, arith::MulIOp::create(b, loc, rows, cst(rowBytes)));
    cacheStart = arith::AndIOp::create(
        b, loc, arith::AddIOp::create(b, loc, end, cst(63)), cst(-64));
  }
  return extents;
}

/// The argument types every entry point and @tfc_hidden start with.
static SmallVector<Type> bufferTypes(OpBuilder &b) {
  int64_t dyn = ShapedType::kDynamic;
  auto bytes = MemRefType::get({dyn}, b.getI8Type());
  return {bytes, MemRefType::get({dyn}, b.getI64Type()), bytes};
}

func::FuncOp TFCCreateEntryPointsPass::createHidden(
    func::FuncOp forward, LMHeadOp head,
    const llvm::StringMap<WeightSlot> &slots, ArrayRef<CacheSlot> caches) {
  OpBuilder b(forward);
  Location loc = forward.getLoc();
  Type index = b.getIndexType();
  SmallVector<Type> inputs = bufferTypes(b);
  inputs.append({forward.getArgumentTypes()[0], index, index});
  auto fn = func::FuncOp::create(
      b, loc, "tfc_hidden",
      b.getFunctionType(inputs, head.getInput().getType()));
  fn.setPrivate();
  Block *body = fn.addEntryBlock();
  b.setInsertionPointToStart(body);
  EntryBuffers buffers{body->getArgument(0), body->getArgument(1),
                       body->getArgument(2), body->getArgument(5)};
  IRMapping map;
  map.map(forward.getArgument(0), body->getArgument(3));
  map.map(forward.getArgument(1), body->getArgument(4));
  for (auto [i, extent] :
       llvm::enumerate(cacheExtents(b, loc, caches, buffers.maxContext))) {
    Value cache = memref::ViewOp::create(b, loc, caches[i].type, buffers.kv,
                                         extent.start, ValueRange{extent.rows});
    map.map(forward.getArgument(2 + i), cache);
  }
  for (Operation &op : forward.getBody().front()) {
    if (&op == head.getOperation())
      break;
    if (!mapWeightRead(b, &op, slots, buffers, map))
      b.clone(op, map);
  }
  func::ReturnOp::create(b, loc, map.lookup(head.getInput()));
  return fn;
}

FailureOr<func::FuncOp> TFCCreateEntryPointsPass::createHiddenBatch(
    func::FuncOp forward, LMHeadOp head,
    const llvm::StringMap<WeightSlot> &slots, ArrayRef<CacheSlot> caches) {
  OpBuilder b(forward);
  Location loc = forward.getLoc();
  Type index = b.getIndexType();
  auto i64s = RankedTensorType::get({ShapedType::kDynamic}, b.getI64Type());
  SmallVector<Type> inputs = bufferTypes(b);
  inputs.append({forward.getArgumentTypes()[0], i64s, i64s, index});
  auto fn = func::FuncOp::create(
      b, loc, "tfc_hidden_batch",
      b.getFunctionType(inputs, head.getInput().getType()));
  fn.setPrivate();
  Block *body = fn.addEntryBlock();
  b.setInsertionPointToStart(body);
  EntryBuffers buffers{body->getArgument(0), body->getArgument(1),
                       body->getArgument(2), body->getArgument(6)};
  Batch batch{body->getArgument(4), body->getArgument(5), buffers.kv};
  SequenceValues seq;
  seq.position = forward.getArgument(1);
  for (auto [i, extent] :
       llvm::enumerate(cacheExtents(b, loc, caches, buffers.maxContext)))
    seq.caches[forward.getArgument(2 + i)] = extent;
  IRMapping map;
  map.map(forward.getArgument(0), body->getArgument(3));
  SmallVector<Operation *> ops;
  for (Operation &op : forward.getBody().front()) {
    if (&op == head.getOperation())
      break;
    ops.push_back(&op);
  }
  if (failed(cloneBatched(b, ops, seq, batch, map,
                          [&](Operation *op, IRMapping &map) {
                            return mapWeightRead(b, op, slots, buffers, map);
                          })))
    return failure();
  func::ReturnOp::create(b, loc, map.lookup(head.getInput()));
  return fn;
}

LogicalResult TFCCreateEntryPointsPass::createEntry(
    func::FuncOp forward, LMHeadOp head, func::FuncOp hidden, StringRef name,
    int64_t tokenCount, bool lastLogitsOnly, bool batched,
    const llvm::StringMap<WeightSlot> &slots) {
  OpBuilder b(forward);
  Location loc = forward.getLoc();
  Type f32 = b.getF32Type(), i64 = b.getI64Type(), index = b.getIndexType();
  int64_t dyn = ShapedType::kDynamic;
  auto logitsType = cast<RankedTensorType>(forward.getResultTypes()[0]);

  // (tokens, pos) or, batched, (tokens, positions, kv_offsets).
  auto tokensType = MemRefType::get({tokenCount}, i64);
  SmallVector<Type> inputs = bufferTypes(b);
  inputs.push_back(tokensType);
  if (batched)
    inputs.append({tokensType, tokensType});
  else
    inputs.push_back(index);
  inputs.append({index, MemRefType::get({dyn, dyn}, f32)});
  auto entry =
      func::FuncOp::create(b, loc, name, b.getFunctionType(inputs, {}));
  entry->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  Block *body = entry.addEntryBlock();
  b.setInsertionPointToStart(body);
  unsigned numArgs = inputs.size();
  EntryBuffers buffers{body->getArgument(0), body->getArgument(1),
                       body->getArgument(2), body->getArgument(numArgs - 2)};
  Value logits = body->getArgument(numArgs - 1);

  // The callee only reads the tokens, positions and offsets.
  auto readOnly = [&](Value memref, Type to) -> Value {
    auto type = cast<MemRefType>(memref.getType());
    Value tensor = bufferization::ToTensorOp::create(
        b, loc, RankedTensorType::get(type.getShape(), type.getElementType()),
        memref, /*restrict=*/true, /*writable=*/false);
    return tensor.getType() == to
               ? tensor
               : tensor::CastOp::create(b, loc, to, tensor).getResult();
  };
  FunctionType hiddenType = hidden.getFunctionType();
  SmallVector<Value> operands{
      buffers.weights, buffers.offsets, buffers.kv,
      readOnly(body->getArgument(3), hiddenType.getInput(3))};
  if (batched)
    operands.append({readOnly(body->getArgument(4), hiddenType.getInput(4)),
                     readOnly(body->getArgument(5), hiddenType.getInput(5))});
  else
    operands.push_back(body->getArgument(4));
  operands.push_back(buffers.maxContext);
  Value state = func::CallOp::create(b, loc, hidden, operands).getResult(0);
  if (lastLogitsOnly) {
    // Generation needs the next-token logits only: the head, the costliest
    // projection, reads one row.
    auto type = cast<RankedTensorType>(state.getType());
    Value rows = tensor::DimOp::create(b, loc, state, 0);
    Value last = arith::SubIOp::create(
        b, loc, rows, arith::ConstantIndexOp::create(b, loc, 1));
    Value row = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({1, type.getDimSize(1)}, f32), state,
        ArrayRef<OpFoldResult>{last, b.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(type.getDimSize(1))},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
    state = tensor::CastOp::create(b, loc, type, row);
  }

  // The head and what follows it read the hidden state and weights only.
  IRMapping map;
  map.map(head.getInput(), state);
  for (Operation &op : llvm::make_range(Block::iterator(head.getOperation()),
                                        forward.getBody().front().end())) {
    for (Value operand : op.getOperands()) {
      if (map.contains(operand) || operand.getParentBlock() != head->getBlock() ||
          !operand.getDefiningOp() || !operand.getDefiningOp()->isBeforeInBlock(head))
        continue;
      // A weight, or a quantized one's dequantized matrix.
      Operation *read = operand.getDefiningOp();
      auto dequantize = dyn_cast<DequantizeOp>(read);
      if (dequantize)
        read = dequantize.getValues().getDefiningOp();
      bool mapped =
          read &&
          (!dequantize || dequantize.getScales().getDefiningOp() == read) &&
          mapWeightRead(b, read, slots, buffers, map);
      if (!mapped)
        return op.emitOpError("after the LM head may read only weights and the "
                              "head's results, not a value computed before it");
      if (dequantize)
        b.clone(*dequantize, map);
    }
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      Value result = map.lookup(ret.getOperand(0));
      Value dest = memref::CastOp::create(
          b, loc,
          MemRefType::get({dyn, logitsType.getDimSize(1)}, f32), logits);
      bufferization::MaterializeInDestinationOp::create(
          b, loc, TypeRange(), result, dest, /*restrict=*/true,
          /*writable=*/true);
      func::ReturnOp::create(b, loc);
      continue;
    }
    b.clone(op, map);
  }
  return success();
}

void TFCCreateEntryPointsPass::runOnOperation() {
  ModuleOp module = getOperation();
  auto forward = module.lookupSymbol<func::FuncOp>("forward");
  if (!forward) {
    module.emitError("expected the model function @forward");
    return signalPassFailure();
  }
  auto tokensType = forward.getNumArguments() >= 2
                        ? dyn_cast<RankedTensorType>(forward.getArgumentTypes()[0])
                        : RankedTensorType();
  if (!forward.getBody().hasOneBlock() || !tokensType ||
      tokensType.getRank() != 1 || !tokensType.getElementType().isInteger(64) ||
      !forward.getArgumentTypes()[1].isIndex() || forward.getNumResults() != 1) {
    forward.emitOpError("must be (tokens: tensor<?xi64>, position: index, "
                        "caches: memref<?xNxf32>...) -> logits in one block");
    return signalPassFailure();
  }
  if (!forward.getBody().getOps<DecoderBlockOp>().empty()) {
    forward.emitOpError("still has tfc.decoder_block ops: run "
                        "tfc-expand-blocks first");
    return signalPassFailure();
  }
  SmallVector<CacheSlot> caches;
  for (unsigned i = 2; i < forward.getNumArguments(); ++i) {
    auto type = dyn_cast<MemRefType>(forward.getArgumentTypes()[i]);
    if (!type || type.getRank() != 2 || !type.getLayout().isIdentity() ||
        !isa<Float32Type, BFloat16Type, Float16Type>(type.getElementType()) ||
        ShapedType::isDynamic(type.getDimSize(1))) {
      forward.emitOpError() << "argument " << i << " must be a layer's KV cache "
                            << "memref<?xNxf32|bf16|f16> with a static row "
                            << "width, got " << forward.getArgumentTypes()[i];
      return signalPassFailure();
    }
    if (!caches.empty() &&
        caches.front().type.getElementType() != type.getElementType()) {
      forward.emitOpError() << "argument " << i << ": every KV cache must have "
                            << "the element type of the first, "
                            << caches.front().type.getElementType()
                            << ", got " << type;
      return signalPassFailure();
    }
    // The dialect verified the window: in [1, 2^61).
    std::optional<int64_t> window;
    if (auto attr = forward.getArgAttrOfType<IntegerAttr>(i, kKVWindowAttrName))
      window = attr.getInt();
    caches.push_back({type.getDimSize(1), window, type});
  }

  // tfc_prefill_last computes the head on the last row only; every other op
  // after the head must be row-wise (tfc.softcap is).
  auto heads = forward.getBody().getOps<LMHeadOp>();
  if (std::distance(heads.begin(), heads.end()) != 1) {
    forward.emitOpError("must compute its logits with exactly one tfc.lm_head");
    return signalPassFailure();
  }

  // Offsets table: declaration order.
  llvm::StringMap<WeightSlot> slots;
  ManifestContents manifest;
  auto logitsType = cast<RankedTensorType>(forward.getResultTypes()[0]);
  forward.walk([&](EmbeddingOp op) {
    manifest.hiddenSize = op.getType().getDimSize(1);
  });
  if (auto layerCount = module->getAttrOfType<IntegerAttr>(kNumLayersAttrName))
    manifest.numLayers = layerCount.getInt();
  int64_t numWeights = 0;
  // The runtime lays the weights out at 64-byte aligned offsets of one
  // region (docs/ABI.md); a model whose weights do not fit int64_t offsets
  // is refused here, naming the weight, rather than emitting a manifest
  // whose sizes wrap around. Checked arithmetic throughout: the shapes come
  // from a config file.
  int64_t regionBytes = 0;
  for (auto decl : module.getOps<WeightDeclOp>()) {
    RankedTensorType type = decl.getTensorType();
    int64_t bytes = type.getElementTypeBitWidth() / 8;
    bool overflow = false;
    for (int64_t dim : type.getShape())
      overflow |= dim < 0 || llvm::MulOverflow(bytes, dim, bytes);
    // A quantized matrix's int8 values, then one f16 scale per block.
    if (decl.getQuantization())
      overflow = overflow ||
                 llvm::AddOverflow(bytes, bytes / kQ8_0BlockSize * 2, bytes);
    overflow =
        overflow || llvm::AddOverflow(bytes, int64_t(63), bytes) ||
        llvm::AddOverflow(regionBytes, bytes & ~int64_t(63), regionBytes);
    if (overflow) {
      decl.emitOpError() << "weight '" << decl.getSymName() << "' of shape "
                         << type << " takes the model's weights past 2^63 "
                         << "bytes: its dims are too large";
      return signalPassFailure();
    }
    if (type.getRank() < 1 || type.getRank() > getManifestMaxRank()) {
      decl.emitOpError() << "weight '" << decl.getSymName() << "' of type "
                         << type << ": the manifest holds weights of rank 1 "
                         << "to " << getManifestMaxRank();
      return signalPassFailure();
    }
    slots[decl.getSymName()] = {decl, numWeights++};
    manifest.weights.push_back({decl.getSymName(), type});
  }
  auto intAttr = [&](StringRef name) -> int64_t {
    auto attr = module->getAttrOfType<IntegerAttr>(name);
    return attr ? attr.getInt() : 0;
  };
  auto modelType = module->getAttrOfType<StringAttr>(kModelTypeAttrName);
  auto prefix = module->getAttrOfType<StringAttr>(kBaseModelPrefixAttrName);
  manifest.modelType = modelType ? modelType.getValue() : "unknown";
  manifest.vocabSize = logitsType.getDimSize(1);
  manifest.trainedContext = intAttr(kTrainedContextAttrName);
  manifest.positionLimit = intAttr(kPositionLimitAttrName);
  manifest.baseModelPrefix = prefix ? prefix.getValue() : "";
  manifest.kvElementType = caches.empty()
                               ? Float32Type::get(&getContext())
                               : caches.front().type.getElementType();
  for (const CacheSlot &cache : caches)
    manifest.kvCaches.push_back(
        {cache.elementsPerToken, cache.window.value_or(0)});
  if (auto optional =
          module->getAttrOfType<ArrayAttr>(kOptionalWeightsAttrName))
    for (auto name : optional.getAsValueRange<StringAttr>())
      manifest.optional.push_back(name.str());

  int64_t dyn = ShapedType::kDynamic;
  LMHeadOp head = *heads.begin();
  func::FuncOp hiddenFn = createHidden(forward, head, slots, caches);
  FailureOr<func::FuncOp> batchFn =
      createHiddenBatch(forward, head, slots, caches);
  if (failed(batchFn) ||
      failed(createEntry(forward, head, hiddenFn, "tfc_prefill", dyn, false,
                         false, slots)) ||
      failed(createEntry(forward, head, hiddenFn, "tfc_prefill_last", dyn, true,
                         false, slots)) ||
      failed(createEntry(forward, head, hiddenFn, "tfc_decode", 1, false, false,
                         slots)) ||
      failed(createEntry(forward, head, *batchFn, "tfc_decode_batch", dyn,
                         false, true, slots)))
    return signalPassFailure();

  emitManifestTable(module, manifest);
  forward.erase();
  for (auto decl : llvm::make_early_inc_range(module.getOps<WeightDeclOp>()))
    decl.erase();
}
