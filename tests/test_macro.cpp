// Issue 13, step 2: macro cards (macros/*.yaml) and `estimate --macro`: parsing and errors, the
// composition hand-derived on a 2x2 macro, invariants, the JSON contract.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "circuit/logic.hpp"
#include "circuit/macro.hpp"
#include "circuit/macro_card.hpp"
#include "circuit/subarray.hpp"
#include "sim/experiment.hpp"
#include "util/files.hpp"

using namespace synbench;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {
const std::string root = SYNBENCH_SOURCE_DIR;



int run_cli(const std::string& args, std::string* out = nullptr, std::string* err = nullptr) {
    const auto base = fs::temp_directory_path() / ("synbench-macro-cli-" + std::to_string(::getpid()));
    const auto o = base.string() + ".out", e = base.string() + ".err";
    const int st = std::system((std::string(SYNBENCH_CLI_PATH) + " " + args + " >" + o + " 2>" + e).c_str());
    if (out) *out = util::read_file(o);
    if (err) *err = util::read_file(e);
    fs::remove(o);
    fs::remove(e);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}


// A tiny macro card: 2 × 2 cells, TaOx/HfOx at 32 nm, offset column, SAR, with `extra` lines
// replacing the defaults given here by key.
std::string tiny_card(const std::map<std::string, std::string>& over = {}) {
    std::map<std::string, std::string> f{{"name", "tiny"},
                                         {"source", "{paper: \"test\", doi: \"none\", where: \"here\"}"},
                                         {"tech", root + "/tech/32nm.yaml"},
                                         {"device", root + "/devices/taox-hfox.yaml"},
                                         {"array", "{rows: 2, columns: 2}"},
                                         {"rows_active", "2"},
                                         {"weight", "{bits: 4, cells: 1, scheme: offset_column, bits_per_cell: 4}"},
                                         {"input", "{bits: 1, encoding: bit_serial}"},
                                         {"converter", "{kind: sar, bits: 4, columns_per_converter: 1}"},
                                         {"output", "{bits: 4}"},
                                         {"clock", "1 GHz"},
                                         {"activity", "{input_density: 0.5, weight_sparsity: 0.0}"}};
    for (const auto& [k, v] : over) f[k] = v;
    std::string text;
    for (const auto& [k, v] : f)
        if (!v.empty()) text += k + ": " + v + "\n";
    return text;
}

fs::path write_card(const std::string& text, const std::string& name = "tiny.yaml") {
    const auto dir = fs::temp_directory_path() / ("synbench-macro-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto p = dir / name;
    std::ofstream(p) << text;
    return p;
}
}  // namespace

// ---- Step 2: macro cards ----------------------------------------------------------------------

TEST_CASE("macro cards: parsing and errors with file:line:field", "[macro]") {
    const auto ok = circuit::load_macro_card(write_card(tiny_card()));
    CHECK(ok.rows == 2);
    CHECK(ok.columns == 2);
    CHECK(ok.scheme == circuit::WeightScheme::offset_column);
    CHECK(ok.clock == Approx(1e9));
    auto err = [](const std::map<std::string, std::string>& over) {
        try {
            circuit::load_macro_card(write_card(tiny_card(over)));
        } catch (const config::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(err({{"input", "{bits: 8, encoding: pwm}"}}),
               Contains("tiny.yaml:") && Contains("field 'input.encoding'") && Contains("'pwm' is not modelled yet"));
    CHECK_THAT(err({{"converter", "{kind: cco, bits: 8}"}}), Contains("field 'converter.kind'") && Contains("'cco' is not modelled yet"));
    CHECK_THAT(err({{"converter", "{kind: pipeline, bits: 8}"}}), Contains("field 'converter.kind'") && Contains("voltage_sense"));
    CHECK_THAT(err({{"weight", "{bits: 4, cells: 2, scheme: differential_in_column, bits_per_cell: 1}"}}),
               Contains("field 'weight.scheme'") && Contains("not modelled yet"));
    CHECK_THAT(err({{"weight", "{bits: 4, cells: 4, scheme: differential_columns, bits_per_cell: 1}"}}),
               Contains("field 'weight.cells'") && Contains("not modelled yet"));
    CHECK_THAT(err({{"rows_active", "3"}}), Contains("field 'rows_active'"));
    CHECK_THAT(err({{"clock", "1 V"}}), Contains("field 'clock'"));
    CHECK_THAT(err({{"tech", "tech/none.yaml"}}), Contains("field 'tech'") && Contains("does not exist"));
    CHECK_THAT(err({{"supplies", "{periphery: 1.8 V}"}}), Contains("field 'supplies.periphery'") && Contains("not modelled yet"));
    CHECK_THAT(err({{"colour", "red"}}), Contains("colour"));
    CHECK_THAT(err({{"array", ""}}), Contains("array"));
}

TEST_CASE("macro cards: energy composition hand-derived on a 2x2 macro", "[macro]") {
    const auto m = circuit::load_macro_card(write_card(tiny_card({{"rows_active", "1"}, {"input", "{bits: 2, encoding: bit_serial}"}})));
    const auto e = circuit::estimate_macro(m);
    // The same components by hand: offset column → 1 weight column + 1 reference column; row groups
    // of 1 row in time (2 groups), 2 bit-planes, half the rows driven, cells at Gmid.
    circuit::HardwareOptions h;
    h.input_bits = 2;
    h.adc_bits = 4;
    h.read_circuit = "sar";
    h.read_mux = 1;
    h.clock = 1e9;
    const auto full = circuit::evaluate_subarray(m.tech, m.device, {2, 1}, h);
    const auto part = circuit::evaluate_subarray(m.tech, m.device, {1, 1}, h);
    const auto& L = part.cost;
    const double g_mid = (m.device.g_min + m.device.g_max) / 2;
    const double planes = 2 * 2;
    const double t = planes * L.read_latency_per_bitplane_s;
    const double energy = planes * (L.read_energy_per_bitplane_J + 0.5 * L.read_energy_per_active_row_J + 0.5 * g_mid * L.read_cell_energy_per_S) +
                          full.block.leakage * t;
    CHECK(e.latency_per_mvm_s == Approx(t).epsilon(1e-12));
    CHECK(e.energy_per_mvm_J == Approx(energy).epsilon(1e-12));
    CHECK(e.macs_per_mvm == 2);
    CHECK(e.energy_per_mac_J == Approx(energy / 2).epsilon(1e-12));
    CHECK(e.tops_per_w == Approx(2 / (energy / 2) * 1e-12).epsilon(1e-12));
    CHECK(e.area_m2 == Approx(full.block.area).epsilon(1e-12));
    CHECK(e.tops_per_mm2 == Approx(2 * 2 / t * 1e-12 / (full.block.area * 1e6)).epsilon(1e-12));
}

TEST_CASE("macro cards: invariants of the composition", "[macro]") {
    auto est = [](const std::map<std::string, std::string>& over) { return circuit::estimate_macro(circuit::load_macro_card(write_card(tiny_card(over)))); };
    // The data-dependent part (rows and cells) is linear in the input density; latency does not move.
    const auto d0 = est({{"activity", "{input_density: 0.0}"}}), d5 = est({{"activity", "{input_density: 0.5}"}}),
               d1 = est({{"activity", "{input_density: 1.0}"}});
    CHECK(d1.energy_per_mvm_J - d5.energy_per_mvm_J == Approx(d5.energy_per_mvm_J - d0.energy_per_mvm_J).epsilon(1e-9));
    CHECK(d1.latency_per_mvm_s == d0.latency_per_mvm_s);
    // Row groups in time: rows_active 1 reads two groups — twice the conversions of a 1-row tile.
    const auto all = est({}), half = est({{"rows_active", "1"}});
    CHECK(half.latency_per_mvm_s > 1.9 * all.latency_per_mvm_s);
    CHECK(half.area_m2 == all.area_m2);
    // Weight sparsity moves differential pairs toward Gmin: less cell energy.
    const std::string diff = "{bits: 4, cells: 2, scheme: differential_columns, bits_per_cell: 4}";
    CHECK(est({{"weight", diff}, {"activity", "{weight_sparsity: 0.9}"}}).energy_per_mvm_J <
          est({{"weight", diff}, {"activity", "{weight_sparsity: 0.0}"}}).energy_per_mvm_J);
}

TEST_CASE("macro cards: estimate --macro prints the contract's JSON keys and the shipped cards estimate or say what is not modelled", "[macro][cli]") {
    std::string out, err;
    CHECK(run_cli("estimate --json --macro " + write_card(tiny_card()).string(), &out, &err) == 0);
    auto j = nlohmann::json::parse(out);
    for (const char* k : {"area_m2", "energy_per_mac_J", "tops_per_w", "tops_per_mm2", "latency_per_mvm_s", "breakdown"}) {
        INFO(k);
        CHECK(j.contains(k));
    }
    CHECK(j["energy_per_mac_J"].get<double>() > 0);
    CHECK(run_cli("estimate --macro " + write_card(tiny_card({{"input", "{bits: 8, encoding: pwm}"}})).string(), &out, &err) == 2);
    CHECK_THAT(err, Contains("'pwm' is not modelled yet"));
    CHECK(run_cli("estimate --macro " + write_card(tiny_card()).string() + " --tech " + root + "/tech/32nm.yaml", &out, &err) == 2);
    // The shipped cards: each either estimates or names the value today's components cannot model.
    for (const auto& p : fs::directory_iterator(root + "/macros")) {
        INFO(p.path());
        const int rc = run_cli("estimate --macro " + p.path().string(), &out, &err);
        CHECK((rc == 0 || (rc == 2 && err.find("not modelled yet") != std::string::npos)));
    }
}
