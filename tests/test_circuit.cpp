// Circuit blocks against hand-derived values (32 nm HP, 300 K), trends, breakdown invariants and
// the reference design point (MLP+NeuroSim V3.0 default: 6.2923e-9 m², 105.65 µW).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <functional>
#include <string>

#include "circuit/logic.hpp"
#include "circuit/macro.hpp"
#include "circuit/periphery.hpp"
#include "circuit/read_circuit.hpp"
#include "config/config.hpp"
#include "sim/experiment.hpp"
#include "tech/card.hpp"
#include "tech/transistor.hpp"

using namespace synbench;
using Catch::Contains;

namespace {
const std::string root = SYNBENCH_SOURCE_DIR;
tech::Card tech32(std::vector<std::pair<std::string, std::string>> sets = {}) {
    return tech::load_card(root + "/tech/32nm.yaml", sets);
}
sim::Experiment reference(std::vector<std::pair<std::string, std::string>> sets = {},
                          const std::string& device = "ag-asi") {
    sim::ExperimentInputs in;
    in.tech = root + "/tech/32nm.yaml";
    in.device = root + "/devices/" + device + ".yaml";
    in.network = root + "/networks/mlp-400-100-10.yaml";
    in.sets = std::move(sets);
    return sim::load_experiment(in);
}
circuit::CostTable estimate(const sim::Experiment& e) {
    return circuit::evaluate_macro(e.tech, e.device, e.network.layers, e.hardware);
}
// Minimum inverter at 32 nm: 243.2 nm wide, 896 nm high, 6.2205 nW; NAND2 11.4F = 364.8 nm, 6.3972
// nW.
constexpr double kInvW = 243.2e-9, kH = 896e-9, kInvLeak = 6.22049e-9, kNandW = 364.8e-9,
                 kNandLeak = 6.39716e-9;
constexpr double kUtil = 0.8;

void check_sums(const circuit::CostNode& n) {
    if (n.children.empty()) return;
    double a = 0, l = 0;
    for (const auto& c : n.children) {
        a += c.cost.area_m2;
        l += c.cost.leakage_W;
        check_sums(c);
    }
    INFO(n.name);
    CHECK(n.cost.area_m2 == Approx(a).epsilon(1e-12));
    CHECK(n.cost.leakage_W == Approx(l).epsilon(1e-12).margin(1e-18));
}
}  // namespace

TEST_CASE("circuit: standard cells and digital blocks at 32 nm", "[circuit]") {
    auto t = tech32();
    auto inv = circuit::inverter(t);
    CHECK(inv.width == Approx(kInvW));
    CHECK(inv.leakage == Approx(kInvLeak).epsilon(1e-5));
    CHECK(circuit::nand_gate(t, 2).width == Approx(kNandW));
    // DFF register: 8 leaking inverters and 12 inverter footprints per bit, placed at 80 % density.
    auto dff = circuit::dff_register(t, 10, 0, 2e9);
    CHECK(dff.leakage == Approx(10 * 8 * kInvLeak).epsilon(1e-5));
    CHECK(dff.area == Approx(10 * 12 * kInvW / kUtil * kH).epsilon(1e-9));
    // Pitch-matched to a 12.8 µm side: 120 footprints = 29.184 µm / 0.8 = 36.48 µm → 3 rows of 12.8
    // µm.
    CHECK(circuit::dff_register(t, 10, 12.8e-6, 2e9).area == Approx(3 * 12.8e-6 * kH));
    // Adder: 9 NAND2 per bit.
    auto add = circuit::adder(t, 10, 7, 0);
    CHECK(add.leakage == Approx(7 * 10 * 9 * kNandLeak).epsilon(1e-5));
    CHECK(add.area == Approx(7 * 10 * 9 * kNandW / kUtil * kH).epsilon(1e-9));
    // Subtractor: 10 NAND2 + NOR2 + INV per bit; NOR2 leaks 2 · 64n · 0.1003 · 0.95 · 0.9 = 10.976
    // nW.
    auto sub = circuit::subtractor(t, 8, 1, 0);
    CHECK(sub.leakage ==
          Approx(8 * (10 * kNandLeak + 2 * 64e-9 * 0.1003 * 0.95 * 0.9 + kInvLeak)).epsilon(1e-5));
    // Wider adders are slower (ripple carry).
    CHECK(circuit::adder(t, 16, 1, 0).read_latency > circuit::adder(t, 8, 1, 0).read_latency);
}

