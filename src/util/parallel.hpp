// Fork-join on TBB that ThreadSanitizer can follow.
//
// Debian's libtbb is not built with -fsanitize=thread, so the synchronisation TBB performs when it
// hands a task to a worker and when the parent's wait returns happens inside uninstrumented code:
// TSan sees the parent's writes before a parallel loop and its reads after it as racing with the
// workers' accesses (in our code, not in TBB's) although TBB orders them. These helpers tell TSan
// about exactly the ordering TBB guarantees — parent before every task, every task before the
// parent's return — with its happens-before annotations (__tsan_release / __tsan_acquire). They
// compile to nothing without TSan. Everything else (races between tasks) TSan still checks.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <cstddef>

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace synbench::util {

// Everything this thread did before happens-before what a thread does after hb_acquire(same key).
inline void hb_release([[maybe_unused]] const void* key) {
#if defined(__SANITIZE_THREAD__)
    __tsan_release(const_cast<void*>(key));
#endif
}
inline void hb_acquire([[maybe_unused]] const void* key) {
#if defined(__SANITIZE_THREAD__)
    __tsan_acquire(const_cast<void*>(key));
#endif
}

// Calls f(k) for every k in [0, n), one index per task (work stealing balances uneven work), and
// returns when all have run. Which thread runs which index is unspecified: f must write only what
// index k owns.
template <class F>
void parallel_each(std::size_t n, F&& f) {
    char fork = 0, join = 0;  // their addresses are the annotation keys
    hb_release(&fork);
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, n, 1),
        [&](const tbb::blocked_range<std::size_t>& r) {
            hb_acquire(&fork);
            for (std::size_t k = r.begin(); k != r.end(); ++k) f(k);
            hb_release(&join);
        },
        tbb::simple_partitioner());
    hb_acquire(&join);
}

}  // namespace synbench::util
