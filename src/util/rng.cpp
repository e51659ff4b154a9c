// Rng::first_uniforms: Philox4x32-10 over many counters that share their key, lane by lane.
#include "util/rng.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace synbench::util {

namespace {

// Philox4x32's constants (Random123: the round multipliers and the Weyl key increments).
constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u, kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;

// The counter and key Rng's constructor builds for (seed, purpose, a, b); only counter word 2
// depends on the low half of a.
struct Lanes {
    std::uint32_t c1, c3, b_hi, k0, k1;
    Lanes(std::uint64_t seed, Stream purpose, std::uint64_t a0, std::uint64_t b) {
        const auto p = static_cast<std::uint32_t>(purpose);
        const auto a_hi = static_cast<std::uint32_t>(a0 >> 32);
        c1 = p;
        c3 = static_cast<std::uint32_t>(b) ^ a_hi * 0x9E3779B9u;
        b_hi = static_cast<std::uint32_t>(b >> 32);
        k0 = static_cast<std::uint32_t>(seed);
        k1 = static_cast<std::uint32_t>(seed >> 32) ^ (a_hi * 0x85EBCA6Bu + p);
    }
    std::uint32_t c2(std::uint64_t a) const { return static_cast<std::uint32_t>(a) ^ b_hi; }
};

double to_uniform(std::uint32_t hi, std::uint32_t lo) {
    const std::uint64_t v = (std::uint64_t{hi} << 32) | lo;
    return static_cast<double>(v >> 11) * 0x1.0p-53;
}

void scalar_lanes(const Lanes& L, const std::uint64_t* a, std::size_t n, double* out) {
    for (std::size_t k = 0; k < n; ++k) {
        std::uint32_t x0 = 0, x1 = L.c1, x2 = L.c2(a[k]), x3 = L.c3, key0 = L.k0, key1 = L.k1;
        for (int r = 0; r < 10; ++r) {
            const std::uint64_t p0 = std::uint64_t{kM0} * x0, p1 = std::uint64_t{kM1} * x2;
            const auto y0 = static_cast<std::uint32_t>(p1 >> 32) ^ x1 ^ key0;
            const auto y2 = static_cast<std::uint32_t>(p0 >> 32) ^ x3 ^ key1;
            x1 = static_cast<std::uint32_t>(p1);
            x3 = static_cast<std::uint32_t>(p0);
            x0 = y0;
            x2 = y2;
            key0 += kW0;
            key1 += kW1;
        }
        out[k] = to_uniform(x0, x1);
    }
}

#if defined(__x86_64__)
// Four lanes per 256-bit register, each 32-bit word zero-extended in a 64-bit lane so that
// _mm256_mul_epu32 gives the full 64-bit product; G registers in flight hide the multiplier's
// latency. Returns the lanes done (a multiple of 4·G).
template <int G>
__attribute__((target("avx2"))) std::size_t avx2_lanes(const Lanes& L, const std::uint64_t* a,
                                                       std::size_t n, double* out) {
    const __m256i m0 = _mm256_set1_epi64x(kM0), m1 = _mm256_set1_epi64x(kM1),
                  low = _mm256_set1_epi64x(0xFFFFFFFFll);
    std::size_t k = 0;
    for (; k + 4 * G <= n; k += 4 * G) {
        __m256i x0[G], x1[G], x2[G], x3[G];
        for (int g = 0; g < G; ++g) {
            const std::uint64_t* ak = a + k + 4 * static_cast<std::size_t>(g);
            x0[g] = _mm256_setzero_si256();
            x1[g] = _mm256_set1_epi64x(L.c1);
            x3[g] = _mm256_set1_epi64x(L.c3);
            x2[g] = _mm256_set_epi64x(L.c2(ak[3]), L.c2(ak[2]), L.c2(ak[1]), L.c2(ak[0]));
        }
        std::uint32_t key0 = L.k0, key1 = L.k1;
        for (int r = 0; r < 10; ++r) {
            const __m256i kk0 = _mm256_set1_epi64x(key0), kk1 = _mm256_set1_epi64x(key1);
            for (int g = 0; g < G; ++g) {
                const __m256i p0 = _mm256_mul_epu32(x0[g], m0), p1 = _mm256_mul_epu32(x2[g], m1);
                const __m256i y0 =
                    _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), x1[g]), kk0);
                const __m256i y2 =
                    _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), x3[g]), kk1);
                x1[g] = _mm256_and_si256(p1, low);
                x3[g] = _mm256_and_si256(p0, low);
                x0[g] = y0;
                x2[g] = y2;
            }
            key0 += kW0;
            key1 += kW1;
        }
        for (int g = 0; g < G; ++g) {
            alignas(32) std::uint64_t w0[4], w1[4];
            _mm256_store_si256(reinterpret_cast<__m256i*>(w0), x0[g]);
            _mm256_store_si256(reinterpret_cast<__m256i*>(w1), x1[g]);
            for (int l = 0; l < 4; ++l)
                out[k + static_cast<std::size_t>(4 * g + l)] = to_uniform(
                    static_cast<std::uint32_t>(w0[l]), static_cast<std::uint32_t>(w1[l]));
        }
    }
    return k;
}
#endif

}  // namespace

void Rng::first_uniforms(std::uint64_t seed, Stream purpose, const std::uint64_t* a, std::size_t n,
                         std::uint64_t b, double* out) {
    if (n == 0) return;
    const Lanes L(seed, purpose, a[0], b);
    std::size_t done = 0;
#if defined(__x86_64__)
    if (n >= 4 && __builtin_cpu_supports("avx2")) {
        done = avx2_lanes<4>(L, a, n, out);
        done += avx2_lanes<1>(L, a + done, n - done, out + done);
    }
#endif
    scalar_lanes(L, a + done, n - done, out + done);
}

}  // namespace synbench::util
