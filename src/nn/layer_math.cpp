#include "nn/layer_math.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace synbench::nn {

Act act_of(const std::string& s) {
    if (s == "none") return Act::none;
    if (s == "sigmoid") return Act::sigmoid;
    if (s == "tanh") return Act::tanh;
    if (s == "relu") return Act::relu;
    if (s == "softmax") return Act::softmax;
    throw std::invalid_argument("activation '" + s +
                                "': expected none, sigmoid, tanh, relu or softmax");
}

void activate(Act a, const double* x, double* y, std::size_t n) {
    switch (a) {
        case Act::none:
            std::copy(x, x + n, y);
            return;
        case Act::sigmoid:
            for (std::size_t i = 0; i < n; ++i) y[i] = 1.0 / (1.0 + std::exp(-x[i]));
            return;
        case Act::tanh:
            for (std::size_t i = 0; i < n; ++i) y[i] = std::tanh(x[i]);
            return;
        case Act::relu:
            for (std::size_t i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : 0.0;
            return;
        case Act::softmax: {
            if (n == 0) return;
            const double m = *std::max_element(x, x + n);
            double s = 0;
            for (std::size_t i = 0; i < n; ++i) s += y[i] = std::exp(x[i] - m);
            for (std::size_t i = 0; i < n; ++i) y[i] /= s;
            return;
        }
    }
}

void activate_backward(Act a, const double* x, const double* y, const double* dy, double* dx,
                       std::size_t n) {
    switch (a) {
        case Act::none:
            std::copy(dy, dy + n, dx);
            return;
        case Act::sigmoid:
            for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * y[i] * (1 - y[i]);
            return;
        case Act::tanh:
            for (std::size_t i = 0; i < n; ++i) dx[i] = dy[i] * (1 - y[i] * y[i]);
            return;
        case Act::relu:
            for (std::size_t i = 0; i < n; ++i) dx[i] = x[i] > 0 ? dy[i] : 0.0;
            return;
        case Act::softmax:
            throw std::logic_error("softmax backward: use softmax_xent_grad");
    }
}

double cross_entropy(const double* p, std::size_t n, int label) {
    (void)n;
    return -std::log(std::max(p[label], 1e-300));
}

void softmax_xent_grad(const double* p, std::size_t n, int label, double* dx) {
    for (std::size_t i = 0; i < n; ++i) dx[i] = p[i] - (static_cast<int>(i) == label ? 1.0 : 0.0);
}

void weight_forward(const LayerSpec& L, const double* x, const double* w, double* out) {
    const std::size_t rows = L.weight_rows(), cols = L.weight_cols();
    if (L.kind == LayerKind::dense) {
        std::fill(out, out + cols, 0.0);
        for (std::size_t i = 0; i < rows; ++i) {
            if (x[i] == 0) continue;
            const double* row = w + i * cols;
            for (std::size_t j = 0; j < cols; ++j) out[j] += x[i] * row[j];
        }
        return;
    }
    const std::size_t P = L.positions();
    std::vector<double> patch(rows), acc(cols);
    for (int oy = 0; oy < L.out.height; ++oy)
        for (int ox = 0; ox < L.out.width; ++ox) {
            conv_patch(L, x, oy, ox, patch.data());
            std::fill(acc.begin(), acc.end(), 0.0);
            for (std::size_t i = 0; i < rows; ++i) {
                if (patch[i] == 0) continue;
                const double* row = w + i * cols;
                for (std::size_t j = 0; j < cols; ++j) acc[j] += patch[i] * row[j];
            }
            const std::size_t p = static_cast<std::size_t>(oy) * L.out.width + ox;
            for (std::size_t j = 0; j < cols; ++j) out[j * P + p] = acc[j];
        }
}

namespace {

// s[r] = Σ_j w[r·cols + j]·d[j] for every r < rows, each sum formed from 0 in ascending j (as a
// row-by-row dot product forms it, so bit-identical to it), four rows at a time for independent
// dependency chains.
void row_dots(const double* w, std::size_t rows, std::size_t cols, const double* d, double* s) {
    std::size_t r = 0;
    for (; r + 4 <= rows; r += 4) {
        const double *w0 = w + r * cols, *w1 = w0 + cols, *w2 = w1 + cols, *w3 = w2 + cols;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (std::size_t j = 0; j < cols; ++j) {
            s0 += w0[j] * d[j];
            s1 += w1[j] * d[j];
            s2 += w2[j] * d[j];
            s3 += w3[j] * d[j];
        }
        s[r] = s0;
        s[r + 1] = s1;
        s[r + 2] = s2;
        s[r + 3] = s3;
    }
    for (; r < rows; ++r) {
        const double* row = w + r * cols;
        double t = 0;
        for (std::size_t j = 0; j < cols; ++j) t += row[j] * d[j];
        s[r] = t;
    }
}

}  // namespace

void weight_backward(const LayerSpec& L, const double* x, const double* w, const double* dout,
                     double* dw, double* dx) {
    const std::size_t rows = L.weight_rows(), cols = L.weight_cols();
    if (L.kind == LayerKind::dense) {
        for (std::size_t i = 0; i < rows; ++i) {
            double* g = dw + i * cols;
            for (std::size_t j = 0; j < cols; ++j) g[j] = x[i] * dout[j];
        }
        if (dx) row_dots(w, rows, cols, dout, dx);
        return;
    }
    conv_backward_channels(L, x, w, dout, dw, dx, 0, L.in.channels);
}

void conv_backward_channels(const LayerSpec& L, const double* x, const double* w,
                            const double* dout, double* dw, double* dx, int c0, int c1) {
    const std::size_t rows = L.weight_rows(), cols = L.weight_cols();
    const int k = L.kernel, H = L.in.height, W = L.in.width;
    const std::size_t kk = static_cast<std::size_t>(k) * k, plane = static_cast<std::size_t>(H) * W;
    const std::size_t r0 = static_cast<std::size_t>(c0) * kk,
                      r1 = static_cast<std::size_t>(c1) * kk;
    std::fill(dw + r0 * cols, dw + r1 * cols, 0.0);
    const std::size_t P = L.positions();
    if (dx) std::fill(dx + c0 * plane, dx + c1 * plane, 0.0);
    std::vector<double> patch(rows), d(cols), s(dx ? rows : 0);
    std::vector<std::size_t> nz(rows);
    for (int oy = 0; oy < L.out.height; ++oy)
        for (int ox = 0; ox < L.out.width; ++ox) {
            const std::size_t p = static_cast<std::size_t>(oy) * L.out.width + ox;
            bool any = false;
            for (std::size_t j = 0; j < cols; ++j) any |= (d[j] = dout[j * P + p]) != 0;
            if (!any) continue;
            conv_patch(L, x, oy, ox, patch.data());
            // The patch's non-zero rows of these channels, gathered without branches, ascending.
            std::size_t n = 0;
            for (std::size_t i = r0; i < r1; ++i) {
                nz[n] = i;
                n += patch[i] != 0;
            }
            for (std::size_t q = 0; q < n; ++q) {
                const std::size_t i = nz[q];
                double* g = dw + i * cols;
                const double pi = patch[i];
                for (std::size_t j = 0; j < cols; ++j) g[j] += pi * d[j];
            }
            if (!dx) continue;
            row_dots(w + r0 * cols, r1 - r0, cols, d.data(), s.data() + r0);
            const int y0 = oy * L.stride - L.padding, x0 = ox * L.stride - L.padding;
            std::size_t r = r0;
            for (int c = c0; c < c1; ++c)
                for (int ky = 0; ky < k; ++ky)
                    for (int kx = 0; kx < k; ++kx, ++r) {
                        const int yy = y0 + ky, xx = x0 + kx;
                        if (yy < 0 || yy >= H || xx < 0 || xx >= W) continue;
                        dx[(static_cast<std::size_t>(c) * H + yy) * W + xx] += s[r];
                    }
        }
}

void pool_forward(const LayerSpec& L, const double* x, double* out, std::size_t* argmax) {
    const int k = L.kernel, H = L.in.height, W = L.in.width;
    const bool mx = L.kind == LayerKind::max_pool;
    std::size_t o = 0;
    for (int c = 0; c < L.out.channels; ++c)
        for (int oy = 0; oy < L.out.height; ++oy)
            for (int ox = 0; ox < L.out.width; ++ox, ++o) {
                double best = 0, sum = 0;
                std::size_t at = 0;
                bool first = true;
                for (int ky = 0; ky < k; ++ky)
                    for (int kx = 0; kx < k; ++kx) {
                        const std::size_t i =
                            (static_cast<std::size_t>(c) * H + oy * L.stride + ky) * W +
                            ox * L.stride + kx;
                        sum += x[i];
                        if (first || x[i] > best) {
                            best = x[i];
                            at = i;
                            first = false;
                        }
                    }
                if (mx) {
                    out[o] = best;
                    if (argmax) argmax[o] = at;
                } else {
                    out[o] = sum / (k * k);
                }
            }
}

void pool_backward(const LayerSpec& L, const std::size_t* argmax, const double* dout, double* dx) {
    const int k = L.kernel, H = L.in.height, W = L.in.width;
    std::fill(dx, dx + L.in.size(), 0.0);
    const std::size_t n = L.out.size();
    if (L.kind == LayerKind::max_pool) {
        for (std::size_t o = 0; o < n; ++o) dx[argmax[o]] += dout[o];
        return;
    }
    const double inv = 1.0 / (k * k);
    std::size_t o = 0;
    for (int c = 0; c < L.out.channels; ++c)
        for (int oy = 0; oy < L.out.height; ++oy)
            for (int ox = 0; ox < L.out.width; ++ox, ++o)
                for (int ky = 0; ky < k; ++ky)
                    for (int kx = 0; kx < k; ++kx)
                        dx[(static_cast<std::size_t>(c) * H + oy * L.stride + ky) * W +
                           ox * L.stride + kx] += dout[o] * inv;
}

void add_forward(const double* a, const double* b, double* out, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) out[i] = a[i] + b[i];
}

