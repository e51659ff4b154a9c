#include "units/units.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <vector>

namespace synbench::units {
namespace {

struct UnitDef {
    std::string_view symbol;
    double scale;
    Dim dim;
};

// Unit symbols. Prefixed forms are derived ("us" = micro + s); a symbol listed here is tried
// whole before any prefix split, so "m" is a metre, "min" a minute and "mm" a millimetre.
constexpr std::array<UnitDef, 25> kUnits{{
    {"m", 1.0, length},
    {"g", 1e-3, mass},
    {"s", 1.0, time},
    {"min", 60.0, time},
    {"h", 3600.0, time},
    {"d", 86400.0, time},
    {"y", 365.25 * 86400.0, time},
    {"yr", 365.25 * 86400.0, time},
    {"A", 1.0, current},
    {"K", 1.0, temperature},
    {"Hz", 1.0, frequency},
    {"J", 1.0, energy},
    {"W", 1.0, power},
    {"V", 1.0, voltage},
    {"Ohm", 1.0, resistance},
    {"ohm", 1.0, resistance},
    {"Ω", 1.0, resistance},
    {"S", 1.0, conductance},
    {"F", 1.0, capacitance},
    {"C", 1.0, charge},
    {"%", 1e-2, dimensionless},
    {"ppm", 1e-6, dimensionless},
    {"eV", 1.602176634e-19, energy},
    {"Wh", 3600.0, energy},
    {"cycles", 1.0, dimensionless},
}};

struct Prefix {
    std::string_view symbol;
    double scale;
};
constexpr std::array<Prefix, 14> kPrefixes{{
    {"a", 1e-18},
    {"f", 1e-15},
    {"p", 1e-12},
    {"n", 1e-9},
    {"u", 1e-6},
    {"µ", 1e-6},
    {"μ", 1e-6},
    {"m", 1e-3},
    {"c", 1e-2},
    {"k", 1e3},
    {"M", 1e6},
    {"G", 1e9},
    {"T", 1e12},
    {"P", 1e15},
}};

std::optional<UnitDef> lookup_plain(std::string_view s) {
    for (const auto& u : kUnits)
        if (u.symbol == s) return u;
    return std::nullopt;
}

std::optional<UnitDef> lookup(std::string_view s) {
    if (auto u = lookup_plain(s)) return u;
    for (const auto& p : kPrefixes) {
        if (s.size() > p.symbol.size() && s.substr(0, p.symbol.size()) == p.symbol) {
            auto base = lookup_plain(s.substr(p.symbol.size()));
            if (base && base->symbol != "%" && base->symbol != "ppm" && base->symbol != "cycles" &&
                base->symbol != "min" && base->symbol != "h" && base->symbol != "d" &&
                base->symbol != "y" && base->symbol != "yr")
                return UnitDef{s, p.scale * base->scale, base->dim};
        }
    }
    return std::nullopt;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// One factor: symbol with optional exponent ("m^2", "m2", "m²", "s^-1").
void apply_factor(std::string_view tok, int sign, double& scale, Dim& dim, std::string_view whole) {
    int exponent = 1;
    std::string_view sym = tok;
    if (auto caret = tok.find('^'); caret != std::string_view::npos) {
        sym = tok.substr(0, caret);
        auto ex = tok.substr(caret + 1);
        auto [ptr, ec] = std::from_chars(ex.data(), ex.data() + ex.size(), exponent);
        if (ec != std::errc{} || ptr != ex.data() + ex.size())
            throw UnitError(fmt::format("bad exponent '{}' in unit '{}'", ex, whole));
    } else if (tok.size() > 2 && tok.substr(tok.size() - 2) == "²") {
        sym = tok.substr(0, tok.size() - 2);
        exponent = 2;
    } else if (tok.size() > 2 && tok.substr(tok.size() - 2) == "³") {
        sym = tok.substr(0, tok.size() - 2);
        exponent = 3;
    } else if (tok.size() > 1 && (tok.back() == '2' || tok.back() == '3') && !lookup(tok)) {
        sym = tok.substr(0, tok.size() - 1);
        exponent = tok.back() - '0';
    }
    // Bounded exponents keep the int8 dimension arithmetic exact (no overflow, no wrap-around that
    // would make "m^128*m^128" dimensionless).
    if (exponent < -9 || exponent > 9)
        throw UnitError(fmt::format(
            "exponent {} in unit '{}' is out of range (at most 9 in magnitude)", exponent, whole));
    auto u = lookup(sym);
    if (!u) throw UnitError(fmt::format("unknown unit '{}' in '{}'", sym, whole));
    const Dim f = u->dim.pow(sign * exponent);
    for (std::size_t i = 0; i < dim.e.size(); ++i)
        if (std::abs(dim.e[i] + f.e[i]) > 30)
            throw UnitError(fmt::format("unit '{}' has an implausible dimension", whole));
    scale *= std::pow(u->scale, sign * exponent);
    dim = dim * f;
}

}  // namespace

std::vector<UnitSymbol> unit_symbols(Dim d) {
    std::vector<UnitSymbol> out;
    for (const auto& u : kUnits) {
        if (!(u.dim == d)) continue;
        const auto s = u.symbol;
        const bool plain = s == "%" || s == "ppm" || s == "cycles" || s == "min" || s == "h" ||
                           s == "d" || s == "y" || s == "yr";
        out.push_back({std::string(s), !plain});
    }
    return out;
}

std::vector<std::string> unit_prefixes() {
    std::vector<std::string> out;
    for (const auto& p : kPrefixes) out.emplace_back(p.symbol);
    return out;
}

Quantity parse(std::string_view text) {
    auto s = trim(text);
    if (s.empty()) throw UnitError("empty value, expected a number");
    // The number: strtod semantics, but no hex, inf or nan.
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t digits_start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (i == digits_start) throw UnitError(fmt::format("'{}' does not start with a number", s));
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        std::size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
        std::size_t exp_digits = j;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        if (j > exp_digits)
            i = j;  // otherwise 'e' is not an exponent (no unit starts with e, so it fails below)
    }
    std::string num(s.substr(0, i));
    double value = 0;
    {
        auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), value);
        if (ec == std::errc::result_out_of_range)
            throw UnitError(fmt::format("'{}' is out of range", num));
        if (ec != std::errc{} || ptr != num.data() + num.size())
            throw UnitError(fmt::format("'{}' is not a number", num));
    }
    Quantity q{value, dimensionless};
    auto unit = trim(s.substr(i));
    if (unit.empty()) return q;
    double scale = 1.0;
    Dim dim{};
    // Tokenise: '/' switches to the denominator (once), '*', '·', '.' or blanks separate factors.
    int sign = 1;
    std::string_view rest = unit;
    bool seen_slash = false;
    while (!rest.empty()) {
        std::size_t k = 0;
        while (k < rest.size() && rest[k] != '/' && rest[k] != '*' && rest[k] != ' ' &&
               rest[k] != '.' && rest.substr(k, 2) != "·")
            ++k;
        auto tok = rest.substr(0, k);
        if (!tok.empty()) apply_factor(tok, sign, scale, dim, unit);
        if (k >= rest.size()) break;
        if (rest[k] == '/') {
            if (seen_slash) throw UnitError(fmt::format("more than one '/' in unit '{}'", unit));
            if (tok.empty())
                throw UnitError(fmt::format("unit '{}' has '/' with nothing before it", unit));
            seen_slash = true;
            sign = -1;
            rest.remove_prefix(k + 1);
        } else if (rest.substr(k, 2) == "·") {
            rest.remove_prefix(k + 2);
        } else {
            rest.remove_prefix(k + 1);
        }
    }
    q.value = value * scale;
    q.dim = dim;
    if (!std::isfinite(q.value)) throw UnitError(fmt::format("'{}' is not a finite value", s));
    return q;
}

