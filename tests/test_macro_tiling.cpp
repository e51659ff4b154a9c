// Issue 13, step 5: a network's weight layers tiled onto the macros of a macro card, costed by the
// function behind `estimate --macro` (docs/macro-cards.md "Networks on macros").
#include <unistd.h>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <filesystem>
#include <fstream>
#include <string>

#include "circuit/logic.hpp"
#include "circuit/macro.hpp"
#include "circuit/macro_card.hpp"
#include "circuit/macro_tiling.hpp"
#include "config/config.hpp"
#include "sim/accountant.hpp"
#include "sim/costs.hpp"
#include "sim/experiment.hpp"
#include "run_fixture.hpp"

using namespace synbench;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {
const std::string root = SYNBENCH_SOURCE_DIR;

// A network card: `layers`, MNIST cropped to `crop` and binarised (or `input_bits`), with the
// hardware block `hw` (one YAML flow mapping).
fs::path network(const std::string& name, const std::string& layers, int crop,
                 const std::string& hw, const std::string& dataset_extra = "binarize: 0.5") {
    const auto dir = fs::temp_directory_path() / ("synbench-tiling-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto p = dir / (name + ".yaml");
    std::ofstream(p) << "name: " << name << "\nlayers: " << layers
                     << "\nactivation: sigmoid\ndataset: {name: mnist, crop: " << crop << ", "
                     << dataset_extra
                     << "}\ntraining: {epochs: 1, images_per_epoch: 10, batch_size: 1, "
                        "optimizer: sgd, learning_rate: [0.4, 0.2]}\nhardware: "
                     << hw << "\n";
    return p;
}

sim::Experiment load(const fs::path& net, const std::string& tech = "tech/130nm.yaml",
                     const std::string& device = "devices/taox-hfox.yaml") {
    sim::ExperimentInputs in;
    in.tech = root + "/" + tech;
    in.device = root + "/" + device;
    in.network = net;
    return sim::load_experiment(in);
}

std::string macro(const std::string& card) { return root + "/macros/" + card; }
}  // namespace

TEST_CASE("networks on macros: a layer that fills one macro costs what estimate --macro prints",
          "[macro_tiling]") {
    // Independent: estimate_macro of the card loaded on its own, against the network's layer.
    for (const auto& [card, layers, crop] :
         {std::tuple{std::string("neurram-130nm.yaml"), std::string("[256, 128, 10]"), 16},
          std::tuple{std::string("isscc2020-33-2-130nm-2t2r.yaml"), std::string("[784, 100, 10]"),
                     28}}) {
        CAPTURE(card);
        const auto e = circuit::estimate_macro(circuit::load_macro_card(macro(card)));
        const auto ex = load(network("fill", layers, crop, "{macro: " + macro(card) + "}"));
        const auto md =
            circuit::evaluate_macro_detail(ex.tech, ex.device, ex.network.layers, ex.hardware);
        REQUIRE(md.on_macro.size() == 2);
        const auto& l1 = md.on_macro[0];
        CHECK(l1.tiles_r == 1);
        CHECK(l1.tiles_c == 1);
        CHECK(l1.area_m2 == e.area_m2);
        CHECK(l1.energy_per_mvm_J == e.energy_per_mvm_J);
        CHECK(l1.latency_per_mvm_s == e.latency_per_mvm_s);
        CHECK(l1.macs_per_mvm == e.macs_per_mvm);
        // The chip: one macro per layer (layer 2 is 128 x 10 or 100 x 10, one macro too).
        CHECK(md.table.total.area_m2 == 2 * e.area_m2);
    }
}

TEST_CASE("networks on macros: twice the rows take two macros and twice their area",
          "[macro_tiling]") {
    const auto m = circuit::load_macro_card(macro("neurram-130nm.yaml"));
    const auto one = circuit::tile_layer(256, 128, m, 1);
    const auto two = circuit::tile_layer(512, 128, m, 1);
    const auto e = circuit::estimate_macro(m);
    CHECK(two.tiles_r == 2);
    CHECK(two.tiles_c == 1);
    CHECK(two.tile_inputs == 256);
    REQUIRE(two.block.children.size() == 2);
    CHECK(two.block.children[0].area == 2 * e.area_m2);  // the macros
    CHECK(two.block.children[1].name == "tile_accumulation");
    CHECK(two.block.children[1].area > 0);
    CHECK(two.area_m2 == two.block.children[0].area + two.block.children[1].area);
    // 128 adders of output.bits + 1 bits add the two partial sums of each output.
    CHECK(two.block.children[1].area == circuit::adder(m.tech, m.output_bits + 1, 128, 0).area);
    // Energy: two full macros plus the adders; the latency: one macro's plus the adder tree.
    CHECK(two.energy_per_mvm_J > 2 * one.energy_per_mvm_J);
    CHECK(two.latency_per_mvm_s > one.latency_per_mvm_s);
    CHECK(two.latency_per_mvm_s < 1.01 * one.latency_per_mvm_s);
    // Twice the outputs: two macros along the outputs, no accumulation, a driven input drives both.
    const auto wide = circuit::tile_layer(256, 256, m, 1);
    CHECK(wide.tiles_c == 2);
    CHECK(wide.area_m2 == 2 * e.area_m2);
    CHECK(wide.cost.read_energy_per_active_row_J == 2 * one.cost.read_energy_per_active_row_J);
    CHECK(wide.cost.read_energy_per_bitplane_J == 2 * one.cost.read_energy_per_bitplane_J);
    // A partly used macro: half the outputs convert half the columns, the area stays the macro's.
    const auto half = circuit::tile_layer(256, 64, m, 1);
    CHECK(half.area_m2 == e.area_m2);
    CHECK(half.energy_per_mvm_J < one.energy_per_mvm_J);
    CHECK_THROWS(circuit::tile_layer(0, 10, m, 1));
}

TEST_CASE("networks on macros: the trainer's per-event costs give the macro's MVM energy",
          "[macro_tiling]") {
    // The accountant's formula (sim::read_cost) over the counts the macro card assumes — every
    // input driven with probability input_density, cells at the mean conductance — plus the
    // macro's leakage over the MVM, against estimate --macro's per-MVM energy (bit-serial 2T2R).
    const auto m = circuit::load_macro_card(macro("isscc2020-33-2-130nm-2t2r.yaml"));
    const auto e = circuit::estimate_macro(m);
    const auto ex = load(network("events", "[784, 100, 10]", 28,
                                 "{macro: " + macro("isscc2020-33-2-130nm-2t2r.yaml") + "}"));
    const auto t = sim::cost_table(ex);
    const auto act = sim::assumed_inference_activity(ex, t);
    const double g_mid = (ex.device.g_min + ex.device.g_max) / 2;
    // Hand-derived counts: 1 bit-plane, 0.5 · 784 inputs driven, each charging 2 · 100 cells.
    CHECK(act[0].bitplanes == 1);
    CHECK(act[0].active_rows == Approx(0.5 * 784).epsilon(1e-15));
    CHECK(act[0].g_sum == Approx(0.5 * 784 * 200 * g_mid).epsilon(1e-15));
    const auto rc = sim::read_cost(t.layers[0], act[0]);
    CHECK(rc.latency_s == Approx(e.latency_per_mvm_s).epsilon(1e-12));
    CHECK(rc.energy_J() + e.leakage_W * rc.latency_s == Approx(e.energy_per_mvm_J).epsilon(1e-12));
    // The chip's leakage is the two macros'.
    CHECK(t.total.leakage_W == Approx(2 * e.leakage_W).epsilon(1e-12));
}

TEST_CASE("networks on macros: macro-card names and today's aliases give identical costs",
          "[macro_tiling]") {
    const auto alias = load(network("alias", "[400, 100, 10]", 20,
                                    "{read_circuit: sar, adc_bits: 6, read_mux: 8, signed_weights: "
                                    "differential, clock: 1 GHz}"));
    const auto named = load(network("named", "[400, 100, 10]", 20,
                                    "{converter: {kind: sar, bits: 6, columns_per_converter: 8}, "
                                    "weight: {scheme: differential_columns}, clock: 1 GHz}"));
    const auto a = sim::cost_table(alias), b = sim::cost_table(named);
    CHECK(a.total.area_m2 == b.total.area_m2);
    CHECK(a.total.leakage_W == b.total.leakage_W);
    REQUIRE(a.layers.size() == b.layers.size());
    for (std::size_t l = 0; l < a.layers.size(); ++l) {
        const auto na = circuit::named_costs(a.layers[l]), nb = circuit::named_costs(b.layers[l]);
        for (std::size_t i = 0; i < na.size(); ++i) CHECK(na[i].second == nb[i].second);
    }
}

TEST_CASE("networks on macros: bad input names file, line and field", "[macro_tiling]") {
    auto fails = [](const fs::path& net, const std::string& tech, const std::string& device,
                    const std::vector<std::string>& says) {
        try {
            load(net, tech, device);
            FAIL("loaded");
        } catch (const config::Error& e) {
            const std::string w = e.what();
            CAPTURE(w);
            for (const auto& s : says) CHECK_THAT(w, Contains(s));
        }
    };
    const auto neurram = macro("neurram-130nm.yaml");
    // The macro's tech differs from the experiment's.
    fails(network("tech", "[256, 128, 10]", 16, "{macro: " + neurram + "}"), "tech/22nm.yaml",
          "devices/taox-hfox.yaml",
          {"tech.yaml", ":6:19:", "hardware.macro", "its tech is '130nm'", "'22nm'"});
    // ... its device.
    fails(network("device", "[256, 128, 10]", 16, "{macro: " + neurram + "}"), "tech/130nm.yaml",
          "devices/ag-asi.yaml", {"device.yaml", "hardware.macro", "its device is"});
    // More input bits than the macro provides (the 2T2R macro: 1-bit inputs).
    fails(network("bits", "[784, 100, 10]", 28,
                  "{macro: " + macro("isscc2020-33-2-130nm-2t2r.yaml") + "}", "input_bits: 4"),
          "tech/130nm.yaml", "devices/taox-hfox.yaml",
          {"bits.yaml", "hardware.macro", "4 input bit-planes", "input.bits = 1"});
    // A pulse-count macro with multi-bit inputs.
    fails(network("enc", "[256, 128, 10]", 16, "{macro: " + neurram + "}", "input_bits: 2"),
          "tech/130nm.yaml", "devices/taox-hfox.yaml", {"hardware.macro", "pulse_count"});
    // A weight the trainer cannot hold (bit-sliced).
    fails(network("sliced", "[256, 64, 10]", 16, "{macro: " + macro("tsmc-22nm-2mb.yaml") + "}"),
          "tech/22nm.yaml", "devices/taox-hfox.yaml", {"hardware.macro", "bit_sliced"});
    // A read field given beside the macro.
    fails(network("twice", "[256, 128, 10]", 16, "{macro: " + neurram + ", read_circuit: sar}"),
          "tech/130nm.yaml", "devices/taox-hfox.yaml",
          {"twice.yaml", "hardware.read_circuit", "set by the macro card"});
    // No such card.
    fails(network("none", "[256, 128, 10]", 16, "{macro: macros/no-such.yaml}"), "tech/130nm.yaml",
          "devices/taox-hfox.yaml", {"none.yaml", "hardware.macro", "does not exist"});
}

TEST_CASE("networks on macros: estimate prints each layer's tiles, area, energy and latency",
          "[macro_tiling]") {
    const auto net = network("cli", "[784, 100, 10]", 28,
                             "{macro: " + macro("isscc2020-33-2-130nm-2t2r.yaml") + "}");
    std::string out, err;
    const int code =
        test::run_cli_split("estimate --tech " + root + "/tech/130nm.yaml --device " + root +
                                "/devices/taox-hfox.yaml --network " + net.string(),
                            &out, &err);
    CAPTURE(out, err);
    CHECK(code == 0);
    CHECK_THAT(out, Contains("layer 1: 784x100 on 1x1 macro(s)"));
    CHECK_THAT(out, Contains("layer 2: 100x10 on 1x1 macro(s)"));
    CHECK_THAT(out, Contains("per image"));
    // The resolved configuration (a run's config.yaml) names the card without the block's unused
    // read defaults, and loads again with the same costs.
    const auto ex = load(net);
    const auto hw = ex.resolved["hardware"];
    CHECK(hw["macro"].as<std::string>() == macro("isscc2020-33-2-130nm-2t2r.yaml"));
    CHECK(!hw["read_circuit"]);
    CHECK(!hw["clock"]);
    const auto again = net.parent_path() / "again.yaml";
    {
        YAML::Node n = ex.resolved;
        n.remove("tech");
        n.remove("device");
        n.remove("seed");
        std::ofstream(again) << n;
    }
    const auto ex2 = load(again);
    CHECK(sim::cost_table(ex2).total.area_m2 == sim::cost_table(ex).total.area_m2);
}

TEST_CASE(
    "networks on macros: the reference design point's tiles are the macros of its hardware "
    "block",
    "[macro_tiling]") {
    // The hardware block of networks/mlp-400-100-10.yaml (offset column, 8-bit integrate-and-fire,
    // 16 columns per converter, 2 GHz, 1-bit inputs) written as macro cards sized to each layer's
    // tile (400 x 101 and 100 x 11 cells): their area and leakage are the network's synaptic
    // arrays (docs/circuit-model.md "Hardware block: one model").
    sim::ExperimentInputs in;
    in.tech = root + "/tech/32nm.yaml";
    in.device = root + "/devices/ag-asi.yaml";
    in.network = root + "/networks/mlp-400-100-10.yaml";
    const auto ex = sim::load_experiment(in);
    const auto t = sim::cost_table(ex);
    const auto& syn = t.breakdown.children.at(0);
    REQUIRE(syn.name == "synaptic_arrays");
    double area = 0, leakage = 0;
    for (const auto& [rows, cols] : {std::pair{400, 101}, std::pair{100, 11}}) {
        const auto dir = fs::temp_directory_path() / "synbench-tiling-ref";
        fs::create_directories(dir);
        const auto p = dir / fmt::format("ref-{}.yaml", rows);
        std::ofstream(p) << "name: ref\nsource: {paper: \"hardware block\", doi: none, where: "
                            "here}\ntech: "
                         << root << "/tech/32nm.yaml\ndevice: " << root
                         << "/devices/ag-asi.yaml\narray: {rows: " << rows << ", columns: " << cols
                         << "}\nrows_active: " << rows
                         << "\nweight: {bits: 1, cells: 1, scheme: offset_column, "
                            "bits_per_cell: 1}\ninput: {bits: 1, encoding: bit_serial}\n"
                            "converter: {kind: integrate_fire, bits: 8, columns_per_converter: "
                            "16}\noutput: {bits: 8}\nclock: 2 GHz\n";
        const auto e = circuit::estimate_macro(circuit::load_macro_card(p));
        area += e.area_m2;
        leakage += e.leakage_W;
        // One model: the network's layer is costed through the same macro function, so the card
        // written from its hardware block gives the layer's per-event costs exactly (the neuron
        // periphery adds to the bit-plane read only).
        const auto& L = t.layers.at(rows == 400 ? 0 : 1);
        CHECK(L.read_energy_per_active_row_J == e.events.read_energy_per_active_row_J);
        CHECK(L.read_cell_energy_per_S == e.events.read_cell_energy_per_S);
        CHECK(L.write_row_energy_J == e.events.write_row_energy_J);
        CHECK(L.write_row_latency_s == e.events.write_row_latency_s);
        CHECK(L.write_line_energy_per_pulse_J == e.events.write_line_energy_per_pulse_J);
        CHECK(L.write_driver_energy_per_pulse_J == e.events.write_driver_energy_per_pulse_J);
        CHECK(L.read_energy_per_bitplane_J > e.events.read_energy_per_bitplane_J);
    }
    CHECK(area == Approx(syn.cost.area_m2).epsilon(1e-12));
    CHECK(leakage == Approx(syn.cost.leakage_W).epsilon(1e-12));
    // Beside the tiles, the default path has its neuron periphery: 18 % of the area here.
    CHECK(t.breakdown.children.at(1).cost.area_m2 / t.total.area_m2 ==
          Approx(0.1804).margin(0.001));
}
