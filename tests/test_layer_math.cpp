// The layer mathematics (nn/layer_math.hpp): hand-computed small cases and a finite-difference
// check of the conv/pool/dense gradients.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "nn/layer_graph.hpp"
#include "nn/layer_math.hpp"

using namespace synbench;
using nn::LayerKind;
using nn::LayerSpec;

namespace {

LayerSpec conv(nn::Shape in, int channels, int k, int stride = 1, int padding = 0) {
    LayerSpec L;
    L.kind = LayerKind::conv2d;
    L.channels = channels;
    L.kernel = k;
    L.stride = stride;
    L.padding = padding;
    L.in = in;
    L.out = {(in.height + 2 * padding - k) / stride + 1, (in.width + 2 * padding - k) / stride + 1,
             channels};
    return L;
}

LayerSpec pool(LayerKind kind, nn::Shape in, int k) {
    LayerSpec L;
    L.kind = kind;
    L.kernel = k;
    L.stride = k;
    L.in = in;
    L.out = {in.height / k, in.width / k, in.channels};
    return L;
}

}  // namespace

TEST_CASE("layer math: a 2×2 kernel over a 3×3 input, by hand", "[nn][layer-math]") {
    const auto L = conv({3, 3, 1}, 1, 2);
    REQUIRE(L.weight_rows() == 4);
    const std::vector<double> x{1, 2, 3, 4, 5, 6, 7, 8, 9}, w{1, 2, 3, 4};
    std::vector<double> out(4);
    nn::weight_forward(L, x.data(), w.data(), out.data());
    // (0,0): 1·1 + 2·2 + 4·3 + 5·4 = 37; (0,1): 2 + 6 + 15 + 24 = 47; (1,0): 67; (1,1): 77.
    CHECK(out == std::vector<double>{37, 47, 67, 77});
    std::vector<double> dw(4), dx(9);
    // Gradient at (0,0) only: dw = that window's patch, dx = the kernel placed on the window.
    nn::weight_backward(L, x.data(), w.data(), std::vector<double>{1, 0, 0, 0}.data(), dw.data(),
                        dx.data());
    CHECK(dw == std::vector<double>{1, 2, 4, 5});
    CHECK(dx == std::vector<double>{1, 2, 0, 3, 4, 0, 0, 0, 0});
    // All ones: dw = Σ of the four patches; dx = how many windows cover each pixel,
    // kernel-weighted.
    nn::weight_backward(L, x.data(), w.data(), std::vector<double>{1, 1, 1, 1}.data(), dw.data(),
                        dx.data());
    CHECK(dw == std::vector<double>{12, 16, 24, 28});
    CHECK(dx == std::vector<double>{1, 3, 2, 4, 10, 6, 3, 7, 4});
    // Padding 1: the 4×4 output's corner (0,0) sees only x(0,0) under the kernel's last tap.
    const auto P = conv({3, 3, 1}, 1, 2, 1, 1);
    std::vector<double> outp(16);
    nn::weight_forward(P, x.data(), w.data(), outp.data());
    CHECK(outp[0] == 4 * 1);
    CHECK(outp[15] == 1 * 9);  // (3,3): x(2,2) under the first tap
}