double parse_as(std::string_view text, Dim expected, bool bare_ok) {
    auto s = trim(text);
    auto q = parse(s);
    bool bare = true;
    for (char c : s)
        if (std::isalpha(static_cast<unsigned char>(c)) && c != 'e' && c != 'E') bare = false;
    if (s.find('%') != std::string_view::npos || s.find("Ω") != std::string_view::npos ||
        s.find("µ") != std::string_view::npos || s.find("μ") != std::string_view::npos)
        bare = false;
    if (q.dim == dimensionless && bare && !(expected == dimensionless)) {
        if (!bare_ok)
            throw UnitError(fmt::format("'{}' has no unit; write it with a unit of {} (e.g. '{}')",
                                        s, describe(expected), format_human(q.value, expected)));
        return q.value;
    }
    if (!(q.dim == expected))
        throw UnitError(fmt::format("'{}' is a {}, expected a {} ({})", s, describe(q.dim),
                                    describe(expected), si_symbol(expected)));
    return q.value;
}

namespace {
struct Named {
    Dim dim;
    std::string_view symbol;
    std::string_view name;
};
constexpr std::array<Named, 21> kNamed{{
    {dimensionless, "", "dimensionless number"},
    {length, "m", "length"},
    {mass, "kg", "mass"},
    {time, "s", "time"},
    {current, "A", "current"},
    {temperature, "K", "temperature"},
    {frequency, "Hz", "frequency"},
    {energy, "J", "energy"},
    {power, "W", "power"},
    {voltage, "V", "voltage"},
    {resistance, "Ohm", "resistance"},
    {conductance, "S", "conductance"},
    {charge, "C", "charge"},
    {capacitance, "F", "capacitance"},
    {area, "m^2", "area"},
    {capacitance_per_length, "F/m", "capacitance per length"},
    {capacitance_per_area, "F/m^2", "capacitance per area"},
    {current_per_length, "A/m", "current per width"},
    {resistivity, "Ohm*m", "resistivity"},
    {resistance_per_length, "Ohm/m", "resistance per length"},
    {energy / length, "J/m", "energy per length"},
}};
}  // namespace