TEST_CASE("circuit: row decoder, switch matrix, mux, write driver at 32 nm", "[circuit]") {
    auto t = tech32();
    // 400 outputs: 9 address bits, 4 two-bit predecoders (16 NAND2), one NOR5 + two 3× drivers per
    // output.
    auto dec = circuit::row_decoder(t, 400, 0, 1e-15);
    const double nor5 = 5 * 64e-9 * 0.1003 * 0.62 * 0.9;  // stacked NOR leakage, 3+-input factor
    const double drv = 3 * kInvLeak;
    CHECK(dec.leakage ==
          Approx(9 * kInvLeak + 16 * kNandLeak + 400 * (nor5 + 2 * drv)).epsilon(1e-4));
    CHECK(dec.read_latency > 0);
    CHECK(circuit::row_decoder(t, 400, 0, 100e-15).read_latency >
          dec.read_latency);  // heavier load, slower
    // Switch matrix: pass gates sized to the resistance; a 100 Ω gate needs NMOS 2 · 15359/200 · 64
    // nm wide.
    auto tg = circuit::transmission_gate_for(t, 100);
    CHECK(tg.width > 5 * kInvW);
    auto sm_small = circuit::switch_matrix(t, "sm", 100, 1e5, 0, 1e-15, 1.0, 2e9);
    auto sm_big = circuit::switch_matrix(t, "sm", 100, 100, 0, 1e-15, 1.0, 2e9);
    CHECK(sm_big.area > sm_small.area);
    CHECK(sm_small.leakage ==
          Approx(100 * 8 * kInvLeak).epsilon(1e-5));  // only the flip-flops leak
    // Column mux with a 16-way decoder.
    auto mux = circuit::column_mux(t, 100, 16, 1e5, 0);
    REQUIRE(mux.children.size() == 2);
    CHECK(mux.children[1].name == "mux_decoder");
    // Write driver: level shifter only above Vdd; a low-resistance load needs a bigger driver.
    auto wd_low = circuit::write_drivers(t, 1, 1e6, 0.8, 0);
    auto wd_high = circuit::write_drivers(t, 1, 1e6, 3.2, 0);
    CHECK(wd_high.area > wd_low.area);
    CHECK(wd_high.write_energy > wd_low.write_energy);
    CHECK(circuit::write_drivers(t, 1, 1e3, 3.2, 0).area > wd_high.area);
}

