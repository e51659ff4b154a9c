#include "circuit/read_circuit.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace synbench::circuit {

const std::map<std::string, ReadCircuitModel>& read_circuits() {
    static const std::map<std::string, ReadCircuitModel> registry{
        {"integrate_fire", integrate_fire},
        {"sense_amp", sense_amp},
        {"flash", flash_adc},
        {"sar", sar_adc},
    };
    return registry;
}

Block read_circuit(const tech::Card& t, const std::string& name, const ReadCircuitSpec& s) {
    const auto& r = read_circuits();
    auto it = r.find(name);
    if (it == r.end()) {
        std::string known;
        for (const auto& [k, v] : r) known += (known.empty() ? "" : ", ") + k;
        throw std::invalid_argument(
            fmt::format("unknown read circuit '{}' (known: {})", name, known));
    }
    return it->second(t, s);
}

}  // namespace synbench::circuit