std::string si_symbol(Dim d) {
    for (const auto& n : kNamed)
        if (n.dim == d) return std::string(n.symbol);
    static constexpr std::array<std::string_view, 5> base{"m", "kg", "s", "A", "K"};
    std::string out;
    for (std::size_t i = 0; i < base.size(); ++i) {
        if (d.e[i] == 0) continue;
        if (!out.empty()) out += ' ';
        out += base[i];
        if (d.e[i] != 1) out += fmt::format("^{}", d.e[i]);
    }
    return out;
}

std::string describe(Dim d) {
    for (const auto& n : kNamed)
        if (n.dim == d) return std::string(n.name);
    return "quantity in " + si_symbol(d);
}

std::string format_si(double value, Dim d) {
    auto sym = si_symbol(d);
    auto num = fmt::format("{}", value);  // shortest round-trip representation
    return sym.empty() ? num : num + " " + sym;
}

std::string format_human(double value, Dim d, int significant, bool unicode_micro) {
    auto sym = si_symbol(d);
    bool prefixable = !sym.empty() && sym.find_first_of("/^* ") == std::string::npos && sym != "kg";
    if (!prefixable || value == 0 || !std::isfinite(value)) {
        auto num = fmt::format("{:.{}g}", value, significant);
        return sym.empty() ? num : num + " " + sym;
    }
    if (const auto* p = print_prefix(std::fabs(value)))
        return fmt::format("{:.{}g} {}{}", value / p->factor, significant,
                           unicode_micro ? p->symbol : p->ascii, sym);
    return fmt::format("{:.{}g} {}", value, significant, sym);
}

}  // namespace synbench::units
