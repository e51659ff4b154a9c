// Periphery blocks of a synaptic subarray: row decoder, word-line driver, switch matrices, column
// multiplexer with its decoder, write driver with level shifter. Each is a pure function of the
// technology and a small spec; `side` is the array side the block is pitch-matched to.
#pragma once

#include "circuit/block.hpp"

namespace synbench::circuit {

// Row (or mux) decoder with `outputs` outputs: address inverters, 2-bit NAND2 predecoders, one
// NOR per output and a two-inverter output driver sized design.decoder_driver_size.
// read_latency/read_energy: one decode driving `c_load` on the selected output.
Block row_decoder(const tech::Card& t, int outputs, double side, double c_load,
                  std::string name = "row_decoder");

// Word-line driver following the decoder (per row: NOR2 gating read/write, inverter, pass gate and
// pull-down NMOS). read_*: driving one word line of capacitance c_line / resistance r_line.
Block wl_driver(const tech::Card& t, int rows, double side, double c_line, double r_line);

// Switch matrix: per line a D flip-flop holding the line's state and two transmission gates
// (one per voltage level) of on-resistance r_tg. read_*: setting one line of capacitance c_line to
// voltage v_line (the flip-flop clocking, the gate swing and the line charge).
Block switch_matrix(const tech::Card& t, std::string name, int lines, double r_tg, double side,
                    double c_line, double v_line, double clock);

// Analog column multiplexer: one transmission gate of on-resistance r_tg per column, `ways`
// columns sharing each output; with its decoder when ways > 1. read_*: one selection (one decode
// and the switching of the selected gates).
Block column_mux(const tech::Card& t, int columns, int ways, double r_tg, double side);

// Write drivers: `count` drivers, each an inverter sized for a load resistance r_load (its drop at
// most design.ir_drop_tolerance of the write voltage), with a level shifter when |v_write| > Vdd.
// write_energy: one pulse of one driver (level shifter and driver switching; the line is apart).
Block write_drivers(const tech::Card& t, int count, double r_load, double v_write, double side);

}  // namespace synbench::circuit
