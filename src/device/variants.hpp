// Factories of the device models other than the exponential one (one .cpp per model). The
// registry (registry.cpp) is the only caller; everything else goes through make_model().
#pragma once

#include <memory>

#include "device/model.hpp"

namespace synbench::device {

// Soft bounds: each pulse moves G by a fixed fraction α of its distance to the bound it moves
// towards, α = 2 / levels (so a pulse at mid-range moves G by (Gmax − Gmin) / levels).
std::unique_ptr<Model> make_soft_bounds_model(const Card& card);
// Measured look-up table: mean ΔG per pulse as a function of G, with its spread.
std::unique_ptr<Model> make_lookup_model(const Card& card);
// Digital weight: 2^bits − 1 equal steps between g_min and g_max, one step per pulse, no noise.
std::unique_ptr<Model> make_digital_model(const Card& card);

}  // namespace synbench::device