TEST_CASE("circuit: read circuits registry and ADC trends", "[circuit][trend]") {
    auto t = tech32();
    const auto& reg = circuit::converter_variants();
    REQUIRE_FALSE(reg.empty());
    circuit::ReadCircuitSpec s;
    s.count = 7;
    s.c_in = 50e-15;
    s.i_max = 7.7e-6;
    s.v_read = 0.5;
    std::string known;
    for (const auto& v : reg) known += (known.empty() ? "" : ", ") + v.name;
    CHECK_THROWS_WITH(circuit::read_circuit(t, "pipeline", s),
                      Contains("unknown converter 'pipeline'") && Contains(known));
    s.bits = 2;
    CHECK_THROWS_WITH(circuit::read_circuit(t, "sense_amp", s), Contains("resolves 1 bit"));
    int multibit = 0;
    for (const auto& v : reg) {
        const auto& name = v.name;
        INFO(name);
        if (!v.circuit) {
            // A survey-only converter (macro cards): no component model, refused by name.
            CHECK_THROWS_WITH(circuit::read_circuit(t, name, s), Contains("no component model"));
            CHECK_FALSE(v.survey_family.empty());
            continue;
        }
        // Every registered variant is accepted by the hardware options (at 1 bit, which every
        // converter resolves; sense_amp resolves only 1) and costs something.
        CHECK(reference({{"hardware.read_circuit", name}, {"hardware.adc_bits", "1"}})
                  .hardware.read_circuit == name);
        s.bits = 1;
        auto one = circuit::read_circuit(t, name, s);
        CHECK(one.area > 0);
        CHECK(one.read_energy > 0);
        CHECK(one.read_latency > 0);
        s.bits = 4;
        circuit::Block lo;
        try {
            lo = circuit::read_circuit(t, name, s);
        } catch (const std::invalid_argument&) {
            continue;  // a 1-bit circuit (sense amplifier)
        }
        ++multibit;
        s.bits = 6;
        auto hi = circuit::read_circuit(t, name, s);
        CHECK(hi.area > lo.area);
        CHECK(hi.read_energy > lo.read_energy);
        CHECK(hi.leakage > lo.leakage);
    }
    CHECK(multibit >= 3);
    // Integrate-and-fire: 2^N counts of max(C·V_th/I_max, 1/f): 256 · max(50f·0.1/7.7µ = 0.649 ns,
    // 0.5 ns).
    s.bits = 8;
    auto iaf = circuit::integrate_fire(t, s);
    CHECK(iaf.read_latency == Approx(256 * 50e-15 * 0.1 / 7.7e-6).epsilon(1e-9));
    CHECK(iaf.area ==
          Approx(circuit::integrate_fire(t, s).area));  // not saturated: no integration capacitor
    s.i_max = 1e-3;                                     // fast input: clock-limited
    const auto sat = circuit::integrate_fire(t, s);
    CHECK(sat.read_latency == Approx(256 / 2e9));
    // Saturation modelled: 1 mA would fire in 50f·0.1/1m = 5 ps < 500 ps; the 7 circuits integrate
    // on C = 1 mA / (0.1 V · 2 GHz) = 5 pF each, the extra 4.95 pF at Cox = 3.76772e-10 / 34e-9
    // F/m².
    CHECK(circuit::integration_capacitance(t, s) == Approx(5e-12));
    const double cap = 7 * (5e-12 - 50e-15) / (3.76772e-10 / 34e-9);
    CHECK(sat.area == Approx(iaf.area + cap).epsilon(1e-9));
    // SAR: N + 1 cycles; energy FOM · 2^N.
    auto sar = circuit::sar_adc(t, s);
    CHECK(sar.read_latency == Approx(9 / 2e9));
    CHECK(sar.read_energy == Approx(50e-15 * 256));
}

