// Device models against independent expectations: Eq. 2–4 evaluated here with the published NL→A
// table values, hand-computed numbers, and the statistics of the non-idealities.
#include <tbb/parallel_for.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <map>

#include "config/config.hpp"
#include "device/card.hpp"
#include "device/model.hpp"
#include "device/nonlinearity.hpp"

using namespace synbench;
using Catch::Contains;

namespace {

const std::filesystem::path kRoot = SYNBENCH_SOURCE_DIR;

device::Card card_from(const std::string& text) {
    auto doc = config::load_string(text, "card.yaml");
    config::Section s(doc);
    return device::parse_card(s);
}

// A small analog card; `extra` is appended (model, variation, ...).
std::string analog(const std::string& model, int levels, const std::string& extra = "",
                   const std::string& ltp_extra = "", const std::string& ltd_extra = "") {
    return "name: t\nsource: {paper: test}\nmodel: " + model +
           "\ncell: {type: pseudo_crossbar_1t1r, access_resistance: 15 kOhm}\n"
           "conductance: {g_min: 1 uS, g_max: 11 uS}\n"
           "ltp: {levels: " +
           std::to_string(levels) + ", voltage: 2 V, pulse_width: 1 us" + ltp_extra +
           "}\n"
           "ltd: {levels: " +
           std::to_string(levels) + ", voltage: -2 V, pulse_width: 1 us" + ltd_extra +
           "}\n"
           "read: {voltage: 0.5 V, pulse_width: 5 ns}\n" +
           extra;
}

// Eq. 2–4, written out again: G(x) = B(1 − e^(−x/A)) + Gmin on the position x from the Gmin end.
double eq_curve(double x, double gmin, double gmax, double pmax, double a) {
    if (a == 0) return gmin + (gmax - gmin) * x / pmax;
    double A = a * pmax;
    double B = (gmax - gmin) / (1 - std::exp(-pmax / A));
    return B * (1 - std::exp(-x / A)) + gmin;
}

// Normalized A of the labels the cards use, read off data/nl_to_normalized_A.csv by hand
// (0.105 interpolated between the 0.10 and 0.11 rows).
const std::map<double, double> kTableA{
    {0.04, 31.566827}, {0.105, 12.0518015}, {0.5, 2.519877},  {0.61, 2.063266}, {0.63, 1.997332},
    {1.46, 0.848677},  {1.75, 0.702081},    {1.79, 0.685502}, {1.85, 0.661941}, {1.94, 0.629249},
    {2.40, 0.499181},  {3.68, 0.300644},    {4.88, 0.200303}, {6.76, 0.100251}};

double table_a(double nl) {
    auto it = kTableA.find(std::abs(nl));
    REQUIRE(it != kTableA.end());
    return nl < 0 ? -it->second : it->second;
}

std::vector<std::filesystem::path> device_cards() {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator(kRoot / "devices"))
        if (e.path().extension() == ".yaml") out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("device: every card's pulse-by-pulse curve follows Eq. 2-4 (or its own model's formula)",
          "[device]") {
    auto cards = device_cards();
    REQUIRE(cards.size() >= 11);
    for (const auto& path : cards) {
        INFO(path.filename().string());
        auto card = device::load_card(path);
        auto clean = card;
        clean.variation = {};
        auto model = device::make_model(clean);
        auto arr = model->make_array(1, 7, 0);
        const double gmin = card.g_min, gmax = card.g_max, range = gmax - gmin;
        // The expected curve of each direction as a function of the position from the Gmin end.
        auto expected = [&](bool up, double x) {
            const auto& d = up ? card.ltp : card.ltd;
            if (card.model == "exponential")
                return eq_curve(x, gmin, gmax, d.levels, table_a(*d.nl_label));
            if (card.model == "digital") return gmin + range * std::round(x) / d.levels;
            REQUIRE(card.model == "ideal");
            return eq_curve(x, gmin, gmax, d.levels, 0);
        };
        arr->set(0, gmin);
        CHECK(arr->g(0) == Approx(gmin));
        for (int p = 1; p <= card.ltp.levels; ++p) {
            double g = arr->program(0, 1, static_cast<std::uint64_t>(p));
            REQUIRE(std::abs(g - expected(true, p)) <= 1e-3 * range);
            REQUIRE(std::abs(model->ltp_curve(p) - g) <= 1e-9 * range);
        }
        CHECK(arr->g(0) == Approx(gmax).epsilon(1e-9));
        for (int p = 1; p <= card.ltd.levels; ++p) {
            double g = arr->program(0, -1, static_cast<std::uint64_t>(1000 + p));
            // p LTD pulses from Gmax: position Pmax − p on the LTD curve.
            REQUIRE(std::abs(g - expected(false, card.ltd.levels - p)) <= 1e-3 * range);
            REQUIRE(std::abs(model->ltd_curve(p) - g) <= 1e-9 * range);
        }
        CHECK(arr->g(0) == Approx(gmin).epsilon(1e-9));
    }
}

TEST_CASE("device: Ag:a-Si curve at hand-computed points", "[device]") {
    // Gmax = 1/26 MΩ, Gmin = Gmax/12.5, a = 0.499181 (NL 2.4) and −0.200303 (NL −4.88), Pmax
    // 97/100; values computed by hand (Python, outside synbench) from Eq. 2–4.
    auto model = device::make_model(device::load_card(kRoot / "devices/ag-asi.yaml"));
    CHECK(model->g_max() == Approx(3.846153846e-8));
    CHECK(model->g_min() == Approx(3.076923077e-9));
    CHECK(model->ltp_curve(1) == Approx(3.9129830704e-09).epsilon(2e-4));
    CHECK(model->ltp_curve(48) == Approx(2.8800632621e-08).epsilon(2e-4));
    CHECK(model->ltd_curve(1) == Approx(3.6726577477e-08).epsilon(2e-4));
    CHECK(model->ltd_curve(50) == Approx(5.7705316949e-09).epsilon(2e-4));
    // Signs: LTP concave (abrupt start), LTD abrupt from Gmax.
    CHECK(model->ltp_curve(1) - model->ltp_curve(0) > model->ltp_curve(97) - model->ltp_curve(96));
    CHECK(model->ltd_curve(0) - model->ltd_curve(1) > model->ltd_curve(99) - model->ltd_curve(100));
}

TEST_CASE("device: the NL table and the solved NL->A agree to 1 %", "[device]") {
    auto table = device::NlTable::load(kRoot / "data/nl_to_normalized_A.csv");
    REQUIRE(table.nl.size() == 900);
    CHECK(table.nl.front() == 0.01);
    CHECK(table.nl.back() == 9.0);
    double worst = 0;
    for (std::size_t i = 0; i < table.nl.size(); ++i) {
        double solved = device::normalized_a_from_nl(table.nl[i]);
        worst = std::max(worst, std::abs(solved - table.a[i]) / table.a[i]);
        REQUIRE(device::normalized_a_from_nl(-table.nl[i]) == -solved);
    }
    CHECK(worst < 0.01);
    // The checked pairs of devices.md.
    CHECK(device::normalized_a_from_nl(2.40) == Approx(0.4992).epsilon(1e-3));
    CHECK(device::normalized_a_from_nl(0.50) == Approx(2.5199).epsilon(1e-3));
    CHECK(device::normalized_a_from_nl(-4.88) == Approx(-0.2003).epsilon(1e-3));
    CHECK(device::nl_from_normalized_a(0.4992) == Approx(2.40).epsilon(1e-3));
    // Look-up: rows exactly, interpolation between rows, sign, and out of range.
    CHECK(table.lookup(2.40) == Approx(0.499181));
    CHECK(table.lookup(-2.40) == Approx(-0.499181));
    CHECK(table.lookup(0.105) == Approx(12.0518015));
    CHECK_THROWS_AS(table.lookup(9.5), std::out_of_range);
}

TEST_CASE("device: cycle-to-cycle noise has sigma c2c*(Gmax-Gmin) and scales with sqrt(pulses)",
          "[device]") {
    // Linear device, 1000 levels, cells at mid-range: no clipping within 10 sigma.
    auto card = card_from(analog("linear", 1000, "variation: {c2c: 5 %}\n"));
    auto model = device::make_model(card);
    const double range = card.g_max - card.g_min, sigma = 0.05 * range,
                 mid = 0.5 * (card.g_min + card.g_max);
    const std::size_t n = 40000;
    for (int pulses : {1, 4, -9}) {
        auto arr = model->make_array(n, 11, 3);
        double sum = 0, sum2 = 0;
        for (std::size_t i = 0; i < n; ++i) {
            arr->set(i, mid);
            double dev = arr->program(i, pulses, 5) - (mid + pulses * range / 1000);
            sum += dev;
            sum2 += dev * dev;
        }
        const double expect = sigma * std::sqrt(std::abs(pulses));
        const double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
        INFO("pulses " << pulses << ": sd " << sd << " expected " << expect);
        CHECK(std::abs(mean) < 4 * expect / std::sqrt(n));
        CHECK(std::abs(sd / expect - 1) < 4 / std::sqrt(2.0 * n));  // 4 standard errors of a sd
    }
}

TEST_CASE("device: stuck-at faults occur at their rates and never move", "[device]") {
    auto card = card_from(analog("exponential", 100,
                                 "variation: {stuck_at_gmin: 1 %, stuck_at_gmax: 2 %}\n", ", nl: 2",
                                 ", nl: -2"));
    auto model = device::make_model(card);
    const std::size_t n = 200000;
    auto arr = model->make_array(n, 5, 1);
    const double mid = 0.5 * (card.g_min + card.g_max);
    std::size_t low = 0, high = 0;
    for (std::size_t i = 0; i < n; ++i) {
        arr->set(i, mid);
        arr->program(i, (i % 2) ? 3 : -3, 1);
        if (arr->g(i) == card.g_min) ++low;
        if (arr->g(i) == card.g_max) ++high;
    }
    auto within = [&](std::size_t count, double p) {
        return std::abs(count - n * p) < 4 * std::sqrt(n * p * (1 - p));
    };
    CHECK(within(low, 0.01));
    CHECK(within(high, 0.02));
}

TEST_CASE("device: same seed gives the same conductances whatever the thread count", "[device]") {
    auto card = card_from(analog("exponential", 100,
                                 "variation: {c2c: 3 %, d2d_nl: 0.5, d2d_gmax: 10 %, d2d_gmin: 10 "
                                 "%, stuck_at_gmin: 1 %, read_noise: 2 %}\n",
                                 ", nl: 2.4", ", nl: -4.88"));
    auto model = device::make_model(card);
    const std::size_t n = 5000;
    auto schedule = [](std::size_t cell, int step) {
        return static_cast<int>((cell * 7 + static_cast<std::size_t>(step) * 13) % 11) - 5;
    };
    auto sequential = model->make_array(n, 42, 9);
    for (std::size_t c = n; c-- > 0;)  // cells in reverse order
        for (int s = 0; s < 20; ++s)
            sequential->program(c, schedule(c, s), static_cast<std::uint64_t>(s));
    auto parallel = model->make_array(n, 42, 9);
    tbb::parallel_for(std::size_t{0}, n, [&](std::size_t c) {
        for (int s = 0; s < 20; ++s)
            parallel->program(c, schedule(c, s), static_cast<std::uint64_t>(s));
    });
    CHECK(parallel->conductances() == sequential->conductances());
    for (std::size_t c = 0; c < n; c += 97) CHECK(parallel->read(c, 3) == sequential->read(c, 3));
    // Another seed gives another device.
    auto other = model->make_array(n, 43, 9);
    CHECK(other->cell_g_max(0) != sequential->cell_g_max(0));
    // clone() copies state and variation.
    auto copy = sequential->clone();
    CHECK(copy->conductances() == sequential->conductances());
    CHECK(copy->program(1, 2, 99) == sequential->program(1, 2, 99));
}

TEST_CASE("device: device-to-device variation is drawn once per cell with the stated spread",
          "[device]") {
    auto card = card_from(analog("exponential", 50, "variation: {d2d_gmax: 10 %, d2d_nl: 0.5}\n",
                                 ", nl: 2", ", nl: -2"));
    auto model = device::make_model(card);
    const std::size_t n = 20000;
    auto arr = model->make_array(n, 1, 0);
    double sum = 0, sum2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double r = arr->cell_g_max(i) / card.g_max - 1;
        sum += r;
        sum2 += r * r;
        CHECK(arr->cell_g_min(i) == card.g_min);
    }
    double sd = std::sqrt(sum2 / n - (sum / n) * (sum / n));
    CHECK(sd == Approx(0.10).epsilon(0.03));
    // The NL varies: one pulse from Gmin moves cells by different fractions of their range.
    std::vector<double> first;
    for (std::size_t i = 0; i < 50; ++i) {
        arr->set(i, arr->cell_g_min(i));
        first.push_back((arr->program(i, 1, 0) - arr->cell_g_min(i)) /
                        (arr->cell_g_max(i) - arr->cell_g_min(i)));
    }
    auto [lo, hi] = std::minmax_element(first.begin(), first.end());
    CHECK(*hi - *lo > 0.005);
    // A new array with the same seed and id has the same cells.
    auto again = model->make_array(n, 1, 0);
    CHECK(again->cell_g_max(123) == arr->cell_g_max(123));
}

