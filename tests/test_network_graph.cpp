// The graph form of a network card's `layers:` (issue 15): parsed shapes against hand-derived
// values, the old integer form as the graph of dense layers, and each refusal naming the card,
// the layer's line and the layer.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "bad_input_fixture.hpp"
#include "config/config.hpp"
#include "nn/network_card.hpp"
#include "sim/card_schema.hpp"
#include "sim/experiment.hpp"
#include "sim/memory.hpp"
#include "util/files.hpp"

using namespace synbench;
using namespace synbench::nn;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

// LeNet-5 (docs/networks.md) with a training line; line 5 is the first layer.
const std::string kLenet =
    "name: lenet5\n"                                                     // 1
    "dataset: {name: mnist, crop: 0, binarize: 0.5}\n"                   // 2
    "training: {epochs: 1, images_per_epoch: 10, learning_rate: 0.1}\n"  // 3
    "layers:\n"                                                          // 4
    "  - {type: conv2d, channels: 6, kernel: 5, activation: relu}\n"     // 5
    "  - {type: max_pool, kernel: 2}\n"                                  // 6
    "  - {type: conv2d, channels: 16, kernel: 5, activation: relu}\n"    // 7
    "  - {type: max_pool, kernel: 2}\n"                                  // 8
    "  - {type: flatten}\n"                                              // 9
    "  - {type: dense, units: 120, activation: relu}\n"                  // 10
    "  - {type: dense, units: 84, activation: relu}\n"                   // 11
    "  - {type: dense, units: 10, activation: softmax}\n";               // 12

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
          "net.yaml:5:51: field 'layers[0].units': layer 1 of 8 ('conv2d1', conv2d): 'units' is a "
          "field of dense layers, not of a conv2d layer (its fields: channels, kernel, stride, "
          "padding, activation)");
    // A missing field the type needs.
    CHECK(refusal(edit("{type: conv2d, channels: 16, kernel: 5,", "{type: conv2d, kernel: 5,")) ==
          "net.yaml:7:5: field 'layers[2]': layer 3 of 8 ('conv2d2', conv2d): missing required "
          "field 'channels' of a conv2d layer");
    // Shapes that do not chain: a kernel larger than its input, at that layer's line.
    CHECK_THAT(refusal(edit("channels: 16, kernel: 5", "channels: 16, kernel: 13")),
               Contains("net.yaml:7:5: field 'layers[2]': layer 3 of 8: layer 'conv2d2' (conv2d): "
                        "a 13×13 kernel does not fit its 12×12×6 input with padding 0"));
    // The first layer's shape error names the data set's image.
    CHECK(refusal(edit("channels: 6, kernel: 5", "channels: 6, kernel: 29")) ==
          "net.yaml:5:5: field 'layers[0]': layer 1 of 8: layer 'conv2d1' (conv2d): a 29×29 kernel "
          "does not fit its 28×28×1 input with padding 0 (the input is MNIST's image after "
          "dataset.crop: 28×28×1)");
    // The class count of the data set against the last layer.
    CHECK(refusal(edit("units: 10, activation: softmax", "units: 12, activation: softmax")) ==
          "net.yaml:12:5: field 'layers[7]': layer 8 of 8: the last layer 'dense3' gives 12 "
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
          "net.yaml:11:5: field 'layers[6]': layer 7 of 8 ('dense2', dense): softmax is allowed on "
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
    CHECK_THAT(
        refusal(edit("{type: max_pool, kernel: 2}", "{type: max_pool, kernel: 2, strid: 2}")),
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

TEST_CASE("bad input: layer graphs", "[bad-input][network_graph]") {
    // The frozen LeNet-5 card (tests/data/bad-input/lenet5.yaml) broken in one place; the exact
    // messages of docs/bad-input.md, "Cards: layer graphs".
    using test::edit;
    using test::network_error;
    const auto card = test::source_file("tests/data/bad-input/lenet5.yaml");
    CHECK(network_error(card) == "ok");
    CHECK(network_error(edit(card, "{type: max_pool, kernel: 2}", "{type: maxpool, kernel: 2}")) ==
          "net.yaml:8:12: field 'layers[1].type': layer 2 of 8: unknown layer type 'maxpool' (did "
          "you mean 'max_pool'?): expected one of dense, conv2d, max_pool, avg_pool, flatten, "
          "activation, add, batch_norm");
    CHECK(
        network_error(edit(card, "channels: 6, kernel: 5,", "channels: 6, kernel: 5, units: 3,")) ==
        "net.yaml:7:51: field 'layers[0].units': layer 1 of 8 ('conv2d1', conv2d): 'units' is a "
        "field of dense layers, not of a conv2d layer (its fields: channels, kernel, stride, "
        "padding, activation)");
    CHECK(network_error(
              edit(card, "{type: conv2d, channels: 16, kernel: 5,", "{type: conv2d, kernel: 5,")) ==
          "net.yaml:9:5: field 'layers[2]': layer 3 of 8 ('conv2d2', conv2d): missing required "
          "field 'channels' of a conv2d layer");
    CHECK(network_error(edit(card, "{type: flatten}", "{type: add}")) ==
          "net.yaml:11:5: field 'layers[4]': layer 5 of 8 ('add1', add): missing required field "
          "'inputs' of an add layer");
    CHECK(network_error(edit(card, "{type: max_pool, kernel: 2}", "{type: max_pool, kernal: 2}")) ==
          "net.yaml:8:5: field 'layers[1]': layer 2 of 8 ('max_pool1', max_pool): missing required "
          "field 'kernel' of a max_pool layer (is 'kernal' a misspelling of it?)");
    CHECK(network_error(edit(card, "  - {type: flatten}", "  - 256")) ==
          "net.yaml:11:5: field 'layers[4]': layer 5 of 8: expected a mapping such as {type: "
          "dense, units: 10} (the integer and the mapping forms of 'layers' cannot be mixed)");
    CHECK(network_error(edit(card, "channels: 6, kernel: 5", "channels: 0, kernel: 5")) ==
          "net.yaml:7:30: field 'layers[0].channels': layer 1 of 8 ('conv2d1', conv2d): value 0 is "
          "out of range: expected in [1, 65536]");
    // Shapes that do not chain, at the layer's line: a kernel larger than its input, directly or
    // after a crop of the data set's image.
    CHECK(network_error(edit(card, "channels: 16, kernel: 5", "channels: 16, kernel: 13")) ==
          "net.yaml:9:5: field 'layers[2]': layer 3 of 8: layer 'conv2d2' (conv2d): a 13×13 kernel "
          "does not fit its 12×12×6 input with padding 0");
    CHECK(network_error(edit(card, "crop: 0", "crop: 12")) ==
          "net.yaml:9:5: field 'layers[2]': layer 3 of 8: layer 'conv2d2' (conv2d): a 5×5 kernel "
          "does not fit its 4×4×6 input with padding 0");
    CHECK(
        network_error(edit(card, "{type: flatten}", "{type: add, inputs: [max_pool2, conv2d2]}")) ==
        "net.yaml:11:5: field 'layers[4]': layer 5 of 8: layer 'add1' (add): adds outputs of "
        "different shapes: 4×4×16 and 8×8×16");
    CHECK(
        network_error(edit(card, "{type: flatten}", "{type: flatten, inputs: [conv9]}")) ==
        "net.yaml:11:5: field 'layers[4]': layer 5 of 8: layer 'flatten1' reads 'conv9', which is "
        "not 'input' or an earlier layer");
    CHECK(network_error(edit(card, "{type: flatten}", "{type: flatten, name: conv2d1}")) ==
          "net.yaml:11:27: field 'layers[4].name': layer 5 of 8 ('conv2d1', flatten): the name "
          "'conv2d1' is used twice (layer 1 has it); expected a name of its own");
    // The data set against the graph: classes; CIFAR-10's 32×32×3 image chains through LeNet-5
    // (32 → 28 → 14 → 10 → 5: 400 inputs to dense1), so it is not an error.
    CHECK(
        network_error(
            edit(card, "units: 10, activation: softmax", "units: 12, activation: softmax")) ==
        "net.yaml:14:5: field 'layers[7]': layer 8 of 8: the last layer 'dense3' gives 12 outputs "
        "(1×1×12), the data set has 10 classes (data/mnist.yaml: 10 classes)");
    CHECK(network_error(edit(card, "name: mnist, crop: 0, binarize: 0.5",
                             "name: cifar-10, crop: 0, input_bits: 8")) == "ok");
    CHECK(network_error(
              edit(card, "units: 84, activation: relu", "units: 84, activation: softmax")) ==
          "net.yaml:13:5: field 'layers[6]': layer 7 of 8 ('dense2', dense): softmax is allowed on "
          "the last layer only (it turns the outputs into class probabilities for the "
          "cross-entropy loss); expected none, sigmoid, tanh or relu here");
    CHECK(network_error(edit(card, "learning_rate: 0.05", "learning_rate: [0.1, 0.2]")) ==
          "net.yaml:19:18: field 'training.learning_rate': expected one learning rate per weight "
          "layer (5: conv2d1, conv2d2, dense1, dense2, dense3) or one for all, got 2");
    CHECK(network_error(edit(card, "name: lenet5\n", "name: lenet5\nactivation: relu\n")) ==
          "net.yaml:4:13: field 'activation': a top-level 'activation' belongs to the integer "
          "form of 'layers'; in the graph form give each layer its own 'activation' (e.g. {type: "
          "dense, units: 100, activation: sigmoid})");
}

TEST_CASE("memory: a layer graph's estimate is the hand count of its weight layers and activations",
          "[memory][network_graph][bad-input]") {
    sim::ExperimentInputs in;
    const std::string src = SYNBENCH_SOURCE_DIR;
    in.tech = src + "/tech/32nm.yaml";
    in.device = src + "/devices/ag-asi.yaml";
    in.network = src + "/tests/data/bad-input/lenet5.yaml";
    const auto ex = sim::load_experiment(in);
    const auto m = sim::estimate_memory(ex);
    // Cells as mapped: conv1 5·5·1 × 6 = 150, conv2 5·5·6 × 16 = 2 400, dense 256 × 120 = 30 720,
    // 120 × 84 = 10 080, 84 × 10 = 840: 44 190. SGD, batch 1, one array per layer.
    const std::uint64_t n = 150 + 2400 + 30720 + 10080 + 840;
    CHECK(m.weights == n * (3 * 8 + 4));
    CHECK(m.conductances == n * 8 * 2);
    CHECK(m.checkpoint == n * (8 + 8 + 4));
    // Neurons: the 784 inputs; outputs 24·24·6 + 12·12·6 + 8·8·16 + 256 + 256 + 120 + 84 + 10 =
    // 6 070; the convolutions' unrolled patches 576 · 25 + 64 · 150 = 24 000.
    CHECK(m.activations == 4 * (784 + 6070 + 24000) * 8 * 2);
    CHECK(m.dataset == 70000ull * (784 + 1) + 70000ull * (784 + 1));
    // The old form's estimate is unchanged by the graph every card now carries: 400-100-10.
    sim::ExperimentInputs mlp = in;
    mlp.network = src + "/networks/mlp-400-100-10.yaml";
    const auto r = sim::estimate_memory(sim::load_experiment(mlp));
    CHECK(r.total() == 1148000 + 656000 + 820000 + 32640 + 83020000 + (32ull << 20));
}

TEST_CASE(
    "cli: a graph card is refused by train with IR drop, by estimate with 'not supported yet', or "
    "above --max-memory",
    "[cli][network_graph][bad-input]") {
    const std::string src = SYNBENCH_SOURCE_DIR;
    const std::string cards = " --tech " + src + "/tech/32nm.yaml --device " + src +
                              "/devices/ag-asi.yaml --network " + src +
                              "/tests/data/bad-input/lenet5.yaml";
    const auto dir = fs::temp_directory_path() / ("synbench-graph-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto run = [&](const std::string& args, std::string& out) {
        const auto log = dir / "log";
        const int st = std::system(("cd " + dir.string() + " && " + SYNBENCH_CLI_PATH + " " + args +
                                    " >" + log.string() + " 2>&1")
                                       .c_str());
        out = util::read_file(log);
        return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    };
    std::string out;
    // The layer-graph trainer runs LeNet-5, but not with IR drop (modelled for MLPs only).
    CHECK(run("train" + cards + " --set hardware.ir_drop=first_order --out r -q -j 1", out) == 2);
    CHECK_THAT(out, Contains("field 'hardware.ir_drop': IR drop is modelled for dense (MLP) "
                             "networks only"));
    CHECK_FALSE(fs::exists(dir / "r"));
    // estimate maps a graph card onto arrays (sim/layer_mapping.hpp): its per-layer table.
    CHECK(run("estimate" + cards, out) == 0);
    CHECK_THAT(out, Contains("conv2d1      conv2d         24x24x6        25x6    1x1"));
    // 44 190 cells, 30 854 neurons, the MNIST files: an estimated 141 MiB.
    CHECK(run("train" + cards + " --out r -q -j 1 --max-memory 100MB", out) == 2);
    CHECK_THAT(out, Contains("error: the run (network 'lenet5' of 8 layers, the largest weight "
                             "layer 'dense1' 256×120 cells) needs an estimated 141 MiB of memory, "
                             "more than the limit of 95.4 MiB (--max-memory 100MB)"));
    CHECK(run("validate " + src + "/tests/data/bad-input/lenet5.yaml", out) == 0);
    fs::remove_all(dir);
}

TEST_CASE("cards schema: layers is oneOf integers or closed layer mappings with per-type rules",
          "[network_graph][schema]") {
    const auto j = sim::card_schema("network");
    const auto& forms = j["properties"]["layers"]["oneOf"];
    REQUIRE(forms.size() == 2);
    CHECK(forms[0]["items"]["type"] == "integer");
    const auto& item = forms[1]["items"];
    CHECK(item["additionalProperties"] == false);
    CHECK(item["required"] == nlohmann::ordered_json::array({"type"}));
    CHECK(item["properties"]["type"]["enum"].size() == 8);
    // One rule per type with fields to refuse or require (all eight): conv2d refuses units and
    // requires channels and kernel; flatten refuses every type-specific field.
    REQUIRE(item["allOf"].size() == 8);
    const auto& conv = item["allOf"][1];
    CHECK(conv["if"]["properties"]["type"]["const"] == "conv2d");
    CHECK(conv["then"]["properties"]["units"] == false);
    CHECK_FALSE(conv["then"]["properties"].contains("kernel"));
    CHECK(conv["then"]["required"] == nlohmann::ordered_json::array({"channels", "kernel"}));
    const auto& flat = item["allOf"][4];
    CHECK(flat["if"]["properties"]["type"]["const"] == "flatten");
    CHECK(flat["then"]["properties"].size() == 6);  // units channels kernel stride padding act.
}

TEST_CASE("cli: a graph card of dense sigmoid layers trains exactly as the integer form",
          "[cli][network_graph]") {
    // The same 400-100-10 sigmoid MLP in both forms: byte-identical epochs.csv; the report names
    // the graph's layers.
    const std::string src = SYNBENCH_SOURCE_DIR;
    const auto dir = fs::temp_directory_path() / ("synbench-chain-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto mlp = test::source_file("tests/data/bad-input/network.yaml");
    util::write_atomic(dir / "mlp.yaml", mlp);
    util::write_atomic(dir / "chain.yaml",
                       test::edit(mlp, "layers: [400, 100, 10]\nactivation: sigmoid\n",
                                  "layers:\n  - {type: dense, units: 100, activation: sigmoid}\n"
                                  "  - {type: dense, units: 10, activation: sigmoid}\n"));
    const auto train = [&](const std::string& net) {
        const std::string cmd = "cd " + dir.string() + " && " + SYNBENCH_CLI_PATH +
                                " train --tech " + src + "/tech/32nm.yaml --device " + src +
                                "/devices/ag-asi.yaml --network " + net + ".yaml --out " + net +
                                " -q -j 1 --set training.epochs=1 --set "
                                "training.images_per_epoch=50 --set training.test_images=50 "
                                ">/dev/null 2>&1";
        return std::system(cmd.c_str());
    };
    REQUIRE(train("mlp") == 0);
    REQUIRE(train("chain") == 0);
    const auto a = util::read_file(dir / "mlp/epochs.csv");
    CHECK(a.size() > 100);
    CHECK(util::read_file(dir / "chain/epochs.csv") == a);
    CHECK_THAT(
        util::read_file(dir / "chain/report.md"),
        Contains("| network | mlp-400-100-10, layers dense 100 sigmoid → dense 10 sigmoid |"));
    fs::remove_all(dir);
}