TEST_CASE("circuit: the reference design point (MLP+NeuroSim V3.0 default)",
          "[circuit][reference]") {
    auto ex = reference();
    auto t = estimate(ex);
    const auto& syn = t.breakdown.children.at(0);
    const auto& neu = t.breakdown.children.at(1);
    CHECK(syn.name == "synaptic_arrays");
    CHECK(neu.name == "neuron_periphery");
    // Published: total 6.2923e-9 m² (synaptic 5.0841e-9, neuron 1.2082e-9), leakage 105.65 µW
    // (subarrays 87.629, neurons 18.018). Each is bounded by the error measured today
    // (docs/circuit-model.md, "Reference design point": −0.4 %, +1.0 %, −6.5 %, −6.5 %, −7.9 %,
    // +0.1 %) plus 2 percentage points, so a model change that moves a number away shows up here.
    auto within = [](double got, double published, double measured_err) {
        const double err = got / published - 1;
        INFO("got " << got << ", published " << published << ": error " << 100 * err
                    << " % (documented " << 100 * measured_err << " %)");
        CHECK(std::abs(err) <= std::abs(measured_err) + 0.02);
    };
    within(t.total.area_m2, 6.2923e-9, -0.004);
    within(syn.cost.area_m2, 5.0841e-9, 0.010);
    within(neu.cost.area_m2, 1.2082e-9, -0.065);
    within(t.total.leakage_W, 105.65e-6, -0.065);
    within(syn.cost.leakage_W, 87.629e-6, -0.079);
    within(neu.cost.leakage_W, 18.018e-6, 0.001);
    check_sums(t.breakdown);
    CHECK(t.total.area_m2 == Approx(t.breakdown.cost.area_m2));
    CHECK(t.total.leakage_W == Approx(t.breakdown.cost.leakage_W));
    // Per-event costs the trainer needs are all present and positive.
    REQUIRE(t.layers.size() == 2);
    CHECK(t.layers[0].rows == 400);
    CHECK(t.layers[0].cols == 100);
    CHECK(t.layers[1].rows == 100);
    for (const auto& l : t.layers) {
        CHECK(l.read_latency_per_bitplane_s > 0);
        CHECK(l.read_energy_per_bitplane_J > 0);
        CHECK(l.read_energy_per_active_row_J > 0);
        CHECK(l.write_row_latency_s > 0);
        CHECK(l.write_row_energy_J > 0);
        CHECK(l.write_line_energy_per_pulse_J > 0);
        CHECK(l.write_driver_energy_per_pulse_J > 0);
        CHECK(l.write_halfselect_energy_per_pulse_J == 0);  // 1T1R: no half-selected cells
        CHECK(l.read_latency_per_active_row_s == 0);        // analog: rows read in parallel
    }
    // Cell energy = V_read² × the conversion window of its column (0.5 V read).
    auto md = circuit::evaluate_macro_detail(ex.tech, ex.device, ex.network.layers, ex.hardware);
    CHECK(t.layers[0].read_cell_energy_per_S == Approx(0.25 * md.tiles[0].conversion_time));
    CHECK(md.tiles[0].conversion_time >= 256 / 2e9);
    // Ag:a-Si (26 MΩ) keeps the card's 15 kΩ access transistor in a 4F × 4F cell of the 32 nm node.
    CHECK(md.tiles[0].access_resistance == Approx(15e3));
    CHECK(md.tiles[0].cell_width == Approx(128e-9));
    // Layer 1 reads in 16 mux cycles of an 8-bit conversion of at least 256 clock periods.
    CHECK(t.layers[0].read_latency_per_bitplane_s > 16 * 256 / 2e9);
}

// Area of the blocks of a given name anywhere in a breakdown tree.
double area_named(const circuit::CostNode& n, const std::string& name) {
    if (n.name == name) return n.cost.area_m2;
    double a = 0;
    for (const auto& c : n.children) a += area_named(c, name);
    return a;
}

// On the reference tool's basis: its integrate-and-fire read-out integrates on the column
// capacitance even where the full-scale current fires faster than one clock period (saturated);
// ours adds the integration capacitors a working read-out needs (integrate_fire.cpp), which the
// comparison leaves out.
TEST_CASE("circuit: Table II hold-out (areas follow R_on through the 1T1R access transistor)",
          "[circuit][reference]") {
    auto area = [](const char* r_on, const char* ratio) {
        auto ex = reference(
            {{"device.conductance.r_on", r_on}, {"device.conductance.on_off_ratio", ratio}});
        const auto t = estimate(ex);
        return t.total.area_m2 - area_named(t.breakdown, "integration_capacitors");
    };
    // Published (older reference code), current reference code (read 2025) and synbench's value as
    // documented in docs/circuit-model.md ("Table II hold-out"), µm². Ours lies between the two
    // reference columns (or within 25 % of the published one) and is checked at its documented
    // value ± 2 %, so that a model change moving it is seen.
    struct Row {
        const char* name;
        const char* r_on;
        const char* ratio;
        double published, current, ours;
    };
    const Row rows[] = {{"GST PCM", "4.71 kOhm", "19.8", 46565, 9100.1, 27981},
                        {"AlOx/HfO2", "16.9 kOhm", "4.43", 21760, 7941.8, 11758},
                        {"EpiRAM", "81 kOhm", "50.2", 9144.3, 6658.1, 6774},
                        {"TaOx/HfOx", "100 kOhm", "10", 8663.1, 6601.7, 6601},
                        {"HZO FeFET", "559.28 kOhm", "45", 7032.6, 6292.5, 6287},
                        {"PCMO", "23 MOhm", "6.84", 6292.4, 6292.3, 6264}};
    double prev = 1e9;
    for (const auto& r : rows) {
        const double a = area(r.r_on, r.ratio) * 1e12;
        INFO(r.name << ": " << a << " um2 (published " << r.published << ", current reference code "
                    << r.current << ", documented " << r.ours << ")");
        const bool within = std::abs(a - r.published) <= 0.25 * r.published;
        const bool between =
            a >= std::min(r.published, r.current) && a <= std::max(r.published, r.current);
        CHECK((within || between));
        CHECK(a == Catch::Detail::Approx(r.ours).epsilon(0.02));
        CHECK(a <= prev * (1 + 1e-12));  // ordering by R_on: lower R_on, larger macro
        prev = a;
    }
}

