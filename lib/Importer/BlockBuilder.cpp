//===- BlockBuilder.cpp - Checked attributes, errors on fields ------------===//
#include "BlockBuilder.h"

#include "mlir/IR/Verifier.h"

using namespace mlir;
using namespace mlir::tfc;

BlockBuilder::BlockBuilder(MLIRContext *context, ImportDiagnostics &diags)
    : context(context), diags(diags),
      handler(context, [this](Diagnostic &d) {
        if (d.getSeverity() != DiagnosticSeverity::Error)
          return success();
        this->diags.error(translate(d.str(), activeOrigins, activeAttribute));
        return success();
      }) {}

InFlightDiagnostic BlockBuilder::emit(llvm::StringRef attribute,
                                      const FieldOrigins *origins) {
  activeOrigins = origins;
  activeAttribute = attribute.str();
  return mlir::emitError(UnknownLoc::get(context));
}

LogicalResult BlockBuilder::verify(Operation *op, const FieldOrigins &origins) {
  activeOrigins = &origins;
  activeAttribute.clear();
  return mlir::verify(op, /*verifyRecursively=*/false);
}

std::string BlockBuilder::translate(llvm::StringRef message,
                                    const FieldOrigins *origins,
                                    llvm::StringRef attribute) {
  // An op verifier's message starts with the op ("'tfc.decoder_block' op
  // "): the field says what is at fault.
  message.consume_front("'tfc.decoder_block' op ");
  if (!origins)
    return message.str();
  auto lookup = [&](llvm::StringRef param) -> const std::string * {
    if (!attribute.empty()) {
      auto it = origins->fields.find((attribute + "." + param).str());
      if (it != origins->fields.end())
        return &it->second;
    }
    auto it = origins->fields.find(param);
    return it == origins->fields.end() ? nullptr : &it->second;
  };
  // Every 'name' the message quotes that the reader bound becomes the
  // field's name; the first one is the field the error is about.
  std::string out, first;
  size_t pos = 0;
  while (pos < message.size()) {
    size_t open = message.find('\'', pos);
    size_t close =
        open == llvm::StringRef::npos ? open : message.find('\'', open + 1);
    if (close == llvm::StringRef::npos) {
      out += message.substr(pos).str();
      break;
    }
    llvm::StringRef name = message.slice(open + 1, close);
    out += message.slice(pos, open).str();
    if (const std::string *field = lookup(name)) {
      out += "'" + *field + "'";
      if (first.empty())
        first = *field;
    } else {
      out += message.slice(open, close + 1).str();
    }
    pos = close + 1;
  }
  // "'kv_heads' (5) must divide ..." names its field first: it becomes
  // "field 'num_key_value_heads' (5) must divide ...".
  if (!first.empty() && llvm::StringRef(out).starts_with("'" + first + "'"))
    return "field " + out;
  if (first.empty()) {
    if (const std::string *field =
            attribute.empty() ? nullptr : lookup(attribute))
      first = *field;
    else
      first = origins->object;
  }
  return first.empty() ? out : "field '" + first + "': " + out;
}
