#include "sweep/mpi.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <thread>

#ifdef SYNBENCH_HAVE_MPI
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#endif

#include "sweep/report.hpp"

namespace synbench::sweep {

bool launched_by_mpi() {
    for (const char* v :
         {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", "MPI_LOCALNRANKS"})
        if (std::getenv(v)) return true;
    return false;
}

#ifndef SYNBENCH_HAVE_MPI

bool mpi_compiled() { return false; }
MpiSession::MpiSession() = default;
MpiSession::~MpiSession() = default;
bool MpiSession::all(bool mine) const { return mine; }
bool MpiSession::same(std::uint64_t) const { return true; }
SweepOutcome run_mpi(const Sweep&, const SweepOptions&, const MpiSession&) {
    throw std::runtime_error(
        "this synbench was built without MPI support (configure with -DSYNBENCH_MPI=ON and an MPI "
        "implementation)");
}

#else

bool mpi_compiled() { return true; }

MpiSession::MpiSession() {
    if (!launched_by_mpi()) return;
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
    active_ = true;
    threads_ok_ = provided >= MPI_THREAD_SERIALIZED;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
    if (!active_) return;
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
}

bool MpiSession::all(bool mine) const {
    if (!active_) return mine;
    int in = mine ? 1 : 0, out = 0;
    MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    return out == 1;
}

bool MpiSession::same(std::uint64_t v) const {
    if (!active_) return true;
    unsigned long long in = v, lo = 0, hi = 0;
    MPI_Allreduce(&in, &lo, 1, MPI_UNSIGNED_LONG_LONG, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(&in, &hi, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, MPI_COMM_WORLD);
    return lo == hi;
}

namespace {

constexpr int kTagRequest = 1;  // worker → master: {"result": {...}} or {} (first request)
constexpr int kTagAssign = 2;   // master → worker: point index, or −1 (no more work)

SweepOutcome master(const Sweep& sw, const SweepOptions& opt, const MpiSession& mpi, int jobs) {
    SweepOutcome out;
    out.mode = "mpi";
    out.ranks = mpi.size();
    out.jobs = jobs;
    out.started_at = iso_now();
    const auto t0 = std::chrono::steady_clock::now();
    const auto n = static_cast<long long>(sw.points.size());
    out.results.resize(sw.points.size());
    for (std::size_t i = 0; i < sw.points.size(); ++i) out.results[i].name = sw.points[i].name;
    const int requesters = (mpi.size() - 1) * jobs;
    int stopped = 0, ran = 0, done = 0;
    long long next = 0;
    bool stop = false;
    auto idle = std::chrono::microseconds(200);
    while (stopped < requesters) {
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, kTagRequest, MPI_COMM_WORLD, &flag, &st);
        if (!flag) {
            std::this_thread::sleep_for(idle);
            idle = std::min(idle * 2, std::chrono::microseconds(20000));
            continue;
        }
        idle = std::chrono::microseconds(200);
        int len = 0;
        MPI_Get_count(&st, MPI_CHAR, &len);
        std::string msg(static_cast<std::size_t>(len), '\0');
        MPI_Recv(msg.data(), len, MPI_CHAR, st.MPI_SOURCE, kTagRequest, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        auto j = nlohmann::json::parse(msg);
        if (j.contains("result")) {
            auto idx = j["index"].get<long long>();
            auto r = point_result_from_json(j["result"]);
            if (!r.skipped) ++ran;
            if (r.status == "interrupted") stop = true;
            ++done;
            if (!opt.quiet && (!opt.estimate || r.status == "failed"))
                std::cerr << point_progress_line(r, done, sw.points.size()) << "\n";
            out.results[static_cast<std::size_t>(idx)] = std::move(r);
        }
        if ((opt.interrupt && opt.interrupt->load()) ||
            (opt.stop_after_points && ran >= *opt.stop_after_points))
            stop = true;
        long long assign = -1;
        if (!stop && next < n) assign = next++;
        if (assign < 0) ++stopped;
        MPI_Send(&assign, 1, MPI_LONG_LONG, st.MPI_SOURCE, kTagAssign, MPI_COMM_WORLD);
    }
    out.finished_at = iso_now();
    out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

void worker(const Sweep& sw, const SweepOptions& opt, const MpiSession& mpi, int jobs) {
    PointContext ctx;
    ctx.out = opt.out;
    ctx.rank = mpi.rank();
    ctx.estimate = opt.estimate;
    ctx.point_reports = opt.point_reports;
    ctx.data_dir = opt.data_dir;
    ctx.command = opt.command;
    ctx.interrupt = opt.interrupt;
    std::mutex
        mpi_mu;  // one thread at a time talks to the master: send a request, wait for the reply
    auto loop = [&] {
        std::string msg = "{}";
        while (true) {
            long long assign = -1;
            {
                std::lock_guard lk(mpi_mu);
                MPI_Send(msg.data(), static_cast<int>(msg.size()), MPI_CHAR, 0, kTagRequest,
                         MPI_COMM_WORLD);
                MPI_Recv(&assign, 1, MPI_LONG_LONG, 0, kTagAssign, MPI_COMM_WORLD,
                         MPI_STATUS_IGNORE);
            }
            if (assign < 0) return;
            auto r = run_point(sw, sw.points.at(static_cast<std::size_t>(assign)), ctx);
            msg = nlohmann::json{{"index", assign}, {"result", to_json(r)}}.dump();
        }
    };
    std::vector<std::thread> pool;
    for (int j = 1; j < jobs; ++j) pool.emplace_back(loop);
    loop();
    for (auto& t : pool) t.join();
}

}  // namespace

SweepOutcome run_mpi(const Sweep& sw, const SweepOptions& opt, const MpiSession& mpi) {
    if (!mpi.active() || mpi.size() < 2)
        throw std::logic_error("run_mpi needs at least two MPI ranks");
    // Points at once per worker rank: -j (the same on every rank), default 1; several need a
    // thread-capable MPI.
    int jobs = opt.jobs > 0 ? opt.jobs : 1;
    if (jobs > 1 && !mpi.threads_ok()) jobs = 1;
    if (mpi.rank() == 0) return master(sw, opt, mpi, jobs);
    worker(sw, opt, mpi, jobs);
    SweepOutcome out;
    out.mode = "mpi";
    out.ranks = mpi.size();
    out.jobs = jobs;
    return out;
}

#endif

}  // namespace synbench::sweep