TEST_CASE("layer math: pooling, activations, softmax with cross-entropy", "[nn][layer-math]") {
    const std::vector<double> x{1, 5, 2, 0, 3, 4, 8, 1, 0, 0, 1, 1, 6, 2, 1, 3};
    const auto M = pool(LayerKind::max_pool, {4, 4, 1}, 2);
    std::vector<double> out(4);
    std::vector<std::size_t> at(4);
    nn::pool_forward(M, x.data(), out.data(), at.data());
    CHECK(out == std::vector<double>{5, 8, 6, 3});
    std::vector<double> dx(16);
    nn::pool_backward(M, at.data(), std::vector<double>{1, 2, 3, 4}.data(), dx.data());
    CHECK(dx == std::vector<double>{0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 4});
    const auto A = pool(LayerKind::avg_pool, {4, 4, 1}, 2);
    nn::pool_forward(A, x.data(), out.data(), nullptr);
    CHECK(out == std::vector<double>{13 / 4.0, 11 / 4.0, 8 / 4.0, 6 / 4.0});
    nn::pool_backward(A, nullptr, std::vector<double>{4, 0, 0, 8}.data(), dx.data());
    CHECK(dx[0] == 1);
    CHECK(dx[5] == 1);
    CHECK(dx[15] == 2);
    CHECK(dx[2] == 0);

    const std::vector<double> z{0, std::log(3.0)};
    std::vector<double> p(2), g(2);
    nn::activate(nn::Act::softmax, z.data(), p.data(), 2);
    CHECK(p[0] == Approx(0.25).epsilon(1e-15));
    CHECK(p[1] == Approx(0.75).epsilon(1e-15));
    CHECK(nn::cross_entropy(p.data(), 2, 1) == Approx(-std::log(0.75)));
    nn::softmax_xent_grad(p.data(), 2, 1, g.data());
    CHECK(g[0] == Approx(0.25));
    CHECK(g[1] == Approx(-0.25));
    const std::vector<double> r{-1, 0.5};
    std::vector<double> y(2), d(2);
    nn::activate(nn::Act::relu, r.data(), y.data(), 2);
    CHECK(y == std::vector<double>{0, 0.5});
    nn::activate_backward(nn::Act::relu, r.data(), y.data(), std::vector<double>{3, 3}.data(),
                          d.data(), 2);
    CHECK(d == std::vector<double>{0, 3});
    CHECK_THROWS_WITH(nn::act_of("gelu"), Catch::Contains("'gelu'"));
    // Folded batch norm: γ = 2, β = 1, μ = 3, σ² = 4 − ε → scale 1, shift −2.
    std::vector<double> sc, sh;
    nn::fold_batch_norm({2}, {1}, {3}, {4 - 1e-5}, 1e-5, sc, sh);
    CHECK(sc[0] == Approx(1.0));
    CHECK(sh[0] == Approx(-2.0));
}

