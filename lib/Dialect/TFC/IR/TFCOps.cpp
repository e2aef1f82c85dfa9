//===- TFCOps.cpp - tfc op verifiers and custom directives ----------------===//
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::tfc;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Whether two extents can be equal (a dynamic extent matches anything).
static bool compatible(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}

static std::string dimStr(int64_t d) {
  return ShapedType::isDynamic(d) ? std::string("?") : std::to_string(d);
}

/// Fails unless `name`'s dimension `dim` can equal `expected`.
static LogicalResult checkDim(Operation *op, StringRef name, Type type,
                              unsigned dim, int64_t expected,
                              StringRef meaning) {
  int64_t actual = cast<ShapedType>(type).getDimSize(dim);
  if (!compatible(actual, expected))
    return op->emitOpError()
           << "'" << name << "' dimension " << dim << " (" << dimStr(actual)
           << ") must equal " << meaning << " (" << dimStr(expected) << ")";
  return success();
}

static LogicalResult checkPositive(Operation *op, StringRef name,
                                   double value) {
  if (!(value > 0.0))
    return op->emitOpError() << "'" << name << "' must be positive, got "
                             << value;
  return success();
}

//===----------------------------------------------------------------------===//
// Custom directive: a bare activation keyword
//===----------------------------------------------------------------------===//

static ParseResult parseActivationKind(OpAsmParser &parser,
                                       ActivationAttr &kind) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return failure();
  std::optional<Activation> value = symbolizeActivation(keyword);
  if (!value)
    return parser.emitError(loc)
           << "unknown activation '" << keyword
           << "'; expected relu, gelu, gelu_tanh or silu";
  kind = ActivationAttr::get(parser.getContext(), *value);
  return success();
}

static void printActivationKind(OpAsmPrinter &printer, Operation *,
                                ActivationAttr kind) {
  printer << stringifyActivation(kind.getValue());
}

//===----------------------------------------------------------------------===//
// Custom directive: the types of a cache write, the value's when there is one
//===----------------------------------------------------------------------===//

/// `key-type, value-type, cache-type` or, for a keys-only cache, `key-type,
/// cache-type`: the last type is always the cache's.
static ParseResult parseCacheTypes(OpAsmParser &parser, Type &key, Type &value,
                                   Type &cache) {
  SmallVector<Type, 3> types;
  SMLoc loc = parser.getCurrentLocation();
  if (parser.parseTypeList(types))
    return failure();
  if (types.size() != 2 && types.size() != 3)
    return parser.emitError(loc) << "expected the key, value (if any) and "
                                    "cache types, got "
                                 << types.size() << " types";
  key = types.front();
  cache = types.back();
  if (types.size() == 3)
    value = types[1];
  return success();
}

static void printCacheTypes(OpAsmPrinter &printer, Operation *, Type key,
                            Type value, Type cache) {
  printer << key << ", ";
  if (value)
    printer << value << ", ";
  printer << cache;
}

#define GET_OP_CLASSES
#include "tfc/Dialect/TFC/IR/TFCOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Weights
//===----------------------------------------------------------------------===//

LogicalResult WeightDeclOp::verify() {
  RankedTensorType type = getTensorType();
  if (!type.hasStaticShape())
    return emitOpError() << "weight '" << getSymName()
                         << "' must have a static shape, got " << getType();
  bool isInt8 = type.getElementType().isInteger(8);
  if (!getQuantization()) {
    if (isInt8)
      return emitOpError() << "weight '" << getSymName()
                           << "': i8 values need a `quantized` scheme";
    return success();
  }
  if (!isInt8 || type.getRank() != 2 ||
      type.getDimSize(1) % kQ8_0BlockSize != 0)
    return emitOpError() << "weight '" << getSymName() << "' quantized "
                         << stringifyQuantization(*getQuantization())
                         << " must be an i8 matrix whose rows are whole "
                         << "blocks of " << kQ8_0BlockSize << ", got " << type;
  return success();
}

RankedTensorType mlir::tfc::getQ8_0ScalesType(RankedTensorType values) {
  int64_t cols = values.getDimSize(1);
  return RankedTensorType::get(
      {values.getDimSize(0),
       ShapedType::isDynamic(cols) ? cols : cols / kQ8_0BlockSize},
      Float16Type::get(values.getContext()));
}