TEST_CASE("device: read noise is relative, zero-mean, and off by default", "[device]") {
    auto card = card_from(analog("linear", 100, "variation: {read_noise: 4 %}\n"));
    auto arr = device::make_model(card)->make_array(1, 3, 0);
    arr->set(0, 6e-6);
    REQUIRE(arr->noisy_reads());
    const int n = 40000;
    double sum = 0, sum2 = 0;
    for (int e = 0; e < n; ++e) {
        double r = arr->read(0, static_cast<std::uint64_t>(e)) / 6e-6 - 1;
        sum += r;
        sum2 += r * r;
    }
    CHECK(std::abs(sum / n) < 4 * 0.04 / std::sqrt(n));
    CHECK(std::sqrt(sum2 / n) == Approx(0.04).epsilon(0.03));
    auto quiet = device::make_model(card_from(analog("linear", 100)))->make_array(1, 3, 0);
    CHECK_FALSE(quiet->noisy_reads());
}

TEST_CASE("device: drift follows the power law, with a per-cell spread of nu", "[device]") {
    auto card = card_from(analog("linear", 100, "drift: {nu: 0.05, t0: 1 s}\n"));
    auto arr = device::make_model(card)->make_array(3, 1, 0);
    for (std::size_t i = 0; i < 3; ++i) arr->set(i, 10e-6);
    auto aged = arr->clone();
    aged->age(0.5);  // before t0: nothing happens
    CHECK(aged->g(0) == 10e-6);
    device::age(*aged, 100);
    CHECK(aged->g(0) == Approx(10e-6 * std::pow(100.0, -0.05)));
    CHECK(arr->g(0) == 10e-6);  // the original is untouched
    // With nu_sigma, ln(G(t)/G0) / −ln(t/t0) = nu of the cell: mean nu, spread nu_sigma.
    auto spread = card_from(analog("linear", 100, "drift: {nu: 0.05, nu_sigma: 0.01}\n"));
    const std::size_t n = 20000;
    auto many = device::make_model(spread)->make_array(n, 2, 0);
    for (std::size_t i = 0; i < n; ++i) many->set(i, 10e-6);
    many->age(1000);
    double sum = 0, sum2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
        double nu = -std::log(many->g(i) / 10e-6) / std::log(1000.0);
        sum += nu;
        sum2 += nu * nu;
    }
    double mean = sum / n;
    CHECK(mean == Approx(0.05).epsilon(0.01));
    CHECK(std::sqrt(sum2 / n - mean * mean) == Approx(0.01).epsilon(0.05));
}

