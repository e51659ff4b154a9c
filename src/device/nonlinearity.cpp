#include "device/nonlinearity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "util/files.hpp"

namespace synbench::device {

namespace {
constexpr double kDeviationPerNl =
    0.099;  // shared/reference/devices.md: max deviation = 0.099 · NL
}

double max_deviation(double a) {
    if (a == 0) return 0;
    if (a < 0) return -max_deviation(-a);
    // Large a: g(x) ≈ x + x(1 − x)/(2a); the maximum is 1/(8a). Avoid cancellation.
    if (a > 1e3) return 1.0 / (8.0 * a);
    double denom = -std::expm1(-1.0 / a);  // 1 − e^(−1/a)
    double xs = -a * std::log(a * denom);
    xs = std::clamp(xs, 0.0, 1.0);
    double g = -std::expm1(-xs / a) / denom;
    return g - xs;
}

double nl_from_normalized_a(double a) { return max_deviation(a) / kDeviationPerNl; }

double normalized_a_from_nl(double nl) {
    if (nl == 0) return 0;
    if (!std::isfinite(nl) || std::abs(nl) * kDeviationPerNl >= 1.0)
        throw std::out_of_range(
            fmt::format("nonlinearity label {} is outside what the curve can reach (|NL| < {:.2f})",
                        nl, 1.0 / kDeviationPerNl));
    double target = std::abs(nl) * kDeviationPerNl;
    // max_deviation decreases monotonically in a > 0.
    double lo = std::log(1e-6), hi = std::log(1e9);
    for (int i = 0; i < 64;
         ++i) {  // the bracket spans ~35 in log a: 64 halvings reach double precision
        double mid = 0.5 * (lo + hi);
        if (max_deviation(std::exp(mid)) > target)
            lo = mid;
        else
            hi = mid;
    }
    double a = std::exp(0.5 * (lo + hi));
    return nl > 0 ? a : -a;
}

NlTable NlTable::load(const std::filesystem::path& csv) {
    std::istringstream in(util::read_file(csv));
    std::string line;
    NlTable t;
    int lineno = 0;
    bool header = false;
    auto bad = [&](const std::string& what) {
        return std::runtime_error(fmt::format("{}:{}: {}", csv.string(), lineno, what));
    };
    while (std::getline(in, line)) {
        ++lineno;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;  // comments name the table's source
        if (!header) {
            if (line != "nonlinearity_label,normalized_A")
                throw bad("expected the header 'nonlinearity_label,normalized_A'");
            header = true;
            continue;
        }
        auto comma = line.find(',');
        if (comma == std::string::npos) throw bad("expected 'label,a'");
        try {
            std::size_t used = 0;
            t.nl.push_back(std::stod(line.substr(0, comma), &used));
            t.a.push_back(std::stod(line.substr(comma + 1), &used));
        } catch (const std::logic_error&) {
            throw bad(fmt::format("'{}' is not two numbers", line));
        }
        if (t.nl.size() > 1 && !(t.nl.back() > t.nl[t.nl.size() - 2]))
            throw bad("labels must increase from row to row");
    }
    if (t.nl.size() < 2) throw bad("the table needs at least two rows");
    return t;
}

double NlTable::lookup(double label) const {
    double x = std::abs(label);
    if (nl.empty() || x < nl.front() || x > nl.back())
        throw std::out_of_range(fmt::format("NL label {} is outside the table", label));
    auto it = std::upper_bound(nl.begin(), nl.end(), x);
    std::size_t i = it == nl.begin() ? 0 : static_cast<std::size_t>(it - nl.begin()) - 1;
    double v = a[i];
    if (i + 1 < nl.size() && nl[i + 1] != nl[i])
        v += (a[i + 1] - a[i]) * (x - nl[i]) / (nl[i + 1] - nl[i]);
    return label < 0 ? -v : v;
}

}  // namespace synbench::device
