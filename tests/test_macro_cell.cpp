// Issue 13 step 3: a macro card's stated cell footprint (cell: {area_F2} or {pitch}) sets the
// array area; the physical read-outs are what converter.kind charge / voltage_sense / cco use.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "circuit/macro_card.hpp"
#include "config/config.hpp"

using namespace synbench;
using Catch::Contains;
using Catch::Detail::Approx;
namespace fs = std::filesystem;

namespace {
const std::string root = SYNBENCH_SOURCE_DIR;

fs::path card(const std::string& extra, const std::string& converter = "sar",
              const std::string& weight =
                  "{bits: 4, cells: 2, scheme: differential_columns, bits_per_cell: 4}") {
    const auto dir = fs::temp_directory_path() / ("synbench-cell-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto p = dir / "cell.yaml";
    std::ofstream(p) << "name: cell\nsource: {paper: test}\ntech: " << root
                     << "/tech/130nm.yaml\ndevice: " << root
                     << "/devices/taox-hfox.yaml\narray: {rows: 4, columns: 4}\nrows_active: 4\n"
                        "weight: "
                     << weight
                     << "\ninput: {bits: 1, encoding: bit_serial}\nconverter: {kind: " << converter
                     << ", bits: 4}\noutput: {bits: 4}\nclock: 1 GHz\nactivity: {input_density: "
                        "0.5}\n"
                     << extra;
    return p;
}

double array_area(const circuit::MacroEstimate& e) {
    for (const auto& c : e.area.children)
        if (c.name == "array") return c.cost.area_m2;
    return -1;
}
}  // namespace

TEST_CASE("macro cards: a stated cell footprint sets the array area", "[macro][cell]") {
    // 4 × 4 cells of a 4 um pitch: 16 · 16 um² = 256 um².
    const auto pitch =
        circuit::estimate_macro(circuit::load_macro_card(card("cell: {pitch: 4 um}\n")));
    CHECK(array_area(pitch) == Approx(256e-12).epsilon(1e-9));
    // 400 F² at 130 nm: a 20 F = 2.6 um square, 16 · 6.76 um² = 108.16 um².
    const auto f2 =
        circuit::estimate_macro(circuit::load_macro_card(card("cell: {area_F2: 400}\n")));
    CHECK(array_area(f2) == Approx(108.16e-12).epsilon(1e-9));
    // The total moves by exactly the array's difference (nothing else depends on it here but
    // wires; at least the array term is the stated one and the total grows with it).
    CHECK(pitch.area_m2 > f2.area_m2);
    // Without `cell:` the device card's footprint (4F × 4F, widened by the access transistor).
    const auto dflt = circuit::estimate_macro(circuit::load_macro_card(card("")));
    CHECK(array_area(dflt) < array_area(f2));
}

TEST_CASE("macro cards: cell footprint errors and the narrow-cell note", "[macro][cell]") {
    auto err = [](const std::string& extra) {
        try {
            circuit::load_macro_card(card(extra));
        } catch (const config::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(err("cell: {pitch: 4 um, area_F2: 100}\n"), Contains("not both"));
    CHECK_THAT(err("cell: {}\n"), Contains("area_F2"));
    CHECK_THAT(err("cell: {pitch: -1 um}\n"), Contains("pitch"));
    CHECK_THAT(err("cell: {area_F2: 4, width: 3}\n"), Contains("width"));
    // 1 F² cannot hold the 1T1R access transistor: the cell is drawn wider, and a note says so.
    const auto e = circuit::estimate_macro(circuit::load_macro_card(card("cell: {area_F2: 1}\n")));
    bool noted = false;
    for (const auto& n : e.notes)
        noted = noted || n.find("narrower than the access") != std::string::npos;
    CHECK(noted);
}

TEST_CASE("macro cards: charge, voltage_sense and cco use the physical read-outs",
          "[macro][cell]") {
    for (const std::string kind : {"charge", "voltage_sense", "cco"}) {
        const auto e = circuit::estimate_macro(circuit::load_macro_card(card("", kind)));
        bool physical = false;
        for (const auto& n : e.notes)
            physical = physical || n.find("physical") != std::string::npos;
        CHECK(physical);
    }
    const auto sar = circuit::estimate_macro(circuit::load_macro_card(card("", "sar")));
    for (const auto& n : sar.notes) CHECK(n.find("physical") == std::string::npos);
}

TEST_CASE("macro cards: ternary weights (weight.levels: 3)", "[macro][cell]") {
    const std::string tern =
        "{bits: 2, levels: 3, cells: 2, scheme: differential_columns, "
        "bits_per_cell: 1}";
    const std::string two = "{bits: 2, cells: 2, scheme: differential_columns, bits_per_cell: 1}";
    const auto t = circuit::load_macro_card(card("", "sar", tern));
    CHECK(t.weight_levels == 3);
    CHECK(circuit::load_macro_card(card("", "sar", two)).weight_levels == 4);
    // A ternary pair costs what the mean-conductance model gives a pair (exact for ternary): the
    // same energy as the analog pair of the same card, and a note says it is exact.
    const auto et = circuit::estimate_macro(t);
    const auto e2 = circuit::estimate_macro(circuit::load_macro_card(card("", "sar", two)));
    CHECK(et.energy_per_mvm_J == Approx(e2.energy_per_mvm_J).epsilon(1e-12));
    bool noted = false;
    for (const auto& n : et.notes) noted = noted || n.find("ternary") != std::string::npos;
    CHECK(noted);
    auto err = [](const std::string& w) {
        try {
            circuit::load_macro_card(card("", "sar", w));
        } catch (const config::Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    CHECK_THAT(
        err("{bits: 2, levels: 5, cells: 2, scheme: differential_columns, bits_per_cell: 1}"),
        Contains("5 levels do not fit in weight.bits = 2"));
    CHECK_THAT(err("{bits: 2, levels: 3, cells: 1, scheme: offset_column, bits_per_cell: 1}"),
               Contains("signed pair"));
}
