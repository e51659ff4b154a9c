// `synbench device curve` and `synbench device fit`.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/checks.hpp"
#include "cli/commands.hpp"
#include "config/config.hpp"
#include "device/card.hpp"
#include "device/fit.hpp"
#include "device/model.hpp"
#include "report/fit_figure.hpp"
#include "util/files.hpp"

namespace synbench::cli {

namespace {

struct CurveOptions {
    std::string card;
    bool csv = false;
    int pulses = 0;
};

struct FitOptions {
    std::string data, out, name, like, compare, figure;
    bool force = false, json = false;
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

// --figure may replace an SVG this command wrote (or anything with --force), never an input, the
// card (-o) or a directory.
void check_figure_output(const FitOptions& o) {
    namespace fs = std::filesystem;
    if (o.figure.empty()) return;
    for (const auto& [what, in] :
         {std::pair{"the data file", o.data}, std::pair{"the --like card", o.like},
          std::pair{"the --compare card", o.compare}, std::pair{"the card (-o)", o.out}})
        if (!in.empty() && util::path_within(o.figure, in))
            throw util::Refused(fmt::format(
                "{}: is {} of this command; refusing to overwrite it with the figure (even with "
                "--force) — choose another --figure",
                o.figure, what));
    std::error_code ec;
    if (!fs::exists(o.figure, ec)) return;
    if (!fs::is_regular_file(o.figure, ec))
        throw util::Refused(fmt::format(
            "{}: exists and is not a regular file; refusing to replace it — choose another "
            "--figure",
            o.figure));
    if (o.force) return;
    std::string head;
    try {
        head = util::read_file(o.figure).substr(0, 200);
    } catch (const util::IoError&) {
    }
    if (head.find("data-figure=\"device-fit\"") == std::string::npos)
        throw util::Refused(fmt::format(
            "{}: exists and is not a figure `synbench device fit` wrote; refusing to overwrite it "
            "(use --force, or another --figure)",
            o.figure));
}

// "1.234e-06 ± 5.6e-09" (a standard error that is NaN: "n/a").
std::string with_se(double v, double se, const char* fmt_v) {
    return fmt::format(fmt::runtime(fmt_v), v) +
           (std::isfinite(se) ? fmt::format(" ± {:.2g}", se) : std::string(" ± n/a"));
}

nlohmann::ordered_json direction_json(const device::DirectionFit& d) {
    auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); };
    auto ci = [&](double v, double se) {
        return std::isfinite(se) ? nlohmann::json::array({v - d.se.t95 * se, v + d.se.t95 * se})
                                 : nlohmann::json();
    };
    nlohmann::ordered_json j;
    j["points"] = d.points;
    j["levels"] = d.levels;
    j["g_min_S"] = d.g_min;
    j["g_max_S"] = d.g_max;
    j["a"] = d.a;
    j["nl"] = d.nl;
    j["standard_error"] = {{"g_min_S", num(d.se.g_min)},
                           {"g_max_S", num(d.se.g_max)},
                           {"c", num(d.se.c)},
                           {"a", num(d.se.a)},
                           {"nl", num(d.se.nl)}};
    j["ci95"] = {{"g_min_S", ci(d.g_min, d.se.g_min)},
                 {"g_max_S", ci(d.g_max, d.se.g_max)},
                 {"a", d.a == 0 ? nlohmann::json() : ci(d.a, d.se.a)},
                 {"nl", d.a == 0 ? nlohmann::json() : ci(d.nl, d.se.nl)}};
    j["dof"] = d.se.dof;
    j["t95"] = num(d.se.t95);
    j["rmse_S"] = d.error.rmse;
    j["rmse_per_range"] = d.error.rel_rmse;
    j["r2"] = d.error.r2;
    return j;
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
    check_figure_output(o);
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

