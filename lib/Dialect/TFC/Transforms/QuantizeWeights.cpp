//===- QuantizeWeights.cpp - Projection matrices read block-quantized -----===//
//
// A weight is quantized when every value that carries it ends in a
// projection's weight operand or an embedding's table: its `tfc.weight`s, and
// the layer-function arguments they are passed to. Which ones qualify is a
// greatest fixed point: start from every candidate and drop a weight (or
// argument) once one of its uses does not qualify, until nothing changes.
//
//===----------------------------------------------------------------------===//
#include "tfc/Dialect/TFC/IR/TFCOps.h"
#include "tfc/Dialect/TFC/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCQUANTIZEWEIGHTS
#include "tfc/Dialect/TFC/Transforms/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;
using namespace mlir::tfc;

namespace {
/// A float matrix whose rows are whole blocks.
bool isQuantizableType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() && tensor.getRank() == 2 &&
         isa<Float32Type, BFloat16Type, Float16Type>(tensor.getElementType()) &&
         tensor.getDimSize(1) % kQ8_0BlockSize == 0;
}

/// Whether `use` reads its matrix through tfc.dequantize as well: the
/// weight of a projection in the out_in layout, or an embedding table (one
/// row gathered per token; a tied head reads the whole table).
bool readsQuantized(OpOperand &use) {
  Operation *op = use.getOwner();
  if (auto embedding = dyn_cast<EmbeddingOp>(op))
    return &use == &embedding.getTableMutable();
  if (auto linear = dyn_cast<LinearOp>(op))
    return &use == &linear.getWeightMutable() &&
           linear.getLayout() == WeightLayout::OutIn;
  if (auto head = dyn_cast<LMHeadOp>(op))
    return &use == &head.getWeightMutable() &&
           head.getLayout() == WeightLayout::OutIn;
  if (auto gated = dyn_cast<GatedLinearOp>(op))
    return (&use == &gated.getGateWeightMutable() ||
            &use == &gated.getUpWeightMutable()) &&
           gated.getLayout() == WeightLayout::OutIn;
  return false;
}

/// A private function's argument: the function and its index.
using Argument = std::pair<func::FuncOp, unsigned>;

/// Whether every use of `value` reads it quantized, or passes it to an
/// argument in `args`.
bool qualifies(Value value, const llvm::DenseSet<Argument> &args,
               SymbolTable &symbols) {
  return llvm::all_of(value.getUses(), [&](OpOperand &use) {
    if (readsQuantized(use))
      return true;
    auto call = dyn_cast<func::CallOp>(use.getOwner());
    if (!call)
      return false;
    auto fn = symbols.lookup<func::FuncOp>(call.getCallee());
    return fn && args.contains({fn, use.getOperandNumber()});
  });
}

/// The input of a projection whose every weight is q8_0, rounded to q8_0 as
/// well (tfc.quantize, then tfc.dequantize): the projection becomes int8
/// dot products, one scale per block of each side, as in llama.cpp's Q8_0.
void quantizeInput(Operation *op, OpOperand &input, ValueRange weights) {
  auto type = cast<RankedTensorType>(input.get().getType());
  if (!llvm::all_of(weights,
                    [](Value w) { return w.getDefiningOp<DequantizeOp>(); }) ||
      ShapedType::isDynamic(type.getDimSize(1)) ||
      type.getDimSize(1) % kQ8_0BlockSize != 0)
    return;
  OpBuilder b(op);
  RankedTensorType values = type.clone(IntegerType::get(op->getContext(), 8));
  auto rounded = QuantizeOp::create(b, op->getLoc(), values,
                                    getQ8_0ScalesType(values), input.get());
  input.set(DequantizeOp::create(b, op->getLoc(), type, rounded.getValues(),
                                 rounded.getScales()));
}

void quantizeActivations(ModuleOp module) {
  module.walk([](Operation *op) {
    if (auto linear = dyn_cast<LinearOp>(op))
      quantizeInput(op, linear.getInputMutable(), linear.getWeight());
    else if (auto head = dyn_cast<LMHeadOp>(op))
      quantizeInput(op, head.getInputMutable(), head.getWeight());
    else if (auto gated = dyn_cast<GatedLinearOp>(op))
      quantizeInput(op, gated.getInputMutable(),
                    {gated.getGateWeight(), gated.getUpWeight()});
  });
}

struct TFCQuantizeWeightsPass
    : tfc::impl::TFCQuantizeWeightsBase<TFCQuantizeWeightsPass> {
  using Base::Base;

  void runOnOperation() override;
};
} // namespace

