#include <fmt/format.h>

#include <stdexcept>

#include "device/exponential.hpp"
#include "device/model.hpp"
#include "device/variants.hpp"

namespace synbench::device {

const std::map<std::string, ModelFactory>& model_registry() {
    // Built once, never modified: the list of models is this table.
    static const std::map<std::string, ModelFactory> registry{
        {"exponential", [](const Card& c) { return std::make_unique<ExponentialModel>(c); }},
        {"linear",
         [](const Card& c) {
             Card l = c;
             l.ltp.a_normalized = 0;
             l.ltd.a_normalized = 0;
             return std::make_unique<ExponentialModel>(l);
         }},
        // The card parser rejects non-idealities on an ideal card; clearing them here as well keeps
        // the model ideal when a card is built in code.
        {"ideal",
         [](const Card& c) {
             Card l = c;
             l.ltp.a_normalized = 0;
             l.ltd.a_normalized = 0;
             l.variation = {};
             l.drift = {};
             return std::make_unique<ExponentialModel>(l);
         }},
        {"soft_bounds", [](const Card& c) { return make_soft_bounds_model(c); }},
        {"lookup", [](const Card& c) { return make_lookup_model(c); }},
        {"digital", [](const Card& c) { return make_digital_model(c); }},
    };
    return registry;
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
