// Writing the card of a fit (see fit.hpp).
#include <fmt/format.h>

#include <cmath>

#include "config/config.hpp"
#include "device/fit.hpp"

namespace synbench::device {

namespace {

std::string siemens(double g) { return fmt::format("{:.6g} S", g); }

void set_direction(YAML::Node d, const DirectionFit& f) {
    d.remove("nl");
    d.remove("a");
    d.remove("g_min");  // the card's range is the joint one
    d.remove("g_max");
    d["levels"] = f.levels;
    // The label when it is within what cards accept, the normalized A otherwise.
    if (f.a == 0)
        d["nl"] = 0;
    else if (std::abs(f.nl) <= 9)
        d["nl"] = fmt::format("{:.4f}", f.nl);
    else
        d["a"] = fmt::format("{:.6g}", f.a);
}

}  // namespace

YAML::Node fitted_card(const FitResult& fit, const std::string& name, const std::string& data_name,
                       const YAML::Node* like) {
    YAML::Node card;
    std::string placeholders;
    if (like) {
        card = YAML::Clone(*like);
        if (card["model"] && card["model"].as<std::string>() == "digital")
            throw config::Error(
                data_name, 0, 0, "",
                "--like must name an analog card: the fit describes an analog device");
    } else {
        // Fields the data cannot tell: values of the reference setup (cell, read) and neutral write
        // pulses, flagged in the notes.
        card["cell"]["type"] = "pseudo_crossbar_1t1r";
        card["cell"]["width"] = 4;
        card["cell"]["height"] = 4;
        card["cell"]["access_resistance"] = "15 kOhm";
        card["ltp"]["voltage"] = "1 V";
        card["ltp"]["pulse_width"] = "1 us";
        card["ltd"]["voltage"] = "-1 V";
        card["ltd"]["pulse_width"] = "1 us";
        card["read"]["voltage"] = "0.5 V";
        card["read"]["pulse_width"] = "5 ns";
        placeholders =
            " PLACEHOLDERS, not from the data: cell (reference setup 1T1R 4F x 4F, 15 kOhm), write "
            "pulses (+-1 V, 1 us), read (0.5 V, 5 ns); replace them (or fit with --like CARD).";
    }
    std::string like_name =
        like && (*like)["name"] ? (*like)["name"].as<std::string>() : std::string();
    card["name"] = name;
    card["model"] = "exponential";
    YAML::Node src;
    src["paper"] = fmt::format("measured conductance-vs-pulse data: {}", data_name);
    src["via"] =
        "synbench device fit (Levenberg-Marquardt on Eq. 2-4: separate fits per direction, then "
        "one shared range for the card)";
    // Each parameter with its standard error (± SE; fit.hpp ParamErrors).
    auto pm = [](double se) {
        return std::isfinite(se) ? fmt::format(" ± {:.2g}", se) : std::string(" ± n/a");
    };
    auto line = [&](const char* what, const DirectionFit& d) {
        return fmt::format(
            "{}: {} points, Pmax {}, Gmin {:.5g}{} S, Gmax {:.5g}{} S, a {:.5g}{} (NL "
            "{:.4f}{}), RMSE {:.4g} S = {:.4f} of the data range, R2 {:.4f}. ",
            what, d.points, d.levels, d.g_min, pm(d.se.g_min), d.g_max, pm(d.se.g_max), d.a,
            d.a == 0 ? std::string() : pm(d.se.a), d.nl, d.a == 0 ? std::string() : pm(d.se.nl),
            d.error.rmse, d.error.rel_rmse, d.error.r2);
    };
    src["notes"] = fmt::format(
        "This card (one range for both directions, fitted jointly): {}{}Separate fits, each with "
        "its own range: {}{}"
        "c2c {:.3g} % of the range per pulse, from the residual increments. ± values: standard "
        "errors, s^2 (J^T J)^-1 at the optimum ({} degrees of freedom), assuming independent "
        "residuals.{}{}",
        line("LTP", fit.card_ltp), line("LTD", fit.card_ltd), line("LTP", fit.ltp),
        line("LTD", fit.ltd), 100 * fit.c2c, fit.card_ltp.se.dof,
        like ? fmt::format(" Fields the fit does not determine are those of the card '{}'.",
                           like_name)
             : std::string(),
        placeholders);
    card["source"] = src;
    YAML::Node g;
    g["g_min"] = siemens(fit.g_min);
    g["g_max"] = siemens(fit.g_max);
    card["conductance"] = g;
    set_direction(card["ltp"], fit.card_ltp);
    set_direction(card["ltd"], fit.card_ltd);
    card["variation"]["c2c"] = fmt::format("{:.3g} %", 100 * fit.c2c);
    // Keys in the order of the card format (docs/devices.md), then anything else the template had.
    YAML::Node ordered;
    const char* order[] = {"name",        "source", "model",     "cell",
                           "conductance", "ltp",    "ltd",       "read",
                           "variation",   "drift",  "endurance", "half_select_disturb"};
    for (const char* k : order)
        if (card[k]) ordered[k] = card[k];
    for (const auto& kv : card) {
        auto k = kv.first.as<std::string>();
        if (!ordered[k]) ordered[k] = kv.second;
    }
    return ordered;
}

}  // namespace synbench::device
