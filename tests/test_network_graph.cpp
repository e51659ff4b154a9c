// The graph form of a network card's `layers:` (issue 15): parsed shapes against hand-derived
// values, the old integer form as the graph of dense layers, and each refusal naming the card,
// the layer's line and the layer.
#include <catch2/catch.hpp>

#include <string>

#include "config/config.hpp"
#include "nn/network_card.hpp"

using namespace synbench;
using namespace synbench::nn;
using Catch::Matchers::Contains;

namespace {

// LeNet-5 as docs/networks.md writes it; line 5 is the first layer.
const std::string kLenet =
    "name: lenet5\n"                                                            // 1
    "dataset: {name: mnist, crop: 0, binarize: 0.5}\n"                          // 2
    "training: {epochs: 1, images_per_epoch: 10, learning_rate: 0.1}\n"         // 3
    "layers:\n"                                                                 // 4
    "  - {type: conv2d, channels: 6, kernel: 5, activation: relu}\n"            // 5
    "  - {type: max_pool, kernel: 2}\n"                                         // 6
    "  - {type: conv2d, channels: 16, kernel: 5, activation: relu}\n"           // 7
    "  - {type: max_pool, kernel: 2}\n"                                         // 8
    "  - {type: flatten}\n"                                                     // 9
    "  - {type: dense, units: 120, activation: relu}\n"                         // 10
    "  - {type: dense, units: 84, activation: relu}\n"                          // 11
    "  - {type: dense, units: 10, activation: softmax}\n";                      // 12

NetworkSpec parse(const std::string& text) {
    auto doc = config::load_string(text, "net.yaml");
    config::Section s(doc);
    return parse_network(s);
}

// The message of a card's refusal ("ok" when it parses).
std::string refusal(const std::string& text) {
    try {
        parse(text);
        return "ok";
    } catch (const config::Error& e) {
        return e.what();
    }
}

// kLenet with its line `from` replaced by `to` (whole text of the line, without newline).
std::string edit(const std::string& from, const std::string& to) {
    auto s = kLenet;
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    s.replace(at, from.size(), to);
    return s;
}

}  // namespace

TEST_CASE("network graph: the LeNet-5 card parses to hand-derived shapes", "[network_graph]") {
    auto n = parse(kLenet);
    const auto& g = n.graph;
    CHECK(n.layers.empty());  // not the MLP's widths
    CHECK_FALSE(g.from_widths);
    CHECK(g.input == Shape{28, 28, 1});
    CHECK(g.classes == 10);
    REQUIRE(g.layers.size() == 8);
    // Default names count each type from 1; lines are the card's.
    CHECK(g.layers[0].name == "conv2d1");
    CHECK(g.layers[1].name == "max_pool1");
    CHECK(g.layers[2].name == "conv2d2");
    CHECK(g.layers[7].name == "dense3");
    CHECK(g.layers[0].line == 5);
    CHECK(g.layers[7].line == 12);
    // 28 − 5 + 1 = 24; /2 = 12; 12 − 5 + 1 = 8; /2 = 4; 4·4·16 = 256 → 120 → 84 → 10.
    CHECK(g.layers[0].out == Shape{24, 24, 6});
    CHECK(g.layers[1].out == Shape{12, 12, 6});
    CHECK(g.layers[2].out == Shape{8, 8, 16});
    CHECK(g.layers[3].out == Shape{4, 4, 16});
    CHECK(g.layers[4].out == Shape{1, 1, 256});
    CHECK(g.layers[5].out == Shape{1, 1, 120});
    CHECK(g.layers[7].out == Shape{1, 1, 10});
    // Defaults: conv stride 1, padding 0; pool stride = kernel; fused activations as written.
    CHECK(g.layers[0].stride == 1);
    CHECK(g.layers[0].padding == 0);
    CHECK(g.layers[1].stride == 2);
    CHECK(g.layers[0].activation == "relu");
    CHECK(g.layers[7].activation == "softmax");
    CHECK(g.layers[4].activation == "none");
    // One learning rate for all five weight layers.
    CHECK(n.training.optimizer.learning_rate == std::vector<double>(5, 0.1));
    CHECK(g.layers[2].weight_rows() == 150);  // 5·5·6
}

