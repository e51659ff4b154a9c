// The training periphery (circuit/training_periphery.hpp) and its bill (sim/accountant.cpp):
// closed-form checks of every part against hand-derived values, the optimizer-state traffic of
// real training steps, and the named energy bases.
#include <catch2/catch.hpp>

#include <functional>

#include "circuit/training_periphery.hpp"
#include "data/mnist_fetch.hpp"
#include "nn/dataset.hpp"
#include "nn/optimizer.hpp"
#include "run_fixture.hpp"
#include "sim/accountant.hpp"
#include "sim/costs.hpp"
#include "sim/results.hpp"
#include "sim/trainer.hpp"

using namespace synbench;

namespace {

// A hand-made cost table: layer 1 is 4 → 3, layer 2 is 3 → 2; every per-event cost a distinct
// round number, so each part of the bill can be derived by hand.
circuit::CostTable hand_table(int state_words, int batch, bool digital) {
    circuit::CostTable t;
    for (auto [r, c] : {std::pair{4, 3}, std::pair{3, 2}}) {
        circuit::LayerCost L;
        L.rows = r;
        L.cols = c;
        L.read_energy_per_bitplane_J = 1;
        L.read_latency_per_bitplane_s = 1e-9;
        L.write_row_energy_J = 2;
        L.write_row_latency_s = 2e-9;
        t.layers.push_back(L);
    }
    t.total.leakage_W = 0.5;
    auto& tr = t.training;
    tr.present = true;
    tr.digital_backprop = digital;
    tr.state_words = state_words;
    tr.batch_size = batch;
    tr.clock = 1e9;
    tr.total.leakage_W = 0.25;
    for (int l = 0; l < 2; ++l) {
        circuit::TrainingLayerCost P;
        P.backward = l == 1;
        P.bwd_energy_per_bitplane_J = 10;
        P.bwd_latency_per_bitplane_s = 1e-6;
        P.bwd_energy_per_driven_col_J = 20;
        P.bwd_cell_energy_per_S = 1000;
        P.bwd_energy_per_row_J = 30;
        P.bwd_latency_per_row_s = 2e-6;
        P.bwd_energy_per_mac_J = 40;
        P.grad_energy_per_product_J = 0.5;
        P.grad_latency_per_row_s = 3e-6;
        P.convert_energy_per_weight_J = 0.25;
        P.convert_latency_per_row_s = 4e-6;
        P.state_read_energy_per_word_J = 3;
        P.state_write_energy_per_word_J = 5;
        P.state_latency_per_row_s = 5e-6;
        P.buffer_read_energy_per_row_J = 7;
        P.buffer_write_energy_per_row_J = 11;
        P.buffer_add_energy_per_row_J = 13;
        P.buffer_latency_per_row_s = 6e-6;
        P.control_energy_per_row_J = 17;
        P.control_energy_per_slot_J = 0.375;
        P.control_energy_per_cycle_J = 0.125;
        tr.layers.push_back(P);
    }
    return t;
}

sim::EpochCounts hand_counts() {
    sim::EpochCounts c(2);
    c.train_read[0].bitplanes = 6;      // array dynamic: 6 J of reads
    c.write[0].rows = 4;                // 8 J of row writes
    c.write[0].train_latency_s = 1e-6;  // 1000 pulse-timer cycles at 1 GHz
    c.write[0].pulse_slots = 8;
    c.write[0].stepped_rows = 5;
    c.write[0].accumulated_rows = 9;
    c.write[1].rows = 1;
    c.write[1].stepped_rows = 2;
    c.write[1].accumulated_rows = 3;
    c.backward[1] = {2, 7, 11, 0.01, 6, 0.02, 12};  // passes, bitplanes, cols, G; rows, G, macs
    return c;
}

}  // namespace

