#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "config/config.hpp"
#include "device/exponential.hpp"
#include "nn/optimizer.hpp"
#include "sim/forward.hpp"
#include "util/files.hpp"
#include "util/rng.hpp"

using namespace synbench;
using Catch::Detail::Approx;

namespace {

device::Card ideal_card(double gmin, double gmax) {
    auto doc = config::load_string(R"(
name: test-ideal
source: {paper: "hand-made for tests"}
model: ideal
cell: {type: pseudo_crossbar_1t1r, access_resistance: 15 kOhm}
conductance: {g_min: 1 nS, g_max: 11 nS}
ltp: {levels: 10, voltage: 2 V, pulse_width: 1 us}
ltd: {levels: 10, voltage: -2 V, pulse_width: 1 us}
read: {voltage: 0.5 V, pulse_width: 10 ns}
)",
                                   "ideal.yaml");
    config::Section s(doc);
    auto c = device::parse_card(s);
    REQUIRE(c.g_min == Approx(gmin));
    REQUIRE(c.g_max == Approx(gmax));
    return c;
}

}  // namespace

TEST_CASE("forward: hardware read quantises each column against the reference column", "[sim]") {
    auto card = ideal_card(1e-9, 11e-9);
    device::ExponentialModel model(card);
    // 4 inputs × 2 outputs. Weights w = (G − Gmid)/(ΔG/2): Gmid = 6 nS, ΔG/2 = 5 nS.
    auto arr = model.make_array(8, 1, 0);
    const double g[8] = {11e-9,  1e-9,   6e-9, 6e-9,
                         8.5e-9, 3.5e-9, 1e-9, 11e-9};  // w: (1,−1),(0,0),(0.5,−0.5),(−1,1)
    for (int c = 0; c < 8; ++c) arr->set(c, g[c]);
    sim::ForwardConfig cfg;
    cfg.g_min = 1e-9;
    cfg.g_max = 11e-9;
    cfg.adc_bits = 3;  // 7 steps over the full scale 4·ΔG = 40 nS: q = 40/7 nS
    cfg.max_rows = 512;
    cfg.input_bits = 1;
    sim::LayerView lv{4, 2, arr.get(), nullptr, nullptr};
    const std::uint8_t in[4] = {1, 0, 1, 0};  // rows 0 and 2 driven
    sim::Activations act;
    sim::ReadCounts counts;
    sim::forward(cfg, {lv}, in, 1.0, act, &counts, 0);
    // q = 40/7 nS. Column 0: S = 11 + 8.5 = 19.5 nS, reference 2·6 = 12 nS: floor(19.5/q) = 3,
    // floor(12/q) = 2 → 1 step = q → pre = q/5 = 8/7 (exact: 1.5). Column 1: S = 1 + 3.5 = 4.5 nS →
    // floor(0.7875) = 0, minus 2 → −2 steps → pre = −16/7 (exact: −1.5).
    CHECK(act.value[1][0] == Approx(1 / (1 + std::exp(-8.0 / 7))).epsilon(1e-12));
    CHECK(act.value[1][1] == Approx(1 / (1 + std::exp(16.0 / 7))).epsilon(1e-12));
    CHECK(counts.bitplanes == 1);
    CHECK(counts.active_rows == 2);
    CHECK(counts.g_sum == Approx(24e-9));  // 19.5 + 4.5 nS

    // With a fine ADC the read approaches the exact weighted sum.
    cfg.adc_bits = 12;
    sim::forward(cfg, {lv}, in, 1.0, act, nullptr, 0);
    CHECK(std::log(act.value[1][0] / (1 - act.value[1][0])) == Approx(1.5).margin(0.02));
    CHECK(std::log(act.value[1][1] / (1 - act.value[1][1])) == Approx(-1.5).margin(0.02));
    // Hidden activations are digitised at the threshold for the next layer (here there is none).
    CHECK(act.levels.size() == 1);
}

TEST_CASE("forward: adc_range clips a finer converter and the weight scale multiplies the read",
          "[sim]") {
    auto card = ideal_card(1e-9, 11e-9);
    device::ExponentialModel model(card);
    // 4 inputs × 2 outputs; w = (G − 6 nS)/5 nS: (1, −1), (0, 0), (0.5, −0.5), (−1, 1).
    auto arr = model.make_array(8, 1, 0);
    const double g[8] = {11e-9, 1e-9, 6e-9, 6e-9, 8.5e-9, 3.5e-9, 1e-9, 11e-9};
    for (int c = 0; c < 8; ++c) arr->set(c, g[c]);
    sim::ForwardConfig cfg;
    cfg.g_min = 1e-9;
    cfg.g_max = 11e-9;
    cfg.adc_bits = 3;  // codes −4 … 3
    sim::LayerView lv{4, 2, arr.get(), nullptr, nullptr};
    const std::uint8_t in[4] = {1, 0, 1, 0};  // rows 0 and 2: column − reference = ±7.5 nS
    sim::Activations act;                     // act.pre: the layer's pre-activations

    // Half the full scale 4·ΔG = 40 nS: q = 0.5·40/7 = 20/7 nS. Column 0: 7.5/q = 2.625 → code 2 →
    // 2q/5 nS = 8/7; column 1: −2.625 → −3 → −12/7. Weight scale 0.25: 2/7 and −3/7.
    cfg.adc_range = 0.5;
    cfg.weight_scale = {0.25};
    sim::forward(cfg, {lv}, in, 1.0, act, nullptr, 0);
    CHECK(act.pre[0] == Approx(2.0 / 7).epsilon(1e-12));
    CHECK(act.pre[1] == Approx(-3.0 / 7).epsilon(1e-12));

    // A quarter: q = 10/7 nS, ±5.25 steps clip at codes 3 and −4: 3q/5 = 6/7, −4q/5 = −8/7.
    cfg.adc_range = 0.25;
    cfg.weight_scale.clear();
    sim::forward(cfg, {lv}, in, 1.0, act, nullptr, 0);
    CHECK(act.pre[0] == Approx(6.0 / 7).epsilon(1e-12));
    CHECK(act.pre[1] == Approx(-8.0 / 7).epsilon(1e-12));

    // A differential pair: Σ(G⁺ − G⁻) over the rows, full scale ±4·ΔG, a quarter of it: q =
    // 0.25·80/7 = 20/7 nS. G⁻ = the mirror image: column 0 Σ = 2·(10 + 5) = 30 nS → 10.5 steps →
    // clips at 3 → 3q/10 nS = 6/7 (w = (G⁺ − G⁻)/ΔG); column 1 → −4 → −8/7.
    auto neg = model.make_array(8, 1, 1);
    for (int c = 0; c < 8; ++c) neg->set(c, 12e-9 - g[c]);
    sim::LayerView pair{4, 2, arr.get(), neg.get(), nullptr};
    cfg.differential = true;
    sim::forward(cfg, {pair}, in, 1.0, act, nullptr, 0);
    CHECK(act.pre[0] == Approx(6.0 / 7).epsilon(1e-12));
    CHECK(act.pre[1] == Approx(-8.0 / 7).epsilon(1e-12));
}

