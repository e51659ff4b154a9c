// The nonlinearity label NL of a device card and the normalized curve constant a = A / Pmax.
//
// For the normalized curve g(x) = (1 − e^(−x/a)) / (1 − e^(−1/a)) on x in [0, 1], the largest
// deviation from the straight line g = x is 0.099 · NL (shared/reference/devices.md). The maximum
// sits where g'(x) = 1, i.e. x* = −a · ln(a · (1 − e^(−1/a))), so NL(a) has a closed form; its
// inverse is found by bisection. A negative a mirrors the curve (g_(−a)(x) = 1 − g_a(1 − x)), so
// NL(−a) = −NL(a). a = 0 stands for the linear limit (NL = 0).
#pragma once

#include <filesystem>
#include <vector>

namespace synbench::device {

// Largest signed deviation of the normalized curve from the diagonal.
double max_deviation(double a);
// NL label of a normalized a (0 for a = 0).
double nl_from_normalized_a(double a);
// Normalized a of an NL label, by bisection on the closed form; |NL| must be below 10.1.
double normalized_a_from_nl(double nl);

// The published look-up table (data/nl_to_normalized_A.csv): label → a, interpolated linearly
// between rows; negative labels give negative a. Out-of-table labels throw std::out_of_range.
struct NlTable {
    std::vector<double> nl, a;
    static NlTable load(const std::filesystem::path& csv);
    double lookup(double nl_label) const;
};

}  // namespace synbench::device
