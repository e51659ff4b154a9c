// summary.json's numeric results, declared once: dotted path, unit, meaning. The run writes them
// through these declarations (sim/run.cpp), the readers of a run directory (report, compare,
// budget, sweeps) look them up through them, and docs/run-directory.md's table is generated from
// them (checked by a test).
#pragma once

#include <array>
#include <string>

namespace synbench::sim::summary {

struct Field {
    const char* path;     // dotted path in summary.json; the unit is the last key's suffix
    const char* unit;     // SI unit, "1" for counts, "%" for percent
    const char* meaning;  // one line
};

inline constexpr Field final_accuracy{"final_accuracy", "%", "test accuracy after the last epoch"};
inline constexpr Field best_accuracy{"best_accuracy", "%", "best test accuracy over the epochs"};
inline constexpr Field area{"total.area_m2", "m²", "macro area (0 in software mode)"};
inline constexpr Field leakage{"total.leakage_W", "W", "macro leakage power (0 in software mode)"};
inline constexpr Field energy_read{"energy_J.read", "J",
                                   "training reads, all epochs (cum_read_energy_J)"};
inline constexpr Field energy_write{"energy_J.write", "J",
                                    "training writes, all epochs (cum_write_energy_J)"};
inline constexpr Field energy_leakage{"energy_J.leakage", "J",
                                      "leakage, all epochs (cum_leakage_energy_J)"};
inline constexpr Field energy_total{
    "energy_J.total", "J",
    "basis 'whole bill': read + write + training periphery + leakage, all epochs (cum_energy_J)"};
inline constexpr Field energy_training_periphery{
    "energy_J.training_periphery", "J",
    "training periphery (backward, gradient, optimizer state, batch buffer, update control), all "
    "epochs (cum_training_periphery_energy_J)"};
// The named energy bases (sim/results.hpp kEnergyBases); the whole bill is energy_J.total.
inline constexpr Field energy_array_dynamic{
    "energy_J.array_dynamic", "J",
    "basis 'array dynamic': read + write of the arrays, all epochs (NeuroSim's and the founding "
    "paper's basis)"};
inline constexpr Field energy_with_periphery{
    "energy_J.with_training_periphery", "J",
    "basis 'array dynamic + training periphery', all epochs"};
inline constexpr Field latency_training_periphery{
    "latency_s.training_periphery", "s",
    "training periphery, all epochs (cum_training_periphery_latency_s)"};
inline constexpr Field area_training_periphery{
    "total.training_periphery_area_m2", "m²",
    "area of the training periphery, apart from the macro's (0 in software mode)"};
inline constexpr Field leakage_training_periphery{
    "total.training_periphery_leakage_W", "W",
    "leakage power of the training periphery, apart from the macro's (0 in software mode)"};
inline constexpr Field energy_test_read{"energy_J.test_read", "J",
                                        "test passes, all epochs (cum_test_read_energy_J)"};
inline constexpr Field latency_read{"latency_s.read", "s",
                                    "training reads, all epochs (cum_read_latency_s)"};
inline constexpr Field latency_write{"latency_s.write", "s",
                                     "training writes, all epochs (cum_write_latency_s)"};
inline constexpr Field latency_test_read{"latency_s.test_read", "s",
                                         "test passes, all epochs (cum_test_read_latency_s)"};
inline constexpr Field pulses_ltp{"pulses.ltp", "1", "LTP pulses, all epochs"};
inline constexpr Field pulses_ltd{"pulses.ltd", "1", "LTD pulses, all epochs"};
inline constexpr Field macs_per_image{"efficiency.macs_per_image", "1",
                                      "multiply-accumulates of one inference"};
inline constexpr Field inference_energy_per_image{"efficiency.inference_energy_per_image_J", "J",
                                                  "test read energy / test images (hardware runs)"};
inline constexpr Field inference_latency_per_image{
    "efficiency.inference_latency_per_image_s", "s",
    "test read latency / test images (hardware runs)"};
inline constexpr Field training_energy_per_image{
    "efficiency.training_energy_per_image_J", "J",
    "energy_J.total / training images (hardware runs)"};
inline constexpr Field fj_per_mac{
    "efficiency.fJ_per_MAC", "fJ",
    "inference energy per image / MACs per image × 1e15 (hardware runs)"};
inline constexpr Field tops_per_w{
    "efficiency.TOPS_per_W", "TOPS/W",
    "2 × MACs per image / inference energy per image / 1e12 (hardware runs)"};
inline constexpr Field max_cycles{"endurance.max_cycles", "1",
                                  "most programming cycles of one cell"};
inline constexpr Field mean_cycles{"endurance.mean_cycles", "1",
                                   "mean programming cycles per cell"};
inline constexpr Field cells_beyond{"endurance.cells_beyond", "1",
                                    "cells beyond the card's endurance"};
inline constexpr Field wall{"software.wall_s", "s", "wall time of the run"};
inline constexpr Field cpu{"software.cpu_s", "s", "CPU time of the run"};

inline constexpr std::array<Field, 31> kAll{final_accuracy,
                                            best_accuracy,
                                            area,
                                            leakage,
                                            area_training_periphery,
                                            leakage_training_periphery,
                                            energy_read,
                                            energy_write,
                                            energy_training_periphery,
                                            energy_leakage,
                                            energy_total,
                                            energy_array_dynamic,
                                            energy_with_periphery,
                                            latency_training_periphery,
                                            energy_test_read,
                                            latency_read,
                                            latency_write,
                                            latency_test_read,
                                            pulses_ltp,
                                            pulses_ltd,
                                            macs_per_image,
                                            inference_energy_per_image,
                                            inference_latency_per_image,
                                            training_energy_per_image,
                                            fj_per_mac,
                                            tops_per_w,
                                            max_cycles,
                                            mean_cycles,
                                            cells_beyond,
                                            wall,
                                            cpu};

// True for the efficiency figures that only hardware runs with a test pass have.
inline bool hardware_only(const Field& f) {
    return std::string(f.path).rfind("efficiency.", 0) == 0 &&
           std::string(f.path) != macs_per_image.path;
}

// The JSON pointer of a field ("/energy_J/total").
inline std::string pointer(const Field& f) {
    std::string p = std::string("/") + f.path;
    for (auto& c : p)
        if (c == '.') c = '/';
    return p;
}

// Sets a field in a summary object (creating the enclosing objects).
template <class Json, class T>
void put(Json& j, const Field& f, const T& v) {
    j[typename Json::json_pointer(pointer(f))] = v;
}

// docs/run-directory.md's summary.json table, generated from the declarations.
inline std::string fields_markdown() {
    std::string s = "| key | unit | meaning |\n|---|---|---|\n";
    for (const auto& f : kAll)
        s += std::string("| `") + f.path + "` | " + f.unit + " | " + f.meaning + " |\n";
    return s;
}

}  // namespace synbench::sim::summary
