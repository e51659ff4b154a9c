// Internal to the trainer (trainer.cpp, update.cpp): one weight layer's state.
#pragma once

#include <memory>
#include <vector>

#include "device/model.hpp"
#include "sim/trainer.hpp"

namespace synbench::sim {

struct Trainer::Layer {
    std::size_t n_in = 0, n_out = 0;
    std::unique_ptr<device::Array> pos, neg;
    std::vector<double> w, grad_acc;
    // Half-select disturb bookkeeping of the current update: per array (G, G⁻) the LTP and LTD
    // pulses each cell received, and per row the LTP and LTD pulse slots its write took.
    std::vector<std::vector<int>> up, down;
    std::vector<int> row_up, row_down;
};

}  // namespace synbench::sim
