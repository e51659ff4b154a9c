#include "report/format.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

namespace synbench::report {

namespace u = synbench::units;

std::string human(double value, u::Dim dim, int significant) {
    return u::format_human(value, dim, significant, true);  // reports write µ, not u
}
std::string energy(double joule) { return human(joule, u::energy); }
std::string duration(double second) { return human(second, u::time); }
std::string power(double watt) { return human(watt, u::power); }

std::string area(double m2) {
    auto s = area_scale(std::fabs(m2));
    return fmt::format("{:.4g} {}", m2 / s.factor, s.unit);
}

std::string percent(double p, int decimals) { return fmt::format("{:.{}f} %", p, decimals); }

std::string count(double n) {
    if (std::isfinite(n) && n == std::floor(n) && std::fabs(n) < 1e15)
        return fmt::format("{:.0f}", n);
    return fmt::format("{:.6g}", n);
}

std::string mean_sd(double mean, double sd, u::Dim dim, int significant) {
    if (dim == u::area) {
        auto s = area_scale(std::fabs(mean));
        return fmt::format("{:.{}g} ± {:.{}g} {}", mean / s.factor, significant, sd / s.factor, 3,
                           s.unit);
    }
    auto s = scale_for(std::fabs(mean), dim);
    if (s.unit.empty()) return fmt::format("{:.{}g} ± {:.3g}", mean, significant, sd);
    return fmt::format("{:.{}g} ± {:.3g} {}", mean / s.factor, significant, sd / s.factor, s.unit);
}

Scale scale_for(double max_abs, u::Dim dim) {
    if (dim == u::area) return area_scale(max_abs);
    auto sym = u::si_symbol(dim);
    if (sym.empty()) return {1, ""};
    if (max_abs == 0 || !std::isfinite(max_abs)) return {1, sym};
    if (const auto* p = u::print_prefix(max_abs)) return {p->factor, std::string(p->symbol) + sym};
    return {1e-18, "a" + sym};
}

Scale area_scale(double max_abs_m2) {
    if (max_abs_m2 >= 1e-8 || max_abs_m2 == 0) return {1e-6, "mm²"};
    return {1e-12, "µm²"};
}

namespace {
// C0 control characters (incl. CR) and DEL; tab and LF are handled by each escaper.
bool is_control(char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t' && c != '\n') || u == 0x7f;
}
}  // namespace

std::string html_escape(std::string_view s) {
    std::string o;
    o.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                o += "&amp;";
                break;
            case '<':
                o += "&lt;";
                break;
            case '>':
                o += "&gt;";
                break;
            case '"':
                o += "&quot;";
                break;
            case '\t':
            case '\n':
                o += c;
                break;
            default:
                // Control characters are not allowed in HTML text, even as references: a space.
                o += is_control(c) ? ' ' : c;
        }
    }
    return o;
}

std::string md_escape_cell(std::string_view s) {
    std::string o;
    for (char c : s) {
        if (c == '|')
            o += "\\|";
        else if (c == '\n' || c == '\t' || is_control(c))
            o += ' ';  // a cell is one line
        else
            o += c;
    }
    return o;
}

std::string latex_escape(std::string_view s) {
    static const std::array<std::pair<std::string_view, std::string_view>, 15> utf{{
        {"µ", "$\\mu$"},
        {"±", "$\\pm$"},
        {"×", "$\\times$"},
        {"²", "$^2$"},
        {"≥", "$\\geq$"},
        {"≤", "$\\leq$"},
        {"→", "$\\rightarrow$"},
        {"–", "--"},
        {"—", "---"},
        {"₂", "$_2$"},
        {"·", "$\\cdot$"},
        {"≈", "$\\approx$"},
        {"⚠", "(!)"},
        {"−", "$-$"},
        {"Δ", "$\\Delta$"},
    }};
    std::string o;
    for (std::size_t i = 0; i < s.size();) {
        bool done = false;
        for (const auto& [from, to] : utf) {
            if (s.compare(i, from.size(), from) == 0) {
                o += to;
                i += from.size();
                done = true;
                break;
            }
        }
        if (done) continue;
        char c = s[i++];
        switch (c) {
            case '%':
                o += "\\%";
                break;
            case '&':
                o += "\\&";
                break;
            case '#':
                o += "\\#";
                break;
            case '_':
                o += "\\_";
                break;
            case '$':
                o += "\\$";
                break;
            case '{':
                o += "\\{";
                break;
            case '}':
                o += "\\}";
                break;
            case '~':
                o += "\\textasciitilde{}";
                break;
            case '^':
                o += "\\textasciicircum{}";
                break;
            case '\\':
                o += "\\textbackslash{}";
                break;
            // A line break in a cell would end it (two make a paragraph, an error in a table);
            // control characters are invalid TeX input: spaces.
            case '\n':
            case '\t':
                o += ' ';
                break;
            default:
                o += is_control(c) ? ' ' : c;
        }
    }
    return o;
}

std::string exact(double v) { return fmt::format("{:.17g}", v); }

}  // namespace synbench::report
