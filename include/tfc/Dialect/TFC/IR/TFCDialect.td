//===- TFCDialect.td - The tfc dialect ---------------------*- tablegen -*-===//
//
// The dialect of decoder-only Transformer models: blocks with their variants
// as attributes (model level) and the operators they expand into (op level).
//
//===----------------------------------------------------------------------===//

#ifndef TFC_DIALECT_TFC_IR_TFCDIALECT_TD
#define TFC_DIALECT_TFC_IR_TFCDIALECT_TD

include "mlir/IR/OpBase.td"

def TFC_Dialect : Dialect {
  let name = "tfc";
  let cppNamespace = "::mlir::tfc";
  let summary = "Decoder-only Transformer models and their operators";
  let description = [{
    The `tfc` dialect describes a decoder-only Transformer at two levels.

    At the *model level*, a function holds the embedding, one
    `tfc.decoder_block` per layer and the output head. Each block names its
    architectural choices as attributes: norm kind and placement, position
    encoding, attention variant, feed-forward variant, serial or parallel
    shape. Weights are never constants: `tfc.weight_decl` declares each tensor
    of the checkpoint by its exact name, and ops refer to it symbolically.

    At the *op level*, after `tfc-expand-blocks`, the same model is a graph of
    operators on tensors (`tfc.rms_norm`, `tfc.linear`, `tfc.rope`,
    `tfc.attention`, `tfc.glu`, `tfc.moe`, ...) that fusion passes match and
    lowering passes turn into upstream dialects.

    Activations are f32 tensors `[tokens, features]` (or `[tokens, heads,
    head_dim]` around attention); the number of tokens is dynamic.
  }];
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
  let extraClassDeclaration = [{
    /// Registers the attributes (in TFCAttrs.cpp, where their storage is).
    void registerAttributes();
  }];
}

class TFC_Op<string mnemonic, list<Trait> traits = []>
    : Op<TFC_Dialect, mnemonic, traits>;

#endif // TFC_DIALECT_TFC_IR_TFCDIALECT_TD