RankedTensorType WeightDeclOp::getScalesType() {
  return getQ8_0ScalesType(getTensorType());
}

LogicalResult WeightOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto decl =
      symbolTable.lookupNearestSymbolFrom<WeightDeclOp>(*this, getNameAttr());
  if (!decl)
    return emitOpError() << "'" << getName()
                         << "' does not name a tfc.weight_decl";
  if (decl.getQuantization())
    return emitOpError() << "'" << getName()
                         << "' is quantized: read it with tfc.quantized_weight";
  if (decl.getType() != getType())
    return emitOpError() << "type " << getType() << " of '" << getName()
                         << "' differs from its declaration "
                         << decl.getType();
  return success();
}

LogicalResult
QuantizedWeightOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto decl =
      symbolTable.lookupNearestSymbolFrom<WeightDeclOp>(*this, getNameAttr());
  if (!decl)
    return emitOpError() << "'" << getName()
                         << "' does not name a tfc.weight_decl";
  if (!decl.getQuantization())
    return emitOpError() << "'" << getName()
                         << "' is not quantized: read it with tfc.weight";
  if (decl.getType() != getValues().getType() ||
      decl.getScalesType() != getScales().getType())
    return emitOpError() << "types " << getValues().getType() << ", "
                         << getScales().getType() << " of '" << getName()
                         << "' differ from its declaration's " << decl.getType()
                         << ", " << decl.getScalesType();
  return success();
}

LogicalResult DequantizeOp::verify() {
  ArrayRef<int64_t> values = getValues().getType().getShape(),
                    scales = getScales().getType().getShape(),
                    result = getType().getShape();
  if (values != result)
    return emitOpError() << "result shape must be the values' shape";
  if (ShapedType::isDynamic(values[1]) || values[1] % kQ8_0BlockSize != 0 ||
      scales != getQ8_0ScalesType(getValues().getType()).getShape())
    return emitOpError() << "expects one scale per block of " << kQ8_0BlockSize
                         << " values of a row: scales [" << values[0] << ", "
                         << values[1] << " / " << kQ8_0BlockSize << "], got "
                         << getScales().getType();
  return success();
}

LogicalResult QuantizeOp::verify() {
  RankedTensorType input = getInput().getType();
  if (getValues().getType().getShape() != input.getShape())
    return emitOpError() << "values must have the input's shape, got "
                         << getValues().getType();
  if (ShapedType::isDynamic(input.getDimSize(1)) ||
      input.getDimSize(1) % kQ8_0BlockSize != 0)
    return emitOpError() << "expects rows of whole blocks of "
                         << kQ8_0BlockSize << ", got " << input;
  if (getScales().getType() != getQ8_0ScalesType(getValues().getType()))
    return emitOpError() << "expects scales "
                         << getQ8_0ScalesType(getValues().getType())
                         << " (one per block of a row), got "
                         << getScales().getType();
  return success();
}

//===----------------------------------------------------------------------===//
// Embedding and positions
//===----------------------------------------------------------------------===//

LogicalResult EmbeddingOp::verify() {
  Operation *op = getOperation();
  if (failed(checkDim(op, "result", getType(), 0,
                      getTokens().getType().getDimSize(0),
                      "the number of tokens")) ||
      failed(checkDim(op, "result", getType(), 1,
                      getTable().getType().getDimSize(1),
                      "the table's width")))
    return failure();
  if (getScale() && failed(checkPositive(op, "scale", getScale()->convertToDouble())))
    return failure();
  return success();
}

LogicalResult LearnedPositionsOp::verify() {
  Operation *op = getOperation();
  return checkDim(op, "table", getTable().getType(), 1,
                  getInput().getType().getDimSize(1), "the hidden size");
}

LogicalResult SinusoidalPositionsOp::verify() {
  if (failed(checkPositive(*this, "base", getBase().convertToDouble())))
    return failure();
  int64_t width = getInput().getType().getDimSize(1);
  if (ShapedType::isDynamic(width) || width % 2)
    return emitOpError() << "hidden size must be static and even, got "
                         << dimStr(width);
  return success();
}

