// A sweep file: a base experiment and axes of values, expanded into named points.
//
// Format (docs/sweeps.md):
//   name: devices-nodes                  # optional
//   base: experiments/ref.yaml           # optional experiment file; and/or
//   tech: tech/32nm.yaml                 # card paths of the base experiment
//   device: devices/ag-asi.yaml
//   network: networks/mlp-400-100-10.yaml
//   seed: 1                              # optional base seed
//   set: {training.epochs: 2}            # field overrides applied to every point
//   estimate: false                      # circuit model only (also --estimate)
//   mode: product                        # product (default) | zip
//   axes:                                # key: list of values, in this order
//     device: [devices/ag-asi.yaml, devices/taox-tio2.yaml]
//     training.optimizer: [sgd, adam]
//     seed: [1, 2]
//   filter: ["optimizer == adam or seed < 2"]   # keep points where every expression holds
//   exclude: [{device: taox-tio2, optimizer: adam}]  # drop points matching every key of an entry
//
// Relative paths are resolved against the current directory, else against the sweep file's
// directory (the rule experiment files use for their cards).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "sim/experiment.hpp"

namespace synbench::sweep {

enum class AxisKind { card, seed, field };

struct AxisValue {
    std::string text;   // as passed on: a card path (resolved), a seed, or YAML text for --set
    std::string shown;  // as written in the sweep file (flow YAML for lists): sweep.csv's cell
    std::string label;  // for names and filters: a card's file stem, else `shown`
};

struct Axis {
    std::string key;        // as written: "device", "seed", "training.optimizer"
    std::string short_key;  // in point names: the last dotted component when unique, else `key`
    AxisKind kind = AxisKind::field;
    std::vector<AxisValue> values;
};

struct Point {
    std::string name;                // stable, sanitized, unique (see point_name)
    std::vector<std::size_t> value;  // index into each axis' values
    // Its inputs (base + this point's values) are built when needed, by point_inputs(): a point
    // holds no copy of the base, so a plan's memory is a few dozen bytes per point.
};

struct Sweep {
    std::string file;  // the sweep file's path (as given)
    std::string name;  // `name:` or the file stem
    std::string mode = "product";
    bool estimate = false;
    sim::ExperimentInputs base;
    std::vector<Axis> axes;
    std::vector<Point> points;     // after filter/exclude, sorted by name
    std::size_t combinations = 0;  // before filter/exclude
};

// The most combinations (points before filter/exclude) one sweep may have: a larger product is
// refused before it is enumerated. Planning is linear in the number of combinations.
inline constexpr std::size_t kMaxCombinations = 2'000'000;

Sweep load_sweep(const std::filesystem::path& path);

// The experiment inputs of a point: the sweep's base, then its axis values in axis order.
sim::ExperimentInputs point_inputs(const Sweep& sw, const Point& p);

// Planning's second half, before any point runs: every value of every axis is checked in a
// configuration that will run — the first point (in name order) that has a value not checked yet
// is resolved and passed to `check` (e.g. the memory a run needs). So a bad axis value stops the
// sweep, with as many configurations loaded as there are axis values (not points: a product's
// other combinations are the models' business and fail as points, docs/sweeps.md). Seeds are not
// loaded (parsing checks them), nor points whose card file does not exist (they fail when they
// run). Throws config::Error naming the sweep file, the point and its axis values, and the
// configuration's own error.
void check_points(const Sweep& sw, const std::function<void(const sim::Experiment&)>& check);
Sweep parse_sweep(const config::Document& doc);

// "a b/c_d" → "a-b-c-d": keeps [A-Za-z0-9.+-], maps anything else to '-', collapses and trims
// dashes; never empty.
std::string sanitize(std::string_view text);

// The name of a point from its axes' short keys and value labels: `k1=v1_k2=v2` in axis order.
std::string point_name(const std::vector<Axis>& axes, const std::vector<std::size_t>& value);

}  // namespace synbench::sweep
