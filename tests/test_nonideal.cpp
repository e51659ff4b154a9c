// Array and time non-idealities (docs/non-idealities.md): IR drop, half-select disturb, drift,
// inference after training, write-verify.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "config/config.hpp"
#include "data/mnist_fetch.hpp"
#include "device/model.hpp"
#include "sim/costs.hpp"
#include "sim/infer.hpp"
#include "sim/ir_drop.hpp"
#include "sim/program.hpp"
#include "report/run_directory.hpp"
#include "sim/run.hpp"
#include "sim/trainer.hpp"
#include "util/files.hpp"
#include "util/rng.hpp"

using namespace synbench;
namespace fs = std::filesystem;

namespace {

fs::path repo(const char* p) { return fs::path(SYNBENCH_SOURCE_DIR) / p; }

device::Card card_from(const std::string& text) {
    auto doc = config::load_string(text, "card.yaml");
    config::Section s(doc);
    return device::parse_card(s);
}

std::string linear_card(const std::string& cell, const std::string& extra) {
    return "name: t\nsource: {paper: test}\nmodel: linear\ncell: {type: " + cell +
           (cell == "crossbar" ? "" : ", access_resistance: 15 kOhm") +
           "}\nconductance: {g_min: 1 uS, g_max: 11 uS}\n"
           "ltp: {levels: 100, voltage: 2 V, pulse_width: 1 us}\nltd: {levels: 100, voltage: -2 V, "
           "pulse_width: 1 us}\n"
           "read: {voltage: 0.5 V, pulse_width: 5 ns}\n" +
           extra;
}

struct Tile {
    std::size_t rows, cols;
    std::vector<double> g;
    std::vector<std::uint8_t> driven;
};

Tile random_tile(std::size_t rows, std::size_t cols, double g_min, double g_max,
                 std::uint64_t seed) {
    Tile t{rows, cols, std::vector<double>(rows * cols), std::vector<std::uint8_t>(rows)};
    for (std::size_t c = 0; c < rows * cols; ++c)
        t.g[c] =
            g_min + (g_max - g_min) * util::Rng(seed, util::Stream::init_weights, 7, c).uniform();
    for (std::size_t i = 0; i < rows; ++i)
        t.driven[i] = util::Rng(seed, util::Stream::init_weights, 8, i).uniform() < 0.5;
    return t;
}

std::vector<double> ideal_sum(const sim::IrGeometry& geo, const Tile& t) {
    std::vector<double> s(t.cols, 0.0);
    for (std::size_t i = 0; i < t.rows; ++i)
        if (t.driven[i])
            for (std::size_t j = 0; j < t.cols; ++j) {
                const double g = t.g[i * t.cols + j];
                s[j] += geo.r_access > 0 ? g / (1 + g * geo.r_access) : g;
            }
    return s;
}

// max_j |a_j − b_j| / max_j |ideal_j|
double rel_err(const std::vector<double>& a, const std::vector<double>& b,
               const std::vector<double>& ideal) {
    double e = 0, m = 0;
    for (std::size_t j = 0; j < a.size(); ++j) {
        e = std::max(e, std::fabs(a[j] - b[j]));
        m = std::max(m, std::fabs(ideal[j]));
    }
    return e / m;
}

sim::Experiment experiment(const std::string& device,
                           std::vector<std::pair<std::string, std::string>> extra) {
    sim::ExperimentInputs in;
    in.tech = repo("tech/32nm.yaml");
    in.device = repo(device.c_str());
    in.network = repo("networks/mlp-400-100-10.yaml");
    in.sets = {{"training.epochs", "1"},
               {"training.images_per_epoch", "200"},
               {"training.test_images", "300"}};
    for (auto& e : extra) in.sets.push_back(e);
    return sim::load_experiment(in);
}

}  // namespace

TEST_CASE("ir drop: a 1x1 array against the series circuit, by hand", "[nonideal][ir]") {
    const double g = 1e-3, rr = 10, rc = 20, ra = 100;
    const sim::IrGeometry geo{rr, rc, ra, false};
    const std::uint8_t on = 1;
    const double gs = 1 / (1 / g + ra);
    // Driver → r_row → cell (G in series with r_access) → r_col → sense node.
    CHECK(sim::ir_exact(geo, &g, 1, 1, &on)[0] == Approx(1 / (rr + 1 / gs + rc)).epsilon(1e-12));
    double out = 0;
    sim::IrScratch s;
    sim::ir_first_order(geo, &g, 1, 1, &on, &out, s);
    CHECK(out == Approx(gs * (1 - (rr + rc) * gs)).epsilon(1e-12));
}

