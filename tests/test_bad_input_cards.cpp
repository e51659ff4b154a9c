// The bad-input catalogue for card files (docs/bad-input.md, sections "Card files: ...", issue 17
// rules 3, 4, 5 and 8, issue 12 step 7): what is not a card file, what is more than one card,
// values no physical card has, text that is not UTF-8 or holds control characters, a card of the
// wrong kind, and combinations of cards that would only fail when the circuit is built. Each class
// is checked on the frozen copies of the real cards (tests/data/bad-input/), broken in one place.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "circuit/read_circuit.hpp"
#include "config/config.hpp"
#include "device/card.hpp"
#include "report/budget.hpp"
#include "report/format.hpp"
#include "sim/experiment.hpp"
#include "sim/ir_drop.hpp"
#include "sweep/sweep_file.hpp"
#include "tech/card.hpp"
#include "util/files.hpp"
#include "bad_input_fixture.hpp"

using namespace synbench;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {

using test::device_card;
using test::device_error;
using test::edit;
using test::network_card;
using test::tech_card;
using test::tech_error;
using test::TempDir;

// The message of loading an experiment, or "ok".
std::string experiment_error(const sim::ExperimentInputs& in) {
    try {
        sim::load_experiment(in);
        return "ok";
    } catch (const config::Error& e) {
        return e.what();
    }
}

}  // namespace

TEST_CASE(
    "bad input: a card must be a regular file of bounded size (FIFO, device, directory, huge file)",
    "[bad-input]") {
    TempDir dir;
    const auto fifo = dir.path / "card.yaml";
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    // Refused by name without reading: a FIFO with no writer would block a reader forever.
    CHECK_THROWS_WITH(
        config::load_file(fifo),
        fifo.string() + ": is a FIFO (named pipe), expected a YAML file (a regular file)");
    CHECK_THROWS_WITH(config::load_file("/dev/zero"),
                      "/dev/zero: is a character device, expected a YAML file (a regular file)");
    CHECK_THROWS_WITH(
        config::load_file(dir.path),
        dir.path.string() + ": is a directory, expected a YAML file (a regular file)");
    // Larger than kMaxCardBytes: refused from its size (a sparse file, nothing is read).
    const auto huge = dir.put("huge.yaml", "name: x\n");
    fs::resize_file(huge, config::kMaxCardBytes + 1);
    CHECK_THROWS_WITH(
        config::load_file(huge),
        huge.string() + ": is 4194305 bytes, too large for a card (at most 4194304 bytes)");
    // The same loader reads sweep files.
    CHECK_THROWS_WITH(
        sweep::load_sweep(fifo),
        fifo.string() + ": is a FIFO (named pipe), expected a YAML file (a regular file)");
    // A card named by an experiment: the experiment's field is the error.
    dir.put("tech.yaml", tech_card());
    dir.put("net.yaml", network_card());
    fs::create_directory(dir.path / "adir");
    sim::ExperimentInputs in;
    in.experiment = dir.put("exp.yaml", "tech: tech.yaml\ndevice: adir\nnetwork: net.yaml\n");
    CHECK(experiment_error(in) == (dir.path / "exp.yaml").string() +
                                      ":2:9: field 'device': card file 'adir' is a directory, "
                                      "expected a YAML file (a regular file)");
    in.experiment = dir.put("exp.yaml", "tech: tech.yaml\ndevice: card.yaml\nnetwork: net.yaml\n");
    CHECK(experiment_error(in) == (dir.path / "exp.yaml").string() +
                                      ":2:9: field 'device': card file 'card.yaml' is a FIFO "
                                      "(named pipe), expected a YAML file (a regular file)");
}

