// Physical read-out models of macro cards (converter.kind charge, voltage_sense, cco): energy per
// conversion, conversion time and area derived from the tech card's devices and the textbook
// constants of data/macro-readout.yaml (docs/macro-cards.md "Physical read-outs"). They replace
// the survey fit for these kinds, which has no family of its own for them.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "circuit/block.hpp"
#include "tech/card.hpp"

namespace synbench::circuit {

struct ReadoutConstants {
    std::string file;
    double comparator_gates = 0;      // minimum-width gates switched per comparison
    double thermal_noise_factor = 0;  // C >= factor · kT · 4^N / V_fs²
    double gm_over_id = 0;            // S/A of the source follower
    double settle_fraction = 0;       // of a clock period
    int ring_stages = 0;              // of the CCO's ring oscillator
};

// Reads data/macro-readout.yaml (errors name file, line and field).
ReadoutConstants load_readout_constants(const std::filesystem::path& path);
// data/macro-readout.yaml in the card search roots, else nullopt.
std::optional<std::filesystem::path> find_readout_constants();

// True for the kinds modelled here.
bool is_physical_readout(const std::string& kind);

struct ReadoutSpec {
    std::string kind;  // charge | voltage_sense | cco
    int bits = 0;
    double v_fs = 0;           // full-scale input swing (the read voltage), V
    double clock = 0;          // Hz
    double mean_fraction = 0;  // mean input of a conversion as a fraction of full scale (0…1)
};

struct Readout {
    double energy_J = 0, time_s = 0;  // one conversion
    double c_sample = 0;              // F (charge, voltage_sense)
    Block block;                      // one converter: area, leakage
    std::string model;                // one line for the estimate's notes
};

// Σ_{i=1..N} 2^(N+1−2i)·(2^i − 1): the average switching energy of a conventional binary
// capacitive DAC in units of C_u·V_ref² (Ginsburg and Chandrakasan, JSSC 42(4), 2007).
double sar_dac_switching_factor(int bits);

Readout physical_readout(const tech::Card& t, const ReadoutConstants& k, const ReadoutSpec& s);

}  // namespace synbench::circuit