TEST_CASE("training periphery: every part of the bill equals its hand-derived value",
          "[training_periphery]") {
    const auto counts = hand_counts();
    SECTION("Adam, batch 1, array transpose") {
        const auto e = sim::account(counts, hand_table(2, 1, false));
        // Adam: two state words read and written per stepped weight: (5·3 + 2·2) weights × 2 words
        // × (3 + 5) J.
        CHECK(e.optimizer_state_energy_J == Approx(19 * 2 * 8.0));
        // Transposed read of layer 2: 7 bit-planes × 10 + 11 columns × 20 + 0.01 S × 1000.
        CHECK(e.backward_energy_J == Approx(70 + 220 + 10));
        // Products and conversions per stepped row × columns: (5·3 + 2·2) × (0.5 + 0.25).
        CHECK(e.gradient_energy_J == Approx(19 * 0.75));
        CHECK(e.batch_buffer_energy_J == 0);
        // Control: 4 + 1 rows × 17 J; 8 pulse slots × 0.375 J and 1000 timer cycles × 0.125 J
        // (layer 1 only).
        CHECK(e.update_control_energy_J == Approx(5 * 17 + 3 + 125.0));
        CHECK(e.training_periphery_energy_J == Approx(304 + 300 + 14.25 + 85 + 3 + 125.0));
        // Latency: backward 7 µs; gradient (5 + 2) × (3 + 4) µs; state (5 + 2) × 5 µs.
        CHECK(e.training_periphery_latency_s == Approx(7e-6 + 49e-6 + 35e-6));
        // The arrays' dynamic energy is what it was without the periphery.
        CHECK(e.read_energy_J == 6);
        CHECK(e.write_energy_J == 10);
        CHECK(sim::basis::array_dynamic.of(e) == 16);
        CHECK(sim::basis::with_periphery.of(e) == Approx(16 + e.training_periphery_energy_J));
        // Leakage: (0.5 + 0.25) W × (read 6 ns + write 10 ns + 1 µs of trains + periphery 91 µs).
        CHECK(e.leakage_energy_J == Approx(0.75 * (6e-9 + 10e-9 + 1e-6 + 91e-6)));
        CHECK(e.energy_J == Approx(16 + e.training_periphery_energy_J + e.leakage_energy_J));
        CHECK(sim::basis::whole_bill.of(e) == Approx(e.energy_J));
    }
    SECTION("SGD: no optimizer-state traffic") {
        const auto e = sim::account(counts, hand_table(0, 1, false));
        CHECK(e.optimizer_state_energy_J == 0);
        CHECK(e.training_periphery_latency_s == Approx(7e-6 + 49e-6));
    }
    SECTION("digital backward pass") {
        const auto e = sim::account(counts, hand_table(1, 1, true));
        // 6 rows × 30 + 0.02 S × 1000 + 12 MACs × 40.
        CHECK(e.backward_energy_J == Approx(180 + 20 + 480.0));
        CHECK(e.optimizer_state_energy_J == Approx(19 * 1 * 8.0));
    }
    SECTION("batch 4: products per accumulated row, buffer read-add-write and clear") {
        const auto e = sim::account(counts, hand_table(2, 4, false));
        CHECK(e.gradient_energy_J == Approx((9 * 3 + 3 * 2) * 0.5 + 19 * 0.25));
        // Accumulated (9 + 3) × (7 + 13 + 11) + stepped (5 + 2) × (7 + 11).
        CHECK(e.batch_buffer_energy_J == Approx(12 * 31 + 7 * 18.0));
    }
    SECTION("no training periphery: the bill is the arrays' and the macro's leakage") {
        auto t = hand_table(2, 1, false);
        t.training = {};
        const auto e = sim::account(counts, t);
        CHECK(e.training_periphery_energy_J == 0);
        CHECK(e.leakage_energy_J == Approx(0.5 * (16e-9 + 1e-6)));
    }
}

