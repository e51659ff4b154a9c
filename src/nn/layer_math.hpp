// The mathematics of the graph's layers for one image (issue 15): forward and backward of dense,
// conv2d (im2col), max/avg pooling, activations, softmax with cross-entropy, residual add and the
// per-channel scale/shift of an inference batch norm. No hardware knowledge (../shared/DESIGN.md):
// the simulator reads weight layers through its arrays and calls these for everything else and for
// back-propagation. Deterministic (fixed loop order, no threads).
//
// Layout: every tensor is channel-major (C × H × W, row-major planes), as the data sets store
// images; a dense layer's input is that tensor flattened. The weight matrix of a layer is the one
// mapped onto arrays, row-major rows × cols (LayerSpec::weight_rows/weight_cols): for conv2d row
// r = (c·k + ky)·k + kx (input channel c, kernel offset ky, kx), column = output channel; output
// element (co, oy, ox) = Σ_r patch(oy, ox)[r] · w[r][co], patch = the zero-padded window.
#pragma once

#include <algorithm>

#include <cstddef>
#include <string>
#include <vector>

#include "nn/layer_graph.hpp"

namespace synbench::nn {

enum class Act { none, sigmoid, tanh, relu, softmax };
// "none" | "sigmoid" | "tanh" | "relu" | "softmax"; std::invalid_argument naming it otherwise.
Act act_of(const std::string& name);

// y = f(x) element-wise (softmax over the whole vector, max-subtracted).
void activate(Act a, const double* x, double* y, std::size_t n);
// dx = dy · f'(x) element-wise from y = f(x) (not for softmax: use softmax_xent_grad).
void activate_backward(Act a, const double* x, const double* y, const double* dy, double* dx,
                       std::size_t n);
// Cross-entropy −log p[label] of probabilities p, and its gradient w.r.t. the softmax's input:
// p − onehot(label).
double cross_entropy(const double* p, std::size_t n, int label);
void softmax_xent_grad(const double* p, std::size_t n, int label, double* dx);

// The im2col patch of conv layer L at output position (oy, ox): weight_rows() values, zero where
// the window covers padding. T = double (values) or std::uint8_t (levels).
template <class T>
void conv_patch(const LayerSpec& L, const T* x, int oy, int ox, T* patch) {
    const int k = L.kernel, H = L.in.height, W = L.in.width;
    const int y0 = oy * L.stride - L.padding, x0 = ox * L.stride - L.padding;
    std::size_t r = 0;
    for (int c = 0; c < L.in.channels; ++c)
        for (int ky = 0; ky < k; ++ky) {
            const int yy = y0 + ky;
            if (yy >= 0 && yy < H && x0 >= 0 && x0 + k <= W) {  // the window row inside: a copy
                const T* src = x + (static_cast<std::size_t>(c) * H + yy) * W + x0;
                std::copy(src, src + k, patch + r);
                r += static_cast<std::size_t>(k);
                continue;
            }
            for (int kx = 0; kx < k; ++kx, ++r) {
                const int xx = x0 + kx;
                patch[r] = (yy < 0 || yy >= H || xx < 0 || xx >= W)
                               ? T(0)
                               : x[(static_cast<std::size_t>(c) * H + yy) * W + xx];
            }
        }
}

// Weight layers (dense or conv2d) in software: out = x · w (out: out.size() values, C×H×W).
void weight_forward(const LayerSpec& L, const double* x, const double* w, double* out);
// Back-propagation through a weight layer: dw (rows × cols) = Σ_positions patchᵀ · dout (SET, not
// added); dx (in.size()) = the gradient w.r.t. the input (null: not needed). `patch` is scratch.
void weight_backward(const LayerSpec& L, const double* x, const double* w, const double* dout,
                     double* dw, double* dx);
// The part of a conv2d layer's weight_backward that belongs to input channels [c0, c1): the rows
// of dw of those channels and dx of those channels, each sum formed in the same order as by
// weight_backward (bit-identical), so disjoint channel ranges can run in parallel.
void conv_backward_channels(const LayerSpec& L, const double* x, const double* w,
                            const double* dout, double* dw, double* dx, int c0, int c1);

// Pooling (max_pool: the first maximum of the window wins; avg_pool: the mean). `argmax`
// (out.size() indices into x) is filled by max_pool and read by its backward; null for avg_pool.
void pool_forward(const LayerSpec& L, const double* x, double* out, std::size_t* argmax);
// dx (in.size(), SET) from dout.
void pool_backward(const LayerSpec& L, const std::size_t* argmax, const double* dout, double* dx);

// Residual add: out = a + b (backward: both inputs receive dout).
void add_forward(const double* a, const double* b, double* out, std::size_t n);

// Inference batch norm folded to a per-channel scale and shift: out[c,·] = scale[c]·x + shift[c],
// with scale = γ/√(σ² + ε), shift = β − μ·scale (fold_batch_norm).
void batch_norm_forward(const Shape& s, const double* scale, const double* shift, const double* x,
                        double* out);
void batch_norm_backward(const Shape& s, const double* scale, const double* dout, double* dx);
void fold_batch_norm(const std::vector<double>& gamma, const std::vector<double>& beta,
                     const std::vector<double>& mean, const std::vector<double>& var, double eps,
                     std::vector<double>& scale, std::vector<double>& shift);

}  // namespace synbench::nn
