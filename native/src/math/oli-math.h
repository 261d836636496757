// oli-math.h: the own transcendental functions of ARITHMETIC.md (sections 5 and 7) and exact
// dtype widening (section 1). Header-only so every translation unit inlines the same sequence.
// Compiled with -ffp-contract=off: every fma is written out.
#ifndef OLI_MATH_H
#define OLI_MATH_H

#include <cmath>
#include <cstdint>
#include <cstring>

namespace oli {

inline float bits_to_f32(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

inline uint32_t f32_to_bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

inline double bits_to_f64(uint64_t b) {
  double d;
  std::memcpy(&d, &b, 8);
  return d;
}

/** BF16 -> f32 (exact). */
inline float bf16_to_f32(uint16_t h) { return bits_to_f32(static_cast<uint32_t>(h) << 16); }

/** IEEE binary16 -> f32 (exact, subnormals/inf/NaN preserved). */
inline float f16_to_f32(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1Fu;
  uint32_t man = h & 0x3FFu;
  uint32_t bits;
  if (exp == 0) {
    if (man == 0) {
      bits = sign;
    } else {
      // subnormal: normalise
      int e = -1;
      do {
        e++;
        man <<= 1;
      } while ((man & 0x400u) == 0);
      man &= 0x3FFu;
      bits = sign | (static_cast<uint32_t>(127 - 15 - e) << 23) | (man << 13);
    }
  } else if (exp == 0x1F) {
    bits = sign | 0x7F800000u | (man << 13);
  } else {
    bits = sign | ((exp + (127 - 15)) << 23) | (man << 13);
  }
  return bits_to_f32(bits);
}

/** exp_f of ARITHMETIC.md section 5. */
inline float exp_f(float x) {
  if (x != x) return x;
  if (x > 88.72283935546875f) return bits_to_f32(0x7F800000u);
  if (x < -87.0f) return 0.0f;
  float kf = (x * 1.44269502f) + 12582912.0f;
  kf = kf - 12582912.0f;
  int n = static_cast<int>(kf);
  float r = std::fma(kf, -0.693145751953125f, x);
  r = std::fma(kf, -1.428606765330187e-06f, r);
  float p = bits_to_f32(0x39500D01u);
  p = std::fma(p, r, bits_to_f32(0x3AB60B61u));
  p = std::fma(p, r, bits_to_f32(0x3C088889u));
  p = std::fma(p, r, bits_to_f32(0x3D2AAAABu));
  p = std::fma(p, r, bits_to_f32(0x3E2AAAABu));
  p = std::fma(p, r, 0.5f);
  p = std::fma(p, r, 1.0f);
  p = std::fma(p, r, 1.0f);
  if (n <= 127) return p * bits_to_f32(static_cast<uint32_t>(n + 127) << 23);
  return (p * bits_to_f32(0x7F000000u)) * 2.0f;
}

/** silu of ARITHMETIC.md section 6. */
inline float silu_f(float g) { return g / (1.0f + exp_f(-g)); }

/** log_d of ARITHMETIC.md section 7 (x > 0, normal). */
inline double log_d(double x) {
  uint64_t b;
  std::memcpy(&b, &x, 8);
  int e = static_cast<int>((b >> 52) & 0x7FF) - 1023;
  uint64_t mb = (b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull;
  double m;
  std::memcpy(&m, &mb, 8);
  if (m >= 1.4142135623730951) {
    m = m / 2.0;
    e += 1;
  }
  double f = (m - 1.0) / (m + 1.0);
  double f2 = f * f;
  double s = 1.0 / 21.0;
  for (int n = 19; n >= 1; n -= 2) s = (1.0 / n) + f2 * s;
  double logm = 2.0 * (f * s);
  return static_cast<double>(e) * 0.6931471805599453 + logm;
}

/** exp_d of ARITHMETIC.md section 7. */
inline double exp_d(double y) {
  double k = std::floor(y * 1.4426950408889634 + 0.5);
  double r = y - k * 0.6931471805599453;
  double q = 1.0;
  for (int n = 20; n >= 1; n--) q = 1.0 + (r * q) / n;
  return std::ldexp(q, static_cast<int>(k));
}

/** sincos_d of ARITHMETIC.md section 7 (a >= 0). */
inline void sincos_d(double a, double* s_out, double* c_out) {
  const double P1 = bits_to_f64(0x3FF921FB54400000ull);
  const double P2 = bits_to_f64(0x3DD0B4611A600000ull);
  const double P3 = bits_to_f64(0x3BA3198A2E000000ull);
  double q = std::floor(a * 0.6366197723675814 + 0.5);
  double r = ((a - q * P1) - q * P2) - q * P3;
  double r2 = r * r;
  double s = 1.0;
  for (int n = 21; n >= 3; n -= 2) s = 1.0 - (r2 * s) / (static_cast<double>(n) * (n - 1));
  double sin_r = r * s;
  double c = 1.0;
  for (int n = 22; n >= 2; n -= 2) c = 1.0 - (r2 * c) / (static_cast<double>(n) * (n - 1));
  double cos_r = c;
  int quadrant = static_cast<int>(static_cast<int64_t>(q) & 3);
  switch (quadrant) {
    case 0: *s_out = sin_r; *c_out = cos_r; break;
    case 1: *s_out = cos_r; *c_out = -sin_r; break;
    case 2: *s_out = -sin_r; *c_out = -cos_r; break;
    default: *s_out = -cos_r; *c_out = sin_r; break;
  }
}

/** Fill RoPE tables [max_pos][head_dim/2] (ARITHMETIC.md section 7). */
inline void rope_tables(double theta, int32_t head_dim, int32_t max_pos, float* cos_t, float* sin_t) {
  int32_t half = head_dim / 2;
  double theta_ln = log_d(theta);
  for (int32_t i = 0; i < half; i++) {
    double inv_freq = exp_d(-((2.0 * i) / head_dim) * theta_ln);
    for (int32_t p = 0; p < max_pos; p++) {
      double a = static_cast<double>(p) * inv_freq;
      double s, c;
      sincos_d(a, &s, &c);
      cos_t[static_cast<int64_t>(p) * half + i] = static_cast<float>(c);
      sin_t[static_cast<int64_t>(p) * half + i] = static_cast<float>(s);
    }
  }
}

}  // namespace oli

#endif  // OLI_MATH_H
