// The converter survey fit (data/converter-survey.yaml, written by tools/fit-adc-survey from
// B. Murmann's ADC performance survey): energy per conversion and area of a typical published
// converter against resolution, node and conversion rate. Used by macro cards (docs/macro-cards.md
// "Converters"); the network model's read circuits are unchanged.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace synbench::circuit {

struct SurveyFit {
    double log10_at_reference = 0;  // log10 of the SI value (J or m²) at the reference point
    double per_enob_bit = 0, node_exponent = 0, rate_exponent = 0, sigma_log10 = 0;
};

struct SurveyFamily {
    std::string name;
    double nominal_minus_enob = 0;  // bits
    double enob_lo = 0, enob_hi = 0, node_lo = 0, node_hi = 0, rate_lo = 0,
           rate_hi = 0;  // designs fitted
    SurveyFit energy, area;
};

struct ConverterSurvey {
    std::string file, revision;  // the file read; survey repository commit
    double ref_enob = 0, ref_node = 0, ref_rate = 0;
    std::map<std::string, SurveyFamily> families;
};

// Reads the fit; errors are config::Error naming file, line and field.
ConverterSurvey load_converter_survey(const std::filesystem::path& path);
// data/converter-survey.yaml in the card search roots (util/card_search.hpp), else nullopt.
std::optional<std::filesystem::path> find_converter_survey();

// The survey family of a macro card's converter.kind, as its registry entry declares
// (src/circuit/converters/; empty for a component-only variant such as integrate_fire).
std::string survey_family_of(const std::string& kind);

struct SurveyConverter {
    std::string family;
    double enob = 0;      // nominal bits − the family's nominal_minus_enob
    double energy_J = 0;  // per conversion (the survey's P / f_nyq: static power included)
    double area_m2 = 0;   // one converter
    std::vector<std::string> warnings;  // outside the range of the designs fitted (extrapolated)
};

// One N-bit converter of `kind` at `node` (m), converting at `rate` (conversions per second).
SurveyConverter survey_converter(const ConverterSurvey& s, const std::string& kind, int bits,
                                 double node, double rate);

}  // namespace synbench::circuit
