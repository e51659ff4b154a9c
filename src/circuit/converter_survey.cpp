#include "circuit/converter_survey.hpp"

#include <fmt/format.h>

#include <cmath>

#include "circuit/read_circuit.hpp"
#include "config/config.hpp"
#include "units/units.hpp"
#include "util/card_search.hpp"

namespace synbench::circuit {

namespace {

using config::Limits;
namespace u = synbench::units;

SurveyFit read_fit(config::Section& f, u::Dim dim) {
    SurveyFit r;
    r.log10_at_reference = std::log10(f.quantity("at_reference", dim, Limits::positive()));
    r.per_enob_bit = f.number("per_enob_bit");
    r.node_exponent = f.number("node_exponent");
    r.rate_exponent = f.number("rate_exponent");
    r.sigma_log10 = f.number("sigma_log10", Limits::non_negative());
    return r;
}

void read_range(config::Section& v, std::string_view key, u::Dim dim, double& lo, double& hi) {
    const auto q = v.quantities(key, dim, Limits::any(), std::nullopt, true);
    if (q.size() != 2 || q[0] > q[1]) throw v.error(key, "expected [low, high]");
    lo = q[0];
    hi = q[1];
}

double evaluate(const ConverterSurvey& s, const SurveyFit& f, double enob, double node,
                double rate) {
    return std::pow(10.0, f.log10_at_reference + f.per_enob_bit * (enob - s.ref_enob) +
                              f.node_exponent * std::log10(node / s.ref_node) +
                              f.rate_exponent * std::log10(rate / s.ref_rate));
}

}  // namespace

ConverterSurvey load_converter_survey(const std::filesystem::path& path) {
    auto doc = config::load_file(path);
    config::Section root(doc);
    ConverterSurvey s;
    s.file = path.string();
    {
        auto src = root.section("source");
        s.revision = src.text("commit");
    }
    {
        auto ref = root.section("reference");
        s.ref_enob = ref.number("enob");
        s.ref_node = ref.quantity("node", u::length, Limits::positive());
        s.ref_rate = ref.quantity("sample_rate", u::frequency, Limits::positive());
    }
    const auto fams = root.raw("families");
    if (!fams.IsMap()) throw root.error("families", "expected a mapping of converter families");
    auto fs = root.section("families");
    for (auto it = fams.begin(); it != fams.end(); ++it) {
        const auto name = it->first.Scalar();
        auto f = fs.section(name);
        SurveyFamily fam;
        fam.name = name;
        fam.nominal_minus_enob = f.number("nominal_minus_enob", Limits::between(0, 8));
        {
            auto v = f.section("valid");
            read_range(v, "enob", u::dimensionless, fam.enob_lo, fam.enob_hi);
            read_range(v, "node", u::length, fam.node_lo, fam.node_hi);
            read_range(v, "sample_rate", u::frequency, fam.rate_lo, fam.rate_hi);
        }
        auto e = f.section("energy");
        fam.energy = read_fit(e, u::energy);
        auto a = f.section("area");
        fam.area = read_fit(a, u::area);
        s.families[name] = fam;
    }
    if (!s.families.count("other"))
        throw root.error("families", "the pooled family 'other' is missing");
    return s;
}

std::optional<std::filesystem::path> find_converter_survey() {
    for (const auto& r : util::card_search_roots()) {
        const auto p = r / "data" / "converter-survey.yaml";
        if (std::filesystem::exists(p)) return p;
    }
    return std::nullopt;
}

std::string survey_family_of(const std::string& kind) {
    return converter_variant(kind).survey_family;  // the registry (read_circuit.hpp) says
}

SurveyConverter survey_converter(const ConverterSurvey& s, const std::string& kind, int bits,
                                 double node, double rate) {
    SurveyConverter c;
    c.family = survey_family_of(kind);
    auto it = s.families.find(c.family);
    if (it == s.families.end()) it = s.families.find("other");
    c.family = it->first;
    const auto& f = it->second;
    c.enob = bits - f.nominal_minus_enob;
    c.energy_J = evaluate(s, f.energy, c.enob, node, rate);
    c.area_m2 = evaluate(s, f.area, c.enob, node, rate);
    auto out = [&](const char* what, double v, double lo, double hi, const std::string& shown) {
        if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9))
            c.warnings.push_back(fmt::format(
                "converter survey fit '{}' extrapolated: {} {} outside the designs fitted [{}]",
                c.family, what, shown, fmt::format("{:.4g}, {:.4g}", lo, hi)));
    };
    out("ENOB", c.enob, f.enob_lo, f.enob_hi, fmt::format("{:.3g}", c.enob));
    out("node (m)", node, f.node_lo, f.node_hi, fmt::format("{:.3g}", node));
    out("conversion rate (Hz)", rate, f.rate_lo, f.rate_hi, fmt::format("{:.4g}", rate));
    return c;
}

}  // namespace synbench::circuit
