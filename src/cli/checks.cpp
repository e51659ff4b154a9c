#include "cli/checks.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <thread>

#include "cli/commands.hpp"
#include "sim/memory.hpp"

namespace synbench::cli {

CLI::Validator int_range(long long lo, long long hi) {
    return CLI::Validator(
        [lo, hi](std::string& s) -> std::string {
            const std::string expected = fmt::format("expected an integer from {} to {}", lo, hi);
            errno = 0;
            char* end = nullptr;
            const long long v = std::strtoll(s.c_str(), &end, 10);
            if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE)
                return fmt::format("value '{}' is not an integer ({})", s, expected);
            if (v < lo || v > hi) return fmt::format("value {} is out of range: {}", s, expected);
            return {};
        },
        fmt::format("INT in [{} - {}]", lo, hi));
}

void forbid_empty_values(CLI::App& app) {
    for (auto* opt :
         app.get_options([](const CLI::Option* o) { return o->get_type_size_max() > 0; }))
        opt->check(CLI::Validator(
            [](std::string& s) -> std::string {
                return s.empty() ? "empty value: give a value or leave the option out"
                                 : std::string();
            },
            ""));
    for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) forbid_empty_values(*sub);
}

std::shared_ptr<std::string> add_max_memory_option(CLI::App* cmd) {
    auto s = std::make_shared<std::string>();
    cmd->add_option("--max-memory", *s,
                    fmt::format("Refuse a run estimated to need more memory than this, e.g. 8GiB "
                                "(default: half the physical memory, {})",
                                sim::format_bytes(sim::default_max_memory())));
    return s;
}

std::uint64_t max_memory_bytes(const std::string& text) {
    if (text.empty()) return sim::default_max_memory();
    try {
        return sim::parse_bytes(text);
    } catch (const std::invalid_argument& e) {
        throw ExitRequest{kExitBadInput, fmt::format("error: --max-memory: {}", e.what())};
    }
}

void check_memory(const sim::Experiment& ex, const std::string& max_memory_text,
                  const std::string& what, int threads) {
    const auto limit = max_memory_bytes(max_memory_text);
    const auto m =
        sim::estimate_memory(ex, threads > 0 ? static_cast<unsigned>(threads)
                                             : std::max(1u, std::thread::hardware_concurrency()));
    if (m.total() <= limit) return;
    std::string layers;
    for (int v : ex.network.layers) layers += (layers.empty() ? "" : ",") + std::to_string(v);
    layers = "layers [" + layers + "]";
    if (!ex.network.graph.from_widths) {
        // A layer graph: its size and its largest weight layer (as mapped: rows × columns).
        const nn::LayerSpec* big = nullptr;
        for (const auto& L : ex.network.graph.layers)
            if (L.has_weights() && (!big || L.weight_rows() * L.weight_cols() >
                                                big->weight_rows() * big->weight_cols()))
                big = &L;
        layers = fmt::format("network '{}' of {} layers{}", ex.network.name,
                             ex.network.graph.layers.size(),
                             big ? fmt::format(", the largest weight layer '{}' {}×{} cells",
                                               big->name, big->weight_rows(), big->weight_cols())
                                 : std::string());
    }
    throw ExitRequest{
        kExitBadInput,
        fmt::format("error: {} ({}) needs an estimated {} of memory, more than the limit "
                    "of {} ({}); "
                    "{}: {}",
                    what, layers, sim::format_bytes(m.total()), sim::format_bytes(limit),
                    max_memory_text.empty() ? "half the physical memory; raise it with --max-memory"
                                            : "--max-memory " + max_memory_text,
                    "estimate", m.breakdown())};
}

}  // namespace synbench::cli
