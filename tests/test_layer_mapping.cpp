// Layers mapped onto arrays (sim/layer_mapping.hpp) against hand-derived tiles, activity and MAC
// counts; the dense-only graph against today's MLP estimate (bit-equal); residual add and batch
// normalisation.
#include <catch2/catch.hpp>

#include <cmath>
#include <tuple>

#include "circuit/logic.hpp"
#include "nn/layer_graph.hpp"
#include "run_fixture.hpp"
#include "sim/costs.hpp"
#include "sim/layer_mapping.hpp"

using namespace synbench;
using Catch::Detail::Approx;

namespace {

sim::Experiment experiment(const std::string& device = "devices/ag-asi.yaml") {
    sim::ExperimentInputs in;
    in.tech = test::repo("tech/32nm.yaml");
    in.device = test::repo(device.c_str());
    in.network = test::repo("networks/mlp-400-100-10.yaml");
    return sim::load_experiment(in);
}

nn::LayerSpec layer(nn::LayerKind k, const std::string& name) {
    nn::LayerSpec L;
    L.kind = k;
    L.name = name;
    return L;
}
nn::LayerSpec conv(const std::string& name, int channels, int kernel, int padding, int stride = 1) {
    auto L = layer(nn::LayerKind::conv2d, name);
    L.channels = channels;
    L.kernel = kernel;
    L.padding = padding;
    L.stride = stride;
    return L;
}
nn::LayerSpec pool(const std::string& name, int k) {
    auto L = layer(nn::LayerKind::max_pool, name);
    L.kernel = k;
    L.stride = k;
    return L;
}
nn::LayerSpec dense(const std::string& name, int units) {
    auto L = layer(nn::LayerKind::dense, name);
    L.units = units;
    return L;
}

}  // namespace

TEST_CASE(
    "layer mapping: a 3x3x16 -> 32 convolution on 64x64 arrays, hand-derived tiles and "
    "activity",
    "[layer_mapping]") {
    auto ex = experiment();
    auto h = ex.hardware;
    h.max_rows = h.max_cols = 64;
    h.input_bits = 2;
    h.input_density = 0.25;
    nn::LayerGraph g;
    g.input = {8, 8, 16};
    g.layers = {conv("c", 32, 3, 1)};
    nn::infer_shapes(g);
    const auto e = sim::estimate_graph(ex.tech, ex.device, g, h);
    REQUIRE(e.layers.size() == 1);
    const auto& m = e.layers[0];
    // 3·3·16 = 144 rows → ceil(144/64) = 3 row tiles of 48; 32 columns → 1 column tile.
    CHECK(m.rows == 144);
    CHECK(m.cols == 32);
    CHECK(m.cost.tiles_r == 3);
    CHECK(m.cost.tiles_c == 1);
    CHECK(m.positions == 64);  // 8×8 outputs (padding 1, stride 1)
    CHECK(m.bitplanes == 2);   // reads the data: hardware.input_bits
    // Per MVM: 2 bit-planes, 2 · 0.25 · 144 = 72 driven rows, each over 32 cells at Ḡ.
    const double g_mid = 0.5 * (ex.device.g_min + ex.device.g_max);
    CHECK(m.per_mvm.bitplanes == 2);
    CHECK(m.per_mvm.active_rows == 72);
    CHECK(m.per_mvm.g_sum == Approx(72 * 32 * g_mid).epsilon(1e-12));
    CHECK(m.macs == 64.0 * 144 * 32);
    // Per image: 64 MVMs of the per-event costs of the same tiling.
    const auto L = sim::tile_matrix(ex.tech, ex.device, 144, 32, h).table.layers.at(0);
    CHECK(m.read.periphery_J == Approx(128 * L.read_energy_per_bitplane_J).epsilon(1e-12));
    CHECK(m.read.rows_J == Approx(4608 * L.read_energy_per_active_row_J).epsilon(1e-12));
    CHECK(m.read.cells_J == Approx(64 * 72 * 32 * g_mid * L.read_cell_energy_per_S).epsilon(1e-12));
    const double t_mvm = 2 * L.read_latency_per_bitplane_s + 72 * L.read_latency_per_active_row_s;
    CHECK(m.read.latency_s == Approx(64 * t_mvm).epsilon(1e-12));

    // Duplicated 4 times: 4× the area and leakage, the same energy, a quarter of the MVMs in
    // series.
    h.duplication = 4;
    const auto d = sim::estimate_graph(ex.tech, ex.device, g, h);
    CHECK(d.area_m2 == Approx(4 * e.area_m2).epsilon(1e-12));
    CHECK(d.leakage_W == Approx(4 * e.leakage_W).epsilon(1e-12));
    CHECK(d.array_energy_J == Approx(e.array_energy_J).epsilon(1e-12));
    CHECK(d.latency_s == Approx(16 * t_mvm).epsilon(1e-12));
    // 64 positions over 3 copies: ceil(64/3) = 22 MVMs in series.
    h.duplication = 1;
    h.per_layer = {{"c", std::nullopt, 3, "card.yaml", 7}};
    CHECK(sim::estimate_graph(ex.tech, ex.device, g, h).latency_s ==
          Approx(22 * t_mvm).epsilon(1e-12));
    h.per_layer = {{"c", 1.0, std::nullopt, "card.yaml", 7}};
    CHECK(sim::estimate_graph(ex.tech, ex.device, g, h).layers[0].per_mvm.active_rows == 288);
    // An override naming no weight layer is refused with its place in the card.
    h.per_layer = {{"conv9", 1.0, std::nullopt, "card.yaml", 7}};
    CHECK_THROWS_WITH(sim::estimate_graph(ex.tech, ex.device, g, h),
                      Catch::Contains("card.yaml:7") && Catch::Contains("'conv9' is no layer") &&
                          Catch::Contains("expected a weight layer (dense or conv2d): c"));
}

