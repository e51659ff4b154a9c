#include <fmt/format.h>

#include <stdexcept>

#include "device/exponential.hpp"
#include "device/fields.hpp"
#include "device/model.hpp"
#include "device/variants.hpp"

namespace synbench::device {

namespace {

// One registered model: how it is built and what its card says (device/fields.hpp).
struct ModelEntry {
    ModelFactory make;
    std::string doc;
    std::vector<std::pair<std::string, config::FieldList>> fields;  // (section, its fields)
    std::vector<std::string> needs;
};

// The fields every analog model needs of its pulses (a digital card derives them from its bits).
const std::vector<std::string> kAnalogNeeds{"ltp.levels", "ltp.voltage", "ltp.pulse_width",
                                            "ltd.levels", "ltd.voltage", "ltd.pulse_width"};

const std::map<std::string, ModelEntry>& models() {
    // Built once, never modified: the list of models is this table.
    static const std::map<std::string, ModelEntry> registry{
        {"exponential",
         {[](const Card& c) { return std::make_unique<ExponentialModel>(c); },
          "Exponential pulse response with a nonlinearity per direction (NeuroSim's model)",
          {{"ltp", {fields::nonlinearity_label(), fields::nonlinearity_a()}},
           {"ltd", {fields::nonlinearity_label(), fields::nonlinearity_a()}},
           {"variation", {fields::d2d_nl()}}},
          kAnalogNeeds}},
        {"linear",
         {[](const Card& c) {
              Card l = c;
              l.ltp.a_normalized = 0;
              l.ltd.a_normalized = 0;
              return std::make_unique<ExponentialModel>(l);
          },
          "Equal conductance steps per pulse (the exponential model without nonlinearity)",
          {},
          kAnalogNeeds}},
        // The card parser rejects non-idealities on an ideal card; clearing them here as well keeps
        // the model ideal when a card is built in code.
        {"ideal",
         {[](const Card& c) {
              Card l = c;
              l.ltp.a_normalized = 0;
              l.ltd.a_normalized = 0;
              l.variation = {};
              l.drift = {};
              return std::make_unique<ExponentialModel>(l);
          },
          "Linear and free of variation and drift (a software-like reference)",
          {},
          kAnalogNeeds}},
        {"soft_bounds",
         {[](const Card& c) { return make_soft_bounds_model(c); },
          "Each pulse moves G by a fixed fraction 2/levels of its distance to the bound",
          {},
          kAnalogNeeds}},
        {"lookup",
         {[](const Card& c) { return make_lookup_model(c); },
          "Measured table of the mean change per pulse (and its spread) against G",
          {{"", {fields::lookup()}}},
          [] {
              auto n = kAnalogNeeds;
              n.push_back("lookup.ltp");
              n.push_back("lookup.ltd");
              return n;
          }()}},
        {"digital",
         {[](const Card& c) { return make_digital_model(c); },
          "Digital weight: 2^bits − 1 equal steps between g_min and g_max, no noise",
          {},
          {"digital.bits"}}},
    };
    return registry;
}

}  // namespace

const std::map<std::string, ModelFactory>& model_registry() {
    static const std::map<std::string, ModelFactory> factories = [] {
        std::map<std::string, ModelFactory> out;
        for (const auto& [name, e] : models()) out.emplace(name, e.make);
        return out;
    }();
    return factories;
}

std::vector<config::VariantSpec> model_variants() {
    std::vector<config::VariantSpec> out;
    for (const auto& [name, e] : models()) out.push_back({name, e.doc, e.fields, e.needs});
    return out;
}

std::vector<std::string> model_names() {
    std::vector<std::string> names;
    for (const auto& [k, f] : model_registry()) names.push_back(k);
    return names;
}

std::unique_ptr<Model> make_model(const Card& card) {
    const auto& reg = model_registry();
    auto it = reg.find(card.model);
    if (it == reg.end()) {
        std::string known;
        for (const auto& [k, f] : reg) known += (known.empty() ? "" : ", ") + k;
        throw std::invalid_argument(fmt::format(
            "device model '{}' is not implemented; known models: {}", card.model, known));
    }
    return it->second(card);
}

std::vector<CurvePoint> noise_free_curve(const Card& card, int pulses) {
    Card clean = card;
    clean.variation = {};
    clean.drift = {};
    auto model = make_model(clean);
    auto array = model->make_array(1, 0, 0);
    const int n_ltp = pulses > 0 ? pulses : model->levels_ltp();
    const int n_ltd = pulses > 0 ? pulses : model->levels_ltd();
    array->set(0, model->g_min());
    std::vector<CurvePoint> v;
    v.reserve(static_cast<std::size_t>(n_ltp + n_ltd + 2));
    std::uint64_t event = 0;
    v.push_back({"ltp", 0, array->g(0)});
    for (int p = 1; p <= n_ltp; ++p) v.push_back({"ltp", p, array->program(0, 1, event++)});
    v.push_back({"ltd", 0, array->g(0)});
    for (int p = 1; p <= n_ltd; ++p) v.push_back({"ltd", p, array->program(0, -1, event++)});
    return v;
}

}  // namespace synbench::device
