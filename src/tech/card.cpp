#include "tech/card.hpp"

namespace synbench::tech {

Card parse_card(config::Section& s) {
    using config::Limits;
    Card c;
    c.name = s.text("name");
    c.node = s.quantity("node", units::length, Limits::positive());
    c.vdd = s.quantity("vdd", units::voltage, Limits::positive());
    c.temperature = s.quantity("temperature", units::temperature, Limits::between(200, 500), 300.0);
    s.finish();
    c.resolved = s.resolved();
    return c;
}

Card load_card(const std::filesystem::path& path, const std::vector<std::pair<std::string, std::string>>& overrides) {
    auto doc = config::load_file(path);
    for (const auto& [k, v] : overrides) config::apply_override(doc, k, v);
    config::Section s(doc);
    return parse_card(s);
}

}  // namespace synbench::tech
