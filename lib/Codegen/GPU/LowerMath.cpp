//===- LowerMath.cpp - Math ops of GPU kernels without libdevice ----------===//
#include "tfc/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::tfc {
#define GEN_PASS_DEF_TFCGPULOWERMATH
#include "tfc/Codegen/Passes.h.inc"
} // namespace mlir::tfc

using namespace mlir;

namespace {
/// An f32 math op as one PTX instruction `ptx` (a literal; `$0` the result,
/// `$1`... the operands).
template <typename MathOp> struct MathToPtx : OpRewritePattern<MathOp> {
  MathToPtx(MLIRContext *context, StringRef ptx)
      : OpRewritePattern<MathOp>(context), ptx(ptx) {}

  LogicalResult matchAndRewrite(MathOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getType().isF32())
      return rewriter.notifyMatchFailure(op, "not a scalar f32");
    auto inline_ = NVVM::InlinePtxOp::create(
        rewriter, op.getLoc(), TypeRange{op.getType()}, op->getOperands(),
        ValueRange{}, ptx, Value());
    rewriter.replaceOp(op, inline_->getResults());
    return success();
  }

  StringRef ptx;
};

/// math.fma as llvm.intr.fma, which convert-gpu-to-nvvm keeps and NVPTX
/// emits as fma.rn (the approximations above are chains of fma).
struct FmaToLLVM : OpRewritePattern<math::FmaOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(math::FmaOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getType().isF32())
      return rewriter.notifyMatchFailure(op, "not a scalar f32");
    rewriter.replaceOpWithNewOp<LLVM::FMAOp>(op, op.getA(), op.getB(),
                                             op.getC());
    return success();
  }
};

struct TFCGPULowerMath
    : public tfc::impl::TFCGPULowerMathBase<TFCGPULowerMath> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    // exp, tanh, erf, sin, cos, ... in arith, with f16/bf16 through f32.
    populateMathPolynomialApproximationPatterns(patterns);
    patterns.add<FmaToLLVM>(context);
    patterns.add<MathToPtx<math::SqrtOp>>(context, "sqrt.rn.f32 $0, $1;");
    patterns.add<MathToPtx<math::RsqrtOp>>(context, "rsqrt.approx.f32 $0, $1;");
    patterns.add<MathToPtx<math::AbsFOp>>(context, "abs.f32 $0, $1;");
    patterns.add<MathToPtx<math::FloorOp>>(context, "cvt.rmi.f32.f32 $0, $1;");
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