TEST_CASE("device: digital cells hold exact levels", "[device]") {
    auto card = device::load_card(kRoot / "devices/sram-6bit.yaml");
    auto model = device::make_model(card);
    REQUIRE(model->levels_ltp() == 63);
    REQUIRE(model->levels_ltd() == 63);
    CHECK(device::cells_per_weight(card) == 6);
    const double step = (card.g_max - card.g_min) / 63;
    auto arr = model->make_array(2, 1, 0);
    arr->set(
        0, card.g_min + 0.5 * (card.g_max - card.g_min));  // weight 0: half a level → rounds to 32
    CHECK(arr->g(0) == Approx(card.g_min + 32 * step));
    arr->program(0, 5, 0);
    CHECK(arr->g(0) == Approx(card.g_min + 37 * step));
    arr->program(0, -40, 1);  // clipped at level 0
    CHECK(arr->g(0) == card.g_min);
    arr->program(0, 100, 2);  // clipped at level 63
    CHECK(arr->g(0) == Approx(card.g_max));
    // The trainer's weight w = 2 (G − Gmin)/(Gmax − Gmin) − 1 is exactly level/63 · 2 − 1.
    arr->set(1, card.g_min);
    for (int k = 1; k <= 63; ++k) {
        double g = arr->program(1, 1, static_cast<std::uint64_t>(k));
        REQUIRE(std::abs(((g - card.g_min) / (card.g_max - card.g_min)) * 63 - k) < 1e-9);
    }
    CHECK_FALSE(arr->noisy_reads());
}