TEST_CASE("circuit: trends and options", "[circuit][trend]") {
    auto base = reference();
    const auto t0 = estimate(base);
    SECTION("smaller node, smaller area") {
        double prev = 1;
        for (const char* n :
             {"130nm", "90nm", "65nm", "45nm", "32nm", "22nm", "14nm", "10nm", "7nm"}) {
            auto ex = base;
            ex.tech = tech::load_card(root + "/tech/" + n + ".yaml");
            const double a = estimate(ex).total.area_m2;
            INFO(n << " " << a);
            CHECK(a < prev);
            prev = a;
        }
    }
    SECTION("higher temperature, more leakage") {
        auto hot = reference({{"tech.temperature", "360 K"}});
        CHECK(estimate(hot).total.leakage_W > 1.5 * t0.total.leakage_W);
    }
    SECTION("more partial-sum bits, more area and more read energy") {
        auto ex = reference({{"hardware.adc_bits", "10"}});
        const auto t1 = estimate(ex);
        CHECK(t1.total.area_m2 > t0.total.area_m2);
        CHECK(t1.layers[0].read_energy_per_bitplane_J > t0.layers[0].read_energy_per_bitplane_J);
        CHECK(t1.layers[0].read_latency_per_bitplane_s > t0.layers[0].read_latency_per_bitplane_s);
    }
    SECTION("multi-bit inputs add shift-add units") {
        auto ex = reference({{"dataset.binarize", "null"}, {"dataset.input_bits", "4"}});
        CHECK(ex.hardware.input_bits == 4);  // follows the dataset
        CHECK(estimate(ex).total.area_m2 > t0.total.area_m2);
    }
    SECTION("tiling: a layer larger than max_array is split") {
        auto ex = reference({{"hardware.max_array", "[256, 64]"}});
        const auto t1 = estimate(ex);
        CHECK(t1.layers[0].tiles_r == 2);
        CHECK(t1.layers[0].tiles_c == 2);
        CHECK(t1.layers[1].tiles_r == 1);
        check_sums(t1.breakdown);
    }
    SECTION("crossbar and SRAM cells") {
        auto xb = reference({{"device.cell.type", "crossbar"},
                             {"device.cell.width", "2"},
                             {"device.cell.height", "2"},
                             {"device.cell.access_resistance", "0 Ohm"}});
        const auto t1 = estimate(xb);
        CHECK(t1.layers[0].write_halfselect_energy_per_pulse_J > 0);
        check_sums(t1.breakdown);
        // Digital NVM: six 1T1R cells per weight, read in parallel: six times the columns of an
        // analog array (no reference column), so more area than the analog Ag:a-Si array.
        auto stt = reference({}, "stt-mram-6bit");
        const auto t3 = estimate(stt);
        CHECK(t3.total.area_m2 > t0.total.area_m2);
        check_sums(t3.breakdown);
        auto sram = reference({}, "sram-6bit");
        const auto t2 = estimate(sram);
        CHECK(t2.layers[0].read_latency_per_active_row_s > 0);
        CHECK(t2.total.area_m2 > t0.total.area_m2);
        check_sums(t2.breakdown);
    }
    SECTION(
        "a low-R_on device widens the 1T1R cell: W = 1.54 * 0.9 V / (1410 A/m * 0.1 * 4.71 kOhm) = "
        "65.2 F") {
        auto ex = reference({{"device.conductance.r_on", "4.71 kOhm"}});
        auto md =
            circuit::evaluate_macro_detail(ex.tech, ex.device, ex.network.layers, ex.hardware);
        CHECK(md.tiles[0].access_resistance == Approx(471));
        CHECK(md.tiles[0].cell_width / 32e-9 == Approx(65.219).epsilon(1e-4));
    }
}