    auto card_errors = [&](const device::Model& m) {
        return std::pair{device::curve_error(data.ltp, [&](double p) { return m.ltp_curve(p); }),
                         device::curve_error(data.ltd, [&](double p) { return m.ltd_curve(p); })};
    };
    auto [el, ed] = card_errors(*model);
    std::optional<device::Card> other;
    std::pair<device::CurveError, device::CurveError> compare_errors;
    if (!o.compare.empty()) {
        other = device::load_card(o.compare);
        auto m = device::make_model(*other);
        compare_errors = card_errors(*m);
    }
    std::string figure;
    if (!o.figure.empty()) {
        report::FitFigureData fd;
        fd.title = fmt::format("{}: the fitted card over {}", name,
                               std::filesystem::path(o.data).filename().string());
        for (const auto& q : data.ltp) fd.ltp_pulse.push_back(q.pulse), fd.ltp_g.push_back(q.g);
        for (const auto& q : data.ltd) fd.ltd_pulse.push_back(q.pulse), fd.ltd_g.push_back(q.g);
        fd.ltp_levels = fit.card_ltp.levels;
        fd.ltd_levels = fit.card_ltd.levels;
        const device::Model* m = model.get();
        fd.ltp_curve = [m](double p) { return m->ltp_curve(p); };
        fd.ltd_curve = [m](double p) { return m->ltd_curve(p); };
        figure = report::fit_figure(fd);
    }
    if (o.json) {
        auto err_json = [](const device::CurveError& e) {
            return nlohmann::ordered_json{
                {"rmse_S", e.rmse}, {"rmse_per_range", e.rel_rmse}, {"r2", e.r2}};
        };
        nlohmann::ordered_json j;
        j["data"] = o.data;
        j["card"] = o.out;
        if (!o.figure.empty()) j["figure"] = o.figure;
        j["name"] = name;
        j["points"] = {{"ltp", data.ltp.size()}, {"ltd", data.ltd.size()}};
        j["card_fit"] = {{"g_min_S", fit.g_min},
                         {"g_max_S", fit.g_max},
                         {"c2c_per_range", fit.c2c},
                         {"ltp", direction_json(fit.card_ltp)},
                         {"ltd", direction_json(fit.card_ltd)}};
        j["separate_fits"] = {{"ltp", direction_json(fit.ltp)}, {"ltd", direction_json(fit.ltd)}};
        j["common_range_rule_S"] = {fit.common_g_min, fit.common_g_max};
        j["card_on_data"] = {{"ltp", err_json(el)}, {"ltd", err_json(ed)}};
        if (other)
            j["compare"] = {{"card", o.compare},
                            {"name", other->name},
                            {"ltp", err_json(compare_errors.first)},
                            {"ltd", err_json(compare_errors.second)}};
        j["standard_errors_note"] =
            "s^2 (J^T J)^-1 at the optimum, independent residuals assumed; ci95 = value ± t95 × "
            "standard error";
        std::cout << j.dump(2) << "\n";
    } else {
        std::cout << fmt::format("{}: {} LTP and {} LTD points\n", o.data, data.ltp.size(),
                                 data.ltd.size());
        std::cout << fmt::format("{:<26}{:>6}{:>13}{:>13}{:>10}{:>9}{:>11}{:>9}{:>8}\n", "fit",
                                 "Pmax", "Gmin (S)", "Gmax (S)", "a", "NL", "RMSE (S)", "RMSE/rng",
                                 "R2");
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
        const auto& up = fit.card_ltp;
        const auto& down = fit.card_ltd;
        std::cout << fmt::format(
            "\ncard parameters ± standard error (s²(JᵀJ)⁻¹, {} degrees of freedom; 95 % interval "
            "= ± {:.3g} standard errors)\n",
            up.se.dof, up.se.t95);
        std::cout << fmt::format("  Gmin {} S\n  Gmax {} S\n",
                                 with_se(fit.g_min, up.se.g_min, "{:.6g}"),
                                 with_se(fit.g_max, up.se.g_max, "{:.6g}"));
        for (const auto& [what, d] : {std::pair{"LTP", &up}, std::pair{"LTD", &down}})
            std::cout << fmt::format(
                "  {} a {}, NL {}\n", what,
                d->a == 0 ? std::string("0 (straight line)") : with_se(d->a, d->se.a, "{:.5g}"),
                d->a == 0 ? std::string("0") : with_se(d->nl, d->se.nl, "{:.4f}"));
        std::cout << fmt::format("\n{:<40}{:>11}{:>9}{:>8}{:>11}{:>9}{:>8}\n",
                                 "curve on these data", "LTP RMSE", "/range", "R2", "LTD RMSE",
                                 "/range", "R2");
        print_errors("separate fits (own ranges)", fit.ltp.error, fit.ltd.error);
        print_errors(fmt::format("written card ({})", o.out).c_str(), el, ed);
        if (other)
            print_errors(fmt::format("{} ({})", other->name, o.compare).c_str(),
                         compare_errors.first, compare_errors.second);
    }
    util::write_atomic(o.out, text);
    if (!o.figure.empty()) util::write_atomic(o.figure, figure);
    if (!o.json) {
        std::cout << fmt::format("\nwrote {}\n", o.out);
        if (!o.figure.empty()) std::cout << fmt::format("wrote {}\n", o.figure);
    }
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
    fit->add_option("data", fo->data,
                    "CSV (',' or ';' separated, quoted fields, UTF-8 with or without BOM) with "
                    "columns phase,pulse,conductance_S[,cycle]")
        ->required();
    // Required, in one of its spellings: checked in the callback (CLI11 would require --out
    // itself and refuse the deprecated --output).
    fit->add_option("-o,--out", fo->out, "Card to write (required)");
    add_deprecated_alias(fit, "--output", "--out", fo->out);
    fit->add_flag("--json", fo->json,
                  "Print the fit (parameters, standard errors, 95 % intervals, errors) as one "
                  "JSON object instead of text");
    fit->add_option("--figure", fo->figure,
                    "Also write the figure of the fit (measured points, fitted curve, residuals) "
                    "to this SVG file");
    fit->add_option("--name", fo->name, "Device name in the card (default: the data file's stem)");
    fit->add_option(
        "--like", fo->like,
        "Take the fields the fit does not determine (cell, pulses, read) from this card");
    fit->add_option("--compare", fo->compare,
                    "Also report how well this card's curve follows the data");
    fit->add_flag("--force", fo->force,
                  "Overwrite an existing -o file that `device fit` did not write (never an input)");
    fit->callback([fo] {
        if (fo->out.empty())
            throw ExitRequest{kExitBadInput, "error: device fit: -o/--out CARD is required"};
        run_fit(*fo);
    });
}

}  // namespace synbench::cli