TEST_CASE("device: soft bounds move a fixed fraction of the distance to the bound", "[device]") {
    auto card = card_from(analog("soft_bounds", 40));  // alpha = 2/40 = 0.05
    auto model = device::make_model(card);
    auto arr = model->make_array(1, 1, 0);
    arr->set(0, 3e-6);
    // Hand: G = Gmax − (Gmax − G)(1 − α)^n = 11 − 8·0.95^3 µS = 4.141 µS.
    CHECK(arr->program(0, 3, 0) == Approx(4.141e-6));
    // LTD: G = Gmin + (G − Gmin)(0.95)^2 = 1 + 3.141·0.9025 µS.
    CHECK(arr->program(0, -2, 1) == Approx(1e-6 + 3.141e-6 * 0.9025));
    CHECK(model->ltp_curve(40) == Approx(11e-6 - 10e-6 * std::pow(0.95, 40)));
    CHECK(model->ltd_curve(0) == Approx(11e-6));
}

TEST_CASE("device: the look-up-table model steps by the tabulated mean with the tabulated spread",
          "[device]") {
    const std::string table =
        "lookup:\n  ltp: [{g: 1 uS, dg: 0.2 uS, dg_sigma: 0.05 uS}, {g: 11 uS, dg: 0.0 uS, "
        "dg_sigma: 0.05 uS}]\n"
        "  ltd: [{g: 1 uS, dg: -0.1 uS}, {g: 11 uS, dg: -0.1 uS}]\n";
    auto card = card_from(analog("lookup", 100, table));
    auto model = device::make_model(card);
    // Noise-free LTP from 1 µS: ΔG = 0.2·(1 − (G−1)/10) µS ⇒ G_n = 11 − 10·0.98^n µS.
    CHECK(model->ltp_curve(1) == Approx(1.2e-6));
    CHECK(model->ltp_curve(10) == Approx(11e-6 - 10e-6 * std::pow(0.98, 10)));
    CHECK(model->ltp_curve(1.5) == Approx(1.2e-6 + 0.5 * 0.2e-6 * 0.98));
    CHECK(model->ltd_curve(5) == Approx(10.5e-6));  // constant −0.1 µS per pulse
    // One pulse at 6 µS: mean 0.1 µS, spread 0.05 µS.
    const std::size_t n = 40000;
    auto arr = model->make_array(n, 4, 0);
    double sum = 0, sum2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
        arr->set(i, 6e-6);
        double d = arr->program(i, 1, 0) - 6e-6;
        sum += d;
        sum2 += d * d;
    }
    double mean = sum / n, sd = std::sqrt(sum2 / n - mean * mean);
    CHECK(mean == Approx(0.1e-6).epsilon(0.02));
    CHECK(sd == Approx(0.05e-6).epsilon(0.03));
}

