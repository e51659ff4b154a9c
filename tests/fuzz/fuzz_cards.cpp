// libFuzzer target: the card loader on arbitrary text.
//
// The input is YAML text. Leading lines of the form "#set key.path=value" (YAML comments, so every
// seed is still a real card) are applied as command-line overrides. The document is then parsed
// as each kind of card in turn — device, technology, network (with its hardware block) — each from
// a fresh copy, and the resolved card is written back to YAML.
//
// Expected outcomes are a parsed card or a config::Error / units::UnitError. Any other exception
// escapes and libFuzzer reports it as a crash, as it does for ASan/UBSan reports and leaks.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "circuit/options.hpp"
#include "config/config.hpp"
#include "device/card.hpp"
#include "nn/network_card.hpp"
#include "tech/card.hpp"
#include "units/units.hpp"

using namespace synbench;

namespace {

template <class F>
void expect_clean(F&& f) {
    try {
        f();
    } catch (const config::Error& e) {
        if (std::string_view(e.what()).empty()) __builtin_trap();  // an error must say something
    } catch (const units::UnitError&) {
    }
}

config::Document fresh(const std::string& text, std::string_view overrides) {
    auto doc = config::load_string(text, "fuzz.yaml");
    while (!overrides.empty()) {
        auto nl = overrides.find('\n');
        auto line = overrides.substr(0, nl);
        overrides.remove_prefix(nl == std::string_view::npos ? overrides.size() : nl + 1);
        auto [k, v] = config::split_assignment(line.substr(5));
        config::apply_override(doc, k, v);
    }
    return doc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    // The block of leading "#set " lines.
    std::size_t end = 0;
    while (text.compare(end, 5, "#set ") == 0) {
        auto nl = text.find('\n', end);
        end = nl == std::string::npos ? text.size() : nl + 1;
    }
    std::string_view overrides(text.data(), end);
    if (!overrides.empty() && overrides.back() == '\n') overrides.remove_suffix(1);

    expect_clean([&] {
        auto doc = fresh(text, overrides);
        config::Section s(doc);
        auto c = device::parse_card(s);
        (void)config::to_yaml(c.resolved);
    });
    expect_clean([&] {
        auto doc = fresh(text, overrides);
        config::Section s(doc);
        auto c = tech::parse_card(s);
        (void)config::to_yaml(c.resolved);
    });
    expect_clean([&] {
        auto doc = fresh(text, overrides);
        config::Section s(doc);
        auto n = nn::parse_network(s);
        auto h = s.section("hardware");
        auto hw = circuit::parse_hardware(h);
        s.finish();
        (void)config::to_yaml(s.resolved());
        (void)n;
        (void)hw;
    });
    // The hardware block on its own (reached above only when the network part is valid).
    expect_clean([&] {
        auto doc = fresh(text, overrides);
        config::Section s(doc);
        auto h = s.section("hardware");
        (void)circuit::parse_hardware(h);
    });
    return 0;
}