//===----------------------------------------------------------------------===//
// Normalisation, projections, activations
//===----------------------------------------------------------------------===//

/// A norm's weight (and bias) is a vector over the input's last dimension.
static LogicalResult verifyNormOperands(Operation *op, Value input,
                                        Value weight, Value bias, double eps) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t width = inputType.getDimSize(inputType.getRank() - 1);
  if (failed(checkDim(op, "weight", weight.getType(), 0, width,
                      "the normalised dimension")) ||
      failed(checkPositive(op, "eps", eps)))
    return failure();
  if (bias && failed(checkDim(op, "bias", bias.getType(), 0, width,
                              "the normalised dimension")))
    return failure();
  return success();
}

LogicalResult RMSNormOp::verify() {
  return verifyNormOperands(*this, getInput(), getWeight(), Value(),
                            getEps().convertToDouble());
}

LogicalResult LayerNormOp::verify() {
  return verifyNormOperands(*this, getInput(), getWeight(), getBias(),
                            getEps().convertToDouble());
}

/// `input [n, in] x weight -> [n, out]`, weight `[out, in]` or `[in, out]`.
static LogicalResult verifyProjection(Operation *op, Value input, Value weight,
                                      Value bias, WeightLayout layout,
                                      Type result) {
  auto weightType = cast<RankedTensorType>(weight.getType());
  bool outIn = layout == WeightLayout::OutIn;
  int64_t in = weightType.getDimSize(outIn ? 1 : 0);
  int64_t out = weightType.getDimSize(outIn ? 0 : 1);
  if (failed(checkDim(op, "input", input.getType(), 1, in,
                      "the weight's input dimension")) ||
      failed(checkDim(op, "result", result, 0,
                      cast<ShapedType>(input.getType()).getDimSize(0),
                      "the number of tokens")) ||
      failed(checkDim(op, "result", result, 1, out,
                      "the weight's output dimension")))
    return failure();
  if (bias && failed(checkDim(op, "bias", bias.getType(), 0, out,
                              "the weight's output dimension")))
    return failure();
  return success();
}

LogicalResult LinearOp::verify() {
  return verifyProjection(*this, getInput(), getWeight(), getBias(),
                          getLayout(), getType());
}

LogicalResult LMHeadOp::verify() {
  return verifyProjection(*this, getInput(), getWeight(), getBias(),
                          getLayout(), getType());
}

LogicalResult HeadLinearOp::verify() {
  Operation *op = getOperation();
  RankedTensorType input = getInput().getType(), result = getType();
  auto weight = cast<RankedTensorType>(getWeight().getType());
  int64_t heads = input.getDimSize(1), headRows = getHeadRows();
  int64_t rowOffset = getRowOffset();
  if (ShapedType::isDynamic(heads) || ShapedType::isDynamic(input.getDimSize(2)) ||
      ShapedType::isDynamic(result.getDimSize(2)))
    return emitOpError() << "heads and head dims must be static";
  if (headRows <= 0 || rowOffset < 0)
    return emitOpError() << "'head_rows' must be positive and 'row_offset' "
                            "not negative, got "
                         << headRows << " and " << rowOffset;
  bool outIn = getLayout() == WeightLayout::OutIn;
  // The dims a head's block spans in rows, and the weight's other dimension.
  int64_t blockRows = outIn ? result.getDimSize(2) : input.getDimSize(2);
  int64_t cols = outIn ? input.getDimSize(2) : result.getDimSize(2);
  if (rowOffset + blockRows > headRows)
    return emitOpError() << "a head's block, rows [" << rowOffset << ", "
                         << rowOffset + blockRows
                         << "), must lie within its 'head_rows' (" << headRows
                         << ")";
  if (failed(checkDim(op, "weight", weight, 0, heads * headRows,
                      "heads * head_rows")) ||
      failed(checkDim(op, "weight", weight, 1, cols,
                      outIn ? "the input head dim" : "the result head dim")) ||
      failed(checkDim(op, "result", result, 0, input.getDimSize(0),
                      "the number of tokens")) ||
      failed(checkDim(op, "result", result, 1, heads, "the number of heads")))
    return failure();
  return success();
}