TEST_CASE("layer mapping: VGG-8 on CIFAR-10, MACs per image as hand-derived", "[layer_mapping]") {
    auto ex = experiment();
    auto h = ex.hardware;
    h.max_rows = h.max_cols = 128;
    nn::LayerGraph g;
    g.input = {32, 32, 3};
    g.classes = 10;
    g.layers = {conv("c1", 128, 3, 1), conv("c2", 128, 3, 1), pool("p1", 2),
                conv("c3", 256, 3, 1), conv("c4", 256, 3, 1), pool("p2", 2),
                conv("c5", 512, 3, 1), conv("c6", 512, 3, 1), pool("p3", 2),
                dense("d1", 1024),     dense("d2", 10)};
    nn::infer_shapes(g);
    const auto e = sim::estimate_graph(ex.tech, ex.device, g, h);
    // Σ positions · rows · cols: 1024·27·128 + 1024·1152·128 + 256·1152·256 + 256·2304·256
    //   + 64·2304·512 + 64·4608·512 + 8192·1024 + 1024·10 = 615 917 568.
    CHECK(e.macs == 615917568.0);
    // c6: 4608 × 512 on 128 × 128 arrays: 36 × 4 tiles; d1: 8192 × 1024: 64 × 8.
    CHECK(e.layers[7].cost.tiles_r == 36);
    CHECK(e.layers[7].cost.tiles_c == 4);
    CHECK(e.layers[9].cost.tiles_r == 64);
    CHECK(e.layers[9].cost.tiles_c == 8);
    // Max pooling: 3 comparisons per output (2×2 window): p1 16·16·128 outputs.
    CHECK(e.layers[2].digital_ops == 3.0 * 16 * 16 * 128);
    CHECK(e.layers[2].digital_energy_J ==
          Approx(3.0 * 16 * 16 * 128 * circuit::subtractor(ex.tech, 1, 1, 0).read_energy)
              .epsilon(1e-12));
    // Only the first convolution reads the data's bit-planes; later layers the activations'.
    h.input_bits = 8;
    h.activation_bits = 4;
    const auto b = sim::estimate_graph(ex.tech, ex.device, g, h);
    CHECK(b.layers[0].bitplanes == 8);
    CHECK(b.layers[1].bitplanes == 4);
    CHECK(b.layers[10].bitplanes == 4);
}