TEST_CASE("network graph: the integer form is the graph of dense layers graph_of_widths builds",
          "[network_graph]") {
    auto n = parse(
        "name: mlp\nlayers: [400, 100, 10]\nactivation: tanh\n"
        "dataset: {name: mnist, crop: 20, binarize: 0.5}\n"
        "training: {epochs: 1, images_per_epoch: 10, learning_rate: [0.1, 0.2]}\n");
    CHECK(n.layers == std::vector<int>{400, 100, 10});
    const auto ref = graph_of_widths({400, 100, 10}, "tanh");
    const auto& g = n.graph;
    CHECK(g.from_widths);
    CHECK(g.input == Shape{20, 20, 1});  // the cropped image, 400 values
    CHECK(g.classes == 10);
    REQUIRE(g.layers.size() == ref.layers.size());
    for (std::size_t i = 0; i < g.layers.size(); ++i) {
        CHECK(g.layers[i].name == ref.layers[i].name);
        CHECK(g.layers[i].kind == LayerKind::dense);
        CHECK(g.layers[i].units == ref.layers[i].units);
        CHECK(g.layers[i].activation == "tanh");
        CHECK(g.layers[i].out == ref.layers[i].out);
        CHECK(g.layers[i].weight_rows() == ref.layers[i].weight_rows());
        CHECK(g.layers[i].line == 2);
    }
    CHECK(g.layers[0].weight_rows() == 400);
    CHECK(g.layers[1].weight_rows() == 100);
}

TEST_CASE("network graph: a chain of dense sigmoid layers runs as the old form's widths",
          "[network_graph]") {
    auto n = parse(
        "name: mlp\ndataset: {name: mnist, crop: 20, binarize: 0.5}\n"
        "training: {epochs: 1, images_per_epoch: 10, learning_rate: 0.1}\n"
        "layers:\n  - {type: dense, units: 100, activation: sigmoid}\n"
        "  - {type: dense, units: 10, activation: sigmoid}\n");
    CHECK(n.layers == std::vector<int>{400, 100, 10});
    CHECK(n.activation == "sigmoid");
    // A softmax output or mixed activations are not the MLP: no widths.
    auto soft = parse(
        "name: mlp\ndataset: {name: mnist, crop: 20, binarize: 0.5}\n"
        "training: {epochs: 1, images_per_epoch: 10, learning_rate: 0.1}\n"
        "layers:\n  - {type: dense, units: 100, activation: sigmoid}\n"
        "  - {type: dense, units: 10, activation: softmax}\n");
    CHECK(soft.layers.empty());
}

