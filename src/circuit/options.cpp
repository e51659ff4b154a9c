#include "circuit/options.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>

#include "circuit/read_circuit.hpp"

namespace synbench::circuit {

namespace {
// The converters the network model can build: the registry's variants with a component model.
std::vector<std::string> network_converters() {
    std::vector<std::string> n;
    for (const auto& v : converter_variants())
        if (v.circuit) n.push_back(v.name);
    return n;
}

HardwareOptions parse(config::Section& s, int default_bits, const std::string* dataset_what) {
    using config::Limits;
    HardwareOptions h;
    h.enabled = s.flag("enabled", true);
    // hardware.macro: the macro card the layers are tiled onto; it sets every read field.
    if (const auto node = s.raw("macro"); node.IsDefined() && !node.IsNull()) {
        if (!node.IsScalar())
            throw s.error("macro", "expected a macro card file (macros/*.yaml) or a card name");
        h.macro_ref = node.Scalar();
        for (const char* key : {"input", "converter", "weight", "input_bits", "adc_bits",
                                "read_circuit", "read_mux", "clock", "signed_weights", "max_array"})
            if (s.has(key))
                throw s.error(key, fmt::format("set by the macro card (hardware.macro: {}); "
                                               "expected either hardware.{} or hardware.macro",
                                               h.macro_ref, key));
    }
    // The macro card's names (docs/macro-cards.md) — `input: {bits, encoding}`, `converter: {kind,
    // bits, columns_per_converter}`, `weight: {scheme}` — or today's flat names, which stay as
    // aliases (docs/circuit-model.md "Hardware block"). Each field in one form, never both; the
    // section of a field given under its macro-card name reads it, else the alias does.
    auto in = s.maybe_section("input");
    auto conv = s.maybe_section("converter");
    auto pick = [&](std::optional<config::Section>& sec, std::string_view section,
                    std::string_view key, std::string_view alias) -> config::Section* {
        if (!sec || !sec->has(key)) return &s;
        if (s.has(alias))
            throw s.error(alias, fmt::format("given twice: as '{}' and as '{}.{}' (its macro-card "
                                             "name); keep one",
                                             alias, section, key));
        s.raw(alias);  // an alias left empty (`read_circuit: ~`, e.g. by --set) is no error
        return &*sec;
    };
    auto* bits_in = pick(in, "input", "bits", "input_bits");
    const std::string in_key = bits_in == &s ? "input_bits" : "bits";
    h.input_bits = static_cast<int>(bits_in->integer(in_key, Limits::between(1, 8), default_bits));
    if (in) {
        const auto enc = in->choice("encoding", input_encoding_names(), std::string("bit_serial"));
        if (input_encoding(enc) != InputEncoding::bit_serial)
            throw in->error("encoding",
                            fmt::format("'{}' is modelled for macro cards only; a network's "
                                        "trainer reads its inputs bit-serially (expected "
                                        "bit_serial)",
                                        enc));
    }
    if (dataset_what && h.enabled && h.input_bits != default_bits)
        throw bits_in->error(
            in_key, fmt::format("{} bit-plane(s) but the dataset gives {} ({}): the trainer "
                                "reads the dataset's bit-planes, "
                                "so the circuit must be costed for the same; set "
                                "hardware.{}: {} or change the dataset",
                                h.input_bits, default_bits, *dataset_what,
                                bits_in == &s ? "input_bits" : "input.bits", default_bits));
    if (in) in->finish();
    auto* bits_at = pick(conv, "converter", "bits", "adc_bits");
    const std::string bits_key = bits_at == &s ? "adc_bits" : "bits";
    h.adc_bits = static_cast<int>(bits_at->integer(bits_key, Limits::between(1, 12), 8));
    auto* kind_at = pick(conv, "converter", "kind", "read_circuit");
    const std::string kind_key = kind_at == &s ? "read_circuit" : "kind";
    h.read_circuit = kind_at->choice(kind_key, network_converters(), std::string("integrate_fire"));
    auto* mux_at = pick(conv, "converter", "columns_per_converter", "read_mux");
    h.read_mux = static_cast<int>(mux_at->integer(
        mux_at == &s ? "read_mux" : "columns_per_converter", Limits::between(1, 1024), 16));
    // A card that passes `validate` alone must not fail when the circuit is built.
    const auto& v = converter_variant(h.read_circuit);
    if (h.adc_bits < v.min_bits || h.adc_bits > v.max_bits) {
        std::vector<std::string> others;
        for (const auto& o : converter_variants())
            if (o.circuit && h.adc_bits >= o.min_bits && h.adc_bits <= o.max_bits)
                others.push_back(o.name);
        auto range = [&](const char* sep) {
            return v.min_bits == v.max_bits ? std::to_string(v.min_bits)
                                            : fmt::format("{}{}{}", v.min_bits, sep, v.max_bits);
        };
        throw bits_at->error(
            bits_key, fmt::format("{} '{}' resolves {} bit{}, but {} = {}; expected "
                                  "{}: {} (or {}: {} for {} bits)",
                                  kind_key, h.read_circuit, range(" to "),
                                  v.max_bits == 1 ? "" : "s", bits_key, h.adc_bits, bits_key,
                                  range(".."), kind_key, fmt::join(others, " or "), h.adc_bits));
    }
    if (conv) conv->finish();
    h.write_mux = static_cast<int>(s.integer("write_mux", Limits::between(1, 1024), 16));
    h.clock = s.quantity("clock", units::frequency, Limits::positive(), 2e9);
    auto w = s.maybe_section("weight");
    if (pick(w, "weight", "scheme", "signed_weights") != &s) {
        // The macro card's schemes: offset_column is today's reference_column (one cell per
        // weight against a reference column), differential_columns today's differential pair.
        const auto scheme =
            w->choice("scheme", weight_scheme_names(), std::string("offset_column"));
        const auto signing = network_signing(weight_scheme(scheme));
        if (!signing)
            throw w->error("scheme", fmt::format("'{}' is modelled for macro cards only; a "
                                                 "network's weight is offset_column or "
                                                 "differential_columns",
                                                 scheme));
        h.signed_weights = *signing;
        w->finish();
    } else {
        h.signed_weights = s.choice("signed_weights", {"reference_column", "differential"},
                                    std::string("reference_column")) == "differential"
                               ? SignedWeights::differential
                               : SignedWeights::reference_column;
        if (w) w->finish();
    }
    auto arr =
        s.integers("max_array", Limits::between(8, 65536), std::vector<std::int64_t>{512, 512});
    if (arr.size() != 2) throw s.error("max_array", "expected [rows, cols]");
    h.max_rows = static_cast<int>(arr[0]);
    h.max_cols = static_cast<int>(arr[1]);
    h.hidden_threshold = s.number("hidden_threshold", Limits::fraction(), 0.5);
    h.activation_bits = static_cast<int>(s.integer("activation_bits", Limits::between(1, 8), 1));
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
    h.backprop = s.choice("backprop", {"array_transpose", "digital"},
                          std::string("array_transpose")) == "digital"
                     ? Backprop::digital
                     : Backprop::array_transpose;
    h.error_bits = static_cast<int>(s.integer("error_bits", Limits::between(1, 16), 8));
    h.state_word_bits = static_cast<int>(s.integer("state_word_bits", Limits::between(1, 64), 16));
    // Inference estimate of a layer graph (sim/layer_mapping.hpp).
    h.input_density = s.number("input_density", Limits::fraction(), 0.5);
    h.duplication = static_cast<int>(s.integer("duplication", Limits::between(1, 4096), 1));
    for (auto& p : s.section_list("per_layer")) {
        HardwareOptions::LayerOverride o;
        o.layer = p.text("layer");
        o.input_density = p.maybe_number("input_density", Limits::fraction());
        if (auto n = p.maybe_integer("duplication", Limits::between(1, 4096)))
            o.duplication = static_cast<int>(*n);
        const auto at = p.error("layer", "");
        o.file = at.file();
        o.line = at.line();
        p.finish();
        h.per_layer.push_back(o);
    }
    s.finish();
    h.resolved = s.resolved();
    return h;
}
}  // namespace

const std::vector<std::string>& weight_scheme_names() {
    static const std::vector<std::string> n{"differential_columns", "differential_in_column",
                                            "offset_column", "bit_sliced"};
    return n;
}

const std::vector<std::string>& input_encoding_names() {
    static const std::vector<std::string> n{"bit_serial", "pulse_count", "pwm", "dac"};
    return n;
}

namespace {
std::size_t index_of(const std::vector<std::string>& names, const std::string& name,
                     const char* what) {
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end())
        throw std::invalid_argument(
            fmt::format("unknown {} '{}' (known: {})", what, name, fmt::join(names, ", ")));
    return static_cast<std::size_t>(it - names.begin());
}
}  // namespace

WeightScheme weight_scheme(const std::string& name) {
    return static_cast<WeightScheme>(index_of(weight_scheme_names(), name, "weight scheme"));
}

InputEncoding input_encoding(const std::string& name) {
    return static_cast<InputEncoding>(index_of(input_encoding_names(), name, "input encoding"));
}

std::optional<SignedWeights> network_signing(WeightScheme s) {
    switch (s) {
        case WeightScheme::offset_column:
            return SignedWeights::reference_column;
        case WeightScheme::differential_columns:
            return SignedWeights::differential;
        default:
            return std::nullopt;
    }
}

HardwareOptions parse_hardware(config::Section& s) { return parse(s, 1, nullptr); }

HardwareOptions parse_hardware(config::Section& s, int dataset_bits,
                               const std::string& dataset_what) {
    return parse(s, dataset_bits, &dataset_what);
}

}  // namespace synbench::circuit
