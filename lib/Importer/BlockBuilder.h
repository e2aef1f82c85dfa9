//===- BlockBuilder.h - Checked attributes, errors on fields ----*- C++ -*-===//
//
// The readers build a layer's attributes with the attributes' own checked
// constructors and verify each tfc.decoder_block with its op verifier: the
// dialect states every validity rule once. A verifier names the parameter at
// fault ('kv_heads'); the reader recorded which field it read it from
// (FieldOrigins), so the error reaches the user as
//   field 'num_key_value_heads': 'num_attention_heads' (32) must be
//   divisible by 'num_key_value_heads' (5)
//
//===----------------------------------------------------------------------===//
#ifndef TFC_LIB_IMPORTER_BLOCKBUILDER_H
#define TFC_LIB_IMPORTER_BLOCKBUILDER_H

#include "tfc/Importer/Importer.h"

#include "mlir/IR/Diagnostics.h"

namespace mlir::tfc {

class BlockBuilder {
public:
  /// Routes the context's error diagnostics into `diags` while it lives.
  BlockBuilder(MLIRContext *context, ImportDiagnostics &diags);

  MLIRContext *getContext() const { return context; }
  ImportDiagnostics &getDiags() { return diags; }

  /// The origins the next attributes are built under (the reader binds
  /// parameters to fields here as it reads them).
  FieldOrigins &origins() { return current; }
  /// A copy of the current origins, for a LayerSpec.
  std::shared_ptr<const FieldOrigins> snapshot() const {
    return std::make_shared<FieldOrigins>(current);
  }

  /// `AttrT::getChecked(args...)`; a verifier error is reported against the
  /// current origins (`attribute` qualifies its parameter names: "moe" makes
  /// 'intermediate' look up `moe.intermediate` first). Null on error.
  template <typename AttrT, typename... Args>
  AttrT get(llvm::StringRef attribute, Args &&...args) {
    return AttrT::getChecked([&] { return emit(attribute, &current); },
                             context, std::forward<Args>(args)...);
  }

  /// Runs `op`'s verifier; its errors are reported against `origins`.
  LogicalResult verify(Operation *op, const FieldOrigins &origins);

  /// The message of an attribute or op verifier, with the parameters it
  /// names replaced by the fields they came from (exposed for testing).
  static std::string translate(llvm::StringRef message,
                               const FieldOrigins *origins,
                               llvm::StringRef attribute);

private:
  InFlightDiagnostic emit(llvm::StringRef attribute,
                          const FieldOrigins *origins);

  MLIRContext *context;
  ImportDiagnostics &diags;
  FieldOrigins current;
  /// What the diagnostic being reported is about.
  const FieldOrigins *activeOrigins = nullptr;
  std::string activeAttribute;
  ScopedDiagnosticHandler handler;
};

/// Attribute parameters are APFloats; the readers hold doubles. (Pass
/// these typed: an argument of another type would select the storage-level
/// getChecked template instead of the attribute's verified one.)
inline std::optional<llvm::APFloat> noF64() { return std::nullopt; }
inline std::optional<int64_t> noInt() { return std::nullopt; }
inline llvm::APFloat f64(double v) { return llvm::APFloat(v); }
inline std::optional<llvm::APFloat> optF64(std::optional<double> v) {
  if (!v)
    return std::nullopt;
  return llvm::APFloat(*v);
}

} // namespace mlir::tfc

#endif // TFC_LIB_IMPORTER_BLOCKBUILDER_H
