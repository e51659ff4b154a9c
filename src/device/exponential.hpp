// The exponential LTP/LTD model of the founding paper (NeuroSim Eq. 2–4):
//   G(x) = B (1 − e^(−x/A)) + Gmin,  B = (Gmax − Gmin) / (1 − e^(−Pmax/A)),  A = a · Pmax,
// one curve per direction on a position x in [0, Pmax] measured from the Gmin end. Before a pulse
// train the position is recovered from the present G with the inverse of that direction's curve.
// a = 0 is the linear limit (the `linear` model). Cycle-to-cycle noise N(0, σ·√|n|),
// σ = c2c · (Gmax − Gmin); device-to-device variation of NL, Gmin, Gmax (cell_array.hpp).
#pragma once

#include "device/model.hpp"

namespace synbench::device {

// One direction's curve, evaluated for a given range and A (A = 0: linear).
struct ExpCurve {
    double g_min = 0, g_max = 0, pmax = 1, A = 0;
    double B = 0;  // (g_max − g_min) / (1 − e^(−pmax/A)); the range when A = 0
    static ExpCurve make(double g_min, double g_max, double pmax, double A);
    double at(double x) const;        // G at position x (not clipped)
    double position(double g) const;  // inverse: x for G (clipped into [0, pmax])
};

class ExponentialModel final : public Model {
   public:
    explicit ExponentialModel(const Card& card);
    double ltp_curve(double x) const override;
    double ltd_curve(double x) const override;
    std::unique_ptr<Array> make_array(std::size_t cells, std::uint64_t seed,
                                      std::uint64_t array_id) const override;
    ExpCurve ltp() const { return ltp_; }
    ExpCurve ltd() const { return ltd_; }

   private:
    ExpCurve ltp_, ltd_;
};

}  // namespace synbench::device