TEST_CASE("layer math: conv → relu → max pool → dense gradients match finite differences",
          "[nn][layer-math]") {
    // 2 input channels, 5×5, padding 1, stride 2: 3×3×3 conv output, pooled... to keep windows
    // whole, pool the 3×3 output with a 1-wide window is trivial; use avg and max on a 4×4 instead.
    const auto C = conv({6, 6, 2}, 3, 3, 1, 1);          // 6×6×3
    const auto M = pool(LayerKind::max_pool, C.out, 2);  // 3×3×3
    LayerSpec D;
    D.kind = LayerKind::dense;
    D.units = 4;
    D.in = M.out;
    D.out = {1, 1, 4};
    const int label = 2;
    std::vector<double> x(C.in.size()), wc(C.weight_rows() * C.weight_cols()),
        wd(D.weight_rows() * D.weight_cols());
    // Deterministic pseudo-random values (a fixed linear congruential sequence).
    std::uint64_t s = 12345;
    auto next = [&] {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(s >> 11) / 9007199254740992.0 - 0.5;
    };
    for (auto& v : x) v = next() + 0.5;
    for (auto& v : wc) v = next();
    for (auto& v : wd) v = next();
    auto loss = [&](const std::vector<double>& wc_, const std::vector<double>& wd_,
                    const std::vector<double>& x_, std::vector<double>* gwc,
                    std::vector<double>* gwd, std::vector<double>* gx) {
        std::vector<double> c(C.out.size()), r(C.out.size()), m(M.out.size()), z(4), p(4);
        std::vector<std::size_t> at(M.out.size());
        nn::weight_forward(C, x_.data(), wc_.data(), c.data());
        nn::activate(nn::Act::relu, c.data(), r.data(), c.size());
        nn::pool_forward(M, r.data(), m.data(), at.data());
        nn::weight_forward(D, m.data(), wd_.data(), z.data());
        nn::activate(nn::Act::softmax, z.data(), p.data(), 4);
        const double l = nn::cross_entropy(p.data(), 4, label);
        if (gwc) {
            std::vector<double> dz(4), dm(m.size()), dr(r.size()), dc(c.size());
            nn::softmax_xent_grad(p.data(), 4, label, dz.data());
            gwd->resize(wd_.size());
            nn::weight_backward(D, m.data(), wd_.data(), dz.data(), gwd->data(), dm.data());
            nn::pool_backward(M, at.data(), dm.data(), dr.data());
            nn::activate_backward(nn::Act::relu, c.data(), r.data(), dr.data(), dc.data(),
                                  c.size());
            gwc->resize(wc_.size());
            gx->resize(x_.size());
            nn::weight_backward(C, x_.data(), wc_.data(), dc.data(), gwc->data(), gx->data());
        }
        return l;
    };
    std::vector<double> gwc, gwd, gx;
    loss(wc, wd, x, &gwc, &gwd, &gx);
    const double h = 1e-6;
    auto check = [&](std::vector<double>& v, const std::vector<double>& g, const char* what) {
        for (std::size_t i = 0; i < v.size(); i += 7) {
            const double keep = v[i];
            v[i] = keep + h;
            const double up = loss(wc, wd, x, nullptr, nullptr, nullptr);
            v[i] = keep - h;
            const double down = loss(wc, wd, x, nullptr, nullptr, nullptr);
            v[i] = keep;
            INFO(what << " " << i);
            CHECK(g[i] == Approx((up - down) / (2 * h)).margin(1e-6));
        }
    };
    check(wc, gwc, "conv weight");
    check(wd, gwd, "dense weight");
    check(x, gx, "input");
}

TEST_CASE("layer math: a conv backward split by input channel equals the whole, bit for bit",
          "[nn][layer-math]") {
    // 3 channels of 5×5, padding 1, 2 output channels: each channel's call writes only its dw
    // rows and dx plane, and together they are the whole call's (the trainer runs them in
    // parallel).
    const auto L = conv({5, 5, 3}, 2, 3, 1, 1);
    const std::size_t rows = L.weight_rows(), cols = L.weight_cols();
    std::vector<double> x(L.in.size()), w(rows * cols), dout(L.out.size());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = i % 4 == 0 ? 0.0 : 0.1 * (i % 7);
    for (std::size_t i = 0; i < w.size(); ++i) w[i] = 0.01 * static_cast<double>(i % 11) - 0.05;
    for (std::size_t i = 0; i < dout.size(); ++i) dout[i] = i % 5 == 0 ? 0.0 : 0.3 - 0.07 * (i % 9);
    std::vector<double> dw(rows * cols), dx(x.size());
    nn::weight_backward(L, x.data(), w.data(), dout.data(), dw.data(), dx.data());
    std::vector<double> dw_c(rows * cols, 7.0), dx_c(x.size(), 7.0);  // 7: untouched
    for (int c = 2; c >= 0; --c) {
        nn::conv_backward_channels(L, x.data(), w.data(), dout.data(), dw_c.data(), dx_c.data(), c,
                                   c + 1);
        // Channel c's rows and plane are now final; the channels not yet run are untouched.
        for (std::size_t i = 0; i < rows * cols; ++i)
            CHECK(dw_c[i] == (i / cols / 9 >= static_cast<std::size_t>(c) ? dw[i] : 7.0));
        for (std::size_t i = 0; i < x.size(); ++i)
            CHECK(dx_c[i] == (i / 25 >= static_cast<std::size_t>(c) ? dx[i] : 7.0));
    }
    CHECK(dw != std::vector<double>(rows * cols, 0.0));
}