TEST_CASE("layer mapping: a dense-only graph gives today's MLP estimate, bit for bit",
          "[layer_mapping]") {
    for (const char* device : {"devices/ag-asi.yaml", "devices/sram-6bit.yaml"})
        for (const char* mode : {"reference_column", "differential"}) {
            auto ex = experiment(device);
            ex.hardware.signed_weights = std::string(mode) == "differential"
                                             ? circuit::SignedWeights::differential
                                             : circuit::SignedWeights::reference_column;
            ex.hardware.max_rows = 256;  // the 400-input layer tiled in two
            const auto table = sim::cost_table(ex);
            const auto mlp = sim::estimate_inference(ex, table);
            const auto g = nn::graph_of_widths(ex.network.layers, ex.network.activation);
            const auto e = sim::estimate_graph(ex.tech, ex.device, g, ex.hardware);
            INFO(device << " " << mode);
            CHECK(e.array_energy_J == mlp.energy_J);
            CHECK(e.latency_s == mlp.latency_s);
            CHECK(e.area_m2 == table.total.area_m2);
            CHECK(e.leakage_W == table.total.leakage_W);
            CHECK(e.layers[0].cost.tiles_r == 2);
        }
}

TEST_CASE("layer mapping: a residual block with batch norm and a 1x1 stride-2 shortcut",
          "[layer_mapping]") {
    auto ex = experiment();
    auto h = ex.hardware;
    h.activation_bits = 8;
    nn::LayerGraph g;
    g.input = {16, 16, 64};
    auto a = conv("a", 128, 3, 1, 2);
    auto bn1 = layer(nn::LayerKind::batch_norm, "bn1");
    auto r1 = layer(nn::LayerKind::activation, "r1");
    r1.activation = "relu";
    auto b = conv("b", 128, 3, 1);
    auto bn2 = layer(nn::LayerKind::batch_norm, "bn2");
    auto s = conv("s", 128, 1, 0, 2);
    s.inputs = {"input"};
    auto sum = layer(nn::LayerKind::add, "sum");
    sum.inputs = {"bn2", "s"};
    g.layers = {a, bn1, r1, b, bn2, s, sum};
    nn::infer_shapes(g);
    const auto e = sim::estimate_graph(ex.tech, ex.device, g, h);
    // The shortcut: 1·1·64 rows × 128 columns at 8×8 positions.
    CHECK(e.layers[5].rows == 64);
    CHECK(e.layers[5].positions == 64);
    CHECK(e.layers[5].bitplanes == h.input_bits);
    CHECK(e.layers[3].bitplanes == 8);
    // Batch norm folded: no operation, no energy, named after the layer it folds into.
    CHECK(e.layers[1].digital_energy_J == 0);
    CHECK(e.layers[1].treatment == "folded into the weights of a (inference)");
    // The add: one 9-bit addition per output element (8×8×128).
    CHECK(e.layers[6].digital_ops == 8192);
    CHECK(e.layers[6].digital_energy_J ==
          Approx(8192 * circuit::adder(ex.tech, 9, 1, 0).read_energy).epsilon(1e-12));
    CHECK(e.digital_energy_J == e.layers[6].digital_energy_J);
    CHECK(e.macs == 64.0 * 576 * 128 + 64.0 * 1152 * 128 + 64.0 * 64 * 128);
}

TEST_CASE(
    "layer mapping: the VGG-8 and ResNet-18 cards, hand-derived MACs, BN folded, adds digital",
    "[layer_mapping]") {
    for (const auto& [card, macs, adds] :
         {std::tuple{"networks/vgg8-cifar10.yaml", 615917568.0, 0},
          // stem 1024·27·64 + stage 1: 4·1024·576·64 + stages 2–4: each 37 748 736 · 3
          // + 18 874 368 + a 2 097 152 shortcut + dense 512·10 = 555 422 720; 8 residual adds.
          std::tuple{"networks/resnet18-cifar10.yaml", 555422720.0, 8}}) {
        sim::ExperimentInputs in;
        in.tech = test::repo("tech/22nm.yaml");
        in.device = test::repo("devices/taox-hfox.yaml");
        in.network = test::repo(card);
        const auto ex = sim::load_experiment(in);
        const auto e = sim::estimate_graph(ex.tech, ex.device, ex.network.graph, ex.hardware);
        INFO(card);
        CHECK(e.macs == macs);
        int n_add = 0;
        for (const auto& m : e.layers) {
            if (m.kind == nn::LayerKind::add) ++n_add;
            if (m.kind == nn::LayerKind::batch_norm) CHECK(m.digital_energy_J == 0);
            if (m.weights) CHECK(m.cost.tiles_r == (m.rows + 127) / 128);
        }
        CHECK(n_add == adds);
        CHECK(e.layers.front().bitplanes == 8);
        CHECK(e.layers.back().bitplanes == 8);
    }
}
