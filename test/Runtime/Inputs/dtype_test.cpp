// dtype_test.cpp - the runtime's f32 -> bf16 / f16 rounding on edge cases.
//
// Links lib/Runtime's DType.o out of libTFCRuntime.a. Prints "FAIL: ..."
// for a broken expectation and a final "dtype_test: N checks, M failed".

#include "DType.h"

#include <cmath>
#include <cstdio>
#include <cstring>

using namespace tfc::runtime;

static int checks, failures;

static float fromBits(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, sizeof(f));
  return f;
}

static void expectBits(const char *what, float in, unsigned got,
                       unsigned want) {
  ++checks;
  if (got != want) {
    ++failures;
    std::printf("FAIL: %s(%.9g): got 0x%04x, want 0x%04x\n", what, in, got,
                want);
  }
}

static void bf16(uint32_t inBits, unsigned want) {
  float in = fromBits(inBits);
  expectBits("floatToBFloat16", in, floatToBFloat16(in), want);
}

static void half(float in, unsigned want) {
  expectBits("floatToHalf", in, floatToHalf(in), want);
}

static void expectInt(const char *what, int index, int got, int want) {
  ++checks;
  if (got != want) {
    ++failures;
    std::printf("FAIL: %s[%d]: got %d, want %d\n", what, index, got, want);
  }
}

// GGUF's Q8_0 on three blocks of 32 (ggml's quantize_row_q8_0_ref): the
// values first, then one f16 scale per block.
static void q8_0() {
  float x[96];
  // Block 0: max |x| 127, so d = 1 and q = round(x), ties away from zero.
  const float block0[8] = {127.0f, -127.0f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f,
                           0.49f};
  const int want0[8] = {127, -127, 1, -1, 2, 3, -3, 0};
  for (int i = 0; i < 32; ++i)
    x[i] = i < 8 ? block0[i] : 0.0f;
  // Block 1: all zero: d = 0, every q 0.
  for (int i = 32; i < 64; ++i)
    x[i] = 0.0f;
  // Block 2: max |x| 0.254 (d = 0.002 in f32; f16 rounds it to 0x1019), q
  // from the f32 d: 0.001 / 0.002 = 0.5 -> 1, -0.127 -> -64 (63.5 away).
  for (int i = 64; i < 96; ++i)
    x[i] = 0.0f;
  x[64] = 0.254f;
  x[65] = 0.001f;
  x[66] = -0.127f;
  unsigned char out[96 + 6];
  convertElements(DType::F32, x, DType::Q8_0, out, 96);
  auto q = [&](int i) { return static_cast<int>(static_cast<int8_t>(out[i])); };
  auto scale = [&](int block) {
    uint16_t bits;
    std::memcpy(&bits, out + 96 + 2 * block, 2);
    return static_cast<unsigned>(bits);
  };
  for (int i = 0; i < 8; ++i)
    expectInt("q8_0 block 0", i, q(i), want0[i]);
  expectBits("q8_0 scale 0", 1.0f, scale(0), 0x3c00);
  for (int i = 32; i < 64; ++i)
    expectInt("q8_0 zero block", i, q(i), 0);
  expectBits("q8_0 scale 1", 0.0f, scale(1), 0x0000);
  expectInt("q8_0 block 2", 64, q(64), 127);
  expectInt("q8_0 block 2", 65, q(65), 1);
  expectInt("q8_0 block 2", 66, q(66), -64);
  expectBits("q8_0 scale 2", 0.254f / 127.0f, scale(2),
             floatToHalf(0.254f / 127.0f));
  expectInt("q8_0 bytes", 96, static_cast<int>(dtypeBytes(DType::Q8_0, 96)),
            102);
}

