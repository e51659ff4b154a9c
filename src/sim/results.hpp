// The per-epoch result fields, declared once: name, unit, meaning, source. epochs.csv (header and
// rows), epochs.json, the checkpoint, the report's epoch table and the epochs.csv table of
// docs/run-directory.md are produced from this list (the doc table is checked by a test), and the
// readers of a run directory (report, compare) look columns up through it. Adding a result column
// is one line here plus the code that computes it (the accountant).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "sim/accountant.hpp"

namespace synbench::sim {

struct ResultField {
    const char* name;     // CSV column and JSON key; the unit is its suffix
    const char* unit;     // SI unit, "1" for counts, "%" for percent
    const char* label;    // short human label (report tables)
    const char* meaning;  // one line, for docs/run-directory.md
    const char* source;   // where the number comes from
};

// A cost of one epoch (EpochCosts member); each appears again with a `cum_` prefix (run so far).
struct CostField {
    ResultField f;
    double EpochCosts::*member;
    // Added after the contract's first columns: a run directory written before may lack it (its
    // value is then 0: readers check Epochs::has). The contract's columns are required.
    bool optional = false;
};

// Each field by name (readers use these, not string literals).
namespace epoch {
// The leading columns of an epochs.csv row (EpochRow's own fields).
inline constexpr ResultField number{"epoch", "1", "epoch", "1-based epoch number", "trainer"};
inline constexpr ResultField accuracy{"accuracy", "%", "accuracy",
                                      "test-set accuracy after the epoch, percent (0–100)",
                                      "test pass on the epoch's conductances"};
inline constexpr ResultField train_images{"train_images", "1", "training images",
                                          "images trained in the epoch", "trainer"};

inline constexpr CostField read_latency{
    {"read_latency_s", "s", "read latency", "forward reads of the training pass",
     "accountant: sim::read_cost of the counted reads"},
    &EpochCosts::read_latency_s};
inline constexpr CostField write_latency{
    {"write_latency_s", "s", "write latency",
     "weight updates of the training pass (row periphery, pulse trains, verify reads)",
     "accountant: counted writes × cost table"},
    &EpochCosts::write_latency_s};
inline constexpr CostField read_energy{
    {"read_energy_J", "J", "read energy", "forward reads of the training pass",
     "accountant: sim::read_cost of the counted reads"},
    &EpochCosts::read_energy_J};
inline constexpr CostField write_energy{
    {"write_energy_J", "J", "write energy",
     "weight updates of the training pass (device V²·G·t, lines, drivers, periphery)",
     "accountant: counted writes × cost table"},
    &EpochCosts::write_energy_J};
inline constexpr CostField leakage_energy{
    {"leakage_energy_J", "J", "leakage energy",
     "(macro + training periphery) leakage power × (read_latency_s + write_latency_s + "
     "training_periphery_latency_s), no power gating",
     "accountant"},
    &EpochCosts::leakage_energy_J};
inline constexpr CostField energy{
    {"energy_J", "J", "energy (whole bill)",
     "the whole bill: read_energy_J + write_energy_J + training_periphery_energy_J + "
     "leakage_energy_J",
     "accountant"},
    &EpochCosts::energy_J};
inline constexpr CostField ltp_pulses{
    {"ltp_pulses", "1", "LTP pulses", "potentiating pulses, corrective ones included", "trainer"},
    &EpochCosts::ltp_pulses};
inline constexpr CostField ltd_pulses{
    {"ltd_pulses", "1", "LTD pulses", "depressing pulses, corrective ones included", "trainer"},
    &EpochCosts::ltd_pulses};
inline constexpr CostField test_read_latency{
    {"test_read_latency_s", "s", "test read latency",
     "reads of the test pass after the epoch, apart from training",
     "accountant: sim::read_cost of the counted reads"},
    &EpochCosts::test_read_latency_s};
inline constexpr CostField test_read_energy{
    {"test_read_energy_J", "J", "test read energy",
     "reads of the test pass after the epoch, apart from training",
     "accountant: sim::read_cost of the counted reads"},
    &EpochCosts::test_read_energy_J};
// The training periphery (circuit/training_periphery.hpp; docs/training.md).
inline constexpr CostField backward_energy{
    {"backward_energy_J", "J", "backward-pass energy",
     "error propagated back through the layers above the first (hardware.backprop)",
     "accountant: backward counts × training periphery costs"},
    &EpochCosts::backward_energy_J,
    true};
inline constexpr CostField gradient_energy{
    {"gradient_energy_J", "J", "gradient energy",
     "outer-product unit (x·δ products) and Δw → pulse-count conversion",
     "accountant: stepped/accumulated rows × training periphery costs"},
    &EpochCosts::gradient_energy_J,
    true};
inline constexpr CostField optimizer_state_energy{
    {"optimizer_state_energy_J", "J", "optimizer-state energy",
     "optimizer-state SRAM: each stepped weight's state words read and written once",
     "accountant: stepped weights × state words × SRAM energy per word"},
    &EpochCosts::optimizer_state_energy_J,
    true};
inline constexpr CostField batch_buffer_energy{
    {"batch_buffer_energy_J", "J", "batch-buffer energy",
     "batch-accumulation SRAM and adders (batch_size > 1; 0 otherwise)",
     "accountant: accumulated and stepped rows × buffer row costs"},
    &EpochCosts::batch_buffer_energy_J,
    true};
inline constexpr CostField update_control_energy{
    {"update_control_energy_J", "J", "update-control energy",
     "pulse-count registers of written rows and pulse counters through the trains",
     "accountant: rows written, write-train cycles × control costs"},
    &EpochCosts::update_control_energy_J,
    true};
inline constexpr CostField training_periphery_energy{
    {"training_periphery_energy_J", "J", "training periphery energy",
     "backward + gradient + optimizer state + batch buffer + update control", "accountant"},
    &EpochCosts::training_periphery_energy_J,
    true};
inline constexpr CostField training_periphery_latency{
    {"training_periphery_latency_s", "s", "training periphery latency",
     "backward pass, gradient, conversion, state and buffer accesses, in sequence with the "
     "arrays' reads and writes",
     "accountant"},
    &EpochCosts::training_periphery_latency_s,
    true};
}  // namespace epoch

// The named energy bases (shared/DESIGN.md "Energy bases"), never mixed: every report names the
// basis of each energy it shows. Each is a sum of declared cost fields of an epoch.
struct EnergyBasis {
    const char* key;          // short name
    const char* summary;      // its summary.json path (sim/summary_fields.hpp)
    const char* label;        // how reports name it
    const char* meaning;      // one line (docs)
    bool periphery, leakage;  // what the arrays' dynamic read + write energy is summed with
    double of(const EpochCosts& c) const {
        return c.read_energy_J + c.write_energy_J +
               (periphery ? c.training_periphery_energy_J : 0.0) +
               (leakage ? c.leakage_energy_J : 0.0);
    }
};
namespace basis {
inline constexpr EnergyBasis array_dynamic{
    "array_dynamic",
    "energy_J.array_dynamic",
    "array dynamic (read + write)",
    "the arrays' dynamic read + write energy: the basis of the NeuroSim tables and of the "
    "founding paper",
    false,
    false};
inline constexpr EnergyBasis with_periphery{
    "with_training_periphery",
    "energy_J.with_training_periphery",
    "array dynamic + training periphery",
    "array dynamic + backward pass, gradient, optimizer state, batch buffer, update control",
    true,
    false};
inline constexpr EnergyBasis whole_bill{"whole_bill",
                                        "energy_J.total",
                                        "whole bill (+ leakage)",
                                        "array dynamic + training periphery + leakage = energy_J",
                                        true,
                                        true};
}  // namespace basis
inline constexpr std::array<EnergyBasis, 3> kEnergyBases{basis::array_dynamic,
                                                         basis::with_periphery, basis::whole_bill};

inline constexpr std::array<ResultField, 3> kEpochRowFields{epoch::number, epoch::accuracy,
                                                            epoch::train_images};

// New columns go at the end (the columns before them keep their positions).
inline constexpr std::array<CostField, 17> kEpochCostFields{epoch::read_latency,
                                                            epoch::write_latency,
                                                            epoch::read_energy,
                                                            epoch::write_energy,
                                                            epoch::leakage_energy,
                                                            epoch::energy,
                                                            epoch::ltp_pulses,
                                                            epoch::ltd_pulses,
                                                            epoch::test_read_latency,
                                                            epoch::test_read_energy,
                                                            epoch::backward_energy,
                                                            epoch::gradient_energy,
                                                            epoch::optimizer_state_energy,
                                                            epoch::batch_buffer_energy,
                                                            epoch::update_control_energy,
                                                            epoch::training_periphery_energy,
                                                            epoch::training_periphery_latency};

inline constexpr const char* kCumulativePrefix = "cum_";

// The `cum_` column of a cost ("cum_energy_J").
inline std::string cumulative(const CostField& c) {
    return std::string(kCumulativePrefix) + c.f.name;
}

// True for an optional column (a cost marked optional, or its `cum_` column).
inline bool optional_column(const std::string& name) {
    for (const auto& c : kEpochCostFields)
        if (c.optional && (name == c.f.name || name == cumulative(c))) return true;
    return false;
}

// epochs.csv's columns in their fixed order: the row fields, the costs, the costs again with
// `cum_`.
inline std::vector<std::string> epoch_columns() {
    std::vector<std::string> cols;
    for (const auto& f : kEpochRowFields) cols.emplace_back(f.name);
    for (const auto& c : kEpochCostFields) cols.emplace_back(c.f.name);
    for (const auto& c : kEpochCostFields)
        cols.push_back(std::string(kCumulativePrefix) + c.f.name);
    return cols;
}

// Adds every declared cost field of `c` to `into` (the breakdown is not summed).
inline void add_costs(EpochCosts& into, const EpochCosts& c) {
    for (const auto& f : kEpochCostFields) into.*f.member += c.*f.member;
}

// The epochs.csv table of docs/run-directory.md, generated from the declaration.
inline std::string epoch_fields_markdown() {
    std::string s = "| column | unit | meaning | source |\n|---|---|---|---|\n";
    auto row = [&](const ResultField& f) {
        s += std::string("| `") + f.name + "` | " + f.unit + " | " + f.meaning + " | " + f.source +
             " |\n";
    };
    for (const auto& f : kEpochRowFields) row(f);
    for (const auto& c : kEpochCostFields) row(c.f);
    s += std::string("| `") + kCumulativePrefix +
         "<cost>` | as the cost | each cost above summed over epochs 1…this one | run |\n";
    return s;
}

}  // namespace synbench::sim