TEST_CASE("network graph: each refusal names the card, the layer's line and the layer",
          "[network_graph][bad-input]") {
    // Unknown type, with the closest spelling.
    CHECK(refusal(edit("{type: max_pool, kernel: 2}\n  - {type: conv2d, channels: 16",
                       "{type: max_pol, kernel: 2}\n  - {type: conv2d, channels: 16"))
              .find("net.yaml:6") == 0);
    CHECK_THAT(refusal(edit("{type: max_pool, kernel: 2}\n  - {type: conv2d, channels: 16",
                            "{type: max_pol, kernel: 2}\n  - {type: conv2d, channels: 16")),
               Contains("field 'layers[1].type'") && Contains("layer 2 of 8") &&
                   Contains("unknown layer type 'max_pol' (did you mean 'max_pool'?)") &&
                   Contains("expected one of dense, conv2d, max_pool"));
    // A field of another type.
    CHECK(refusal(edit("channels: 6, kernel: 5,", "channels: 6, kernel: 5, units: 3,")) ==
          "net.yaml:5: field 'layers[0].units': layer 1 of 8 ('conv2d1', conv2d): 'units' is a "
          "field of dense layers, not of a conv2d layer (its fields: channels, kernel, stride, "
          "padding, activation)");
    // A missing field the type needs.
    CHECK(refusal(edit("{type: conv2d, channels: 16, kernel: 5,", "{type: conv2d, kernel: 5,")) ==
          "net.yaml:7: field 'layers[2]': layer 3 of 8 ('conv2d2', conv2d): missing required "
          "field 'channels' of a conv2d layer");
    // Shapes that do not chain: a kernel larger than its input, at that layer's line.
    CHECK_THAT(refusal(edit("channels: 16, kernel: 5", "channels: 16, kernel: 13")),
               Contains("net.yaml:7: field 'layers[2]': layer 3 of 8: layer 'conv2d2' (conv2d): "
                        "a 13×13 kernel does not fit its 12×12×6 input with padding 0"));
    // The first layer's shape error names the data set's image.
    CHECK(refusal(edit("channels: 6, kernel: 5", "channels: 6, kernel: 29")) ==
          "net.yaml:5: field 'layers[0]': layer 1 of 8: layer 'conv2d1' (conv2d): a 29×29 kernel "
          "does not fit its 28×28×1 input with padding 0 (the input is MNIST's image after "
          "dataset.crop: 28×28×1)");
    // The class count of the data set against the last layer.
    CHECK(refusal(edit("units: 10, activation: softmax", "units: 12, activation: softmax")) ==
          "net.yaml:12: field 'layers[7]': layer 8 of 8: the last layer 'dense3' gives 12 "
          "outputs (1×1×12), the data set has 10 classes (data/mnist.yaml: 10 classes)");
    // learning_rate: one per weight layer or one for all.
    CHECK_THAT(refusal(edit("learning_rate: 0.1", "learning_rate: [0.1, 0.2]")),
               Contains("net.yaml:3") && Contains("field 'training.learning_rate'") &&
                   Contains("expected one learning rate per weight layer (5: conv2d1, conv2d2, "
                            "dense1, dense2, dense3) or one for all, got 2"));
    // The old form's activation in the graph form.
    CHECK_THAT(refusal(edit("name: lenet5\n", "name: lenet5\nactivation: relu\n")),
               Contains("net.yaml:2") && Contains("field 'activation'") &&
                   Contains("give each layer its own 'activation'"));
    // softmax before the last layer.
    CHECK(refusal(edit("units: 84, activation: relu", "units: 84, activation: softmax")) ==
          "net.yaml:11: field 'layers[6]': layer 7 of 8 ('dense2', dense): softmax is allowed on "
          "the last layer only (it turns the outputs into class probabilities for the "
          "cross-entropy loss); expected none, sigmoid, tanh or relu here");
    // A named input that is not an earlier layer; a duplicate name.
    CHECK_THAT(refusal(edit("{type: flatten}", "{type: flatten, inputs: [conv2d9]}")),
               Contains("net.yaml:9") && Contains("layer 5 of 8") &&
                   Contains("reads 'conv2d9', which is not 'input' or an earlier layer"));
    CHECK_THAT(refusal(edit("{type: flatten}", "{type: flatten, name: conv2d1}")),
               Contains("net.yaml:9") && Contains("the name 'conv2d1' is used twice"));
    // Mixed forms; a misspelt field with the closest one.
    CHECK_THAT(refusal(edit("{type: flatten}", "256")),
               Contains("net.yaml:9") && Contains("layer 5 of 8: expected a mapping"));
    CHECK_THAT(refusal(edit("{type: max_pool, kernel: 2}", "{type: max_pool, kernal: 2}")),
               Contains("net.yaml:6") && Contains("layer 2 of 8 ('max_pool1', max_pool)") &&
                   Contains("(is 'kernal' a misspelling of it?)"));
    CHECK_THAT(refusal(edit("{type: max_pool, kernel: 2}", "{type: max_pool, kernel: 2, strid: 2}")),
               Contains("net.yaml:6") && Contains("did you mean 'stride'?"));
}

TEST_CASE("network graph: class count and image shape come from the data set",
          "[network_graph][bad-input]") {
    // CIFAR-10: 32×32×3 → the first conv sees 3 channels; 10 classes.
    auto n = parse(
        "name: c\ndataset: {name: cifar-10, crop: 0, input_bits: 8}\n"
        "training: {epochs: 1, images_per_epoch: 10, learning_rate: 0.1}\n"
        "layers:\n  - {type: conv2d, channels: 8, kernel: 3, padding: 1, activation: relu}\n"
        "  - {type: avg_pool, kernel: 4}\n  - {type: dense, units: 10}\n");
    CHECK(n.graph.input == Shape{32, 32, 3});
    CHECK(n.graph.layers[0].weight_rows() == 27);  // 3·3·3
    CHECK(n.graph.layers[1].out == Shape{8, 8, 8});
    CHECK(n.graph.layers[2].weight_rows() == 512);
    // A crop shrinks the input the graph sees: 20×20 after crop, a 21×21 kernel does not fit.
    CHECK_THAT(refusal("name: c\ndataset: {name: mnist, crop: 20, binarize: 0.5}\n"
                       "training: {epochs: 1, images_per_epoch: 10, learning_rate: 0.1}\n"
                       "layers:\n  - {type: conv2d, channels: 2, kernel: 21}\n"
                       "  - {type: dense, units: 10}\n"),
               Contains("net.yaml:5") && Contains("does not fit its 20×20×1 input") &&
                   Contains("MNIST's image after dataset.crop: 20×20×1"));
}