TEST_CASE("bad input: one card is one YAML document, with LF or CRLF line endings", "[bad-input]") {
    CHECK(device_error(device_card() + "---\nname: other\n") ==
          "dev.yaml:33: a second YAML document starts on line 33, after the card; a card is one "
          "YAML document (remove the '---' or "
          "'...' separator, keep one card per file)");
    CHECK(device_error(device_card() + "...\nname: other\n") ==
          "dev.yaml:33: a second YAML document starts on line 33, after the card; a card is one "
          "YAML document (remove the '---' or "
          "'...' separator, keep one card per file)");
    CHECK(device_error("---\n---\n" + device_card()) ==
          "dev.yaml:4: the first YAML document is empty and a second one starts on line 4; a card "
          "is one YAML document (remove the "
          "'---' or '...' separator, keep one card per file)");
    // A lone ',' made yaml-cpp 0.7's LoadAll start the same empty document forever (a hang the
    // card fuzzer found); the document count now stops when a parse makes no progress.
    CHECK(device_error(",") == "dev.yaml: the file is empty; expected a mapping of fields");
    CHECK(device_error(device_card() + ",\n").find("dev.yaml:") == 0);
    // One document with its optional markers is fine.
    CHECK(device_error("---\n" + device_card() + "...\n") == "ok");
    // CR-only line endings made the whole card one comment line ("the file is empty").
    std::string cr = device_card();
    for (auto& c : cr)
        if (c == '\n') c = '\r';
    CHECK(device_error(cr) ==
          "dev.yaml:1:30: the file contains a carriage return without a line feed (CR-only line "
          "endings: save "
          "the file with LF or CRLF line endings)");
    // CRLF (Windows) is fine and gives the same card.
    std::string crlf;
    for (char c : device_card()) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    CHECK(device_error(crlf) == "ok");
}

TEST_CASE("bad input: values no physical card has are refused, never passed on as inf or NaN",
          "[bad-input]") {
    // 1e-320 Ohm is a denormal: 1/R overflowed to G = inf, and the estimate printed a NaN area.
    CHECK(device_error(edit(device_card(), "r_on: 26 MOhm", "r_on: 1e-320 Ohm")) ==
          "dev.yaml:15:9: field 'conductance.r_on': '1e-320 Ohm' is 9.99989e-321 Ohm in SI units, "
          "not a physical value for a card: "
          "expected 0 or a magnitude between 1e-30 and 1e+30 Ohm");
    CHECK(device_error(edit(device_card(), "c2c: 3.5 %", "c2c: 1e-40")) ==
          "dev.yaml:31:8: field 'variation.c2c': '1e-40' is 1e-40 in SI units, not a physical "
          "value for a card: expected 0 or a "
          "magnitude between 1e-30 and 1e+30");
    // Finite, but not a cell: the conductance range of a synaptic cell.
    CHECK(device_error(edit(device_card(), "r_on: 26 MOhm", "r_on: 1 mOhm")) ==
          "dev.yaml:15:9: field 'conductance.r_on': gives G_max = 1 kS; expected a cell "
          "conductance of at most 1 S (a resistance of "
          "at least 1 Ohm)");
    CHECK(device_error(edit(device_card(), "on_off_ratio: 12.5", "on_off_ratio: 1e12")) ==
          "dev.yaml:16:17: field 'conductance.on_off_ratio': gives G_min = 3.846e-20 S; expected a "
          "cell conductance of at least 1 fS "
          "(a resistance of at most 1000 TOhm)");
    // No limit lets a non-finite value through.
    CHECK_FALSE(config::Limits::positive().contains(std::numeric_limits<double>::infinity()));
    CHECK_FALSE(config::Limits::any().contains(-std::numeric_limits<double>::infinity()));
    CHECK_FALSE(config::Limits::any().contains(std::nan("")));
}

