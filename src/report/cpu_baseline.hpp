// The computer baseline bracketed (issue 14, step 5): the energy of the software run on a
// conventional computer as a range, not one number.
//
//   upper end   CPU time of the software run × a stated power (presets in data/cpu-energy.yaml:
//               this machine, the founding paper's i7-10750H at its 45 W TDP; or --cpu-power);
//               or, where the kernel exposes energy counters (powercap/RAPL), the energy they
//               measured around the run (energy_counters.json in the run directory);
//   floor       the run's floating-point operations × the energy of one operation (Horowitz,
//               ISSCC 2014), i.e. the arithmetic alone.
//
// Floating-point operations of a software run of an MLP with layers n_0 … n_L (weights
// W = Σ n_{l-1}·n_l, of which W_≥2 in layers 2 … L), N training images per epoch in steps of
// batch B, T test images per epoch, E epochs:
//   per training image   forward        W multiplies + W adds   (one multiply-accumulate/weight)
//                        backward       W_≥2 multiplies + W_≥2 adds (error to the hidden layers)
//                        gradient       W multiplies (δ_j · x_i)
//                        accumulation   W adds when B > 1 (summing the batch's gradients)
//   per optimizer step   average        W multiplies when B > 1 (× 1/B)
//                        update         W × (m_opt multiplies + a_opt adds), optimizer_ops()
//   per test image       forward        W multiplies + W adds
// Per-neuron work (activations, output error, derivatives: Σ n_l ≪ W) is left out, and a square
// root or a division counts as one multiply: the count is a floor of the arithmetic.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "report/run_data.hpp"

namespace synbench::report {

struct CpuPreset {
    std::string name;  // "i7-10750H"
    double power_W = 0;
    std::string what, source;
};

// The founding paper's Table 1 rows as published (quoted, never computed).
struct PaperRows {
    std::string hardware, computer, source;
    double hardware_accuracy_pct = 0, abstract_accuracy_pct = 0, hardware_energy_J = 0;
    double computer_accuracy_pct = 0, computer_energy_J = 0;
};

struct CpuEnergyData {
    std::string file;
    PaperRows paper;
    std::vector<CpuPreset> presets;  // in file order
    double fp_multiply_J = 0, fp_add_J = 0;
    std::string fp_what, fp_source;
    const CpuPreset* preset(const std::string& name) const;  // nullptr when absent
};

// Reads data/cpu-energy.yaml; config::Error naming file, line and field on bad input.
CpuEnergyData load_cpu_energy(const std::filesystem::path& file);
// data/cpu-energy.yaml in the card search roots (util/card_search.hpp), else nullopt.
std::optional<std::filesystem::path> find_cpu_energy();

struct FlopCount {
    double multiplies = 0, adds = 0;
    double total() const { return multiplies + adds; }
};

// Multiplies and adds per weight per optimizer step (table in cpu_baseline.cpp); Error for an
// unknown optimizer.
FlopCount optimizer_ops(const std::string& optimizer);

struct SoftwareShape {
    std::vector<std::size_t> layers;  // neurons per layer, input first
    double train_images = 0;          // summed over the epochs run
    double steps = 0;                 // optimizer steps over the epochs run
    double test_images = 0;           // summed over the epochs run
    int batch = 1;
    std::string optimizer = "sgd";
};
FlopCount software_flops(const SoftwareShape& s);
// The shape of a run as its files say (config.yaml layers and training, epochs.csv train_images,
// manifest.json dataset.test_images); Error naming the file and key when absent.
SoftwareShape shape_of(const Run& r);

// powercap energy counters: every top-level zone <dir>/<prefix>:N (package domains; their
// sub-zones <prefix>:N:M are parts of them and not added again) with energy_uj and
// max_energy_range_uj.
struct EnergyCounter {
    std::string zone, name;  // "intel-rapl:0", its `name` file ("package-0")
    double energy_uj = 0, max_range_uj = 0;
};
std::vector<EnergyCounter> read_energy_counters(const std::filesystem::path& dir,
                                                const std::string& prefix = "intel-rapl");
// Energy between two readings of the same zones, in J: after − before, or after + range − before
// when the counter wrapped (once; a run longer than one wrap period cannot be told apart).
// Zones present in only one reading are skipped.
struct CounterDelta {
    double energy_J = 0;
    int zones = 0, wrapped = 0;
};
CounterDelta energy_between(const std::vector<EnergyCounter>& before,
                            const std::vector<EnergyCounter>& after);

// Writes <run_dir>/energy_counters.json with the energy between the readings (added to the
// file's earlier sessions when `resumed`); nothing when no zone was read both times. Returns
// whether it wrote.
bool record_energy_counters(const std::filesystem::path& run_dir,
                            const std::filesystem::path& source,
                            const std::vector<EnergyCounter>& before,
                            const std::vector<EnergyCounter>& after, bool resumed);

// The bracket of one software group.
struct CpuEstimate {
    std::string label;  // "CPU time × 45 W (i7-10750H, TDP)"
    double energy_J = 0;
    std::string source;  // where the power or the energy comes from
};
struct CpuBracket {
    FlopCount flops;     // mean over the group's runs
    double floor_J = 0;  // arithmetic floor
    double cpu_s = 0, wall_s = 0;
    std::vector<CpuEstimate> estimates;  // presets, --cpu-power, measured counters
    std::optional<double> measured_J;    // energy counters read around the runs (mean)
    double low_J() const { return floor_J; }
    double high_J() const;  // the largest estimate (the floor when there is none)
};
// `presets` names the presets to show (empty: every preset of the data file); `power_W` adds
// "CPU time × power" (--cpu-power). Error for an unknown preset name.
CpuBracket cpu_bracket(const std::vector<const Run*>& runs, const CpuEnergyData& data,
                       const std::vector<std::string>& presets, std::optional<double> power_W);

// "1.2e+03–4.5e+05" (low … high as a ratio range, 3 significant digits).
std::string ratio_range(double low, double high);

}  // namespace synbench::report