TEST_CASE("forward: software mode is the exact weighted sum", "[sim]") {
    std::vector<double> w{1, -1, 0, 0, 0.5, -0.5, -1, 1};
    sim::ForwardConfig cfg;
    cfg.hardware = false;
    sim::LayerView lv{4, 2, nullptr, nullptr, &w};
    const std::uint8_t in[4] = {1, 0, 1, 1};
    sim::Activations act;
    sim::forward(cfg, {lv}, in, 1.0, act, nullptr, 0);
    CHECK(act.value[1][0] == Approx(1 / (1 + std::exp(-(1 + 0.5 - 1)))));
    CHECK(act.value[1][1] == Approx(1 / (1 + std::exp(-(-1 - 0.5 + 1)))));
}

TEST_CASE("optimizers: first steps match the formulas evaluated by hand", "[sim]") {
    const double g[2] = {0.5, -2.0};
    double dw[2];
    auto make = [](const std::string& name) {
        nn::OptimizerSpec s;
        s.name = name;
        s.learning_rate = {0.1};
        s.momentum = 0.3;
        s.rho = 0.9;
        s.beta1 = 0.9;
        s.beta2 = 0.9;
        s.epsilon = 1e-5;
        return nn::Optimizer(s, {2});
    };
    {
        auto o = make("sgd");
        o.step(0, 0, g, dw, 2, 1);
        CHECK(dw[0] == Approx(-0.05));
        CHECK(dw[1] == Approx(0.2));
    }
    {
        auto o = make("momentum");
        o.step(0, 0, g, dw, 2, 1);  // v = 0.7 g
        CHECK(dw[0] == Approx(-0.1 * 0.35));
        o.step(0, 0, g, dw, 2, 2);  // v = 0.3·0.35 + 0.7·0.5 = 0.455
        CHECK(dw[0] == Approx(-0.0455));
    }
    {
        auto o = make("adam");
        o.step(0, 0, g, dw, 2, 1);  // bias-corrected m̂ = g, v̂ = g² → −lr·g/(|g| + ε)
        CHECK(dw[0] == Approx(-0.1 * 0.5 / (0.5 + 1e-5)));
        CHECK(dw[1] == Approx(0.1 * 2 / (2 + 1e-5)));
    }
    {
        auto o = make("rmsprop");
        o.step(0, 0, g, dw, 2, 1);  // s = 0.1 g² → −lr g/(√0.1 |g| + ε)
        CHECK(dw[0] == Approx(-0.1 * 0.5 / (std::sqrt(0.1) * 0.5 + 1e-5)));
    }
    {
        auto o = make("adagrad");
        o.step(0, 0, g, dw, 2, 1);
        o.step(0, 0, g, dw, 2, 2);  // s = 2 g² → −lr g/(√2 |g| + ε)
        CHECK(dw[1] == Approx(0.1 * 2 / (std::sqrt(2.0) * 2 + 1e-5)));
    }
    {
        auto o = make("adadelta");
        o.step(0, 0, g, dw, 2, 1);  // s = 0.1 g²; Δx = −√ε/√(s+ε) g; Δw = lr Δx
        CHECK(dw[0] == Approx(0.1 * -std::sqrt(1e-5) / std::sqrt(0.1 * 0.25 + 1e-5) * 0.5));
    }
}

TEST_CASE("rng: first_uniforms gives each key's first uniform() of its own Rng", "[sim]") {
    // Rows of stochastic rounding: keys layer << 40 ^ cell, images with high bits set (test
    // events), lane counts below, at and above one block of 16.
    for (std::uint64_t layer : {0ull, 3ull}) {
        for (std::uint64_t event : {0ull, 12345ull, (1ull << 62) | 977ull}) {
            for (std::size_t n : {1u, 16u, 37u}) {
                std::vector<std::uint64_t> keys(n);
                for (std::size_t k = 0; k < n; ++k) keys[k] = (layer << 40) ^ (7919 * k + 11);
                std::vector<double> got(n);
                util::Rng::first_uniforms(42, util::Stream::stochastic_rounding, keys.data(), n,
                                          event, got.data());
                for (std::size_t k = 0; k < n; ++k) {
                    util::Rng r(42, util::Stream::stochastic_rounding, keys[k], event);
                    CHECK(got[k] == r.uniform());
                }
            }
        }
    }
}
