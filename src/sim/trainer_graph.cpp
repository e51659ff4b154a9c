// One training image of a layer-graph network (graph_net.hpp): forward through the arrays,
// back-propagation in floating point (nn/layer_math.hpp), the weight gradients (a conv layer's is
// the sum over its positions of patch ⊗ δ) into the trainer's gradient buffers; the update itself
// is the MLP's (update.cpp): Δw → pulses per cell, once per image or per batch.
#include <algorithm>
#include <cmath>

#include "sim/trainer.hpp"
#include "sim/trainer_layer.hpp"
#include "util/parallel.hpp"

namespace synbench::sim {

void Trainer::train_image_graph(std::size_t index, std::uint64_t event, EpochCounts& counts) {
    const auto& p = *plan_;
    const auto& g = p.graph;
    const auto views = layer_views();
    auto& a = gact_;
    graph_forward(cfg_, p, views, train_.row(index), train_.max_level(), a,
                  cfg_.hardware ? counts.train_read.data() : nullptr, event);

    const std::size_t nl = g.layers.size();
    const int label = train_.labels[index];
    a.dout.resize(nl);
    for (std::size_t l = 0; l < nl; ++l) a.dout[l].assign(g.layers[l].out.size(), 0.0);
    // The loss: cross-entropy after a softmax, else the reference's squared error (one-hot target).
    bool last_is_pre = false;
    {
        const auto& y = a.out[nl - 1];
        auto& d = a.dout[nl - 1];
        if (p.act[nl - 1] == nn::Act::softmax) {
            nn::softmax_xent_grad(y.data(), y.size(), label, d.data());
            last_is_pre = true;  // already the gradient of the softmax's input
        } else {
            for (std::size_t j = 0; j < y.size(); ++j)
                d[j] = -2.0 * ((static_cast<int>(j) == label ? 1.0 : 0.0) - y[j]);
        }
    }
    const int bs = ex_.network.training.batch_size;
    auto pass_down = [&](const nn::LayerSpec& L, std::size_t slot, const std::vector<double>& dx) {
        const int id = L.input_ids.at(slot);
        if (id < 0) return;
        auto& d = a.dout[static_cast<std::size_t>(id)];
        for (std::size_t i = 0; i < d.size(); ++i) d[i] += dx[i];
    };
    for (std::size_t l = nl; l-- > 0;) {
        const auto& L = g.layers[l];
        const auto& dout = a.dout[l];
        const std::size_t n = L.out.size();
        switch (L.kind) {
            case nn::LayerKind::dense:
            case nn::LayerKind::conv2d: {
                const auto w = static_cast<std::size_t>(p.weight_index[l]);
                auto& Lw = *layers_[w];
                a.dpre.resize(n);
                if (l + 1 == nl && last_is_pre)
                    a.dpre = dout;
                else
                    nn::activate_backward(p.act[l], a.pre[l].data(), a.out[l].data(), dout.data(),
                                          a.dpre.data(), n);
                if (clipped_output(cfg_, p, l))
                    for (std::size_t j = 0; j < n; ++j)
                        if (a.pre[l][j] > 1) a.dpre[j] = 0;
                const bool below = L.input_ids[0] >= 0;
                a.dx.resize(L.in.size());
                auto& grad = grad_[w];
                const double* xin = input_values(a, L).data();
                double* dx = below ? a.dx.data() : nullptr;
                if (a.parallel_positions && L.kind == nn::LayerKind::conv2d && L.in.channels > 1) {
                    // One input channel per task: disjoint rows of dw and planes of dx, the same
                    // sums as one call (nn::conv_backward_channels).
                    util::parallel_each(
                        static_cast<std::size_t>(L.in.channels), [&](std::size_t c) {
                            const int ci = static_cast<int>(c);
                            nn::conv_backward_channels(L, xin, Lw.w.data(), a.dpre.data(),
                                                       grad.data(), dx, ci, ci + 1);
                        });
                } else {
                    nn::weight_backward(L, xin, Lw.w.data(), a.dpre.data(), grad.data(), dx);
                }
                // Rows with a non-zero gradient (the update skips the others with batch 1 / SGD).
                auto& rx = rowx_[w];
                for (std::size_t i = 0; i < Lw.n_in; ++i) {
                    const double* gr = grad.data() + i * Lw.n_out;
                    rx[i] = std::any_of(gr, gr + Lw.n_out, [](double v) { return v != 0; }) ? 1 : 0;
                }
                if (bs > 1) {
                    for (std::size_t i = 0; i < Lw.n_in; ++i) {
                        if (rx[i] == 0) continue;
                        counts.write[w].accumulated_rows += 1;
                        const double* gr = grad.data() + i * Lw.n_out;
                        double* acc = Lw.grad_acc.data() + i * Lw.n_out;
                        for (std::size_t j = 0; j < Lw.n_out; ++j) acc[j] += gr[j];
                    }
                }
                if (!below) break;
                // The error propagated down through the array (transposed read), per position.
                if (cfg_.hardware) {
                    const auto col_g = column_conductance(w);
                    const std::size_t P = L.positions(), cols = Lw.n_out;
                    a.pos_delta.resize(cols);
                    for (std::size_t pos = 0; pos < P; ++pos) {
                        for (std::size_t j = 0; j < cols; ++j) a.pos_delta[j] = a.dpre[j * P + pos];
                        count_backward(w, a.pos_delta.data(), col_g, counts.backward[w]);
                    }
                }
                pass_down(L, 0, a.dx);
                break;
            }
            case nn::LayerKind::max_pool:
            case nn::LayerKind::avg_pool:
                a.dx.resize(L.in.size());
                nn::pool_backward(L, a.argmax[l].data(), dout.data(), a.dx.data());
                pass_down(L, 0, a.dx);
                break;
            case nn::LayerKind::flatten:
                pass_down(L, 0, dout);
                break;
            case nn::LayerKind::activation:
                a.dx.resize(n);
                nn::activate_backward(p.act[l], a.pre[l].data(), a.out[l].data(), dout.data(),
                                      a.dx.data(), n);
                if (clipped_output(cfg_, p, l))
                    for (std::size_t j = 0; j < n; ++j)
                        if (a.pre[l][j] > 1) a.dx[j] = 0;
                pass_down(L, 0, a.dx);
                break;
            case nn::LayerKind::add:
                pass_down(L, 0, dout);
                pass_down(L, 1, dout);
                break;
            case nn::LayerKind::batch_norm:
                break;  // refused by plan_of
        }
    }
}

}  // namespace synbench::sim
