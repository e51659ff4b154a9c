#include <fmt/format.h>

#include <stdexcept>

#include "device/exponential.hpp"
#include "device/model.hpp"

namespace synbench::device {

const std::map<std::string, ModelFactory>& model_registry() {
    // Built once, never modified: the list of models is this table.
    static const std::map<std::string, ModelFactory> registry{
        {"exponential", [](const Card& c) { return std::make_unique<ExponentialModel>(c); }},
        {"linear", [](const Card& c) {
             Card l = c;
             l.ltp.a_normalized = 0;
             l.ltd.a_normalized = 0;
             return std::make_unique<ExponentialModel>(l);
         }},
        {"ideal", [](const Card& c) {
             Card l = c;
             l.ltp.a_normalized = 0;
             l.ltd.a_normalized = 0;
             l.variation = {};
             return std::make_unique<ExponentialModel>(l);
         }},
    };
    return registry;
}

std::unique_ptr<Model> make_model(const Card& card) {
    const auto& reg = model_registry();
    auto it = reg.find(card.model);
    if (it == reg.end()) {
        std::string known;
        for (const auto& [k, f] : reg) known += (known.empty() ? "" : ", ") + k;
        throw std::invalid_argument(fmt::format("device model '{}' is not implemented; known models: {}", card.model, known));
    }
    return it->second(card);
}

}  // namespace synbench::device
