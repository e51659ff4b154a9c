// Device models: an immutable model built from a card, and the per-array state it creates.
//
// A Model is shared read-only by every thread. An Array holds the conductances of one crossbar and
// whatever per-cell parameters the model needs (device-to-device variation and stuck-at faults are
// sampled once, when the array is created, from a counter-based generator keyed by
// (seed, array id, cell)). Programming noise is keyed by (seed, array, cell, event), so the result
// of a write does not depend on which thread performs it or in which order cells are written.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/fields.hpp"
#include "device/card.hpp"

namespace synbench::device {

class Array {
   public:
    virtual ~Array() = default;
    std::size_t size() const { return g_.size(); }
    double g(std::size_t cell) const { return g_[cell]; }
    const std::vector<double>& conductances() const { return g_; }

    // Programs a cell directly to `g` (initial state), clipped to the cell's own range; a stuck
    // cell keeps its stuck value.
    virtual void set(std::size_t cell, double g) = 0;
    // Applies `pulses` identical programming pulses (> 0: LTP, < 0: LTD) to a cell; `event` numbers
    // this write (e.g. the global image index) for the noise stream. Returns the new conductance.
    virtual double program(std::size_t cell, int pulses, std::uint64_t event) = 0;
    // Conductance seen by one read (read noise applied if the card has any), keyed like program().
    virtual double read(std::size_t cell, std::uint64_t event) const {
        (void)event;
        return g_[cell];
    }
    // Half-select disturb (docs/non-idealities.md): adds `dg` (S, signed) to a cell, clipped to the
    // cell's range; a stuck cell does not move. Deterministic (no noise).
    virtual void disturb(std::size_t cell, double dg) = 0;
    // True when read() can differ from g() (callers may take a fast path otherwise).
    virtual bool noisy_reads() const { return false; }
    // Per-cell range (differs from the nominal one under device-to-device variation).
    virtual double cell_g_min(std::size_t cell) const = 0;
    virtual double cell_g_max(std::size_t cell) const = 0;
    virtual std::unique_ptr<Array> clone() const = 0;
    // Conductance drift: treats the present conductances as programmed at time 0 and applies the
    // power law G·(t/t0)^(−nu) of the card (nu drawn once per cell when nu_sigma > 0) for a time
    // `t` (s) since programming; t <= t0 changes nothing. Apply it once to a freshly trained copy
    // (clone() first if the trained state must be kept). Arrays without drift do nothing.
    virtual void age(double t) { (void)t; }

   protected:
    std::vector<double> g_;
};

class Model {
   public:
    explicit Model(const Card& card) : card_(card) {}
    virtual ~Model() = default;
    const Card& card() const { return card_; }
    double g_min() const { return card_.g_min; }
    double g_max() const { return card_.g_max; }
    int levels_ltp() const { return card_.ltp.levels; }
    int levels_ltd() const { return card_.ltd.levels; }

    // Noise-free conductance after x pulses of a full sweep: LTP from Gmin, LTD from Gmax.
    virtual double ltp_curve(double x) const = 0;
    virtual double ltd_curve(double x) const = 0;
    // A new array of `cells` cells, all at g_min, with variation sampled for (seed, array_id).
    virtual std::unique_ptr<Array> make_array(std::size_t cells, std::uint64_t seed,
                                              std::uint64_t array_id) const = 0;

   protected:
    Card card_;
};

// The registry of device models, by the card's `model` name.
using ModelFactory = std::function<std::unique_ptr<Model>(const Card&)>;
const std::map<std::string, ModelFactory>& model_registry();
// Builds the model a card names; std::invalid_argument listing the known names otherwise.
std::unique_ptr<Model> make_model(const Card& card);
// The registered model names, sorted (what a card's `model:` may say).
std::vector<std::string> model_names();
// The registered models as card variants: each model's meaning, the fields only it has and the
// fields it needs (device/fields.hpp), sorted by name. From the same table as model_registry().
std::vector<config::VariantSpec> model_variants();

// `synbench device curve`: the card's own model without variation or drift, one cell from Gmin
// through `pulses` LTP pulses, then `pulses` LTD pulses (0: the card's levels of each direction).
struct CurvePoint {
    const char* phase;  // "ltp" | "ltd"
    int pulse;          // 0 = the state before the phase's first pulse
    double g;           // S
};
std::vector<CurvePoint> noise_free_curve(const Card& card, int pulses = 0);

// Ages every cell of an array by `t` seconds (see Array::age).
inline void age(Array& array, double t) { array.age(t); }

// Energy-relevant sums over a train of `n` pulses of one direction, for write-energy accounting.
// Pulse k (k = start … start+n−1) has |V_k| = |voltage| + k·voltage_step and
// t_k = pulse_width + k·width_step; `start` is the index of the train's first pulse (0 for a
// scheme that restarts with every train; the cell's position in its sweep for a state-dependent
// scheme). Identical pulses give n·V², n·t, n·V²·t.
struct PulseTrain {
    double sum_v2 = 0;    // Σ V_k²   (V²)
    double sum_t = 0;     // Σ t_k    (s)
    double sum_v2_t = 0;  // Σ V_k²·t_k (V²·s): energy into a conductance G is G·sum_v2_t
};
PulseTrain pulse_train(const Direction& d, int n, int start = 0);

}  // namespace synbench::device
