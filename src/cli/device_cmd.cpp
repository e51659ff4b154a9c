// `synbench device curve` and `synbench device fit`.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>

#include "cli/checks.hpp"
#include "cli/commands.hpp"
#include "config/config.hpp"
#include "device/card.hpp"
#include "device/fit.hpp"
#include "device/model.hpp"
#include "util/files.hpp"

namespace synbench::cli {

namespace {

struct CurveOptions {
    std::string card;
    bool csv = false;
    int pulses = 0;
};

struct FitOptions {
    std::string data, out, name, like, compare;
    bool force = false;
};

constexpr const char* kFitHeader = "# Device card fitted by `synbench device fit ";

// The card may replace a card this command wrote, anything else only with --force, and never
// one of its own inputs (the data, the --like or the --compare card) nor a directory.
void check_fit_output(const FitOptions& o) {
    namespace fs = std::filesystem;
    for (const auto& [what, in] :
         {std::pair{"the data file", o.data}, std::pair{"the --like card", o.like},
          std::pair{"the --compare card", o.compare}})
        if (!in.empty() && util::path_within(o.out, in))
            throw util::Refused(
                fmt::format("{}: is {} of this command; refusing to overwrite an input (even with "
                            "--force) — choose another -o",
                            o.out, what));
    std::error_code ec;
    if (!fs::exists(o.out, ec)) return;
    if (!fs::is_regular_file(o.out, ec))
        throw util::Refused(fmt::format(
            "{}: exists and is not a regular file; refusing to replace it — choose another -o",
            o.out));
    if (o.force) return;
    std::string head;
    try {
        head = util::read_file(o.out).substr(0, std::string(kFitHeader).size());
    } catch (const util::IoError&) {
    }
    if (head != kFitHeader)
        throw util::Refused(
            fmt::format("{}: exists and was not written by `synbench device fit`; refusing to "
                        "overwrite it (use --force, or "
                        "another -o)",
                        o.out));
}

void run_curve(const CurveOptions& o) {
    auto card = device::load_card(o.card);
    auto model = device::make_model(card);
    const auto points = device::noise_free_curve(card, o.pulses);  // without variation or drift
    const double range = model->g_max() - model->g_min();
    if (o.csv) {
        std::cout << "phase,pulse,conductance_S\n";
    } else {
        std::cout << fmt::format(
            "{} ({}), model {}: Gmin {:.6g} S, Gmax {:.6g} S, {} LTP / {} LTD levels\n", card.name,
            o.card, card.model, model->g_min(), model->g_max(), model->levels_ltp(),
            model->levels_ltd());
        std::cout << fmt::format("{:<6}{:>7}{:>16}{:>10}\n", "phase", "pulse", "G (S)", "G norm");
    }
    for (const auto& pt : points) {
        if (o.csv)
            std::cout << fmt::format("{},{},{:.9g}\n", pt.phase, pt.pulse, pt.g);
        else
            std::cout << fmt::format("{:<6}{:>7}{:>16.6g}{:>10.4f}\n", pt.phase, pt.pulse, pt.g,
                                     (pt.g - model->g_min()) / range);
    }
}

void print_errors(const char* what, const device::CurveError& ltp, const device::CurveError& ltd) {
    std::cout << fmt::format("{:<40}{:>11.4g}{:>9.4f}{:>8.4f}{:>11.4g}{:>9.4f}{:>8.4f}\n", what,
                             ltp.rmse, ltp.rel_rmse, ltp.r2, ltd.rmse, ltd.rel_rmse, ltd.r2);
}

// Set by SIGINT/SIGTERM during a fit: the fit stops between two least-squares starts.
std::atomic<bool> g_fit_interrupted{false};
extern "C" void on_fit_signal(int) { g_fit_interrupted.store(true); }

void run_fit(const FitOptions& o) {
    check_fit_output(o);
    // Reading and fitting a large file take seconds: Ctrl-C/SIGTERM stop the fit cleanly (exit 130,
    // nothing written); a signal while reading is answered as soon as the fit starts.
    std::signal(SIGINT, on_fit_signal);
    std::signal(SIGTERM, on_fit_signal);
    // The --like card first, checked as `validate` checks it: its own errors name it, not the
    // card this command writes.
    std::optional<YAML::Node> like;
    if (!o.like.empty()) {
        device::load_card(o.like);
        like = config::load_file(o.like).root;
    }
    auto data = device::read_pulse_data(o.data);
    device::FitControl ctl;
    ctl.interrupt = &g_fit_interrupted;
    const std::size_t points = data.ltp.size() + data.ltd.size();
    if (points > device::kFitScreenPoints)
        ctl.progress = [&](const std::string& m) {
            std::cerr << fmt::format("device fit {} ({} points): {}\n", o.data, points, m);
        };
    device::FitResult fit;
    try {
        fit = device::fit_pulse_data(data, ctl);
    } catch (const device::FitInterrupted&) {
        throw ExitRequest{
            130, fmt::format("interrupted: the fit of {} stopped; nothing was written", o.data)};
    }
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    auto name = o.name.empty() ? std::filesystem::path(o.data).stem().string() : o.name;
    auto node = device::fitted_card(fit, name, o.data, like ? &*like : nullptr);

    // The card must be one `validate` accepts: parse it back before writing. A failure is the
    // data's (or the --like card's), not the output file's: nothing has been written yet.
    const std::string text = fmt::format("{}{}`.\n", kFitHeader, o.data) + config::to_yaml(node);
    const std::string source =
        o.like.empty() ? o.data : fmt::format("{} with --like {}", o.data, o.like);
    device::Card card;
    std::unique_ptr<device::Model> model;
    try {
        auto doc = config::load_string(text, "the card fitted to " + source);
        config::Section s(doc);
        card = device::parse_card(s);
        model = device::make_model(card);
    } catch (const config::Error& e) {
        throw ExitRequest{
            kExitBadInput,
            fmt::format("error: {}: the fit gives no valid card, so {} was not written: {}", o.data,
                        o.out, e.what())};
    }

    std::cout << fmt::format("{}: {} LTP and {} LTD points\n", o.data, data.ltp.size(),
                             data.ltd.size());
    std::cout << fmt::format("{:<26}{:>6}{:>13}{:>13}{:>10}{:>9}{:>11}{:>9}{:>8}\n", "fit", "Pmax",
                             "Gmin (S)", "Gmax (S)", "a", "NL", "RMSE (S)", "RMSE/rng", "R2");
    auto fit_row = [](const std::string& what, const device::DirectionFit& d) {
        std::cout << fmt::format(
            "{:<26}{:>6}{:>13.5g}{:>13.5g}{:>10.4g}{:>9.4f}{:>11.4g}{:>9.4f}{:>8.4f}\n", what,
            d.levels, d.g_min, d.g_max, d.a, d.nl, d.error.rmse, d.error.rel_rmse, d.error.r2);
    };
    fit_row("ltp, own range", fit.ltp);
    fit_row("ltd, own range", fit.ltd);
    fit_row("ltp, card (shared range)", fit.card_ltp);
    fit_row("ltd, card (shared range)", fit.card_ltd);
    std::cout << fmt::format(
        "card range {:.6g} .. {:.6g} S (the common-range rule on the separate fits would give "
        "{:.6g} .. {:.6g} S)\n",
        fit.g_min, fit.g_max, fit.common_g_min, fit.common_g_max);
    std::cout << fmt::format(
        "c2c {:.3g} % of the card range per pulse (from residual increments)\n", 100 * fit.c2c);
    std::cout << fmt::format("\n{:<40}{:>11}{:>9}{:>8}{:>11}{:>9}{:>8}\n", "curve on these data",
                             "LTP RMSE", "/range", "R2", "LTD RMSE", "/range", "R2");
    print_errors("separate fits (own ranges)", fit.ltp.error, fit.ltd.error);
    auto card_errors = [&](const device::Model& m) {
        return std::pair{device::curve_error(data.ltp, [&](double p) { return m.ltp_curve(p); }),
                         device::curve_error(data.ltd, [&](double p) { return m.ltd_curve(p); })};
    };
    auto [el, ed] = card_errors(*model);
    print_errors(fmt::format("written card ({})", o.out).c_str(), el, ed);
    if (!o.compare.empty()) {
        auto other = device::load_card(o.compare);
        auto m = device::make_model(other);
        auto [cl, cd] = card_errors(*m);
        print_errors(fmt::format("{} ({})", other.name, o.compare).c_str(), cl, cd);
    }
    util::write_atomic(o.out, text);
    std::cout << fmt::format("\nwrote {}\n", o.out);
    if (!like)
        std::cerr << "note: cell, write pulses and read settings in the card are placeholders (use "
                     "--like CARD to take them from a card)\n";
}

}  // namespace

void add_device_command(CLI::App& app) {
    auto* dev = app.add_subcommand(
        "device", "Device models: print a card's LTP/LTD curve, fit a card to measured data");
    dev->require_subcommand(1);

    auto co = std::make_shared<CurveOptions>();
    auto* curve = dev->add_subcommand(
        "curve",
        "Conductance after each pulse of a full LTP sweep from Gmin, then a full LTD sweep");
    curve->add_option("card", co->card, "Device card (YAML)")->required();
    curve->add_flag("--csv", co->csv, "Print phase,pulse,conductance_S rows");
    curve->add_option("--pulses", co->pulses, "Pulses per phase instead of the card's levels")
        ->check(int_range(1, 1000000));
    curve->callback([co] { run_curve(*co); });

    auto fo = std::make_shared<FitOptions>();
    auto* fit = dev->add_subcommand(
        "fit",
        "Fit Gmin, Gmax and A (NL) of LTP and LTD to conductance-vs-pulse data and write a card");
    fit->add_option("data", fo->data, "CSV with columns phase,pulse,conductance_S[,cycle]")
        ->required();
    fit->add_option("-o,--output", fo->out, "Card to write")->required();
    fit->add_option("--name", fo->name, "Device name in the card (default: the data file's stem)");
    fit->add_option(
        "--like", fo->like,
        "Take the fields the fit does not determine (cell, pulses, read) from this card");
    fit->add_option("--compare", fo->compare,
                    "Also report how well this card's curve follows the data");
    fit->add_flag("--force", fo->force,
                  "Overwrite an existing -o file that `device fit` did not write (never an input)");
    fit->callback([fo] { run_fit(*fo); });
}

}  // namespace synbench::cli
