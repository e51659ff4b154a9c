#include "circuit/options.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <stdexcept>

#include "circuit/hardware_fields.hpp"
#include "circuit/read_circuit.hpp"
#include "config/fields.hpp"

namespace synbench::circuit {

namespace {

using config::field;
using config::FieldSpec;

// Where a field given under its macro-card name (`converter.bits`) or its flat alias
// (`adc_bits`) is read: the section's field when the card gives it there, else the alias.
struct Pick {
    config::Section* at;
    const FieldSpec* spec;
    bool alias() const { return !spec->alias_of.empty(); }
};

HardwareOptions parse(config::Section& s, int default_bits, const std::string* dataset_what) {
    const auto& H = fields::hardware();
    HardwareOptions h;
    h.enabled = s.read_flag(field(H, "enabled"));
    // hardware.macro: the macro card the layers are tiled onto; it sets every read field.
    if (const auto node = s.raw(field(H, "macro").name); node.IsDefined() && !node.IsNull()) {
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
    auto in = s.maybe_section(field(H, "input").name);
    auto conv = s.maybe_section(field(H, "converter").name);
    auto pick = [&](std::optional<config::Section>& sec, const char* alias_name) -> Pick {
        const auto& a = field(H, alias_name);
        const auto dot = a.alias_of.find('.');
        const auto section = a.alias_of.substr(0, dot), key = a.alias_of.substr(dot + 1);
        if (!sec || !sec->has(key)) return {&s, &a};
        if (s.has(a.name))
            throw s.error(a.name, fmt::format("given twice: as '{}' and as '{}.{}' (its macro-card "
                                              "name); keep one",
                                              a.name, section, key));
        s.raw(a.name);  // an alias left empty (`read_circuit: ~`, e.g. by --set) is no error
        return {&*sec, &field(field(H, section).fields, key)};
    };
    auto bits_in = pick(in, "input_bits");
    {
        // The input bits default to the data set's bit-planes.
        FieldSpec f = *bits_in.spec;
        f.def = std::to_string(default_bits);
        h.input_bits = static_cast<int>(bits_in.at->read_integer(f));
    }
    if (in) {
        const auto enc = in->read_text(field(fields::hardware_input(), "encoding"));
        if (input_encoding(enc) != InputEncoding::bit_serial)
            throw in->error("encoding",
                            fmt::format("'{}' is modelled for macro cards only; a network's "
                                        "trainer reads its inputs bit-serially (expected "
                                        "bit_serial)",
                                        enc));
    }
    if (dataset_what && h.enabled && h.input_bits != default_bits)
        throw bits_in.at->error(
            bits_in.spec->name,
            fmt::format("{} bit-plane(s) but the dataset gives {} ({}): the trainer "
                        "reads the dataset's bit-planes, "
                        "so the circuit must be costed for the same; set "
                        "hardware.{}: {} or change the dataset",
                        h.input_bits, default_bits, *dataset_what,
                        bits_in.alias() ? "input_bits" : "input.bits", default_bits));
    if (in) in->finish();
    const auto bits_at = pick(conv, "adc_bits");
    const std::string& bits_key = bits_at.spec->name;
    h.adc_bits = static_cast<int>(bits_at.at->read_integer(*bits_at.spec));
    const auto kind_at = pick(conv, "read_circuit");
    const std::string& kind_key = kind_at.spec->name;
    h.read_circuit = kind_at.at->read_text(*kind_at.spec);
    const auto mux_at = pick(conv, "read_mux");
    h.read_mux = static_cast<int>(mux_at.at->read_integer(*mux_at.spec));
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
        throw bits_at.at->error(
            bits_key, fmt::format("{} '{}' resolves {} bit{}, but {} = {}; expected "
                                  "{}: {} (or {}: {} for {} bits)",
                                  kind_key, h.read_circuit, range(" to "),
                                  v.max_bits == 1 ? "" : "s", bits_key, h.adc_bits, bits_key,
                                  range(".."), kind_key, fmt::join(others, " or "), h.adc_bits));
    }
    if (conv) conv->finish();
    h.write_mux = static_cast<int>(s.read_integer(field(H, "write_mux")));
    h.clock = s.read_number(field(H, "clock"));
    auto w = s.maybe_section(field(H, "weight").name);
    if (const auto sw = pick(w, "signed_weights"); !sw.alias()) {
        // The macro card's schemes: offset_column is today's reference_column (one cell per
        // weight against a reference column), differential_columns today's differential pair.
        const auto scheme = w->read_text(*sw.spec);
        const auto signing = network_signing(weight_scheme(scheme));
        if (!signing)
            throw w->error("scheme", fmt::format("'{}' is modelled for macro cards only; a "
                                                 "network's weight is offset_column or "
                                                 "differential_columns",
                                                 scheme));
        h.signed_weights = *signing;
        w->finish();
    } else {
        h.signed_weights = s.read_text(*sw.spec) == "differential"
                               ? SignedWeights::differential
                               : SignedWeights::reference_column;
        if (w) w->finish();
    }
    const auto arr = s.read_integers(field(H, "max_array"));
    if (arr.size() != 2) throw s.error("max_array", "expected [rows, cols]");
    h.max_rows = static_cast<int>(arr[0]);
    h.max_cols = static_cast<int>(arr[1]);
    h.hidden_threshold = s.read_number(field(H, "hidden_threshold"));
    h.update = s.read_text(field(H, "update"));
    h.array_wire_width = s.read_number(field(H, "array_wire_width"));
    const auto ir = s.read_text(field(H, "ir_drop"));
    h.ir_drop = ir == "first_order" ? IrDrop::first_order
                : ir == "exact"     ? IrDrop::exact
                                    : IrDrop::none;
    h.ir_drop_wire_scale = s.read_number(field(H, "ir_drop_wire_scale"));
    h.program = s.read_text(field(H, "program")) == "write_verify" ? Program::write_verify
                                                                   : Program::open_loop;
    h.verify_tolerance = s.read_number(field(H, "verify_tolerance"));
    h.verify_max_pulses = static_cast<int>(s.read_integer(field(H, "verify_max_pulses")));
    h.backprop = s.read_text(field(H, "backprop")) == "digital" ? Backprop::digital
                                                                : Backprop::array_transpose;
    h.error_bits = static_cast<int>(s.read_integer(field(H, "error_bits")));
    h.state_word_bits = static_cast<int>(s.read_integer(field(H, "state_word_bits")));
    h.activation_bits = static_cast<int>(s.read_integer(field(H, "activation_bits")));
    h.weight_range = s.read_text(field(H, "weight_range")) == "initial" ? WeightRange::initial
                                                                        : WeightRange::unit;
    h.initial_fill = s.read_number(field(H, "initial_fill"));
    h.adc_range = s.read_number(field(H, "adc_range"));
    // Inference estimate of a layer graph (sim/layer_mapping.hpp).
    h.input_density = s.read_number(field(H, "input_density"));
    h.duplication = static_cast<int>(s.read_integer(field(H, "duplication")));
    const auto& PL = field(H, "per_layer").fields;
    for (auto& p : s.section_list(field(H, "per_layer").name)) {
        HardwareOptions::LayerOverride o;
        o.layer = p.read_text(field(PL, "layer"));
        o.input_density = p.maybe_read_number(field(PL, "input_density"));
        if (auto n = p.maybe_read_number(field(PL, "duplication")))
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
