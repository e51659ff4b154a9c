// Layer-graph networks trained on the arrays (sim/graph_net.hpp, sim/trainer_graph.cpp): a small
// CNN on the cropped 20×20 MNIST learns, runs bit-identical at 1 and 2 threads, resumes from its
// checkpoint, and a conv layer's read activity is positions × bit-planes × driven rows by hand.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "device/model.hpp"
#include "nn/layer_graph.hpp"
#include "report/run_directory.hpp"
#include "run_fixture.hpp"
#include "sim/costs.hpp"
#include "sim/graph_net.hpp"
#include "sim/run.hpp"
#include "util/files.hpp"

using namespace synbench;
namespace fs = std::filesystem;

namespace {

nn::LayerSpec layer(nn::LayerKind k, int n, int kernel, const std::string& act) {
    nn::LayerSpec L;
    L.kind = k;
    L.name = std::string(nn::kind_name(k)) + std::to_string(n);
    L.units = L.channels = n;
    L.kernel = kernel;
    L.stride = k == nn::LayerKind::conv2d ? 1 : kernel;
    L.activation = act;
    return L;
}

// 20×20×1 → conv 4@5×5 relu (16×16×4) → max pool 2 (8×8×4) → dense 10 softmax.
nn::LayerGraph small_cnn() {
    nn::LayerGraph g;
    g.input = {20, 20, 1};
    g.classes = 10;
    g.layers = {layer(nn::LayerKind::conv2d, 4, 5, "relu"),
                layer(nn::LayerKind::max_pool, 0, 2, "none"),
                layer(nn::LayerKind::dense, 10, 0, "softmax")};
    g.layers[1].name = "max_pool1";
    nn::infer_shapes(g);
    return g;
}

sim::Experiment cnn_experiment(const test::Sets& extra = {}) {
    test::Sets sets{{"training.epochs", "2"},
                    {"training.images_per_epoch", "300"},
                    {"training.test_images", "300"},
                    {"hardware.activation_bits", "3"},
                    {"hardware.update", "stochastic"}};
    sets.insert(sets.end(), extra.begin(), extra.end());
    // The ideal device (Ag:a-Si does not learn a CNN with these settings: docs/cnn-training.md).
    sim::ExperimentInputs in;
    in.tech = test::repo("tech/32nm.yaml");
    in.device = test::repo("devices/ideal.yaml");
    in.network = test::repo("networks/mlp-400-100-10.yaml");
    in.sets = sets;
    auto ex = sim::load_experiment(in);
    ex.network.graph = small_cnn();
    ex.network.layers.clear();
    ex.network.training.optimizer.learning_rate = {0.02, 0.02};
    ex.network.training.initial_weights = "xavier";
    return ex;
}

sim::RunOutcome run(const sim::Experiment& ex, const fs::path& out, int threads,
                    std::optional<int> stop = {}, bool resume = false) {
    sim::RunOptions o;
    o.out = out;
    o.threads = threads;
    o.quiet = true;
    o.stop_after_epoch = stop;
    o.resume = resume;
    return report::run_training(ex, sim::cost_table(ex), o);
}

std::vector<double> accuracies(const fs::path& run_dir) {
    const auto csv = util::read_file(run_dir / "epochs.csv");
    std::vector<double> acc;
    std::size_t at = csv.find('\n');
    while (at != std::string::npos && at + 1 < csv.size()) {
        const auto end = csv.find('\n', at + 1);
        const auto line = csv.substr(at + 1, end - at - 1);
        const auto c1 = line.find(',');
        acc.push_back(std::stod(line.substr(c1 + 1, line.find(',', c1 + 1) - c1 - 1)));
        at = end;
    }
    return acc;
}

}  // namespace

TEST_CASE("cnn: a small CNN on the arrays learns MNIST, the same at 1 and 2 threads, and resumes",
          "[cnn][run][threads]") {
    const auto ex = cnn_experiment();
    REQUIRE(sim::uses_graph(ex.network));
    const auto table = sim::cost_table(ex);
    REQUIRE(table.layers.size() == 2);
    CHECK(table.layers[0].rows == 25);  // 5·5·1 unrolled rows × 4 columns
    CHECK(table.layers[0].cols == 4);
    CHECK(table.layers[1].rows == 256);  // 8·8·4 × 10
    auto a = test::scratch("cnn-t1"), b = test::scratch("cnn-t2"), part = test::scratch("cnn-part");
    run(ex, a, 1);
    run(ex, b, 2);
    const auto ca = util::read_file(a / "epochs.csv");
    CHECK(ca == util::read_file(b / "epochs.csv"));
    const auto acc = accuracies(a);
    REQUIRE(acc.size() == 2);
    // 300 and 600 images of batch-1 SGD on the ideal device: well above chance (10 %).
    CHECK(acc[0] > 30);
    CHECK(acc[1] > 30);
    // Interrupted after epoch 1, resumed: the same epochs.csv.
    CHECK(run(ex, part, 2, 1).epochs_completed == 1);
    CHECK(run(ex, part, 1, std::nullopt, true).status == "complete");
    CHECK(util::read_file(part / "epochs.csv") == ca);
}

