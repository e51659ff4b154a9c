// The online-learning engine: an MLP whose weights live in simulated device arrays.
//
// One image at a time (batch 1 as in the reference, or larger batches): forward through the
// arrays (forward.hpp), back-propagation in floating point, the optimizer's Δw turned into
// programming pulses (round(Δw/2 · Pmax), or stochastic rounding), applied through the device
// model, and every read and write counted for the accountant. Random numbers are counter-based and
// keyed by (seed, what, where, which image), so results do not depend on threads or timing.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <vector>

#include "circuit/cost.hpp"
#include "device/model.hpp"
#include "nn/dataset.hpp"
#include "nn/optimizer.hpp"
#include "sim/accountant.hpp"
#include "sim/experiment.hpp"
#include "sim/forward.hpp"
#include "sim/graph_net.hpp"
#include "sim/program.hpp"

namespace synbench::sim {

// A frozen copy of the weights (arrays or software weights) to classify the test set on.
struct Snapshot {
    ForwardConfig cfg;
    std::vector<std::size_t> n_in, n_out;
    std::vector<std::unique_ptr<device::Array>> pos, neg;
    std::vector<std::vector<double>> w;
    std::shared_ptr<const GraphPlan> plan;  // a layer-graph network; null = the MLP
    std::vector<LayerView> views() const;
};

struct TestResult {
    std::size_t correct = 0, images = 0;
    std::vector<ReadCounts> reads;
    double accuracy_percent() const {
        return images ? 100.0 * static_cast<double>(correct) / static_cast<double>(images) : 0;
    }
};

// Classifies the first `n` test images (0 = all). Parallel over fixed chunks when `parallel`; the
// result (including the floating-point sums) is the same either way.
TestResult evaluate(const Snapshot& s, const nn::Dataset& test, std::size_t n, bool parallel,
                    std::uint64_t seed);

class Trainer {
   public:
    Trainer(const Experiment& ex, const nn::Dataset& train);
    ~Trainer();

    // Trains one epoch (0-based index) and adds its activity to `counts`. `parallel` lets the
    // weight update use more than one thread (same results).
    void train_epoch(int epoch, EpochCounts& counts, bool parallel);
    Snapshot snapshot() const;

    // Programming pulses per cell so far (both arrays of a pair counted per cell).
    const std::vector<std::vector<std::uint32_t>>& cycles() const { return cycles_; }
    // Throws std::runtime_error naming the layer and cell if a weight or conductance is not finite.
    void check_finite(int epoch) const;

    void save(std::ostream& out) const;
    void load(std::istream& in);

   private:
    struct Layer;
    class LayerUpdate;  // update.cpp
    void train_image(std::size_t index, std::uint64_t event, EpochCounts& counts, bool parallel,
                     bool flush);
    void apply_updates(std::uint64_t event, EpochCounts& counts, bool parallel);
    void apply_half_select(Layer& L, std::size_t l, WriteCounts& wc);
    // The logical weight cell c of weight layer l (L) holds: its conductance(s) in units of a
    // full-scale cell times the layer's weight scale.
    double cell_weight(const Layer& L, std::size_t l, std::size_t c) const;
    static UpdatePolicy choose_update(const Experiment& ex, const ForwardConfig& cfg,
                                      const nn::Optimizer& opt);
    void count_backward(std::size_t l, BackwardCounts& b) const;
    // The transposed read of error vector dn through weight layer l (column conductances col_g).
    void count_backward(std::size_t l, const double* dn, const std::vector<double>& col_g,
                        BackwardCounts& b) const;
    std::vector<double> column_conductance(std::size_t l) const;
    // Layer graphs (trainer_graph.cpp): forward, back-propagation, gradients of one image.
    void train_image_graph(std::size_t index, std::uint64_t event, EpochCounts& counts);
    std::vector<LayerView> layer_views() const;
    // The input the update's zero-row skip looks at: the MLP's layer input, a graph's per-row
    // activity (non-zero when the row's gradient is).
    const std::vector<double>& row_inputs(std::size_t l) const {
        return plan_ ? rowx_[l] : act_.value[l];
    }

    const Experiment& ex_;
    const nn::Dataset& train_;
    ForwardConfig cfg_;
    std::unique_ptr<device::Model> model_;
    std::vector<std::unique_ptr<Layer>> layers_;
    nn::Optimizer opt_;
    UpdatePolicy update_;
    long steps_ = 0;
    int batch_fill_ = 0;
    Activations act_;
    std::vector<std::vector<double>> delta_, grad_, dw_;
    std::vector<std::vector<std::uint32_t>> cycles_;
    std::shared_ptr<const GraphPlan> plan_;  // null: the MLP path
    GraphActs gact_;
    std::vector<std::vector<double>> rowx_;
};

}  // namespace synbench::sim
