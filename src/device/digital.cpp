// Digital weight (SRAM, STT-MRAM, digital NVM): the weight is an integer level k in [0, L],
// L = 2^bits − 1, stored across ceil(bits / bits_per_cell) cells. It is presented to the trainer
// as the conductance G = Gmin + k (Gmax − Gmin) / L, so a weight linear in G is linear in k; one
// "pulse" is one LSB step, exact, without noise (the card rejects analog non-idealities).
#include <algorithm>
#include <cmath>

#include "device/cell_array.hpp"
#include "device/variants.hpp"

namespace synbench::device {

namespace {

struct DigitalRule {
    struct Cell {
        double g_min, g_max;
    };
    int levels;  // L

    Cell cell(double lo, double hi, util::Rng*) const { return {lo, hi}; }
    bool varies() const { return false; }
    long level(const Cell& c, double g) const {
        return std::lround((g - c.g_min) / (c.g_max - c.g_min) * levels);
    }
    double at(const Cell& c, long k) const {
        k = std::clamp(k, 0L, static_cast<long>(levels));
        return c.g_min + (c.g_max - c.g_min) * static_cast<double>(k) / levels;
    }
    double update(const Cell& c, double g, int pulses, util::Rng&) const {
        return at(c, level(c, g) + pulses);
    }
    double snap(const Cell& c, double g) const { return at(c, level(c, g)); }
};

class DigitalModel final : public Model {
   public:
    explicit DigitalModel(const Card& c) : Model(c), rule_{c.ltp.levels} {}
    double ltp_curve(double x) const override { return grid(x); }
    double ltd_curve(double x) const override { return grid(rule_.levels - x); }
    std::unique_ptr<Array> make_array(std::size_t cells, std::uint64_t seed,
                                      std::uint64_t array_id) const override {
        return std::make_unique<detail::CellArray<DigitalRule>>(
            rule_, detail::Nonideal::from(card_), card_.g_min, card_.g_max, cells, seed, array_id);
    }

   private:
    double grid(double x) const {
        return card_.g_min + (card_.g_max - card_.g_min) *
                                 std::clamp(x, 0.0, static_cast<double>(rule_.levels)) /
                                 rule_.levels;
    }
    DigitalRule rule_;
};

}  // namespace

std::unique_ptr<Model> make_digital_model(const Card& card) {
    return std::make_unique<DigitalModel>(card);
}

}  // namespace synbench::device