TEST_CASE("device: pulse-train sums for identical and stepped pulses", "[device]") {
    device::Direction d;
    d.levels = 10;
    d.voltage = -2;
    d.pulse_width = 1e-6;
    auto t = device::pulse_train(d, 5);
    CHECK(t.sum_v2 == Approx(20));
    CHECK(t.sum_t == Approx(5e-6));
    CHECK(t.sum_v2_t == Approx(20e-6));
    // Stepped: |V| = 1, 1.1, 1.2 V and t = 1, 1.1, 1.2 µs.
    d.voltage = 1;
    d.voltage_step = 0.1;
    d.width_step = 0.1e-6;
    t = device::pulse_train(d, 3);
    CHECK(t.sum_v2 == Approx(1 + 1.21 + 1.44));
    CHECK(t.sum_t == Approx(3.3e-6));
    CHECK(t.sum_v2_t == Approx((1 + 1.21 * 1.1 + 1.44 * 1.2) * 1e-6));
    // Starting at pulse 2 of the sweep: 1.2 and 1.3 V.
    t = device::pulse_train(d, 2, 2);
    CHECK(t.sum_v2 == Approx(1.44 + 1.69));
    CHECK(device::pulse_train(d, 0).sum_v2 == 0);
}

TEST_CASE("device: every registered model builds from a card — unknown names list the known ones",
          "[device]") {
    std::map<std::string, std::string> cards{
        {"exponential", analog("exponential", 50, "", ", nl: 1", ", nl: -1")},
        {"linear", analog("linear", 50)},
        {"ideal", analog("ideal", 50)},
        {"soft_bounds", analog("soft_bounds", 50)},
        {"lookup", analog("lookup", 50,
                          "lookup:\n  ltp: [{g: 1 uS, dg: 1 uS}, {g: 2 uS, dg: 1 uS}]\n  ltd: [{g: "
                          "1 uS, dg: -1 uS}, {g: 2 uS, dg: -1 uS}]\n")},
        {"digital",
         "name: d\nsource: {paper: x}\nmodel: digital\ncell: {type: digital_sram}\nconductance: "
         "{g_min: 1 uS, g_max: 2 uS}\n"
         "digital: {bits: 4}\nltp: {}\nltd: {}\nread: {voltage: 0.5 V, pulse_width: 5 ns}\n"},
    };
    for (const auto& name : device::model_names()) {
        INFO(name);
        REQUIRE(cards.count(name) == 1);
        auto model = device::make_model(card_from(cards[name]));
        auto arr = model->make_array(4, 1, 0);
        CHECK(arr->program(0, 3, 0) > model->g_min());
    }
    CHECK(device::model_names().size() == cards.size());
    auto bad = card_from(cards["linear"]);
    bad.model = "quantum";
    std::string known;
    for (const auto& name : device::model_names()) known += (known.empty() ? "" : ", ") + name;
    CHECK_THROWS_WITH(device::make_model(bad), Contains("known models: " + known));
}