TEST_CASE("bad input: cross-field physics of tech and device cards", "[bad-input]") {
    // A node that does not match its own card's geometry.
    CHECK(tech_error(edit(tech_card(), "node: 32 nm", "node: 3 nm")) ==
          "tech.yaml:10:7: field 'node': node 3 nm does not match the card's own geometry: "
          "flavours.hp.gate_length is 34 nm, but "
          "the drawn gate (layout.poly_width 1 × node) is 3 nm; expected a gate length within a "
          "factor of 2 of it");
    CHECK(tech_error(edit(tech_card(), "node: 32 nm", "node: 1 m")) ==
          "tech.yaml:10:7: field 'node': 1 m is out of range: expected in [1e-09, 1e-05] m");
    CHECK(tech_error(edit(tech_card(), "  width: 56 nm", "  width: 300 nm")) ==
          "tech.yaml:10:7: field 'node': node 32 nm does not match the card's own geometry: "
          "wire.width is 300 nm = 9.38 feature "
          "sizes; expected 0.5 to 4 feature sizes");
    // Every flavour, not only the chosen one.
    CHECK(tech_error(edit(tech_card(), "vth: 442.034 mV", "vth: 0.9 V")) ==
          "tech.yaml:33:10: field 'flavours.lstp.vth': vth = 900 mV is not below vdd = 900 mV: "
          "expected a threshold voltage below the "
          "supply");
    // Drift: conductance decays; a negative exponent would grow it.
    CHECK(device_error(device_card() + "drift:\n  nu: -0.05\n") ==
          "dev.yaml:33:7: field 'drift.nu': -0.05 is out of range: expected in [0, 1]");
    // Lookup tables describe this device: rows inside its range (3.077-38.46 nS), steps within it.
    auto lookup = [&](const std::string& ltp) {
        return edit(edit(edit(device_card(), "  nl: 2.4\n", ""), "  nl: -4.88\n", ""),
                    "model: exponential",
                    "model: lookup\nlookup:\n  ltp:\n" + ltp +
                        "  ltd:\n    - {g: 5 nS, dg: -1 nS}\n    - {g: 30 nS, dg: -1 nS}");
    };
    CHECK(device_error(lookup("    - {g: 5 nS, dg: 1 nS}\n    - {g: 30 nS, dg: 1 nS}\n")) == "ok");
    CHECK(device_error(lookup("    - {g: 1 mS, dg: 1 nS}\n    - {g: 2 mS, dg: 1 nS}\n")) ==
          "dev.yaml:11:11: field 'lookup.ltp[0].g': g = 1 mS is outside the device's conductance "
          "range 3.077 nS to 38.46 nS "
          "(conductance:); expected every row inside it");
    CHECK(device_error(lookup("    - {g: 5 nS, dg: 1 uS}\n    - {g: 30 nS, dg: 1 nS}\n")) ==
          "dev.yaml:11:21: field 'lookup.ltp[0].dg': |dg| = 1 uS exceeds the device's whole "
          "conductance range (35.38 nS); expected a "
          "step within it");
}

TEST_CASE("bad input: text is UTF-8 without control characters, checked at load", "[bad-input]") {
    // A Latin-1 'é' (0xE9): refused at its position, not by a JSON writer at the end of a run.
    CHECK(device_error(edit(device_card(), "name: Ag:a-Si", "name: Ag:a-Si caf\xe9")) ==
          "dev.yaml:2:18: the file contains the byte 0xE9, which is not valid UTF-8 (Latin-1 or "
          "another 8-bit encoding?); save the "
          "file as UTF-8");
    CHECK(device_error(edit(device_card(), "name: Ag:a-Si",
                            "name: Ag:a-Si caf\xc3\xa9 \xce\xbc")) == "ok");  // é µ in UTF-8
    // A control character from a double-quoted escape, or a raw one in the file.
    CHECK(device_error(edit(device_card(), "name: Ag:a-Si", "name: \"Ag\\x01\"")) ==
          "dev.yaml:2:7: field 'name': the text contains the control character 0x01 at character "
          "3; expected UTF-8 text without "
          "control characters");
    CHECK(device_error(edit(device_card(), "name: Ag:a-Si", "name: Ag\x1b")) ==
          "dev.yaml:2:9: the file contains the control character 0x1B; a card is text without "
          "control characters");
    // Overlong and surrogate encodings are not UTF-8 either.
    CHECK(config::text_problem("\xc0\xaf").has_value());
    CHECK(config::text_problem("\xed\xa0\x80").has_value());
    CHECK_FALSE(config::text_problem("\xf0\x9f\x98\x80 ok").has_value());
    // --set values: UTF-8, one line.
    auto doc = config::load_string(network_card(), "net.yaml");
    CHECK_THROWS_WITH(config::apply_override(doc, "name", "caf\xe9"),
                      "--set: field 'name': the value contains the byte 0xE9, which is not valid "
                      "UTF-8 (Latin-1 or another 8-bit "
                      "encoding?); expected UTF-8 text on one line");
    CHECK_THROWS_WITH(
        config::apply_override(doc, "name", "a\nb"),
        "--set: field 'name': the value contains a line break; expected UTF-8 text on one line");
}

