// Hardware options of an experiment (the `hardware:` block of a network card).
#pragma once

#include <string>

#include "config/config.hpp"

namespace synbench::circuit {

enum class SignedWeights { reference_column, differential };

struct HardwareOptions {
    bool enabled = true;
    int input_bits = 1;          // bit-serial input cycles per layer read
    int adc_bits = 8;            // partial-sum (read-circuit) resolution
    std::string read_circuit = "integrate_fire";  // integrate_fire | sar | flash | sense_amp
    int read_mux = 16;           // columns sharing one read circuit
    int write_mux = 16;          // columns sharing one write driver
    double clock = 2e9;          // Hz
    SignedWeights signed_weights = SignedWeights::reference_column;
    int max_rows = 512, max_cols = 512;  // largest subarray; larger layers are tiled
    double hidden_threshold = 0.5;       // digitisation of hidden activations for the next layer's read
    std::string update = "deterministic";  // deterministic | stochastic (rounding of Δw to pulses)
    double array_wire_width = 100e-9;      // m; also the array's feature size F (reference: 100 nm)
    YAML::Node resolved;
};

HardwareOptions parse_hardware(config::Section& s);

}  // namespace synbench::circuit
