// Running a sweep over MPI ranks (`mpirun -np N synbench sweep ...`, `srun synbench sweep ...`).
//
// Rank 0 is the master and runs no point itself: it hands out point indices, one at a time, to
// whichever worker asks next (dynamic load balancing: a slow point does not hold up the others),
// collects each point's result row and writes sweep.csv, manifest.json and the reports. Ranks
// 1…N−1 run points (each with `jobs` threads asking for points, default 1, one training thread
// per point) and write the points' run directories, so the sweep directory must be on a file
// system every rank sees. The master waits with MPI_Iprobe and short sleeps, so it costs almost
// no CPU: start N = (cores you want busy) + 1 ranks. With one rank, the sweep runs locally.
#pragma once

#include <cstdint>

#include "sweep/driver.hpp"

namespace synbench::sweep {

// Whether this build has MPI support (CMake option SYNBENCH_MPI, on when MPI is found).
bool mpi_compiled();

// Whether the process was started by an MPI launcher (mpirun/mpiexec of Open MPI or MPICH, srun
// with PMI/PMIx): the environment names a rank.
bool launched_by_mpi();

// Initialises MPI for the lifetime of the object (and finalises it); without MPI support or
// when not launched by MPI, a single-rank stand-in.
class MpiSession {
   public:
    MpiSession();
    ~MpiSession();
    MpiSession(const MpiSession&) = delete;
    MpiSession& operator=(const MpiSession&) = delete;
    bool active() const { return active_; }
    int rank() const { return rank_; }
    int size() const { return size_; }
    bool threads_ok() const {
        return threads_ok_;
    }  // several threads of a rank may take turns calling MPI
    // True on every rank when `mine` is true on every rank (a collective: all ranks must call it).
    bool all(bool mine) const;
    // True on every rank when `v` is the same on every rank (a collective).
    bool same(std::uint64_t v) const;

   private:
    bool active_ = false, threads_ok_ = false;
    int rank_ = 0, size_ = 1;
};

// Runs the sweep over the ranks of `mpi` (size ≥ 2). On rank 0 the outcome has every point's
// result; on the other ranks its `results` are empty.
SweepOutcome run_mpi(const Sweep& sw, const SweepOptions& opt, const MpiSession& mpi);

}  // namespace synbench::sweep
