// The batched read of a conv layer (sim::hardware_layer_positions: every output position at once,
// for arrays without read noise) against the per-position read (sim::hardware_layer once per
// position with that position's im2col patch): the same quantised outputs and the same counts, to
// the bit, with a reference column and with a differential pair, several row tiles, 3 bit-planes,
// padding, a coarse ADC (full and half range) and positions spread over several work chunks (serial
// and in parallel).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <vector>

#include "device/card.hpp"
#include "device/model.hpp"
#include "nn/layer_graph.hpp"
#include "nn/layer_math.hpp"
#include "run_fixture.hpp"
#include "sim/forward.hpp"
#include "util/rng.hpp"

using namespace synbench;

namespace {

// 7×7×2 input, conv 5@3×3, stride 1, padding 1 → 7×7 = 49 positions (4 chunks of 16), 18 rows.
nn::LayerSpec small_conv() {
    nn::LayerGraph g;
    g.input = {7, 7, 2};
    g.classes = 245;  // the conv layer is the last: its 7×7×5 outputs
    nn::LayerSpec L;
    L.kind = nn::LayerKind::conv2d;
    L.name = "conv1";
    L.channels = 5;
    L.kernel = 3;
    L.stride = 1;
    L.padding = 1;
    L.activation = "relu";
    g.layers = {L};
    nn::infer_shapes(g);
    return g.layers[0];
}

struct Reads {
    std::vector<double> pre;  // channel-major: pre[j·P + p]
    sim::ReadCounts counts;
};

Reads per_position(const sim::ForwardConfig& cfg, const nn::LayerSpec& L, const sim::LayerView& V,
                   const std::vector<std::uint8_t>& levels, int bits, double max_level,
                   double gain) {
    const std::size_t P = L.positions();
    Reads r;
    r.pre.assign(V.n_out * P, 0.0);
    std::vector<std::uint8_t> patch(V.n_in);
    std::vector<double> pre(V.n_out), colsum;
    for (int oy = 0; oy < L.out.height; ++oy)
        for (int ox = 0; ox < L.out.width; ++ox) {
            const std::size_t p = static_cast<std::size_t>(oy) * L.out.width + ox;
            nn::conv_patch(L, levels.data(), oy, ox, patch.data());
            sim::hardware_layer(cfg, V, patch.data(), bits, max_level, pre, colsum, &r.counts, 0,
                                gain);
            for (std::size_t j = 0; j < V.n_out; ++j) r.pre[j * P + p] = pre[j];
        }
    return r;
}

Reads batched(const sim::ForwardConfig& cfg, const nn::LayerSpec& L, const sim::LayerView& V,
              const std::vector<std::uint8_t>& levels, int bits, double max_level, double gain,
              bool parallel) {
    const std::size_t P = L.positions();
    std::vector<std::uint8_t> patches(P * V.n_in);
    for (int oy = 0; oy < L.out.height; ++oy)
        for (int ox = 0; ox < L.out.width; ++ox)
            nn::conv_patch(
                L, levels.data(), oy, ox,
                patches.data() + (static_cast<std::size_t>(oy) * L.out.width + ox) * V.n_in);
    Reads r;
    r.pre.assign(V.n_out * P, -1.0);
    sim::PositionsScratch s;
    sim::hardware_layer_positions(cfg, V, patches.data(), P, bits, max_level, r.pre.data(), s,
                                  &r.counts, gain, parallel);
    return r;
}

}  // namespace

TEST_CASE("conv read: all positions at once equal the per-position reads, bit for bit",
          "[cnn][conv-read]") {
    const auto L = small_conv();
    REQUIRE(L.positions() == 49);
    REQUIRE(L.weight_rows() == 18);
    REQUIRE(L.weight_cols() == 5);
    const auto card = device::load_card(test::repo("devices/ideal.yaml"));
    auto model = device::make_model(card);
    const std::size_t rows = 18, cols = 5, cells = rows * cols;
    auto pos = model->make_array(cells, 1, 0), neg = model->make_array(cells, 1, 1);
    util::Rng rng(7, util::Stream::user, 1);
    for (std::size_t c = 0; c < cells; ++c) {
        pos->set(c, card.g_min + rng.uniform() * (card.g_max - card.g_min));
        neg->set(c, card.g_min + rng.uniform() * (card.g_max - card.g_min));
    }
    // 3-bit levels 0 … 7, about a quarter of them 0 (rows not driven in any bit-plane).
    std::vector<std::uint8_t> levels(L.in.size());
    for (auto& v : levels) v = rng.uniform() < 0.25 ? 0 : static_cast<std::uint8_t>(rng.below(8));
    sim::ForwardConfig cfg;
    cfg.g_min = card.g_min;
    cfg.g_max = card.g_max;
    cfg.adc_bits = 4;  // coarse: the quantisation floors matter
    cfg.max_rows = 8;  // 18 rows → row tiles of 8, 8 and 2
    sim::LayerView V;
    V.n_in = rows;
    V.n_out = cols;
    V.pos = pos.get();

    for (const bool differential : {false, true}) {
        for (const double gain : {1.0, 1.3}) {
            // adc_range 0.5: the converter spans half the full scale and clips.
            cfg.adc_range = gain == 1.0 ? 1.0 : 0.5;
            CAPTURE(differential, gain, cfg.adc_range);
            V.neg = differential ? neg.get() : nullptr;
            const auto want = per_position(cfg, L, V, levels, 3, 7.0, gain);
            for (const bool parallel : {false, true}) {
                CAPTURE(parallel);
                const auto got = batched(cfg, L, V, levels, 3, 7.0, gain, parallel);
                REQUIRE(got.pre.size() == want.pre.size());
                std::size_t differ = 0;
                for (std::size_t k = 0; k < want.pre.size(); ++k)
                    differ += got.pre[k] != want.pre[k];
                CHECK(differ == 0);
                CHECK(got.counts.bitplanes == want.counts.bitplanes);
                CHECK(got.counts.active_rows == want.counts.active_rows);
                CHECK(got.counts.g_sum == want.counts.g_sum);
            }
            // The reads are not trivial: 49 positions × 3 bit-planes, most rows driven somewhere,
            // outputs of both signs, and the ADC's floor visible (not all multiples of one step).
            CHECK(want.counts.bitplanes == 147);
            CHECK(want.counts.active_rows > 500);
            CHECK(want.counts.g_sum > 500 * card.g_min);
            std::size_t positive = 0, negative = 0;
            for (double v : want.pre) positive += v > 0, negative += v < 0;
            CHECK(positive > 10);
            CHECK(negative > 10);
        }
    }
}