TEST_CASE("training periphery: the circuit's optimizer-state memory follows the optimizer",
          "[training_periphery]") {
    auto table = [](const char* opt, const char* batch = "1") {
        return sim::cost_table(test::reference_experiment(
            {{"training.optimizer", opt}, {"training.batch_size", batch}}));
    };
    // The area of a named node of the training periphery's tree (0 when absent).
    std::function<double(const circuit::CostNode&, const std::string&)> area_of =
        [&](const circuit::CostNode& n, const std::string& name) {
            double a = n.name == name ? n.cost.area_m2 : 0;
            for (const auto& c : n.children) a += area_of(c, name);
            return a;
        };
    const auto sgd = table("sgd"), mom = table("momentum"), adam = table("adam");
    REQUIRE(sgd.training.present);
    CHECK(nn::state_words("sgd") == 0);
    CHECK(nn::state_words("rmsprop") == 1);
    CHECK(nn::state_words("adadelta") == 2);
    CHECK(area_of(sgd.training.breakdown, "optimizer_state") == 0);
    CHECK(sgd.training.layers[0].state_read_energy_per_word_J == 0);
    // Adam's state cells: 2 words × 16 bits per weight of 400·100 + 100·10 weights, 28F × 10F each
    // at F = 32 nm (tech/32nm.yaml design.sram, hardware.state_word_bits).
    const double F = 32e-9, cell = 28 * F * 10 * F;
    const double weights = 400 * 100 + 100 * 10;
    const auto cells = [&](const circuit::CostTable& t) {
        double a = 0;
        for (const auto& layer : t.training.breakdown.children)
            for (const auto& part : layer.children)
                if (part.name == "optimizer_state") a += area_of(part, "cells");
        return a;
    };
    CHECK(cells(adam) == Approx(weights * 2 * 16 * cell).epsilon(1e-12));
    CHECK(cells(mom) == Approx(weights * 1 * 16 * cell).epsilon(1e-12));
    CHECK(adam.training.total.area_m2 > mom.training.total.area_m2);
    CHECK(mom.training.total.area_m2 > sgd.training.total.area_m2);
    // A read or write of a state word costs energy; the per-word energy does not depend on how
    // many words a row holds by more than the shared decoder's share.
    const auto& a1 = adam.training.layers[0];
    CHECK(a1.state_read_energy_per_word_J > 0);
    CHECK(a1.state_write_energy_per_word_J > a1.state_read_energy_per_word_J);
    // The forward macro is the same whatever the optimizer.
    CHECK(adam.total.area_m2 == sgd.total.area_m2);
    // A batch buffer only with batch_size > 1.
    CHECK(area_of(adam.training.breakdown, "batch_buffer") == 0);
    CHECK(area_of(table("adam", "4").training.breakdown, "batch_buffer") > 0);
}

TEST_CASE("training periphery: real Adam and SGD steps read and write the state words they hold",
          "[training_periphery]") {
    const auto ex = test::reference_experiment({{"training.images_per_epoch", "20"},
                                                {"training.optimizer", "adam"},
                                                {"training.learning_rate", "0.003"}});
    const auto sgd_ex = test::reference_experiment({{"training.images_per_epoch", "20"}});
    const auto mn = nn::load_mnist(data::resolve_data_dir(std::nullopt), ex.network.preprocess);
    for (const auto* e : {&ex, &sgd_ex}) {
        const bool adam = e == &ex;
        INFO((adam ? "adam" : "sgd"));
        sim::Trainer t(*e, mn.train);
        sim::EpochCounts counts(2);
        t.train_epoch(0, counts, false);
        const auto table = sim::cost_table(*e);
        const auto cost = sim::account(counts, table);
        // 20 images, batch 1: 20 steps. Adam steps every row; SGD skips rows whose input is 0.
        if (adam) {
            CHECK(counts.write[0].stepped_rows == 20 * 400);
            CHECK(counts.write[1].stepped_rows == 20 * 100);
            // Two words read and two written per weight per step.
            double expected = 0;
            for (int l = 0; l < 2; ++l) {
                const auto& P = table.training.layers[static_cast<std::size_t>(l)];
                const double w = l == 0 ? 400 * 100 : 100 * 10;
                expected +=
                    20 * w * 2 * (P.state_read_energy_per_word_J + P.state_write_energy_per_word_J);
            }
            CHECK(cost.optimizer_state_energy_J == Approx(expected).epsilon(1e-12));
        } else {
            CHECK(counts.write[0].stepped_rows == counts.train_read[0].active_rows);
            CHECK(counts.write[0].stepped_rows < 20 * 400);
            CHECK(cost.optimizer_state_energy_J == 0);
        }
        // The error goes back through layer 2 once per image, not through layer 1.
        CHECK(counts.backward[0].passes == 0);
        CHECK(counts.backward[1].passes == 20);
        CHECK(counts.backward[1].macs == 20 * 100 * 10);
        CHECK(cost.backward_energy_J > 0);
        CHECK(cost.energy_J == Approx(cost.read_energy_J + cost.write_energy_J +
                                      cost.training_periphery_energy_J + cost.leakage_energy_J));
    }
}
