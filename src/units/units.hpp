// Quantities with units: parse "300 us", "26 MOhm", "0.2 fF/um" into SI values and format them
// back.
//
// A dimension is a vector of exponents over the SI base units (m, kg, s, A, K). Every unit symbol
// the parser knows maps to a scale factor and a dimension, so compound units ("uA/um", "Ohm*m",
// "F/m^2") need no table of their own: their dimension is computed and compared with the one the
// schema expects.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>
#include <string_view>

namespace synbench::units {

struct Dim {
    std::array<std::int8_t, 5> e{};  // exponents of m, kg, s, A, K
    friend constexpr bool operator==(const Dim&, const Dim&) = default;
    constexpr Dim operator*(const Dim& o) const {
        Dim r;
        for (std::size_t i = 0; i < e.size(); ++i) r.e[i] = static_cast<std::int8_t>(e[i] + o.e[i]);
        return r;
    }
    constexpr Dim operator/(const Dim& o) const {
        Dim r;
        for (std::size_t i = 0; i < e.size(); ++i) r.e[i] = static_cast<std::int8_t>(e[i] - o.e[i]);
        return r;
    }
    constexpr Dim pow(int p) const {
        Dim r;
        for (std::size_t i = 0; i < e.size(); ++i) r.e[i] = static_cast<std::int8_t>(e[i] * p);
        return r;
    }
};

// Named dimensions used by the cards.
inline constexpr Dim dimensionless{};
inline constexpr Dim length{{1, 0, 0, 0, 0}};
inline constexpr Dim mass{{0, 1, 0, 0, 0}};
inline constexpr Dim time{{0, 0, 1, 0, 0}};
inline constexpr Dim current{{0, 0, 0, 1, 0}};
inline constexpr Dim temperature{{0, 0, 0, 0, 1}};
inline constexpr Dim frequency = dimensionless / time;
inline constexpr Dim energy = mass * length.pow(2) / time.pow(2);
inline constexpr Dim power = energy / time;
inline constexpr Dim voltage = power / current;
inline constexpr Dim resistance = voltage / current;
inline constexpr Dim conductance = current / voltage;
inline constexpr Dim charge = current * time;
inline constexpr Dim capacitance = charge / voltage;
inline constexpr Dim area = length.pow(2);
inline constexpr Dim capacitance_per_length = capacitance / length;
inline constexpr Dim capacitance_per_area = capacitance / area;
inline constexpr Dim current_per_length = current / length;
inline constexpr Dim resistivity = resistance * length;
inline constexpr Dim resistance_per_length = resistance / length;

struct Quantity {
    double value = 0;  // SI
    Dim dim;
};

// Thrown for text that is not a number with a known unit; the message says what is wrong, the
// caller (config) adds file, line and field.
class UnitError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

// Parses "<number> [unit expression]". A bare number is dimensionless.
Quantity parse(std::string_view text);

// Parses and checks the dimension. A bare number is accepted only when `bare_ok` (the schema then
// states the unit the number is in, which is the SI unit of `expected`).
double parse_as(std::string_view text, Dim expected, bool bare_ok = false);

// "V", "Ohm", "F/m", "kg m^2 s^-3" ... the SI unit of a dimension.
std::string si_symbol(Dim d);
// "voltage", "resistance", ... or the SI symbol when the dimension has no common name.
std::string describe(Dim d);
// A value in SI formatted with its SI unit, exactly round-trippable ("0.0003 s").
std::string format_si(double value, Dim d);
// The engineering prefixes a value is printed with, largest first: the factor, its ASCII spelling
// (messages, cards: "us") and its symbol in reports ("µs"). The one such table (parsing accepts
// more spellings, units.cpp).
struct PrintPrefix {
    double factor;
    std::string_view ascii, symbol;
};
inline constexpr std::array<PrintPrefix, 11> kPrintPrefixes{{
    {1e12, "T", "T"},
    {1e9, "G", "G"},
    {1e6, "M", "M"},
    {1e3, "k", "k"},
    {1, "", ""},
    {1e-3, "m", "m"},
    {1e-6, "u", "µ"},
    {1e-9, "n", "n"},
    {1e-12, "p", "p"},
    {1e-15, "f", "f"},
    {1e-18, "a", "a"},
}};
// The prefix to print a value of magnitude `abs_value` with: the largest whose factor is not above
// it (to 1e-7 relative); nullptr below atto.
inline const PrintPrefix* print_prefix(double abs_value) {
    for (const auto& p : kPrintPrefixes)
        if (abs_value >= p.factor * 0.9999999) return &p;
    return nullptr;
}

// A value with an engineering prefix for humans ("300 us", "26 MOhm"); `unicode_micro` writes the
// micro prefix as "µ" (reports) instead of "u".
std::string format_human(double value, Dim d, int significant = 4, bool unicode_micro = false);

// The unit symbols of exactly this dimension ("V"; "Ohm", "ohm", "Ω"), each with whether SI
// prefixes apply to it, and the prefixes: what a card may write after a number of this dimension
// without composing units (the JSON Schema's pattern for a quantity).
struct UnitSymbol {
    std::string symbol;
    bool prefixable;
};
std::vector<UnitSymbol> unit_symbols(Dim d);
std::vector<std::string> unit_prefixes();

}  // namespace synbench::units
