#include "circuit/options.hpp"

#include <fmt/format.h>

namespace synbench::circuit {

namespace {
HardwareOptions parse(config::Section& s, int default_bits, const std::string* dataset_what) {
    using config::Limits;
    HardwareOptions h;
    h.enabled = s.flag("enabled", true);
    h.input_bits = static_cast<int>(s.integer("input_bits", Limits::between(1, 8), default_bits));
    if (dataset_what && h.enabled && h.input_bits != default_bits)
        throw s.error("input_bits",
                      fmt::format("{} bit-plane(s) but the dataset gives {} ({}): the trainer "
                                  "reads the dataset's bit-planes, "
                                  "so the circuit must be costed for the same; set "
                                  "hardware.input_bits: {} or change the dataset",
                                  h.input_bits, default_bits, *dataset_what, default_bits));
    h.adc_bits = static_cast<int>(s.integer("adc_bits", Limits::between(1, 12), 8));
    h.read_circuit = s.choice("read_circuit", {"integrate_fire", "sar", "flash", "sense_amp"},
                              std::string("integrate_fire"));
    // A card that passes `validate` alone must not fail when the circuit is built (sense_amp.cpp).
    if (h.read_circuit == "sense_amp" && h.adc_bits != 1)
        throw s.error(
            "adc_bits",
            fmt::format(
                "read_circuit 'sense_amp' resolves 1 bit, but adc_bits = {}; expected adc_bits: 1 "
                "(or read_circuit: flash or sar for more bits)",
                h.adc_bits));
    h.read_mux = static_cast<int>(s.integer("read_mux", Limits::between(1, 1024), 16));
    h.write_mux = static_cast<int>(s.integer("write_mux", Limits::between(1, 1024), 16));
    h.clock = s.quantity("clock", units::frequency, Limits::positive(), 2e9);
    h.signed_weights = s.choice("signed_weights", {"reference_column", "differential"},
                                std::string("reference_column")) == "differential"
                           ? SignedWeights::differential
                           : SignedWeights::reference_column;
    auto arr =
        s.integers("max_array", Limits::between(8, 65536), std::vector<std::int64_t>{512, 512});
    if (arr.size() != 2) throw s.error("max_array", "expected [rows, cols]");
    h.max_rows = static_cast<int>(arr[0]);
    h.max_cols = static_cast<int>(arr[1]);
    h.hidden_threshold = s.number("hidden_threshold", Limits::fraction(), 0.5);
    h.update = s.choice("update", {"deterministic", "stochastic"}, std::string("deterministic"));
    h.array_wire_width = s.quantity("array_wire_width", units::length, Limits::positive(), 100e-9);
    const auto ir = s.choice("ir_drop", {"none", "first_order", "exact"}, std::string("none"));
    h.ir_drop = ir == "first_order" ? IrDrop::first_order
                : ir == "exact"     ? IrDrop::exact
                                    : IrDrop::none;
    h.ir_drop_wire_scale = s.number("ir_drop_wire_scale", Limits::non_negative(), 1.0);
    h.program = s.choice("program", {"open_loop", "write_verify"}, std::string("open_loop")) ==
                        "write_verify"
                    ? Program::write_verify
                    : Program::open_loop;
    h.verify_tolerance = s.number("verify_tolerance", Limits{0.0, 1.0, true, false}, 0.01);
    h.verify_max_pulses =
        static_cast<int>(s.integer("verify_max_pulses", Limits::between(0, 1000), 20));
    s.finish();
    h.resolved = s.resolved();
    return h;
}
}  // namespace

HardwareOptions parse_hardware(config::Section& s) { return parse(s, 1, nullptr); }

HardwareOptions parse_hardware(config::Section& s, int dataset_bits,
                               const std::string& dataset_what) {
    return parse(s, dataset_bits, &dataset_what);
}

}  // namespace synbench::circuit