void TFCQuantizeWeightsPass::runOnOperation() {
  ModuleOp module = getOperation();
  if (scheme != "q8_0") {
    module.emitError() << "tfc-quantize-weights: scheme=" << scheme
                       << " is not one of q8_0";
    return signalPassFailure();
  }
  SymbolTable symbols(module);
  llvm::SetVector<WeightDeclOp> decls;
  llvm::DenseSet<Argument> args;
  // Candidates: every float matrix of whole blocks, every private function
  // argument of such a type whose callers are all direct calls.
  llvm::DenseMap<WeightDeclOp, SmallVector<WeightOp>> readsOf;
  for (auto decl : module.getOps<WeightDeclOp>())
    if (!decl.getQuantization() && isQuantizableType(decl.getType())) {
      decls.insert(decl);
      readsOf[decl];
    }
  module.walk([&](WeightOp op) {
    auto decl = symbols.lookup<WeightDeclOp>(op.getName());
    auto reads = readsOf.find(decl);
    if (reads != readsOf.end())
      reads->second.push_back(op);
  });
  llvm::DenseMap<func::FuncOp, SmallVector<func::CallOp>> callsOf;
  bool unknownCalls = false;
  module.walk([&](Operation *op) {
    if (auto call = dyn_cast<func::CallOp>(op))
      callsOf[symbols.lookup<func::FuncOp>(call.getCallee())].push_back(call);
    else if (isa<CallOpInterface>(op))
      unknownCalls = true;
  });
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (!fn.isPrivate() || fn.isExternal() || unknownCalls ||
        SymbolTable::symbolKnownUseEmpty(fn, module))
      continue;
    if (auto uses = SymbolTable::getSymbolUses(fn, module);
        !uses || llvm::any_of(*uses, [](const SymbolTable::SymbolUse &use) {
          return !isa<func::CallOp>(use.getUser());
        }))
      continue;
    for (BlockArgument arg : fn.getArguments())
      if (isQuantizableType(arg.getType()))
        args.insert({fn, arg.getArgNumber()});
  }

  for (bool changed = true; changed;) {
    changed = false;
    for (WeightDeclOp decl : llvm::to_vector(decls))
      if (!llvm::all_of(readsOf[decl], [&](WeightOp op) {
            return qualifies(op.getResult(), args, symbols);
          })) {
        decls.remove(decl);
        changed = true;
      }
    for (Argument arg : llvm::to_vector(args)) {
      // Named copies: a lambda cannot capture structured bindings in C++17.
      func::FuncOp fn = arg.first;
      unsigned index = arg.second;
      bool passesWeights = llvm::all_of(callsOf[fn], [&](func::CallOp call) {
        auto weight = call.getOperand(index).getDefiningOp<WeightOp>();
        return weight &&
               decls.contains(symbols.lookup<WeightDeclOp>(weight.getName()));
      });
      if (!passesWeights || !qualifies(fn.getArgument(index), args, symbols)) {
        args.erase(arg);
        changed = true;
      }
    }
  }

  MLIRContext *ctx = &getContext();
  auto quantization = QuantizationAttr::get(ctx, Quantization::Q8_0);
  auto i8 = IntegerType::get(ctx, 8);
  auto f32 = Float32Type::get(ctx);
  // Each function argument becomes (values, scales), dequantized at entry.
  llvm::DenseMap<func::FuncOp, SmallVector<unsigned>> argsOf;
  for (auto [fn, index] : args)
    argsOf[fn].push_back(index);
  for (auto &[fn, indices] : argsOf) {
    llvm::sort(indices, std::greater<unsigned>());
    OpBuilder b = OpBuilder::atBlockBegin(&fn.getBody().front());
    for (unsigned index : indices) {
      BlockArgument arg = fn.getArgument(index);
      auto type = cast<RankedTensorType>(arg.getType());
      SmallVector<NamedAttribute> scaleAttrs;
      if (auto name = fn.getArgAttrOfType<StringAttr>(index, kArgNameAttrName))
        scaleAttrs.push_back(b.getNamedAttr(
            kArgNameAttrName, b.getStringAttr(name.getValue() + ".scales")));
      if (failed(fn.insertArgument(index + 1, getQ8_0ScalesType(type),
                                   b.getDictionaryAttr(scaleAttrs),
                                   arg.getLoc())))
        return signalPassFailure();
      arg.setType(type.clone(i8));
      Value w = DequantizeOp::create(b, arg.getLoc(), type.clone(f32), arg,
                                     fn.getArgument(index + 1));
      arg.replaceAllUsesExcept(w, w.getDefiningOp());
    }
    fn.setFunctionType(FunctionType::get(
        ctx, fn.getBody().front().getArgumentTypes(), fn.getResultTypes()));
  }

  for (WeightDeclOp decl : decls) {
    RankedTensorType type = decl.getTensorType();
    RankedTensorType values = type.clone(i8);
    decl.setType(values);
    decl.setQuantizationAttr(quantization);
    for (WeightOp op : readsOf[decl]) {
      OpBuilder b(op);
      auto read = QuantizedWeightOp::create(
          b, op.getLoc(), values, getQ8_0ScalesType(type), op.getNameAttr());
      // A call passes both values; a projection reads them dequantized.
      for (OpOperand &use : llvm::make_early_inc_range(op->getUses())) {
        auto call = dyn_cast<func::CallOp>(use.getOwner());
        if (!call) {
          OpBuilder at(use.getOwner());
          use.set(DequantizeOp::create(at, op.getLoc(), type.clone(f32),
                                       read.getValues(), read.getScales()));
          continue;
        }
        unsigned index = use.getOperandNumber();
        SmallVector<Value> operands(call.getOperands());
        operands[index] = read.getValues();
        operands.insert(operands.begin() + index + 1, read.getScales());
        OpBuilder at(call);
        auto rebuilt =
            func::CallOp::create(at, call.getLoc(), call.getCalleeAttr(),
                                 call.getResultTypes(), operands);
        rebuilt->setDiscardableAttrs(call->getDiscardableAttrDictionary());
        call.replaceAllUsesWith(rebuilt.getResults());
        call.erase();
      }
      op.erase();
    }
  }
  if (activations)
    quantizeActivations(module);
}
