// The interpolated 28 nm and 40 nm cards (tools/interpolate-tech: log-linear in node between the
// neighbouring PTM cards): hand-computed values, and an independent invariant: every estimate of
// the reference network lies strictly between the estimates at the neighbouring nodes.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tech/card.hpp"

using namespace synbench;

namespace {
const std::string root = SYNBENCH_SOURCE_DIR;
tech::Card card(const std::string& node,
                std::vector<std::pair<std::string, std::string>> sets = {}) {
    return tech::load_card(root + "/tech/" + node + ".yaml", sets);
}
// v(node) = v_lo · (v_hi / v_lo)^t, t = ln(node / lo) / ln(hi / lo).
double loglin(double node, double lo, double hi, double v_lo, double v_hi) {
    const double t = std::log(node / lo) / std::log(hi / lo);
    return v_lo * std::pow(v_hi / v_lo, t);
}
nlohmann::json estimate(const std::string& node) {
    const auto tmp = std::filesystem::temp_directory_path() /
                     ("synbench-interp-" + std::to_string(::getpid()) + "-" + node);
    const std::string cmd = std::string(SYNBENCH_CLI_PATH) + " estimate --tech " + root + "/tech/" +
                            node + ".yaml --device " + root + "/devices/ag-asi.yaml --network " +
                            root + "/networks/mlp-400-100-10.yaml --json >" + tmp.string() +
                            " 2>&1";
    const int st = std::system(cmd.c_str());
    std::ifstream f(tmp);
    std::stringstream ss;
    ss << f.rdbuf();
    std::filesystem::remove(tmp);
    INFO(ss.str());
    REQUIRE((WIFEXITED(st) && WEXITSTATUS(st) == 0));
    return nlohmann::json::parse(ss.str());
}
// The quantities of `estimate --json` that depend on the node.
std::vector<std::pair<std::string, double>> quantities(const nlohmann::json& j) {
    const auto& l1 = j.at("per_layer").at(0);
    return {{"area", j.at("total").at("area_m2").get<double>()},
            {"leakage", j.at("total").at("leakage_W").get<double>()},
            {"read latency per image", j.at("per_image_read").at("latency_s").get<double>()},
            {"read energy per image", j.at("per_image_read").at("energy_J").get<double>()},
            {"layer 1 conversion time", l1.at("conversion_time_s").get<double>()},
            {"layer 1 write row latency", l1.at("write_row_latency_s").get<double>()},
            {"layer 1 write row energy", l1.at("write_row_energy_J").get<double>()},
            {"layer 1 pulse line energy", l1.at("write_line_energy_per_pulse_J").get<double>()}};
}
}  // namespace

TEST_CASE("tech: the 28 nm and 40 nm cards are log-linear in node between their neighbours",
          "[tech][interpolated]") {
    // t(28) = ln(28/22)/ln(32/22) = 0.64358; Vdd = 0.85 · (0.9/0.85)^0.64358 = 0.88185 V (the card
    // says 0.88185 V).
    auto t28 = card("28nm");
    CHECK(t28.name == "28nm");
    CHECK(t28.node == Approx(28e-9));
    CHECK(t28.kind == tech::Kind::planar);
    CHECK(t28.vdd == Approx(0.88185).epsilon(1e-5));
    CHECK(t28.vdd == Approx(loglin(28, 22, 32, 0.85, 0.9)).epsilon(1e-5));
    // I_on,n at 300 K: 1500 and 1410 µA/µm → 1441.4 µA/µm (A/m).
    CHECK(t28.ion_n == Approx(loglin(28, 22, 32, 1500, 1410)).epsilon(1e-4));
    // 40 nm between 32 and 45 nm: Vdd 0.9 → 1.0 V, t = ln(40/32)/ln(45/32) = 0.6545; Vdd = 0.96425
    // V.
    auto t40 = card("40nm");
    CHECK(t40.node == Approx(40e-9));
    CHECK(t40.vdd == Approx(0.96425).epsilon(1e-5));
    CHECK(t40.vdd == Approx(loglin(40, 32, 45, 0.9, 1.0)).epsilon(1e-5));
    CHECK(t40.ion_n == Approx(loglin(40, 32, 45, 1410, 1270)).epsilon(1e-4));
    // Numbers equal in both neighbours are kept: the 0.2 overlap ratio, the wire capacitance.
    CHECK(t40.c_overlap == Approx(0.2 * t40.c_gate_ideal));
    CHECK(t40.wire_cap_per_m == Approx(0.2e-9));
    // Both flavours load over the whole temperature table.
    for (const char* n : {"28nm", "40nm"})
        for (const char* f : {"hp", "lstp"})
            for (const char* k : {"300 K", "400 K"}) {
                INFO(n << " " << f << " " << k);
                auto t = card(n, {{"flavour", f}, {"temperature", k}});
                CHECK(t.ion_n > 0);
                CHECK(t.ioff_n > 0);
            }
    // LSTP between its neighbours too (22 nm 791.9, 32 nm 600.2 µA/µm at 300 K).
    auto l28 = card("28nm", {{"flavour", "lstp"}});
    CHECK(l28.ion_n < 791.9);
    CHECK(l28.ion_n > 600.2);
}

TEST_CASE("tech: estimates at 28 nm and 40 nm lie between those of the neighbouring nodes",
          "[tech][interpolated]") {
    const auto q22 = quantities(estimate("22nm")), q28 = quantities(estimate("28nm")),
               q32 = quantities(estimate("32nm")), q40 = quantities(estimate("40nm")),
               q45 = quantities(estimate("45nm"));
    for (std::size_t i = 0; i < q28.size(); ++i) {
        INFO(q28[i].first << ": 22 nm " << q22[i].second << ", 28 nm " << q28[i].second
                          << ", 32 nm " << q32[i].second << ", 40 nm " << q40[i].second
                          << ", 45 nm " << q45[i].second);
        // Every one of these grows with the node from 22 to 45 nm (monotone), strictly.
        CHECK(q22[i].second < q28[i].second);
        CHECK(q28[i].second < q32[i].second);
        CHECK(q32[i].second < q40[i].second);
        CHECK(q40[i].second < q45[i].second);
    }
}