int main() {
  // bfloat16: 7 mantissa bits, ulp(1) = 2^-7.
  bf16(0x3f800000, 0x3f80);          // 1 exact
  bf16(0x3f808000, 0x3f80);          // 1 + 2^-8: tie, to even (down)
  bf16(0x3f818000, 0x3f82);          // 1 + 3 * 2^-8: tie, to even (up)
  bf16(0x3f808001, 0x3f81);          // just above the tie: up
  bf16(0x3f807fff, 0x3f80);          // just below the tie: down
  bf16(0xbf808000, 0xbf80);          // -(1 + 2^-8): sign kept
  bf16(0x7f7f7fff, 0x7f7f);          // below the tie at the top: largest finite
  bf16(0x7f7fffff, 0x7f80);          // f32 max: overflows to inf
  bf16(0x7f7f8000, 0x7f80);          // tie with odd mantissa: inf
  bf16(0xff7fffff, 0xff80);          // -f32 max: -inf
  bf16(0x7f800000, 0x7f80);          // inf
  bf16(0xff800000, 0xff80);          // -inf
  bf16(0x7fc00000, 0x7fc0);          // quiet NaN
  bf16(0x7f800001, 0x7fc0);          // signalling NaN, payload only in the
                                     // dropped bits: stays NaN, not inf
  bf16(0xff800001, 0xffc0);          // negative NaN
  bf16(0x7fa00000, 0x7fe0);          // NaN payload bits kept, made quiet
  bf16(0x00000000, 0x0000);          // +0
  bf16(0x80000000, 0x8000);          // -0
  bf16(0x00010000, 0x0001);          // smallest bf16 subnormal, exact
  bf16(0x00008000, 0x0000);          // half of it: tie, to even (0)
  bf16(0x00018000, 0x0002);          // 1.5 of it: tie, to even (2)
  bf16(0x00000001, 0x0000);          // smallest f32 subnormal: 0
  bf16(0x007fffff, 0x0080);          // largest f32 subnormal: rounds to
                                     // the smallest normal

  // binary16: 10 mantissa bits, max 65504, smallest subnormal 2^-24.
  half(1.0f, 0x3c00);
  half(-2.0f, 0xc000);
  half(0.0f, 0x0000);
  half(-0.0f, 0x8000);
  half(1.0f + 0x1p-11f, 0x3c00);     // tie, to even (down)
  half(1.0f + 3 * 0x1p-11f, 0x3c02); // tie, to even (up)
  half(1.0f + 0x1p-11f + 0x1p-20f, 0x3c01);
  half(65504.0f, 0x7bff);            // largest finite
  half(65519.0f, 0x7bff);            // below the tie: largest finite
  half(65520.0f, 0x7c00);            // tie with odd mantissa: inf
  half(-65520.0f, 0xfc00);
  half(1e6f, 0x7c00);                // overflow
  half(fromBits(0x7f7fffff), 0x7c00); // f32 max
  half(INFINITY, 0x7c00);
  half(-INFINITY, 0xfc00);
  half(0x1p-14f, 0x0400);            // smallest normal
  half(0x1p-24f, 0x0001);            // smallest subnormal
  half(1023 * 0x1p-24f, 0x03ff);     // largest subnormal
  half(1023.5f * 0x1p-24f, 0x0400);  // tie, to even: the smallest normal
  half(0x1p-25f, 0x0000);            // half the smallest subnormal: tie to 0
  half(3 * 0x1p-26f, 0x0001);        // above the tie: up
  half(3 * 0x1p-25f, 0x0002);        // 1.5 subnormals: tie, to even (2)
  half(-3 * 0x1p-25f, 0x8002);
  half(0x1p-30f, 0x0000);            // underflow to 0
  half(fromBits(0x00000001), 0x0000); // f32 subnormal

  // NaN stays NaN in both directions, with its sign.
  ++checks;
  uint16_t nanHalf = floatToHalf(NAN), negNanHalf = floatToHalf(-NAN);
  if ((nanHalf & 0x7c00) != 0x7c00 || !(nanHalf & 0x3ff) ||
      !std::isnan(halfToFloat(nanHalf)) || !(negNanHalf & 0x8000) ||
      !std::isnan(halfToFloat(negNanHalf)) ||
      !std::isnan(halfToFloat(floatToHalf(fromBits(0x7f800001))))) {
    ++failures;
    std::printf("FAIL: f16 NaN: 0x%04x 0x%04x\n", nanHalf, negNanHalf);
  }

  // Every non-NaN 16-bit pattern survives widening and narrowing; NaNs stay
  // NaN.
  int roundTripFailures = 0;
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    uint16_t b = static_cast<uint16_t>(bits);
    bool halfNaN = (b & 0x7c00) == 0x7c00 && (b & 0x3ff);
    bool bf16NaN = (b & 0x7f80) == 0x7f80 && (b & 0x7f);
    uint16_t h = floatToHalf(halfToFloat(b));
    uint16_t f = floatToBFloat16(bfloat16ToFloat(b));
    if (halfNaN ? !std::isnan(halfToFloat(h)) : h != b)
      ++roundTripFailures;
    if (bf16NaN ? !std::isnan(bfloat16ToFloat(f)) : f != b)
      ++roundTripFailures;
  }
  ++checks;
  if (roundTripFailures) {
    ++failures;
    std::printf("FAIL: %d 16-bit patterns do not round-trip\n",
                roundTripFailures);
  }

  // convertElements: unaligned source and destination, each direction.
  // 1 + 2^-8: a bf16 tie (to 1), exact in f16 (0x3c04).
  const float values[3] = {1.0f + 0x1p-8f, -65520.0f, 0x1p-24f};
  unsigned char src[1 + sizeof(values)], dst[1 + 3 * 4];
  std::memcpy(src + 1, values, sizeof(values));
  convertElements(DType::F32, src + 1, DType::BF16, dst + 1, 3);
  uint16_t out[3];
  std::memcpy(out, dst + 1, sizeof(out));
  ++checks;
  if (out[0] != 0x3f80 || out[1] != 0xc780 || out[2] != 0x3380) {
    ++failures;
    std::printf("FAIL: convertElements F32->BF16: %04x %04x %04x\n", out[0],
                out[1], out[2]);
  }
  convertElements(DType::F32, src + 1, DType::F16, dst + 1, 3);
  std::memcpy(out, dst + 1, sizeof(out));
  ++checks;
  if (out[0] != 0x3c04 || out[1] != 0xfc00 || out[2] != 0x0001) {
    ++failures;
    std::printf("FAIL: convertElements F32->F16: %04x %04x %04x\n", out[0],
                out[1], out[2]);
  }
  // F16 -> BF16 goes through f32 exactly: 65504 (0x7bff) is 0x477fe000 in
  // f32, which bf16 rounds to 0x4780 (65536).
  uint16_t h65504 = 0x7bff;
  std::memcpy(src + 1, &h65504, 2);
  convertElements(DType::F16, src + 1, DType::BF16, dst + 1, 1);
  std::memcpy(out, dst + 1, 2);
  ++checks;
  if (out[0] != 0x4780) {
    ++failures;
    std::printf("FAIL: convertElements F16->BF16: %04x\n", out[0]);
  }

  q8_0();

  std::printf("dtype_test: %d checks, %d failed\n", checks, failures);
  return failures != 0;
}