TEST_CASE(
    "bad input: text reaching HTML, Markdown, LaTeX and CSV is escaped, control characters and "
    "line breaks included",
    "[bad-input]") {
    const std::string text = "a<b>&\"c\"\x01|d\ne\rf\x7f%_";
    CHECK(report::html_escape(text) == "a&lt;b&gt;&amp;&quot;c&quot; |d\ne f %_");
    CHECK(report::md_escape_cell(text) == "a<b>&\"c\" \\|d e f %_");
    CHECK(report::latex_escape(text) == "a<b>\\&\"c\" |d e f \\%\\_");
    // Two line breaks would end a LaTeX table row's paragraph; they become spaces.
    CHECK(report::latex_escape("x\n\ny") == "x  y");
    // The symbols reports print (the setup's "rounding of Δw") become math.
    CHECK(report::latex_escape("Δw ≥ 0") == "$\\Delta$w $\\geq$ 0");
}

TEST_CASE("bad input: a card of the wrong kind is named as what it is", "[bad-input]") {
    TempDir dir;
    const auto tech = dir.put("tech.yaml", tech_card());
    const auto dev = dir.put("dev.yaml", device_card());
    const auto net = dir.put("net.yaml", network_card());
    sim::ExperimentInputs in;
    in.tech = tech;
    in.device = tech;  // a tech card as --device
    in.network = net;
    CHECK(experiment_error(in) ==
          tech.string() +
              ": given as --device: it is a tech card (node:, flavours:), expected a device card "
              "(model:, conductance:)");
    in.device = dev;
    in.network = dev;
    CHECK(
        experiment_error(in) ==
        dev.string() +
            ": given as --network: it is a device card (model:, conductance:), expected a network "
            "card (layers:)");
    in.network = net;
    CHECK(experiment_error(in) == "ok");
    sim::ExperimentInputs e;
    e.experiment = dev;  // a device card as the experiment file
    CHECK(experiment_error(e) == dev.string() +
                                     ": is a device card (model:, conductance:), expected an "
                                     "experiment file (tech:, device:, "
                                     "network:); pass it as --device");
    e.experiment = dir.put("exp.yaml", "tech: tech.yaml\ndevice: net.yaml\nnetwork: net.yaml\n");
    CHECK(experiment_error(e) == (dir.path / "exp.yaml").string() +
                                     ":2:9: field 'device': card file 'net.yaml' is a network card "
                                     "(layers:), expected a device card "
                                     "(model:, conductance:)");
    CHECK(sim::card_kind(YAML::Load("node: 1 nm")) == "tech");
    CHECK(sim::card_kind(YAML::Load("colour: red")).empty());
}

TEST_CASE(
    "bad input: what estimate and train would refuse later is refused when the cards are loaded",
    "[bad-input]") {
    TempDir dir;
    sim::ExperimentInputs in;
    in.tech = dir.put("tech.yaml", tech_card());
    in.device = dir.put("dev.yaml", device_card());
    const auto net = [&](const std::string& from, const std::string& to) {
        return dir.put("net.yaml", edit(network_card(), from, to));
    };
    // sense_amp with 8 bits passed validate; estimate then exited 2 and train 1, without file or
    // line.
    in.network = net("read_circuit: integrate_fire", "read_circuit: sense_amp");
    std::string multibit;  // the registry's converters that resolve 8 bits
    for (const auto& v : circuit::converter_variants())
        if (v.circuit && v.max_bits >= 8) multibit += (multibit.empty() ? "" : " or ") + v.name;
    CHECK(experiment_error(in) ==
          (dir.path / "net.yaml").string() +
              ":22:13: field 'hardware.adc_bits': read_circuit 'sense_amp' resolves 1 bit, but "
              "adc_bits = 8; "
              "expected adc_bits: 1 (or read_circuit: " +
              multibit + " for 8 bits)");
    in.network = net("adc_bits: 8\n  read_circuit: integrate_fire",
                     "adc_bits: 1\n  read_circuit: sense_amp");
    CHECK(experiment_error(in) == "ok");
    // Wires so resistive that the first-order read current (and energy) would turn negative.
    in.network = net("array_wire_width: 100 nm",
                     "array_wire_width: 100 nm\n  ir_drop: first_order\n  ir_drop_wire_scale: 1e6");
    CHECK(experiment_error(in) == (dir.path / "net.yaml").string() +
                                      ":32:23: field 'hardware.ir_drop_wire_scale': with "
                                      "ir_drop_wire_scale = 1e+06 the wires of layer 1 "
                                      "(400×100 cells at G_max) drop 342 times the read voltage, "
                                      "and the first-order model's cell currents "
                                      "(and read energies) turn negative; expected a wire "
                                      "resistance that leaves them positive (a drop "
                                      "below 1×), or ir_drop: exact");
    in.network = net("array_wire_width: 100 nm",
                     "array_wire_width: 100 nm\n  ir_drop: first_order\n  ir_drop_wire_scale: 2");
    CHECK(experiment_error(in) == "ok");
    // The exact solve stays physical (positive currents) at any drop.
    in.network = net("array_wire_width: 100 nm",
                     "array_wire_width: 100 nm\n  ir_drop: exact\n  ir_drop_wire_scale: 1e6");
    CHECK(experiment_error(in) == "ok");
}

