// The epoch loop of a training run (sim/run.hpp).
#include "sim/run.hpp"

#include <fmt/format.h>
#include <tbb/flow_graph.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <chrono>
#include <cmath>
#include <exception>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "sim/results.hpp"
#include "util/parallel.hpp"

namespace synbench::sim {

namespace {

// One trained epoch on its way from the training stage to the writer stage.
struct Pending {
    int epoch = 0;
    EpochCounts counts;
    Snapshot snap;
    std::string checkpoint;   // trainer state after this epoch
    double images_per_s = 0;  // training speed of this epoch
    std::vector<std::vector<std::uint32_t>>
        cycles;  // pulses per cell after this epoch (for summary.json)
};

// Trains epoch `e` and freezes what the writer stage needs.
std::shared_ptr<Pending> train_one(const Experiment& ex, Trainer& trainer, int e, bool parallel) {
    auto p = std::make_shared<Pending>();
    p->epoch = e;
    p->counts = EpochCounts(weight_shapes(ex.network).size());
    auto te = std::chrono::steady_clock::now();
    trainer.train_epoch(e, p->counts, parallel);
    trainer.check_finite(e);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - te).count();
    p->snap = trainer.snapshot();
    p->cycles = trainer.cycles();
    std::ostringstream ck;
    trainer.save(ck);
    p->checkpoint = ck.str();
    p->images_per_s = secs > 0 ? p->counts.train_images / secs : 0;
    return p;
}

// The row of a trained epoch: its test pass, its accounting, the run's totals so far.
EpochRow epoch_row(const Experiment& ex, const circuit::CostTable& table, const nn::Dataset& test,
                   bool parallel, Pending& p, const std::vector<EpochRow>& rows) {
    const auto& tr = ex.network.training;
    auto tres = evaluate(p.snap, test, static_cast<std::size_t>(tr.test_images), parallel,
                         (std::uint64_t{1} << 62) + static_cast<std::uint64_t>(p.epoch) * 100000u);
    p.counts.test_read = tres.reads;
    p.counts.test_images = static_cast<double>(tres.images);
    EpochRow row;
    row.epoch = p.epoch + 1;
    row.accuracy = tres.accuracy_percent();
    row.train_images = p.counts.train_images;
    if (ex.hardware.enabled)
        row.cost = account(p.counts, table);
    else
        row.cost.breakdown = nlohmann::ordered_json::object();
    row.cum = rows.empty() ? EpochCosts{} : rows.back().cum;
    add_costs(row.cum, row.cost);
    row.cum.breakdown = nlohmann::ordered_json::object();
    for (double v :
         {row.cost.energy_J, row.cost.read_latency_s, row.cost.write_latency_s, row.cum.energy_J})
        if (!std::isfinite(v))
            throw std::runtime_error(
                fmt::format("numerical failure in the hardware accounting of epoch {} (a cost "
                            "is not finite)",
                            row.epoch));
    return row;
}

// The first exception of either stage, kept for the main thread to rethrow.
class Failure {
   public:
    bool set() const {
        std::lock_guard lk(mu_);
        return failure_ != nullptr;
    }
    void keep(std::exception_ptr e) {
        std::lock_guard lk(mu_);
        if (!failure_) failure_ = std::move(e);
    }
    void rethrow() const {
        if (failure_) std::rethrow_exception(failure_);
    }

   private:
    mutable std::mutex mu_;
    std::exception_ptr failure_;
};

bool stop_requested(const EpochLoop& loop, int e) {
    return (loop.interrupt && loop.interrupt->load()) ||
           (loop.stop_after_epoch && e >= *loop.stop_after_epoch);
}

}  // namespace

void train_epochs(const Experiment& ex, const circuit::CostTable& table, Trainer& trainer,
                  const nn::Dataset& test, const EpochLoop& loop, std::vector<EpochRow>& rows,
                  const std::function<void(const FinishedEpoch&)>& write) {
    const bool parallel = loop.threads > 1;
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism,
                           static_cast<std::size_t>(loop.threads));
    tbb::task_arena arena(loop.threads);
    arena.execute([&] {
        tbb::flow::graph g;
        std::atomic<int> outstanding{0};
        Failure failure;
        // TSan cannot see the hand-offs inside (uninstrumented) libtbb: the annotations state the
        // order the graph guarantees (util/parallel.hpp): the epoch's producer before its writer
        // body, each writer body before the next (serial node) and before wait_for_all returns.
        char done = 0;
        tbb::flow::function_node<std::shared_ptr<Pending>> writer(
            g, tbb::flow::serial, [&](const std::shared_ptr<Pending>& p) {
                util::hb_acquire(p.get());
                util::hb_acquire(&done);
                try {
                    if (!failure.set()) {
                        rows.push_back(epoch_row(ex, table, test, parallel, *p, rows));
                        write(FinishedEpoch{rows, p->checkpoint, p->cycles, p->images_per_s});
                    }
                } catch (...) {
                    failure.keep(std::current_exception());
                }
                --outstanding;
                util::hb_release(&done);  // the body's last access to what it captured
            });
        for (int e = loop.start_epoch; e < loop.epochs && !stop_requested(loop, e); ++e) {
            auto p = train_one(ex, trainer, e, parallel);
            ++outstanding;
            util::hb_release(p.get());
            writer.try_put(p);
            if (!parallel || outstanding.load() > 1) {
                g.wait_for_all();
                util::hb_acquire(&done);
            }
            if (failure.set()) break;
        }
        g.wait_for_all();
        util::hb_acquire(&done);
        failure.rethrow();
    });
}

}  // namespace synbench::sim