TEST_CASE("circuit: converter constants are declared once, in data/converters.yaml",
          "[circuit][converter]") {
    // Every registered variant's declared constants have a value and a source in the data file.
    for (const auto& v : circuit::converter_variants()) {
        INFO(v.name);
        const auto& p = circuit::converter_params(v.name);
        CHECK(p.values.size() == v.fields.size());
        for (const auto& f : v.fields) {
            CHECK(p.values.count(f.name) == 1);
            CHECK_FALSE(p.sources.at(f.name).empty());
            CHECK(f.limits.contains(p[f.name]));
            CHECK_FALSE(f.doc.empty());
        }
        CHECK((v.circuit || !v.survey_family.empty()));  // some model costs it
        CHECK(v.cycles(4, p) >= 1);
    }
    // Hand-checked values that the reference design point depends on.
    CHECK(circuit::converter_params("integrate_fire")["threshold_ratio"] == 0.2);
    CHECK(circuit::converter_params("sar")["walden_fom"] == Approx(50e-15));
    CHECK(circuit::converter_params("sense_amp")["input_cap"] == Approx(5e-15));
    // A data file that does not match the declarations is refused with file, line and field.
    std::ifstream in("data/converters.yaml");
    REQUIRE(in);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK_NOTHROW(circuit::parse_converter_constants(text, "c.yaml"));
    auto err = [&](const std::string& from, const std::string& to) {
        std::string t = text;
        const auto at = t.find(from);
        REQUIRE(at != std::string::npos);
        t.replace(at, from.size(), to);
        try {
            circuit::parse_converter_constants(t, "c.yaml");
        } catch (const config::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(err("walden_fom: {value: 50 fJ", "walden_fom: {value: 50 fs"),
               Contains("c.yaml:") && Contains("sar.walden_fom.value"));
    CHECK_THAT(err("walden_fom:", "walden_fomm:"), Contains("walden_fom"));
    CHECK_THAT(err("threshold_ratio: {value: 0.2", "threshold_ratio: {value: 1.5"),
               Contains("integrate_fire.threshold_ratio.value"));
    CHECK_THAT(err("sense_amp:\n", "pipeline: {}\nsense_amp:\n"), Contains("pipeline"));
    // A tech card that still carries the old `design:` converter blocks names the new place.
    config::Document doc = config::load_file("tech/32nm.yaml");
    config::apply_override(doc, "design.sar_adc.walden_fom", "50 fJ");
    config::Section sec(doc);
    CHECK_THROWS_WITH(tech::parse_card(sec), Contains("design.sar_adc") &&
                                                 Contains("data/converters.yaml") &&
                                                 Contains("section 'sar'"));
}

TEST_CASE("circuit: docs/converters.md is the table generated from the registry",
          "[circuit][converter][docs]") {
    // Regenerate with SYNBENCH_WRITE_DOCS=1 build/synbench_tests "[docs]".
    const std::string want =
        "# Converters (generated — do not edit)\n\n"
        "Generated from the converter registry (src/circuit/converters/, one file per variant) "
        "and\n"
        "data/converters.yaml by the test \"circuit: docs/converters.md is the table generated\n"
        "from the registry\"; regenerate with `SYNBENCH_WRITE_DOCS=1 build/synbench_tests "
        "\"[docs]\"`.\n"
        "Network cards choose one with `hardware.converter.kind` (alias `hardware.read_circuit`),\n"
        "macro cards with `converter.kind` (docs/macro-cards.md). Model \"component\": the "
        "circuit\n"
        "model costs it (networks and macro cards); \"survey\": macro cards take energy and area\n"
        "per conversion from that family of data/converter-survey.yaml.\n\n" +
        circuit::converter_table_markdown();
    if (const char* w = std::getenv("SYNBENCH_WRITE_DOCS"); w && std::string(w) == "1") {
        std::ofstream("docs/converters.md") << want;
    }
    std::ifstream in("docs/converters.md");
    const std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(got == want);
}

TEST_CASE("circuit: a network's hardware block takes the macro card's names (today's are aliases)",
          "[circuit][converter]") {
    // The same converter, weight scheme and input through either set of names: equal estimates.
    auto same = [](const circuit::CostTable& a, const circuit::CostTable& b) {
        CHECK(a.total.area_m2 == b.total.area_m2);
        CHECK(a.total.leakage_W == b.total.leakage_W);
        REQUIRE(a.layers.size() == b.layers.size());
        for (std::size_t l = 0; l < a.layers.size(); ++l) {
            CHECK(a.layers[l].read_energy_per_bitplane_J == b.layers[l].read_energy_per_bitplane_J);
            CHECK(a.layers[l].read_latency_per_bitplane_s ==
                  b.layers[l].read_latency_per_bitplane_s);
            CHECK(a.layers[l].read_energy_per_active_row_J ==
                  b.layers[l].read_energy_per_active_row_J);
        }
    };
    const auto old_names = reference({{"hardware.read_circuit", "sar"},
                                      {"hardware.adc_bits", "6"},
                                      {"hardware.read_mux", "8"},
                                      {"hardware.signed_weights", "differential"}});
    // (The network card writes today's names: emptied here, as --set can.)
    const auto new_names =
        reference({{"hardware.read_circuit", "~"},
                   {"hardware.adc_bits", "~"},
                   {"hardware.read_mux", "~"},
                   {"hardware.signed_weights", "~"},
                   {"hardware.converter", "{kind: sar, bits: 6, columns_per_converter: 8}"},
                   {"hardware.weight", "{scheme: differential_columns}"},
                   {"hardware.input", "{bits: 1, encoding: bit_serial}"}});
    CHECK(new_names.hardware.read_circuit == "sar");
    CHECK(new_names.hardware.adc_bits == 6);
    CHECK(new_names.hardware.read_mux == 8);
    CHECK(new_names.hardware.signed_weights == circuit::SignedWeights::differential);
    same(estimate(old_names), estimate(new_names));
    // offset_column is today's reference_column (the default of both).
    const std::pair<std::string, std::string> no_sw{"hardware.signed_weights", "~"},
        no_rc{"hardware.read_circuit", "~"}, no_bits{"hardware.adc_bits", "~"};
    CHECK(reference({no_sw, {"hardware.weight.scheme", "offset_column"}}).hardware.signed_weights ==
          circuit::SignedWeights::reference_column);
    same(estimate(reference({no_sw, {"hardware.weight.scheme", "offset_column"}})),
         estimate(reference()));
    // Every registered converter with a component model is accepted under converter.kind.
    for (const auto& v : circuit::converter_variants()) {
        if (!v.circuit) continue;
        INFO(v.name);
        CHECK(reference({no_rc,
                         no_bits,
                         {"hardware.converter.kind", v.name},
                         {"hardware.converter.bits", "1"}})
                  .hardware.read_circuit == v.name);
    }
    // Both forms of one field, or what only macro cards model: refused, naming the field.
    CHECK_THROWS_WITH(
        reference({{"hardware.read_circuit", "sar"}, {"hardware.converter.kind", "sar"}}),
        Contains("hardware.read_circuit") && Contains("given twice"));
    CHECK_THROWS_WITH(reference({{"hardware.signed_weights", "differential"},
                                 {"hardware.weight.scheme", "differential_columns"}}),
                      Contains("given twice"));
    CHECK_THROWS_WITH(reference({no_sw, {"hardware.weight.scheme", "bit_sliced"}}),
                      Contains("hardware.weight.scheme") && Contains("macro cards only"));
    CHECK_THROWS_WITH(reference({{"hardware.input.encoding", "pwm"}}),
                      Contains("hardware.input.encoding") && Contains("bit_serial"));
    CHECK_THROWS_WITH(reference({no_rc, {"hardware.converter.kind", "cco"}}),
                      Contains("hardware.converter.kind"));
    CHECK_THROWS_WITH(
        reference({no_rc,
                   no_bits,
                   {"hardware.converter.kind", "sense_amp"},
                   {"hardware.converter.bits", "4"}}),
        Contains("hardware.converter.bits") && Contains("kind 'sense_amp' resolves 1 bit"));
}