TEST_CASE("bad input: every shipped card still loads, with every tech node and every device",
          "[bad-input]") {
    // The bounds above are chosen from physics; the shipped cards must lie inside them. (Each tech
    // card with one device and each device with one tech card keeps this fast; `synbench validate
    // tech/*.yaml devices/*.yaml networks/*.yaml` checks all 242 combinations.)
    const fs::path root = SYNBENCH_SOURCE_DIR;
    int loaded = 0;
    auto load = [&](const fs::path& t, const fs::path& d, const fs::path& n) {
        sim::ExperimentInputs in;
        in.tech = t, in.device = d, in.network = n;
        INFO(t.string() << " " << d.string() << " " << n.string());
        CHECK(experiment_error(in) == "ok");
        ++loaded;
    };
    for (const auto& e : fs::directory_iterator(root / "tech"))
        load(e.path(), root / "devices/ag-asi.yaml", root / "networks/mlp-400-100-10.yaml");
    for (const auto& e : fs::directory_iterator(root / "devices"))
        load(root / "tech/32nm.yaml", e.path(), root / "networks/mlp-400-100-10.yaml");
    for (const auto& e : fs::directory_iterator(root / "networks"))
        load(root / "tech/7nm.yaml", root / "devices/sram-6bit.yaml", e.path());
    CHECK(loaded >= 9 + 11 + 2);
}

TEST_CASE("bad input: a failed exact IR-drop solve names its fields and values", "[bad-input]") {
    // A column wire of infinite resistance with cells of zero conductance leaves the column nodes
    // floating: the nodal matrix is singular. (The card checks keep such values out of a run.)
    sim::IrGeometry geo{1.0, std::numeric_limits<double>::infinity(), 0.0, false};
    std::vector<double> g(4, 0.0);
    std::vector<std::uint8_t> driven{1, 1};
    CHECK_THROWS_WITH(
        sim::ir_exact(geo, g.data(), 2, 2, driven.data()),
        Contains(
            "hardware.ir_drop: exact: the nodal equations of a 2×2 tile cannot be factorised") &&
            Contains("hardware.ir_drop_wire_scale"));
}

TEST_CASE("bad input: a non-finite result never passes a budget", "[bad-input]") {
    // The estimate of a card with G = inf printed a NaN area, and `--budget area=1mm2` said "ok".
    const auto budget = report::parse_budget("area=1mm2,leakage=100uW");
    const auto nan = std::numeric_limits<double>::quiet_NaN(),
               inf = std::numeric_limits<double>::infinity();
    auto check = report::check_budget(budget, report::totals_from_estimate(nan, inf));
    CHECK(check.exceeded());
    REQUIRE(check.lines.size() == 2);
    CHECK(check.lines[0].exceeded);
    CHECK(check.lines[1].exceeded);
    CHECK(report::format_budget(check) ==
          "  area            nan of      1 mm²: FAILED: the result is not a finite number\n"
          "  leakage         inf of     100 µW: FAILED: the result is not a finite number\n");
    // Finite results are checked as before.
    CHECK_FALSE(
        report::check_budget(budget, report::totals_from_estimate(0.5e-6, 50e-6)).exceeded());
}