TEST_CASE("ir drop: zero wire resistance gives the ideal sum in both models", "[nonideal][ir]") {
    for (bool crossbar : {false, true}) {
        const sim::IrGeometry geo{0, 0, crossbar ? 0.0 : 15e3, crossbar};
        auto t = random_tile(32, 24, 1e-6, 11e-6, 3);
        const auto ideal = ideal_sum(geo, t);
        const auto ex = sim::ir_exact(geo, t.g.data(), t.rows, t.cols, t.driven.data());
        std::vector<double> fo(t.cols);
        sim::IrScratch s;
        sim::ir_first_order(geo, t.g.data(), t.rows, t.cols, t.driven.data(), fo.data(), s);
        for (std::size_t j = 0; j < t.cols; ++j) {
            CHECK(ex[j] == Approx(ideal[j]).epsilon(1e-12));
            CHECK(fo[j] == Approx(ideal[j]).epsilon(1e-12));
        }
    }
}

TEST_CASE("ir drop: first-order model within the stated error of the exact solve",
          "[nonideal][ir]") {
    // Conductances of Ag:a-Si's range (38 nS .. 3 nS) and GST PCM's (212 uS .. 10.7 uS); wire
    // resistance per cell from 32 nm at 100 nm array wires (a few ohm), and 10x / 1000x that. The
    // stated bound (docs/non-idealities.md): where the exact IR drop is ≤ 10 % of the ideal column
    // current, the first-order error is ≤ 20 % of the drop (and so ≤ 2 % of full scale). Beyond
    // that the first-order model is not valid (it over-corrects): there (5 of the 9 cases) the
    // bound is not checked, but every case's drop and error are checked at the values measured and
    // documented in docs/non-idealities.md (±1 %: the table has 3 digits).
    struct Case {
        std::size_t n;
        double g_min, g_max, r;
        bool crossbar;
        double drop, err;  // documented
    };
    for (const Case& c : {Case{16, 3e-9, 38e-9, 2.0, false, 7.03e-6, 4.99e-11},
                          Case{64, 3e-9, 38e-9, 2.0, false, 1.22e-4, 1.36e-8},
                          Case{128, 3e-9, 38e-9, 2.0, true, 5.74e-4, 3.27e-7},
                          Case{16, 10.7e-6, 212e-6, 2.0, false, 0.0346, 0.00125},
                          Case{64, 10.7e-6, 212e-6, 2.0, true, 0.452, 0.347},
                          Case{128, 10.7e-6, 212e-6, 2.0, false, 0.708, 1.60},
                          Case{16, 10.7e-6, 212e-6, 20.0, true, 0.320, 0.154},
                          Case{64, 3e-9, 38e-9, 2000.0, false, 0.110, 0.0123},
                          Case{128, 3e-9, 38e-9, 2000.0, true, 0.365, 0.209}}) {
        const sim::IrGeometry geo{c.r, c.r, c.crossbar ? 0.0 : 470.0, c.crossbar};
        auto t = random_tile(c.n, c.n, c.g_min, c.g_max, c.n);
        const auto ideal = ideal_sum(geo, t);
        const auto ex = sim::ir_exact(geo, t.g.data(), t.rows, t.cols, t.driven.data());
        std::vector<double> fo(t.cols);
        sim::IrScratch s;
        sim::ir_first_order(geo, t.g.data(), t.rows, t.cols, t.driven.data(), fo.data(), s);
        const double drop = rel_err(ex, ideal, ideal), err = rel_err(fo, ex, ideal);
        INFO("n " << c.n << " G " << c.g_max << " r " << c.r << " crossbar " << c.crossbar
                  << ": drop " << drop << ", error " << err);
        CHECK(drop == Approx(c.drop).epsilon(0.01));
        CHECK(err == Approx(c.err).epsilon(0.01));
        if (drop <= 0.1) CHECK(err <= 0.2 * drop);
    }
}

