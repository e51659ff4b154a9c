// The figure of a device fit (`synbench device fit --figure FILE.svg`): the measured conductance
// after each pulse with the fitted card's curve over it, and the residuals (measured − fitted) in
// a second panel below. Drawn with report/svg's line charts (two panels stacked in one SVG).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace synbench::report {

struct FitFigureData {
    std::string title;                     // e.g. "ag-asi: fitted card over jo2010.csv"
    std::vector<double> ltp_pulse, ltp_g;  // measured points (pulse, S) of the LTP sweeps
    std::vector<double> ltd_pulse, ltd_g;  // ... and of the LTD sweeps
    int ltp_levels = 0, ltd_levels = 0;    // Pmax of each direction (the x axis: LTP pulses 0 …
                                           // Pmax_LTP, then LTD pulses after them)
    std::function<double(double)> ltp_curve, ltd_curve;  // the fitted G(pulse), S
};

// At most this many measured points per direction are drawn (evenly strided; the figure says so)
// so that the SVG stays small for data sets of 10^5 points.
inline constexpr std::size_t kFitFigureMaxPoints = 1500;

// The SVG document (two panels: "fit" and "fit-residuals").
std::string fit_figure(const FitFigureData& d);

}  // namespace synbench::report
