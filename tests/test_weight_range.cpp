// hardware.weight_range and hardware.adc_range (docs/training.md, "Weight range"): a per-layer
// weight scale multiplies the read digitally and divides Δw before pulses; a converter spanning a
// fraction of the full scale digitises the column against its reference and clips.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "config/config.hpp"
#include "data/mnist_fetch.hpp"
#include "device/exponential.hpp"
#include "nn/dataset.hpp"
#include "run_fixture.hpp"
#include "sim/forward.hpp"
#include "sim/trainer.hpp"

using namespace synbench;
using Catch::Detail::Approx;

namespace {

device::Card card_1_11nS() {
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
    return device::parse_card(s);
}

}  // namespace

TEST_CASE("forward: adc_range clips a finer converter and the weight scale multiplies the read",
          "[sim]") {
    const auto card = card_1_11nS();
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

TEST_CASE("trainer: weight_range initial maps each layer's initial bound onto initial_fill",
          "[sim]") {
    const char* ranges[] = {"unit", "initial"};
    for (const char* range : ranges) {
        sim::ExperimentInputs in;
        in.tech = test::repo("tech/32nm.yaml");
        in.device = test::repo("devices/ideal.yaml");
        in.network = test::repo("networks/mlp-400-100-10.yaml");
        in.sets = {{"training.initial_weights", "xavier"},
                   {"hardware.weight_range", range},
                   {"hardware.initial_fill", "0.5"}};
        const auto ex = sim::load_experiment(in);
        const auto data =
            nn::load_mnist(data::resolve_data_dir(std::nullopt), ex.network.preprocess);
        const sim::Trainer t(ex, data.train);
        const auto s = t.snapshot();
        const double g_mid = 0.5 * (ex.device.g_min + ex.device.g_max),
                     half = 0.5 * (ex.device.g_max - ex.device.g_min);
        const bool initial = std::string(range) == "initial";
        for (std::size_t l = 0; l < 2; ++l) {
            // Glorot's bound of a 400 × 100 and a 100 × 10 layer.
            const double bound = std::sqrt(6.0 / static_cast<double>(s.n_in[l] + s.n_out[l]));
            const double scale = initial ? bound / 0.5 : 1.0;
            CHECK(sim::weight_scale_of(s.cfg, l) == Approx(scale).epsilon(1e-12));
            double most = 0;
            for (double G : s.pos[l]->conductances()) most = std::max(most, std::abs(G - g_mid));
            // The cells' largest |u| = |G − Gmid|/(ΔG/2): the bound in units of a full-scale cell,
            // within one programming level (2/100) of it (40 000 and 1 000 uniform draws).
            CHECK(most / half == Approx(bound / scale).margin(0.02));
        }
    }
}
