//===- DispatchExperts.cpp - Mark tfc.moe for routed dispatch -------------===//
#include "tfc/Dialect/TFC/IR/TFCOps.h"
#include "tfc/Dialect/TFC/Transforms/Passes.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCDISPATCHEXPERTS
#include "tfc/Dialect/TFC/Transforms/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;
using namespace mlir::tfc;

namespace {
struct TFCDispatchExpertsPass
    : tfc::impl::TFCDispatchExpertsBase<TFCDispatchExpertsPass> {
  using Base::Base;

  void runOnOperation() override {
    UnitAttr unit = UnitAttr::get(&getContext());
    getOperation().walk([&](MoEOp op) {
      // With every expert chosen there is nothing to skip.
      if (static_cast<int64_t>(op.getTopK()) <
          op.getRouter().getType().getDimSize(0))
        op->setAttr(kDispatchAttrName, unit);
    });
  }
};
} // namespace