TEST_CASE("cnn: software baseline of the small CNN learns", "[cnn][run]") {
    auto ex = cnn_experiment({{"hardware.enabled", "false"}});
    auto a = test::scratch("cnn-sw");
    run(ex, a, 2);
    const auto acc = accuracies(a);
    REQUIRE(acc.size() == 2);
    CHECK(acc[1] > 60);
}

TEST_CASE("cnn: a conv layer's read activity is positions × bit-planes × driven rows",
          "[cnn][activity]") {
    auto ex = cnn_experiment();
    // 4×4×1 input → conv 2@3×3 (2×2 positions, 9 rows × 2 columns) → dense 10.
    nn::LayerGraph g;
    g.input = {4, 4, 1};
    g.classes = 10;
    g.layers = {layer(nn::LayerKind::conv2d, 2, 3, "relu"),
                layer(nn::LayerKind::dense, 10, 0, "softmax")};
    nn::infer_shapes(g);
    const auto plan = sim::plan_of(g, 3);
    auto model = device::make_model(ex.device);
    auto conv_cells = model->make_array(18, 1, 0), dense_cells = model->make_array(80, 1, 1);
    sim::ForwardConfig cfg;
    cfg.g_min = ex.device.g_min;
    cfg.g_max = ex.device.g_max;
    cfg.input_bits = 1;
    std::vector<sim::LayerView> views(2);
    views[0].n_in = 9;
    views[0].n_out = 2;
    views[0].pos = conv_cells.get();
    views[1].n_in = 8;
    views[1].n_out = 10;
    views[1].pos = dense_cells.get();
    sim::GraphActs acts;
    std::vector<sim::ReadCounts> counts(2);
    // All 16 pixels on: every position drives its 9 rows in its one bit-plane.
    std::vector<std::uint8_t> on(16, 1);
    sim::graph_forward(cfg, plan, views, on.data(), 1.0, acts, counts.data(), 1);
    CHECK(counts[0].bitplanes == 4);     // 4 positions × 1 bit-plane
    CHECK(counts[0].active_rows == 36);  // 4 positions × 9 rows
    // The dense layer reads the 8 conv outputs once, in activation_bits = 3 bit-planes.
    CHECK(counts[1].bitplanes == 3);
    // One pixel on, at (1, 1): every 3×3 window covers it, once each → 4 driven rows in all.
    std::vector<std::uint8_t> one(16, 0);
    one[5] = 1;
    counts.assign(2, {});
    sim::graph_forward(cfg, plan, views, one.data(), 1.0, acts, counts.data(), 1);
    CHECK(counts[0].bitplanes == 4);
    CHECK(counts[0].active_rows == 4);
    // Pixel (0, 0): only the window at position (0, 0) covers it.
    std::vector<std::uint8_t> corner(16, 0);
    corner[0] = 1;
    counts.assign(2, {});
    sim::graph_forward(cfg, plan, views, corner.data(), 1.0, acts, counts.data(), 1);
    CHECK(counts[0].active_rows == 1);
    // Σ G of the driven cells: that row's two cells (reference-column design: one array).
    CHECK(counts[0].g_sum == Approx(conv_cells->g(0) + conv_cells->g(1)).epsilon(1e-12));
}

TEST_CASE("cli: reproduce re-runs a LeNet-5 run bit for bit", "[cnn][cli]") {
    const std::string src = SYNBENCH_SOURCE_DIR;
    const auto dir = test::scratch("cnn-reproduce");
    const std::string cards = " --tech " + src + "/tech/32nm.yaml --device " + src +
                              "/devices/ideal.yaml --network " + src + "/networks/lenet5.yaml";
    REQUIRE(test::run_cli_split("train" + cards +
                                " --set training.epochs=1 --set training.images_per_epoch=40 "
                                "--set training.test_images=40 -q --no-report -j 1 --out " +
                                dir.string()) == 0);
    std::string out;
    CHECK(test::run_cli_split("reproduce " + dir.string() + " -j 2", &out) == 0);
    CHECK_THAT(out, Catch::Contains("identical: ") && Catch::Contains("(1 epochs)"));
    fs::remove_all(dir);
}
