// hardware.weight_range (docs/training.md, "Weight range"): a per-layer weight scale that maps each
// layer's initial bound onto initial_fill of the cell's range (the read with a weight scale and
// adc_range: tests/test_sim.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "data/mnist_fetch.hpp"
#include "nn/dataset.hpp"
#include "run_fixture.hpp"
#include "sim/trainer.hpp"

using namespace synbench;
using Catch::Detail::Approx;

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
