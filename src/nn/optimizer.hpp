// Optimizers: per-weight update rules on flat weight vectors, one state block per weight layer.
//
//   sgd       Δw = −η g
//   momentum  v ← γ v + (1 − γ) g;                 Δw = −η v        (exponential-average form)
//   adagrad   s ← s + g²;                          Δw = −η g / (√s + ε)
//   rmsprop   s ← ρ s + (1 − ρ) g²;                Δw = −η g / (√s + ε)
//   adam      m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²;
//             Δw = −η m̂ / (√v̂ + ε), m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t)
//   adadelta  s ← ρ s + (1 − ρ) g²; Δx = −√(d + ε)/√(s + ε) · g; d ← ρ d + (1 − ρ) Δx²; Δw = η Δx
// `t` counts the optimizer steps taken so far (1 for the first).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "nn/network_card.hpp"

namespace synbench::nn {

// State words the optimizer keeps per weight (the vectors above): sgd 0; momentum, adagrad,
// rmsprop 1; adam, adadelta 2. The one declaration behind the memory estimate and the circuit
// model's optimizer-state memory. Unknown names are rejected when the card is read.
inline int state_words(const std::string& optimizer) {
    return optimizer == "sgd" ? 0 : (optimizer == "adam" || optimizer == "adadelta") ? 2 : 1;
}

class Optimizer {
   public:
    Optimizer(const OptimizerSpec& spec, const std::vector<std::size_t>& layer_sizes);
    // Writes the weight change of weights [offset, offset + n) of layer `layer` from their
    // gradient. `t` ≥ 1.
    void step(std::size_t layer, std::size_t offset, const double* grad, double* dw, std::size_t n,
              long t);
    // True when a zero gradient always gives a zero change (lets callers skip work).
    bool sparse_safe() const { return kind_ == Kind::sgd; }
    const OptimizerSpec& spec() const { return spec_; }
    // State for checkpoints: every vector of every layer, in a fixed order.
    std::vector<std::vector<double>*> state();

   private:
    enum class Kind { sgd, momentum, adagrad, rmsprop, adam, adadelta };
    OptimizerSpec spec_;
    Kind kind_;
    std::vector<std::vector<double>> a_, b_;  // per layer: first and second state vectors
};

}  // namespace synbench::nn
