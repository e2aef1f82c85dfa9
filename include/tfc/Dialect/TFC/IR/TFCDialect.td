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

    Discardable attributes carry what is not an op's own: on the module, the
    model's facts the manifest records (`tfc.model_type`, `tfc.num_layers`,
    `tfc.base_model_prefix`, `tfc.trained_context`, `tfc.position_limit`,
    `tfc.optional_weights`); on functions, `tfc.layers` (the layers a layer
    function computes); on function arguments, `tfc.name` and `tfc.kv_window`
    (a sliding-window layer's cache, which may be a ring of that many rows);
    on ops, the decisions of optimisation passes for the lowering
    (`tfc.kv_tile`, `tfc.kv_chunk` on `tfc.attention`, `tfc.dispatch` on
    `tfc.moe`). The dialect verifies each one's type, range and place
    (TFCDialect.h lists them); any other `tfc.` attribute is an error.

    ```mlir
    module attributes {tfc.model_type = "llama", tfc.num_layers = 32 : i64,
                       tfc.trained_context = 8192 : i64} {
      func.func @forward(%tokens: tensor<?xi64> {tfc.name = "tokens"}, ...,
                         %c0: memref<?x1024xf32> {tfc.kv_window = 4096 : i64})
    }
    ```
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
  let extraClassDeclaration = [{
    /// Registers the attributes (in TFCAttrs.cpp, where their storage is).
    void registerAttributes();
  }];
}

// Every tfc op rejects a discardable attribute without a dialect prefix: with
// properties, a misspelt optional attribute (`weight_ofset`) would otherwise
// parse as a discardable one and be silently ignored. Prefixed ones are the
// dialects' to verify (tfc.* in TFCDialect.cpp).
def TFC_OwnAttributesOnly : NativeOpTrait<"OwnAttributesOnly"> {
  let cppNamespace = "::mlir::tfc";
}

class TFC_Op<string mnemonic, list<Trait> traits = []>
    : Op<TFC_Dialect, mnemonic, !listconcat(traits, [TFC_OwnAttributesOnly])>;

#endif // TFC_DIALECT_TFC_IR_TFCDIALECT_TD