TEST_CASE("half-select disturb: zero by default, crossbar only, clipped, and counted in training",
          "[nonideal][disturb]") {
    CHECK(card_from(linear_card("crossbar", "")).half_select_disturb == 0);
    CHECK_THROWS_AS(card_from(linear_card("pseudo_crossbar_1t1r", "half_select_disturb: 0.001\n")),
                    config::Error);
    auto card = card_from(linear_card("crossbar", "half_select_disturb: 0.001\n"));
    auto arr = device::make_model(card)->make_array(2, 1, 0);
    arr->set(0, 5e-6);
    arr->disturb(0, 1e-6);
    CHECK(arr->g(0) == Approx(6e-6));
    arr->disturb(0, -1);
    CHECK(arr->g(0) == Approx(1e-6));  // clipped at Gmin

    // One epoch of 200 images on a crossbar: every pulse on (i, j) half-selects the other rows of
    // column j (n_in − 1 = 399 cells), and every pulse slot of row i the row's other cells; so
    // 399 × pulses ≤ half-selected pulses ≤ (399 + 99) × pulses.
    auto data = nn::load_mnist(data::resolve_data_dir(std::nullopt),
                               experiment("devices/ideal.yaml", {}).network.preprocess);
    auto count = [&](const std::string& d) {
        auto ex = experiment("devices/ideal.yaml",
                             {{"device.cell.type", "crossbar"}, {"device.half_select_disturb", d}});
        sim::Trainer t(ex, data.train);
        sim::EpochCounts c(2);
        t.train_epoch(0, c, false);
        return std::make_pair(c, t.snapshot());
    };
    auto [off, s_off] = count("0");
    auto [on, s_on] = count("0.0005");
    CHECK(off.write[0].halfselect_pulses == 0);
    const double pulses = on.write[0].pulses_ltp + on.write[0].pulses_ltd;
    CHECK(pulses > 0);
    CHECK(on.write[0].halfselect_pulses >= 399 * pulses);
    CHECK(on.write[0].halfselect_pulses <= 498 * pulses);
    CHECK(s_on.pos[0]->conductances() != s_off.pos[0]->conductances());
}

TEST_CASE("drift: the power law G(t) = G(t0) (t/t0)^-nu, by hand", "[nonideal][drift]") {
    auto card = card_from(linear_card("pseudo_crossbar_1t1r", "drift: {nu: 0.1, t0: 1 s}\n"));
    auto arr = device::make_model(card)->make_array(3, 1, 0);
    arr->set(0, 10e-6);
    arr->set(1, 1.2e-6);
    arr->set(2, 5e-6);
    auto early = arr->clone();
    early->age(0.5);  // t ≤ t0: unchanged
    CHECK(early->g(0) == 10e-6);
    device::age(*arr, 100);
    CHECK(arr->g(0) == Approx(10e-6 * 0.630957344480193).epsilon(1e-12));  // 100^-0.1
    CHECK(arr->g(1) == Approx(1e-6));  // 0.757 uS, clipped at Gmin
    CHECK(arr->g(2) == Approx(5e-6 * 0.630957344480193).epsilon(1e-12));
    // The compensation gain of a uniform drift undoes it exactly.
    std::vector<double> a{10e-6, 5e-6}, b{10e-6 * 0.5, 5e-6 * 0.5};
    CHECK(sim::drift_gain({&a}, {&b}) == Approx(2.0));
}

TEST_CASE("infer: a tiny run aged by drift, with and without compensation",
          "[nonideal][drift][infer]") {
    auto dir = fs::temp_directory_path() / "synbench-test-infer";
    fs::remove_all(dir);
    auto ex = experiment("devices/ag-asi.yaml", {{"training.images_per_epoch", "2000"}});
    sim::RunOptions o;
    o.out = dir;
    o.threads = 1;
    o.quiet = true;
    report::run_training(ex, sim::cost_table(ex), o);
    sim::InferOptions io;
    io.run = dir;
    io.times = {0.5, 3600, 3.15e7};
    io.compensate = true;
    io.threads = 1;
    io.sets = {{"device.drift.nu", "0.05"}};
    auto r = sim::infer_after_training(io);
    REQUIRE(r.points.size() == 3);
    CHECK(r.points[0].accuracy == r.trained_accuracy);  // before t0 nothing moves
    // 1 y at nu 0.05: every G × 0.42 (the reference column too), then clipped at Gmin: weights
    // shrink toward −1 and accuracy drops.
    CHECK(r.points[2].accuracy < r.trained_accuracy);
    // A uniform drift is undone by the global gain (up to clipping at Gmin and ADC rounding).
    CHECK(r.points[1].gain[0] == Approx(std::pow(3600.0, 0.05)).epsilon(0.01));
    CHECK(std::fabs(*r.points[1].compensated - r.trained_accuracy) <= 3.0);
    CHECK(fs::exists(dir / "infer.json"));
    auto csv = util::read_file(dir / "infer.csv");
    CHECK(csv.rfind("time_s,accuracy,compensated_accuracy\n", 0) == 0);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 4);
    // Without drift every time gives the trained accuracy.
    io.sets = {};
    io.compensate = false;
    auto flat = sim::infer_after_training(io);
    for (const auto& p : flat.points) CHECK(p.accuracy == flat.trained_accuracy);
    // More test images asked than exist: what was used (the test set) is recorded, and what was
    // asked.
    io.test_images = 99999999;
    io.times = {1.0};
    auto all = sim::infer_after_training(io);
    CHECK(all.json["test_images"].get<std::size_t>() == 10000);
    CHECK(all.json["test_images_requested"].get<std::size_t>() == 99999999);
    CHECK_FALSE(flat.json.contains("test_images_requested"));
    fs::remove_all(dir);
}

