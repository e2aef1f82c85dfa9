//===- TFCToLinalgPass.cpp - The tfc-lower-to-linalg pass -----------------===//
//
// Applies every family of populateTFCToLinalgConversionPatterns as a partial
// conversion: no tfc op may remain.
//
//===----------------------------------------------------------------------===//
#include "tfc/Conversion/Passes.h"
#include "tfc/Conversion/TFCToLinalg/TFCToLinalg.h"
#include "tfc/Dialect/TFC/IR/TFCOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCLOWERTOLINALG
#include "tfc/Conversion/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;
using namespace mlir::tfc;

void mlir::tfc::populateTFCToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  populateTFCEmbeddingToLinalgPatterns(patterns);
  populateTFCNormToLinalgPatterns(patterns);
  populateTFCContractionToLinalgPatterns(patterns);
  populateTFCElementwiseToLinalgPatterns(patterns);
  populateTFCAttentionToLinalgPatterns(patterns);
  populateTFCKVCacheToLinalgPatterns(patterns);
  populateTFCMoEToLinalgPatterns(patterns);
}

namespace {
/// Model-level ops are not the lowering's input: say which pass comes first.
struct RejectDecoderBlock : OpRewritePattern<DecoderBlockOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DecoderBlockOp op,
                                PatternRewriter &) const override {
    return op.emitOpError("must be expanded (tfc-expand-blocks) before "
                          "tfc-lower-to-linalg");
  }
};

struct TFCLowerToLinalgPass
    : tfc::impl::TFCLowerToLinalgBase<TFCLowerToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect,
                           arith::ArithDialect, math::MathDialect,
                           memref::MemRefDialect,
                           bufferization::BufferizationDialect,
                           func::FuncDialect, LLVM::LLVMDialect,
                           scf::SCFDialect>();
    target.addIllegalDialect<TFCDialect>();
    RewritePatternSet patterns(ctx);
    populateTFCToLinalgConversionPatterns(patterns);
    patterns.add<RejectDecoderBlock>(ctx);

    // A pattern that cannot lower its op says why on the op; the driver's
    // generic "failed to legalize" on that same op adds nothing, so it is
    // dropped. Ops no pattern explained keep the driver's error.
    llvm::DenseSet<Location> explained;
    ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &diag) {
      if (diag.getSeverity() != DiagnosticSeverity::Error)
        return failure();
      if (explained.contains(diag.getLocation()) &&
          StringRef(diag.str()).starts_with("failed to legalize operation"))
        return success();
      explained.insert(diag.getLocation());
      return failure();
    });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