LogicalResult ClampOp::verify() {
  return checkPositive(*this, "limit", getLimit().convertToDouble());
}

LogicalResult SoftcapOp::verify() {
  return checkPositive(*this, "cap", getCap().convertToDouble());
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

LogicalResult SplitQKVOp::verify() {
  Operation *op = getOperation();
  int64_t heads = getHeads(), kvHeads = getKvHeads();
  if (heads <= 0 || kvHeads <= 0 || heads % kvHeads)
    return emitOpError() << "'heads' (" << heads
                         << ") must be a positive multiple of 'kv_heads' ("
                         << kvHeads << ")";
  int64_t width = getInput().getType().getDimSize(1);
  int64_t rows = heads + 2 * kvHeads;
  if (ShapedType::isDynamic(width) || width % rows)
    return emitOpError() << "fused width " << dimStr(width)
                         << " is not a multiple of heads + 2 * kv_heads ("
                         << rows << ")";
  int64_t headDim = width / rows;
  int64_t n = getInput().getType().getDimSize(0);
  for (auto [name, value, h] :
       {std::make_tuple("q", getQ(), heads), std::make_tuple("k", getK(), kvHeads),
        std::make_tuple("v", getV(), kvHeads)}) {
    if (failed(checkDim(op, name, value.getType(), 0, n,
                        "the number of tokens")) ||
        failed(checkDim(op, name, value.getType(), 1, h, "its head count")) ||
        failed(checkDim(op, name, value.getType(), 2, headDim, "head_dim")))
      return failure();
  }
  return success();
}

/// RoPE over the dimensions [offset, headDim) of a head: that span's rotated
/// leading dimensions must be even and positive in number.
static LogicalResult verifyRotation(Operation *op, RopeAttr rope,
                                    int64_t headDim,
                                    std::optional<int64_t> offset) {
  if (ShapedType::isDynamic(headDim))
    return op->emitOpError() << "head_dim must be static";
  if (offset && (*offset < 0 || *offset >= headDim))
    return op->emitOpError() << "'rope_offset' (" << *offset
                             << ") must be in [0, head_dim = " << headDim
                             << ")";
  int64_t span = headDim - offset.value_or(0);
  int64_t rotary = rope.getRotaryDim(span);
  if (rotary <= 0 || rotary % 2)
    return op->emitOpError()
           << "rotated dimensions (fraction " << rope.getFractionValue()
           << (offset ? " of head_dim - rope_offset " : " of head_dim ")
           << span << " = " << rotary << ") must be even and positive";
  return success();
}

/// The fused rotation of tfc.attention / tfc.kv_cache_append (tfc-fuse-rope).
static LogicalResult verifyFusedRotation(Operation *op, RopeAttr rope,
                                         std::optional<int64_t> offset,
                                         int64_t headDim) {
  if (!rope) {
    if (offset)
      return op->emitOpError() << "'rope_offset' without 'rope'";
    return success();
  }
  return verifyRotation(op, rope, headDim, offset);
}

LogicalResult RopeOp::verify() {
  return verifyRotation(*this, getRope(), getInput().getType().getDimSize(2),
                        std::nullopt);
}

LogicalResult AttentionOp::verify() {
  Operation *op = getOperation();
  ArrayRef<int64_t> q = getQuery().getType().getShape();
  ArrayRef<int64_t> k = getKey().getType().getShape();
  ArrayRef<int64_t> v = getValue().getType().getShape();
  if (ShapedType::isDynamic(q[1]) || ShapedType::isDynamic(k[1]) ||
      ShapedType::isDynamic(q[2]) || ShapedType::isDynamic(v[2]))
    return emitOpError() << "head counts and head dims must be static";
  if (q[1] <= 0 || k[1] <= 0)
    return emitOpError() << "query heads (" << q[1] << ") and key heads ("
                         << k[1] << ") must be positive";
  if (q[1] % k[1])
    return emitOpError() << "query heads (" << q[1]
                         << ") must be a multiple of key heads (" << k[1]
                         << ")";
  if (failed(checkDim(op, "key", getKey().getType(), 2, q[2],
                      "the query head_dim")) ||
      failed(checkDim(op, "value", getValue().getType(), 0, k[0],
                      "the number of keys")) ||
      failed(checkDim(op, "value", getValue().getType(), 1, k[1],
                      "the number of key heads")) ||
      failed(checkDim(op, "result", getType(), 0, q[0],
                      "the number of queries")) ||
      failed(checkDim(op, "result", getType(), 1, q[1],
                      "the number of query heads")) ||
      failed(checkDim(op, "result", getType(), 2, v[2], "the value head_dim")))
    return failure();
  if (Value bias = getBias()) {
    if (failed(checkDim(op, "bias", bias.getType(), 0, q[1],
                        "the number of query heads")) ||
        failed(checkDim(op, "bias", bias.getType(), 1, q[0],
                        "the number of queries")) ||
        failed(checkDim(op, "bias", bias.getType(), 2, k[0],
                        "the number of keys")))
      return failure();
  }
  if (static_cast<bool>(getRelativeBiasAttr()) !=
      static_cast<bool>(getRelativeBiasTable()))
    return emitOpError() << "'relative_bias' and its table come together";
  if (Value table = getRelativeBiasTable()) {
    if (failed(checkDim(op, "relative_bias table", table.getType(), 0,
                        getRelativeBiasAttr().getBuckets(),
                        "the number of buckets")) ||
        failed(checkDim(op, "relative_bias table", table.getType(), 1, q[1],
                        "the number of query heads")))
      return failure();
  }
  if (failed(checkPositive(op, "scale", getScale().convertToDouble())))
    return failure();
  if (getWindowAttr() && getWindowAttr().getInt() <= 0)
    return emitOpError() << "'window' must be positive, got "
                         << getWindowAttr().getInt();
  if (getSoftcap() &&
      failed(checkPositive(op, "softcap", getSoftcap()->convertToDouble())))
    return failure();
  return verifyFusedRotation(op, getRopeAttr(), getRopeOffset(), q[2]);
}

LogicalResult RelativePositionBiasOp::verify() {
  Operation *op = getOperation();
  if (failed(checkDim(op, "table", getTable().getType(), 0,
                      getConfig().getBuckets(), "the number of buckets")) ||
      failed(checkDim(op, "result", getType(), 0,
                      getTable().getType().getDimSize(1),
                      "the number of heads")))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// KV cache
//===----------------------------------------------------------------------===//

/// A cache row holds one position's keys then values:
/// `kv_heads * (head_dim + value_dim)` floats, the row width when static;
/// `kv_heads * head_dim` when the values are in the keys (`valueInKey`, or no
/// `valueType` at all: an append of keys only).
static LogicalResult verifyCacheRow(Operation *op, Type keyType,
                                    Type valueType, MemRefType cache,
                                    bool valueInKey) {
  auto key = cast<ShapedType>(keyType);
  auto value = cast_if_present<ShapedType>(valueType);
  if (ShapedType::isDynamic(key.getDimSize(1)) ||
      ShapedType::isDynamic(key.getDimSize(2)) ||
      (value && ShapedType::isDynamic(value.getDimSize(2))))
    return op->emitOpError() << "key and value heads and dims must be static";
  if (value &&
      (failed(checkDim(op, "value", valueType, 0, key.getDimSize(0),
                       "the number of keys")) ||
       failed(checkDim(op, "value", valueType, 1, key.getDimSize(1),
                       "the number of key heads"))))
    return failure();
  if (valueInKey && value.getDimSize(2) > key.getDimSize(2))
    return op->emitOpError()
           << "with 'value_in_key' the value is the leading dims of each key "
              "head: value_dim ("
           << value.getDimSize(2) << ") must not exceed head_dim ("
           << key.getDimSize(2) << ")";
  int64_t valueDim = value && !valueInKey ? value.getDimSize(2) : 0;
  int64_t floats = key.getDimSize(1) * (key.getDimSize(2) + valueDim);
  int64_t row = cache.getDimSize(1);
  if (!ShapedType::isDynamic(row) && floats != row)
    return op->emitOpError()
           << (valueDim ? "keys and values take " : "keys (the values in them) take ")
           << floats << " floats per position but a cache row has " << row;
  return success();
}

LogicalResult KVCacheAppendOp::verify() {
  if (failed(verifyCacheRow(*this, getKey().getType(),
                            getValue() ? getValue().getType() : Type(),
                            getCache().getType(), /*valueInKey=*/false)))
    return failure();
  return verifyFusedRotation(*this, getRopeAttr(), getRopeOffset(),
                             getKey().getType().getDimSize(2));
}

LogicalResult KVCacheReadOp::verify() {
  return verifyCacheRow(*this, getKey().getType(), getValue().getType(),
                        getCache().getType(), getValueInKey());
}

//===----------------------------------------------------------------------===//
// Mixture of experts
//===----------------------------------------------------------------------===//

LogicalResult MoEOp::verify() {
  Operation *op = getOperation();
  int64_t hidden = getInput().getType().getDimSize(1);
  int64_t experts = getRouter().getType().getDimSize(0);
  if (failed(checkDim(op, "router", getRouter().getType(), 1, hidden,
                      "the hidden size")))
    return failure();
  if (ShapedType::isDynamic(experts))
    return emitOpError() << "the number of experts must be static";
  int64_t topK = getTopK();
  if (topK <= 0 || topK > experts)
    return emitOpError() << "'top_k' (" << topK
                         << ") must be in [1, experts = " << experts << "]";
  if (static_cast<int64_t>(getUpWeights().size()) != experts ||
      static_cast<int64_t>(getDownWeights().size()) != experts ||
      (!getGateWeights().empty() &&
       static_cast<int64_t>(getGateWeights().size()) != experts))
    return emitOpError() << "needs one up and one down weight per expert ("
                         << experts << ") and one gate weight per expert or "
                         << "none; got gate " << getGateWeights().size()
                         << ", up " << getUpWeights().size() << ", down "
                         << getDownWeights().size();
  int64_t inter = cast<ShapedType>(getUpWeights()[0].getType()).getDimSize(0);
  for (Value w : getGateWeights())
    if (w.getType() != getUpWeights()[0].getType())
      return emitOpError() << "gate weight " << w.getType()
                           << " differs from the up weights "
                           << getUpWeights()[0].getType();
  for (Value w : getUpWeights())
    if (failed(checkDim(op, "up weight", w.getType(), 0, inter,
                        "the expert width")) ||
        failed(checkDim(op, "up weight", w.getType(), 1, hidden,
                        "the hidden size")))
      return failure();
  for (Value w : getDownWeights())
    if (failed(checkDim(op, "down weight", w.getType(), 0, hidden,
                        "the hidden size")) ||
        failed(checkDim(op, "down weight", w.getType(), 1, inter,
                        "the expert width")))
      return failure();
  if (getType() != getInput().getType())
    return emitOpError() << "result type " << getType()
                         << " must equal the input type "
                         << getInput().getType();
  if (failed(checkPositive(op, "routed_scale",
                           getRoutedScale().convertToDouble())))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// Fused ops
//===----------------------------------------------------------------------===//

LogicalResult ResidualNormOp::verify() {
  NormAttr norm = getNorm();
  bool rms = norm.getKind() == NormKind::RMSNorm;
  if (rms && getBias())
    return emitOpError() << "an RMSNorm has no bias";
  if (!rms && norm.getBias() != static_cast<bool>(getBias()))
    return emitOpError() << "'norm' says bias = " << norm.getBias()
                         << " but the op has " << (getBias() ? "a" : "no")
                         << " bias operand";
  return verifyNormOperands(*this, getResidual(), getWeight(), getBias(),
                            norm.getEps().convertToDouble());
}

LogicalResult GatedLinearOp::verify() {
  if (getGateWeight().getType() != getUpWeight().getType())
    return emitOpError() << "gate weight " << getGateWeight().getType()
                         << " and up weight " << getUpWeight().getType()
                         << " must have one type";
  return verifyProjection(*this, getInput(), getGateWeight(), Value(),
                          getLayout(), getType());
}
