// The layer graph's shape rules (nn/layer_graph.hpp) against hand-derived shapes.
#include <catch2/catch.hpp>

#include "nn/layer_graph.hpp"

using namespace synbench::nn;

namespace {

LayerSpec layer(LayerKind k, const std::string& name) {
    LayerSpec L;
    L.kind = k;
    L.name = name;
    return L;
}
LayerSpec conv(const std::string& name, int channels, int kernel, int padding = 0, int stride = 1) {
    auto L = layer(LayerKind::conv2d, name);
    L.channels = channels;
    L.kernel = kernel;
    L.padding = padding;
    L.stride = stride;
    return L;
}
LayerSpec pool(const std::string& name, int k) {
    auto L = layer(LayerKind::max_pool, name);
    L.kernel = k;
    L.stride = k;
    return L;
}
LayerSpec dense(const std::string& name, int units) {
    auto L = layer(LayerKind::dense, name);
    L.units = units;
    return L;
}

}  // namespace

TEST_CASE("layer graph: LeNet-5 on 28x28 MNIST chains to 10 outputs with hand-derived shapes",
          "[layer_graph]") {
    LayerGraph g;
    g.input = {28, 28, 1};
    g.classes = 10;
    g.layers = {conv("c1", 6, 5),
                pool("p1", 2),
                conv("c2", 16, 5),
                pool("p2", 2),
                layer(LayerKind::flatten, "f"),
                dense("d1", 120),
                dense("d2", 84),
                dense("d3", 10)};
    infer_shapes(g);
    // 28 − 5 + 1 = 24; 24 / 2 = 12; 12 − 5 + 1 = 8; 8 / 2 = 4; 4·4·16 = 256.
    CHECK(g.layers[0].out == Shape{24, 24, 6});
    CHECK(g.layers[1].out == Shape{12, 12, 6});
    CHECK(g.layers[2].out == Shape{8, 8, 16});
    CHECK(g.layers[3].out == Shape{4, 4, 16});
    CHECK(g.layers[4].out == Shape{1, 1, 256});
    CHECK(g.layers[7].out == Shape{1, 1, 10});
    // Unrolled weights: conv1 5·5·1 × 6 at 576 positions, conv2 5·5·6 = 150 × 16 at 64.
    CHECK(g.layers[0].weight_rows() == 25);
    CHECK(g.layers[0].weight_cols() == 6);
    CHECK(g.layers[0].positions() == 576);
    CHECK(g.layers[2].weight_rows() == 150);
    CHECK(g.layers[2].positions() == 64);
    CHECK(g.layers[5].weight_rows() == 256);
    CHECK(g.layers[5].positions() == 1);
    CHECK(g.layers[1].positions() == 0);
}

TEST_CASE("layer graph: padded stride-2 convolution and a residual add", "[layer_graph]") {
    LayerGraph g;
    g.input = {32, 32, 3};
    auto c1 = conv("c1", 64, 3, 1);
    auto c2 = conv("c2", 64, 3, 1);
    auto c3 = conv("c3", 64, 3, 1);
    auto add = layer(LayerKind::add, "res");
    add.inputs = {"c3", "c1"};
    auto down = conv("down", 128, 3, 1, 2);
    g.layers = {c1, c2, c3, add, down};
    infer_shapes(g);
    CHECK(g.layers[0].out == Shape{32, 32, 64});
    CHECK(g.layers[3].out == Shape{32, 32, 64});
    CHECK(g.layers[3].input_ids == std::vector<int>{2, 0});
    // (32 + 2 − 3) / 2 + 1 = 16.
    CHECK(g.layers[4].out == Shape{16, 16, 128});
    CHECK(g.layers[4].weight_rows() == 3 * 3 * 64);
}

TEST_CASE("layer graph: shapes that do not chain are refused naming the layer", "[layer_graph]") {
    LayerGraph g;
    g.input = {4, 4, 1};
    SECTION("kernel larger than its input") {
        g.layers = {conv("big", 2, 5)};
        CHECK_THROWS_WITH(infer_shapes(g), Catch::Contains("layer 'big'") &&
                                               Catch::Contains("5×5 kernel does not fit"));
    }
    SECTION("zero channels") {
        g.layers = {conv("c", 0, 3)};
        CHECK_THROWS_WITH(infer_shapes(g), Catch::Contains("channels must be ≥ 1, got 0"));
    }
    SECTION("add of different shapes") {
        auto a = layer(LayerKind::add, "a");
        a.inputs = {"c", "input"};
        g.layers = {conv("c", 2, 3), a};
        CHECK_THROWS_WITH(infer_shapes(g), Catch::Contains("different shapes: 2×2×2 and 4×4×1"));
    }
    SECTION("an input that is a later layer") {
        auto d = dense("d", 3);
        d.inputs = {"e"};
        g.layers = {d, dense("e", 3)};
        CHECK_THROWS_WITH(infer_shapes(g), Catch::Contains("reads 'e'"));
    }
    SECTION("last layer against the class count") {
        g.classes = 10;
        g.layers = {dense("d", 9)};
        CHECK_THROWS_WITH(infer_shapes(g),
                          Catch::Contains("gives 9 outputs") && Catch::Contains("10 classes"));
    }
    SECTION("a name used twice") {
        g.layers = {dense("d", 3), dense("d", 3)};
        CHECK_THROWS_WITH(infer_shapes(g), Catch::Contains("used twice"));
    }
}

TEST_CASE("layer graph: the old widths form is a chain of dense layers", "[layer_graph]") {
    const auto g = graph_of_widths({400, 100, 10}, "sigmoid");
    REQUIRE(g.layers.size() == 2);
    CHECK(g.from_widths);
    CHECK(g.layers[0].weight_rows() == 400);
    CHECK(g.layers[0].weight_cols() == 100);
    CHECK(g.layers[1].weight_rows() == 100);
    CHECK(g.layers[1].out == Shape{1, 1, 10});
    CHECK(g.layers[1].activation == "sigmoid");
}
