// The named energy bases of a hardware run (issue 14, step 2), computed in this one place so that
// every table states its basis and none mixes them:
//   array dynamic        read + write energy of training (the basis of NeuroSim's tables and,
//                        likely, of the founding paper's 0.04421 J)
//   + training periphery the hardware learning needs besides the arrays (backward pass, gradient
//                        unit, optimizer state, batch buffer, update control)
//   whole bill (+ leakage) everything: energy_J.total.
// The bases are declared in sim/results.hpp (kEnergyBases); a run written before the training
// periphery was billed has no summary key for it: `with_periphery_J` is then empty.
#pragma once

#include <optional>

#include "report/run_data.hpp"
#include "sim/summary_fields.hpp"

namespace synbench::report {

struct EnergyBases {
    double array_dynamic_J = 0;
    std::optional<double> with_periphery_J;  // array dynamic + training periphery, when billed
    double whole_bill_J = 0;
};

inline EnergyBases energy_bases(const Run& r) {
    EnergyBases b;
    b.array_dynamic_J = energy_on(r, sim::basis::array_dynamic);
    if (json_at(r.summary, sim::summary::energy_training_periphery.path))
        b.with_periphery_J = energy_on(r, sim::basis::with_periphery);
    b.whole_bill_J = r.number(sim::summary::energy_total.path);
    return b;
}

}  // namespace synbench::report