void batch_norm_forward(const Shape& s, const double* scale, const double* shift, const double* x,
                        double* out) {
    const std::size_t plane = static_cast<std::size_t>(s.height) * s.width;
    for (int c = 0; c < s.channels; ++c)
        for (std::size_t i = 0; i < plane; ++i) {
            const std::size_t k = c * plane + i;
            out[k] = scale[c] * x[k] + shift[c];
        }
}

void batch_norm_backward(const Shape& s, const double* scale, const double* dout, double* dx) {
    const std::size_t plane = static_cast<std::size_t>(s.height) * s.width;
    for (int c = 0; c < s.channels; ++c)
        for (std::size_t i = 0; i < plane; ++i) dx[c * plane + i] = scale[c] * dout[c * plane + i];
}

void fold_batch_norm(const std::vector<double>& gamma, const std::vector<double>& beta,
                     const std::vector<double>& mean, const std::vector<double>& var, double eps,
                     std::vector<double>& scale, std::vector<double>& shift) {
    const std::size_t n = gamma.size();
    scale.resize(n);
    shift.resize(n);
    for (std::size_t c = 0; c < n; ++c) {
        scale[c] = gamma[c] / std::sqrt(var[c] + eps);
        shift[c] = beta[c] - mean[c] * scale[c];
    }
}

}  // namespace synbench::nn
