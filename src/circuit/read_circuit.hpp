// Read circuits (column ADCs), chosen by name (`hardware.read_circuit`) from a registry:
// integrate_fire (the reference MLP setup), sense_amp (1-bit current sense amplifier), flash
// (multi-level sense amplifier), sar (successive approximation). Each variant lives in its own file
// and registers itself in read_circuit.cpp's table.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "circuit/block.hpp"

namespace synbench::circuit {

struct ReadCircuitSpec {
    int bits = 8;        // output resolution
    int count = 1;       // circuits in the subarray
    double side = 0;     // array width they are pitch-matched to
    double clock = 2e9;  // Hz
    double c_in = 0;     // F, capacitance at the circuit input (column line, mux, own input)
    double i_max = 0;    // A, largest column current (all rows driven, all cells at Gmax)
    double v_read = 0;   // V, read voltage across the cells
};

// read_latency: one conversion; read_energy: one conversion of ONE circuit (average input);
// area and leakage: all `count` circuits.
using ReadCircuitModel = std::function<Block(const tech::Card&, const ReadCircuitSpec&)>;

Block integrate_fire(const tech::Card& t, const ReadCircuitSpec& s);
// The capacitance integrate_fire integrates on: C_in, or more when the full-scale current would
// fire faster than one clock period (then sized to fire once per period; see integrate_fire.cpp).
double integration_capacitance(const tech::Card& t, const ReadCircuitSpec& s);
Block sense_amp(const tech::Card& t, const ReadCircuitSpec& s);
Block flash_adc(const tech::Card& t, const ReadCircuitSpec& s);
Block sar_adc(const tech::Card& t, const ReadCircuitSpec& s);

// The registry, built once. `read_circuit` throws std::invalid_argument naming the known models
// when `name` is unknown.
const std::map<std::string, ReadCircuitModel>& read_circuits();
Block read_circuit(const tech::Card& t, const std::string& name, const ReadCircuitSpec& s);

}  // namespace synbench::circuit