TEST_CASE("write-verify: converges within the tolerance and counts its pulses",
          "[nonideal][verify]") {
    // A linear cell with 0.3 % cycle-to-cycle noise per pulse (1.3 % after the 20-pulse train, more
    // than the 1 % tolerance), driven to a target by the correction rule.
    auto card = card_from(linear_card("pseudo_crossbar_1t1r", "variation: {c2c: 0.3 %}\n"));
    auto arr = device::make_model(card)->make_array(50, 1, 0);
    const double range = 10e-6, step = range / 100, tol = 0.01 * range;
    int converged = 0, extra = 0;
    for (std::size_t c = 0; c < 50; ++c) {
        arr->set(c, 5e-6);
        const double target = 5e-6 + 20 * step;
        arr->program(c, 20, 1);
        int budget = 100;
        for (std::uint64_t round = 1; round < 200; ++round) {
            const int n =
                sim::verify_correction(arr->read(c, round), target, tol, step, step, budget);
            if (n == 0) break;
            budget -= std::abs(n);
            extra += std::abs(n);
            arr->program(c, n, 1 + round);
        }
        converged += std::fabs(arr->g(c) - target) <= tol;
    }
    CHECK(converged == 50);
    CHECK(extra > 0);
    CHECK(sim::verify_correction(5e-6, 5e-6 + 0.5 * tol, tol, step, step, 10) == 0);
    CHECK(sim::verify_correction(5e-6, 5e-6 + 3.4 * step, tol, step, step, 10) == 3);
    CHECK(sim::verify_correction(5e-6, 5e-6 - 3.6 * step, tol, step, step, 2) == -2);  // budget

    // In training on the ideal (noise-free, linear) card every written row is verified once and
    // needs no correction; on Ag:a-Si (nonlinear) corrections are made and paid for.
    auto data = nn::load_mnist(data::resolve_data_dir(std::nullopt),
                               experiment("devices/ideal.yaml", {}).network.preprocess);
    auto train = [&](const char* dev, const char* program) {
        auto ex = experiment(dev, {{"hardware.program", program}});
        sim::Trainer t(ex, data.train);
        sim::EpochCounts c(2);
        t.train_epoch(0, c, false);
        return c;
    };
    auto ideal = train("devices/ideal.yaml", "write_verify");
    for (int l = 0; l < 2; ++l) {
        CHECK(ideal.write[l].verify_reads == ideal.write[l].rows);
        CHECK(ideal.write[l].verify_pulses == 0);
    }
    auto ol = train("devices/ag-asi.yaml", "open_loop"),
         wv = train("devices/ag-asi.yaml", "write_verify");
    CHECK(ol.write[0].verify_reads == 0);
    CHECK(wv.write[0].verify_pulses > 0);
    CHECK(wv.write[0].verify_reads > wv.write[0].rows);
    auto ex = experiment("devices/ag-asi.yaml", {});
    auto table = sim::cost_table(ex);
    auto c_ol = sim::account(ol, table), c_wv = sim::account(wv, table);
    CHECK(c_wv.write_latency_s > c_ol.write_latency_s);
    CHECK(c_wv.breakdown["write_energy_J"]["layer1"].contains("verify"));
    CHECK(!c_ol.breakdown["write_energy_J"]["layer1"].contains("verify"));
}
