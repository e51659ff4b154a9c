// Counter-based random numbers (Philox4x32-10 from Random123): a draw is a pure function of
// (seed, purpose, a, b, counter), so results never depend on which thread asks or in what order.
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>
#include <numbers>

namespace synbench::util {

// Named purposes keep independent streams apart.
enum class Stream : std::uint32_t {
    init_weights = 1,
    sample_images = 2,
    c2c_noise = 3,
    d2d_variation = 4,
    read_noise = 5,
    stuck_faults = 6,
    stochastic_rounding = 7,
    drift = 8,
    shuffle = 9,
    disturb = 10,
    user = 100,
};

class Rng {
   public:
    // `a` and `b` identify the object (layer, cell, image ...) the numbers belong to.
    Rng(std::uint64_t seed, Stream purpose, std::uint64_t a, std::uint64_t b = 0) {
        key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
        ctr_ = {
            {0, static_cast<std::uint32_t>(purpose),
             static_cast<std::uint32_t>(a) ^ static_cast<std::uint32_t>(b >> 32),
             static_cast<std::uint32_t>(b) ^ static_cast<std::uint32_t>(a >> 32) * 0x9E3779B9u}};
        // Mix the high half of `a` into the key so that (a, b) pairs do not collide in practice.
        key_.v[1] ^=
            static_cast<std::uint32_t>(a >> 32) * 0x85EBCA6Bu + static_cast<std::uint32_t>(purpose);
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() {
        auto r = next_pair();
        return static_cast<double>(r >> 11) * 0x1.0p-53;
    }
    // Uniform in (0, 1].
    double uniform_open0() { return 1.0 - uniform(); }
    // Standard normal (Box–Muller, both values used).
    double normal() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double u1 = uniform_open0(), u2 = uniform();
        double r = std::sqrt(-2.0 * std::log(u1));
        spare_ = r * std::sin(2 * std::numbers::pi * u2);
        has_spare_ = true;
        return r * std::cos(2 * std::numbers::pi * u2);
    }
    // Uniform integer in [0, n) (n > 0), Lemire's method without bias.
    std::uint64_t below(std::uint64_t n) {
        while (true) {
            std::uint64_t x = next_pair();
            __uint128_t m = static_cast<__uint128_t>(x) * n;
            auto l = static_cast<std::uint64_t>(m);
            if (l >= n || l >= (-n) % n) return static_cast<std::uint64_t>(m >> 64);
        }
    }
    std::uint64_t bits64() { return next_pair(); }

    // The first uniform() of Rng(seed, purpose, a[k], b) for k < n: the same numbers as n
    // separate Rng objects, computed four lanes at a time where the CPU has AVX2 (integer
    // arithmetic: identical on every path). Every a[k] must have the same high 32 bits (they go
    // into the key). The stochastic rounding of a row of cells (src/util/rng.cpp).
    static void first_uniforms(std::uint64_t seed, Stream purpose, const std::uint64_t* a,
                               std::size_t n, std::uint64_t b, double* out);

   private:
    std::uint64_t next_pair() {
        if (idx_ >= 4) {
            out_ = r123::Philox4x32()(ctr_, key_);
            ++ctr_.v[0];
            idx_ = 0;
        }
        std::uint64_t v = (static_cast<std::uint64_t>(out_.v[idx_]) << 32) | out_.v[idx_ + 1];
        idx_ += 2;
        return v;
    }
    r123::Philox4x32::key_type key_{};
    r123::Philox4x32::ctr_type ctr_{};
    r123::Philox4x32::ctr_type out_{};
    unsigned idx_ = 4;
    bool has_spare_ = false;
    double spare_ = 0;
};

}  // namespace synbench::util
