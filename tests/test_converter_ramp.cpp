// The single-slope (ramp) converter (src/circuit/converters/ramp.cpp): hand-derived bounds at 32
// nm.
#include <catch2/catch.hpp>

#include "circuit/logic.hpp"
#include "circuit/macro.hpp"
#include "circuit/read_circuit.hpp"
#include "sim/experiment.hpp"

using namespace synbench;

TEST_CASE(
    "converter ramp: 2^N clock cycles, comparator bias for the window, shared ramp and "
    "counter amortised",
    "[circuit][converter]") {
    const auto t = tech::load_card(SYNBENCH_SOURCE_DIR "/tech/32nm.yaml");
    const auto& v = circuit::converter_variant("ramp");
    CHECK(v.survey_family == "other");  // macro cards: the pooled survey family, as before
    CHECK(v.cycles(6, circuit::converter_params("ramp")) == 64);
    circuit::ReadCircuitSpec s;
    s.bits = 8;
    s.count = 1;
    s.clock = 2e9;
    s.v_read = 0.5;
    const auto one = circuit::read_circuit(t, "ramp", s);
    // Window 2^8 / 2 GHz = 128 ns; the comparator's 40 nA bias at 0.9 V for it: 4.608 fJ.
    CHECK(one.read_latency == Approx(128e-9).epsilon(1e-12));
    const double bias = 40e-9 * 0.9 * 128e-9;
    CHECK(one.read_energy > bias);
    // Alone, a column pays the whole counter: 256 increments of a counter.
    const double counts = 256 * circuit::counter(t, 8, 0).read_energy;
    CHECK(one.read_energy > bias + counts);
    // 64 columns share the ramp, counter and bus: per conversion cheaper, but never below the
    // comparator's own bias energy.
    s.count = 64;
    s.side = 64 * 128e-9;
    const auto many = circuit::read_circuit(t, "ramp", s);
    CHECK(many.read_energy < one.read_energy);
    CHECK(many.read_energy > bias + counts / 64);
    // Static, by hand (minimum inverter at 32 nm leaks 6.22049 nW): 64 comparator biases
    // (40 nA × 0.9 V) + 64 × 4 leaking comparator inverters + 64 × 8 latch flip-flops of 8
    // leaking inverters + the 8-bit counter (8 toggle flip-flops of 9).
    const double inv = 6.22049e-9;
    CHECK(many.leakage ==
          Approx(64 * 40e-9 * 0.9 + 64 * 4 * inv + 64 * 8 * 8 * inv + 8 * 9 * inv).epsilon(1e-4));
    // A network costed with it: the conversion window of every tile is 2^N clock periods.
    sim::ExperimentInputs in;
    in.tech = SYNBENCH_SOURCE_DIR "/tech/32nm.yaml";
    in.device = SYNBENCH_SOURCE_DIR "/devices/ag-asi.yaml";
    in.network = SYNBENCH_SOURCE_DIR "/networks/mlp-400-100-10.yaml";
    in.sets = {{"hardware.read_circuit", "ramp"}, {"hardware.adc_bits", "6"}};
    const auto ex = sim::load_experiment(in);
    const auto md =
        circuit::evaluate_macro_detail(ex.tech, ex.device, ex.network.layers, ex.hardware);
    CHECK(md.tiles[0].conversion_time == Approx(64 / 2e9).epsilon(1e-12));
}
