//===- ManifestTable.cpp - The tfc_manifest table as LLVM globals ---------===//

#include "ManifestTable.h"

#include "tfc/Runtime/ManifestABI.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ADT/StringMap.h"

#include <cstddef>

using namespace mlir;
using namespace mlir::tfc;

namespace {
// Field positions of the structs of ManifestABI.h, in declaration order.
// Every field there is 8 bytes, so position i is byte 8 * i: the asserts pin
// the C declaration to these lists, so that a field added there and not here
// fails to compile instead of shifting what the runtime reads.
enum TableField : int64_t {
  kMagic,
  kVersion,
  kModelType,
  kVocabSize,
  kHiddenSize,
  kNumLayers,
  kTrainedContext,
  kPositionLimit,
  kBaseModelPrefix,
  kKVDType,
  kNumKVCaches,
  kKVCaches,
  kNumWeights,
  kWeights,
  kNumOptional,
  kOptional,
  kNumTableFields
};
enum KVCacheField : int64_t { kElementsPerToken, kWindow, kNumKVCacheFields };
enum WeightField : int64_t { kName, kDType, kRank, kShape, kNumWeightFields };

#define TFC_CHECK_FIELD(type, field, position)                                 \
  static_assert(offsetof(type, field) == 8 * (position),                       \
                #type "." #field " moved: update ManifestTable.cpp")
TFC_CHECK_FIELD(tfc_manifest_v4, magic, kMagic);
TFC_CHECK_FIELD(tfc_manifest_v4, version, kVersion);
TFC_CHECK_FIELD(tfc_manifest_v4, model_type, kModelType);
TFC_CHECK_FIELD(tfc_manifest_v4, vocab_size, kVocabSize);
TFC_CHECK_FIELD(tfc_manifest_v4, hidden_size, kHiddenSize);
TFC_CHECK_FIELD(tfc_manifest_v4, num_layers, kNumLayers);
TFC_CHECK_FIELD(tfc_manifest_v4, trained_context, kTrainedContext);
TFC_CHECK_FIELD(tfc_manifest_v4, position_limit, kPositionLimit);
TFC_CHECK_FIELD(tfc_manifest_v4, base_model_prefix, kBaseModelPrefix);
TFC_CHECK_FIELD(tfc_manifest_v4, kv_dtype, kKVDType);
TFC_CHECK_FIELD(tfc_manifest_v4, num_kv_caches, kNumKVCaches);
TFC_CHECK_FIELD(tfc_manifest_v4, kv_caches, kKVCaches);
TFC_CHECK_FIELD(tfc_manifest_v4, num_weights, kNumWeights);
TFC_CHECK_FIELD(tfc_manifest_v4, weights, kWeights);
TFC_CHECK_FIELD(tfc_manifest_v4, num_optional, kNumOptional);
TFC_CHECK_FIELD(tfc_manifest_v4, optional, kOptional);
TFC_CHECK_FIELD(tfc_manifest_kv_cache_v4, elements_per_token,
                kElementsPerToken);
TFC_CHECK_FIELD(tfc_manifest_kv_cache_v4, window, kWindow);
TFC_CHECK_FIELD(tfc_manifest_weight_v4, name, kName);
TFC_CHECK_FIELD(tfc_manifest_weight_v4, dtype, kDType);
TFC_CHECK_FIELD(tfc_manifest_weight_v4, rank, kRank);
TFC_CHECK_FIELD(tfc_manifest_weight_v4, shape, kShape);
#undef TFC_CHECK_FIELD
static_assert(sizeof(tfc_manifest_v4) == 8 * kNumTableFields &&
                  sizeof(tfc_manifest_kv_cache_v4) == 8 * kNumKVCacheFields &&
                  sizeof(tfc_manifest_weight_v4) ==
                      8 * (kShape + TFC_MANIFEST_MAX_RANK) &&
                  kNumWeightFields == kShape + 1,
              "a struct of ManifestABI.h changed: update ManifestTable.cpp");
static_assert(sizeof(TFC_MANIFEST_MAGIC) == 8, "the magic is 8 bytes");

/// The ABI's element type code of a weight or cache type.
int64_t dtypeCode(Type type) {
  // int8 weights are tfc-quantize-weights' q8_0 values, its one scheme.
  if (type.isInteger(8))
    return TFC_MANIFEST_Q8_0;
  if (type.isBF16())
    return TFC_MANIFEST_BF16;
  if (type.isF16())
    return TFC_MANIFEST_F16;
  return TFC_MANIFEST_F32;
}

/// An identified struct, so the IR and LLVM IR name the ABI's types.
LLVM::LLVMStructType namedStruct(MLIRContext *ctx, StringRef name,
                                 ArrayRef<Type> body) {
  auto type = LLVM::LLVMStructType::getIdentified(ctx, name);
  // The same body every time: a second run in one context finds it set.
  LogicalResult set = type.setBody(body, /*isPacked=*/false);
  assert(succeeded(set) && "identified struct redefined");
  (void)set;
  return type;
}

/// Builds constant globals one initializer region at a time.
class TableEmitter {
public:
  explicit TableEmitter(ModuleOp module)
      : ctx(module.getContext()), loc(module.getLoc()),
        top(module.getBody(), module.getBody()->end()), b(ctx),
        i64(IntegerType::get(ctx, 64)), ptr(LLVM::LLVMPointerType::get(ctx)) {}

  void emit(const ManifestContents &contents);

private:
  MLIRContext *ctx;
  Location loc;
  /// Creates globals at the end of the module.
  OpBuilder top;
  /// Inserts into the initializer region of the global being built.
  OpBuilder b;
  Type i64, ptr;
  llvm::DenseMap<int64_t, Value> ints;
  llvm::StringMap<std::string> strings;

  /// Starts a constant global; `b` builds its initializer until `end`.
  void begin(StringRef name, Type type, LLVM::Linkage linkage) {
    auto global = LLVM::GlobalOp::create(top, loc, type, /*isConstant=*/true,
                                         linkage, name, Attribute());
    b.createBlock(&global.getInitializerRegion());
    ints.clear();
  }
  void end(Value value) { LLVM::ReturnOp::create(b, loc, value); }

  Value int64(int64_t value) {
    Value &constant = ints[value];
    if (!constant)
      constant =
          LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(value));
    return constant;
  }
  /// The address of a private NUL-terminated copy of `value`, one per
  /// distinct string.
  Value string(StringRef value) {
    std::string &name = strings[value];
    if (name.empty()) {
      name = "tfc_manifest.str." + std::to_string(strings.size() - 1);
      std::string bytes = value.str();
      bytes.push_back('\0');
      LLVM::GlobalOp::create(
          top, loc, LLVM::LLVMArrayType::get(b.getI8Type(), bytes.size()),
          /*isConstant=*/true, LLVM::Linkage::Private, name,
          top.getStringAttr(bytes));
    }
    return LLVM::AddressOfOp::create(b, loc, ptr, name);
  }
  /// The address of the record array `name`, or null for an empty one.
  Value array(StringRef name, size_t size) {
    if (size == 0)
      return LLVM::ZeroOp::create(b, loc, ptr);
    return LLVM::AddressOfOp::create(b, loc, ptr, name);
  }
  Value insert(Value container, Value value, int64_t position) {
    return LLVM::InsertValueOp::create(b, loc, container, value,
                                       ArrayRef<int64_t>{position});
  }
  /// A private constant array of `records`, each built by `record`.
  template <typename T>
  void recordArray(StringRef name, Type elementType, ArrayRef<T> records,
                   function_ref<Value(const T &)> record) {
    if (records.empty())
      return;
    auto type = LLVM::LLVMArrayType::get(elementType, records.size());
    begin(name, type, LLVM::Linkage::Private);
    Value result = LLVM::PoisonOp::create(b, loc, type);
    for (auto [i, r] : llvm::enumerate(records))
      result = insert(result, record(r), i);
    end(result);
  }
};

void TableEmitter::emit(const ManifestContents &contents) {
  auto kvCacheType = namedStruct(ctx, "tfc_manifest_kv_cache_v4", {i64, i64});
  auto shapeType = LLVM::LLVMArrayType::get(i64, TFC_MANIFEST_MAX_RANK);
  auto weightType =
      namedStruct(ctx, "tfc_manifest_weight_v4", {ptr, i64, i64, shapeType});
  SmallVector<Type> fields(kNumTableFields, i64);
  fields[kMagic] = LLVM::LLVMArrayType::get(b.getI8Type(), 8);
  for (TableField field :
       {kModelType, kBaseModelPrefix, kKVCaches, kWeights, kOptional})
    fields[field] = ptr;
  auto tableType = namedStruct(ctx, "tfc_manifest_v4", fields);

  // The arrays first: each is a global of its own, built to its end.
  using KVCache = ManifestContents::KVCache;
  using Weight = ManifestContents::Weight;
  recordArray<KVCache>("tfc_manifest.kv_caches", kvCacheType, contents.kvCaches,
                       [&](const KVCache &cache) {
                         Value v = LLVM::PoisonOp::create(b, loc, kvCacheType);
                         v = insert(v, int64(cache.elementsPerToken),
                                    kElementsPerToken);
                         return insert(v, int64(cache.window), kWindow);
                       });
  recordArray<Weight>(
      "tfc_manifest.weights", weightType, contents.weights,
      [&](const Weight &weight) {
        SmallVector<int64_t> dims(weight.type.getShape());
        dims.resize(TFC_MANIFEST_MAX_RANK, 0);
        Value shape = LLVM::ConstantOp::create(
            b, loc, shapeType,
            DenseElementsAttr::get(
                RankedTensorType::get({TFC_MANIFEST_MAX_RANK}, i64),
                ArrayRef<int64_t>(dims)));
        Value v = LLVM::PoisonOp::create(b, loc, weightType);
        v = insert(v, string(weight.name), kName);
        v = insert(v, int64(dtypeCode(weight.type.getElementType())), kDType);
        v = insert(v, int64(weight.type.getRank()), kRank);
        return insert(v, shape, kShape);
      });
  recordArray<std::string>(
      "tfc_manifest.optional", ptr, contents.optional,
      [&](const std::string &name) { return string(name); });

  begin("tfc_manifest", tableType, LLVM::Linkage::External);
  Value t = LLVM::PoisonOp::create(b, loc, tableType);
  t = insert(t,
             LLVM::ConstantOp::create(
                 b, loc, fields[kMagic],
                 b.getStringAttr(StringRef(TFC_MANIFEST_MAGIC, 8))),
             kMagic);
  t = insert(t, int64(TFC_MANIFEST_VERSION), kVersion);
  t = insert(t, string(contents.modelType), kModelType);
  t = insert(t, int64(contents.vocabSize), kVocabSize);
  t = insert(t, int64(contents.hiddenSize), kHiddenSize);
  t = insert(t, int64(contents.numLayers), kNumLayers);
  t = insert(t, int64(contents.trainedContext), kTrainedContext);
  t = insert(t, int64(contents.positionLimit), kPositionLimit);
  t = insert(t, string(contents.baseModelPrefix), kBaseModelPrefix);
  t = insert(t, int64(dtypeCode(contents.kvElementType)), kKVDType);
  t = insert(t, int64(contents.kvCaches.size()), kNumKVCaches);
  t = insert(t, array("tfc_manifest.kv_caches", contents.kvCaches.size()),
             kKVCaches);
  t = insert(t, int64(contents.weights.size()), kNumWeights);
  t = insert(t, array("tfc_manifest.weights", contents.weights.size()),
             kWeights);
  t = insert(t, int64(contents.optional.size()), kNumOptional);
  t = insert(t, array("tfc_manifest.optional", contents.optional.size()),
             kOptional);
  end(t);
}
} // namespace

int64_t mlir::tfc::getManifestMaxRank() { return TFC_MANIFEST_MAX_RANK; }

void mlir::tfc::emitManifestTable(ModuleOp module,
                                  const ManifestContents &contents) {
  TableEmitter(module).emit(contents);
}
