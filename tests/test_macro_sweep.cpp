// Macro sweeps (`macro:` in a sweep file): each point is the card with its axis values set; the
// CSV row equals `estimate --macro` of that card written out by hand, at any thread count.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "run_fixture.hpp"
#include "util/files.hpp"

using namespace synbench;
using Catch::Contains;
namespace fs = std::filesystem;

namespace {
const std::string root = SYNBENCH_SOURCE_DIR;

fs::path tmp() {
    const auto d = fs::temp_directory_path() / ("synbench-msweep-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
}

std::vector<std::vector<std::string>> csv_rows(const fs::path& p) {
    std::vector<std::vector<std::string>> rows;
    std::ifstream in(p);
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
        rows.push_back(cells);
    }
    return rows;
}
}  // namespace

TEST_CASE("macro sweep: points equal estimate --macro of the edited card, at 1 and 2 threads",
          "[macro][sweep]") {
    const auto d = tmp();
    std::ofstream(d / "s.yaml") << "name: ms\nmacro: " << root
                                << "/macros/neurram-130nm.yaml\naxes:\n  input.bits: [2, 4]\n"
                                   "  converter.bits: [4, 6]\n";
    fs::remove_all(d / "o1");
    fs::remove_all(d / "o2");
    REQUIRE(test::run_cli_split("sweep " + (d / "s.yaml").string() + " --out " +
                                (d / "o1").string() + " -j 1 -q") == 0);
    REQUIRE(test::run_cli_split("sweep " + (d / "s.yaml").string() + " --out " +
                                (d / "o2").string() + " -j 2 -q") == 0);
    const auto a = util::read_file(d / "o1" / "sweep.csv");
    CHECK(a == util::read_file(d / "o2" / "sweep.csv"));
    const auto rows = csv_rows(d / "o1" / "sweep.csv");
    REQUIRE(rows.size() == 5);  // header + 2 × 2, the last axis fastest
    CHECK(rows[0][1] == "input.bits");
    CHECK(rows[2][1] == "2");
    CHECK(rows[2][2] == "6");
    // Point 1 (input 2 bits, converter 6 bits) by hand: the card with those two fields edited.
    auto card = util::read_file(root + "/macros/neurram-130nm.yaml");
    card.replace(card.find("input: {bits: 4"), 15, "input: {bits: 2");
    card.replace(card.find("converter: {kind: charge, bits: 6"), 33,
                 "converter: {kind: charge, bits: 6");
    for (std::string k : {"tech: ../", "device: ../"})
        card.replace(card.find(k), k.size(), k.substr(0, k.size() - 3) + root + "/");
    std::ofstream(d / "edited.yaml") << card;
    std::string out;
    REQUIRE(test::run_cli_split("estimate --macro " + (d / "edited.yaml").string() + " --json",
                                &out) == 0);
    const auto j = nlohmann::json::parse(out);
    CHECK(std::stod(rows[2][3]) == Catch::Detail::Approx(j["area_m2"].get<double>()).epsilon(1e-8));
    CHECK(std::stod(rows[2][4]) ==
          Catch::Detail::Approx(j["energy_per_mac_J"].get<double>()).epsilon(1e-8));
    CHECK(std::stod(rows[2][7]) ==
          Catch::Detail::Approx(j["latency_per_mvm_s"].get<double>()).epsilon(1e-8));
    CHECK(rows[2][8] == "complete");
}

TEST_CASE("macro sweep: a refused point is a failed row (exit 1), bad axes are exit 2",
          "[macro][sweep]") {
    const auto d = tmp();
    std::ofstream(d / "bad.yaml")
        << "name: mb\nmacro: " << root
        << "/macros/neurram-130nm.yaml\naxes:\n  rows_active: [128, 512]\n";
    fs::remove_all(d / "ob");
    std::string out, err;
    CHECK(test::run_cli_split(
              "sweep " + (d / "bad.yaml").string() + " --out " + (d / "ob").string() + " -q", &out,
              &err) == 1);
    const auto rows = csv_rows(d / "ob" / "sweep.csv");
    REQUIRE(rows.size() == 3);
    CHECK(rows[1][2] != "");  // 128 rows active: estimated
    // 512 > 256 rows: refused, the row names the field, value and range.
    const auto csv = util::read_file(d / "ob" / "sweep.csv");
    CHECK_THAT(csv, Contains("1,512,,,,,,failed,") && Contains("rows_active") &&
                        Contains("value 512 is out of range"));
    std::ofstream(d / "bad2.yaml")
        << "macro: " << root << "/macros/neurram-130nm.yaml\naxes:\n  tech: [x]\n";
    CHECK(test::run_cli_split(
              "sweep " + (d / "bad2.yaml").string() + " --out " + (d / "ob2").string() + " -q",
              &out, &err) == 2);
    CHECK_THAT(err, Contains("axes") && Contains("tech"));
}
