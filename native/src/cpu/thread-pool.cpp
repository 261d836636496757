// thread-pool.cpp: see thread-pool.h.
//
// A decode step issues ~100 parallel loops of 0.1-1 ms each (one per matmul); waking sleeping
// workers through a condition variable for each cost more than the second thread gained. So
// idle threads first spin on an atomic for a short while (the gaps between loops of one step are
// microseconds) and only then sleep; work is handed out in chunks claimed from an atomic counter,
// so a thread that starts late (descheduled on a shared machine) does not hold up the others.
#include "thread-pool.h"

#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace oli {
namespace {

// Guided self-scheduling: each claim takes the unclaimed part / (kShare * threads) items (at least
// the grain), so chunks start large (few claims) and end small (little left to wait for when one
// thread finishes early or is descheduled).
constexpr int64_t kShare = 2;
// How long an idle worker spins before it sleeps: longer than the serial gaps inside a step
// (norms, RoPE, sampling: tens of microseconds), short enough that an idle engine sleeps at once.
constexpr std::chrono::microseconds kWorkerSpin{300};
// How long the caller spins for the last chunks before it sleeps.
constexpr std::chrono::microseconds kCallerSpin{100};
// Pure spinning (pause) before spinning threads start yielding the CPU.
constexpr std::chrono::microseconds kPauseSpin{20};

inline uint32_t gen_of(uint64_t ticket) { return static_cast<uint32_t>(ticket >> 32); }
inline int64_t pos_of(uint64_t ticket) { return static_cast<int64_t>(ticket & 0xFFFFFFFFu); }
inline uint64_t make_ticket(uint32_t gen, int64_t pos) {
  return (static_cast<uint64_t>(gen) << 32) | static_cast<uint64_t>(pos);
}

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

// Spin until ready() or the budget is spent; returns ready(). After the first microseconds the
// spinning thread yields between checks: on an oversubscribed machine (2 vCPUs shared with other
// processes) the thread it waits for may be queued behind it on the same CPU.
template <typename Ready>
bool spin_until(const Ready& ready, std::chrono::microseconds budget) {
  auto start = std::chrono::steady_clock::now();
  auto yield_after = start + kPauseSpin, deadline = start + budget;
  for (;;) {
    for (int i = 0; i < 32; i++) {
      if (ready()) return true;
      cpu_relax();
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return ready();
    if (now >= yield_after) std::this_thread::yield();
  }
}

}  // namespace

ThreadPool::ThreadPool(uint32_t threads) : threads_(threads < 1 ? 1 : threads) {
  for (uint32_t i = 1; i < threads_; i++) workers_.emplace_back([this] { worker(); });
}

ThreadPool::~ThreadPool() {
  stop_.store(true, std::memory_order_seq_cst);
  {
    std::lock_guard<std::mutex> lock(mutex_);
  }
  work_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::worker() {
  uint32_t seen = 0;
  for (;;) {
    auto fresh = [&] {
      return stop_.load(std::memory_order_seq_cst) || gen_of(ticket_.load(std::memory_order_seq_cst)) != seen;
    };
    if (!spin_until(fresh, kWorkerSpin)) {
      // Announce the sleep before the last check (under the mutex); parallel_for publishes the
      // ticket before it reads sleepers_, so one of the two sees the other (both seq_cst).
      std::unique_lock<std::mutex> lock(mutex_);
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      work_cv_.wait(lock, fresh);
      sleepers_.fetch_sub(1, std::memory_order_relaxed);
    }
    if (stop_.load(std::memory_order_acquire)) return;
    seen = gen_of(ticket_.load(std::memory_order_acquire));
    run_chunks(seen);
  }
}

void ThreadPool::run_chunks(uint32_t gen) {
  const Job& job = jobs_[gen & 1];
  const int64_t n = job.n.load(std::memory_order_relaxed);
  const int64_t grain = job.grain.load(std::memory_order_relaxed);
  const int64_t share = job.share.load(std::memory_order_relaxed);
  for (;;) {
    // n, grain, share are job gen's unless gen is already over; then the claim below fails
    uint64_t cur = ticket_.load(std::memory_order_acquire);
    int64_t b, e;
    do {
      if (gen_of(cur) != gen) return;
      b = pos_of(cur);
      if (b >= n) return;
      int64_t size = (n - b) / share;
      if (size < grain) size = grain;
      e = n - b < size ? n : b + size;
    } while (!ticket_.compare_exchange_weak(cur, make_ticket(gen, e), std::memory_order_acq_rel, std::memory_order_acquire));
    try {
      (*job.fn.load(std::memory_order_relaxed))(b, e);
    } catch (...) {
      fail(gen, n, std::current_exception());
    }
    done_.fetch_add(e - b, std::memory_order_seq_cst);
    if (caller_sleeping_.load(std::memory_order_seq_cst)) {
      std::lock_guard<std::mutex> lock(mutex_);
      done_cv_.notify_one();
    }
  }
}

void ThreadPool::fail(uint32_t gen, int64_t n, std::exception_ptr error) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!error_) error_ = error;
  }
  // cancel what nobody has claimed; it counts as done
  uint64_t cur = ticket_.load(std::memory_order_acquire);
  while (gen_of(cur) == gen && pos_of(cur) < n) {
    if (ticket_.compare_exchange_weak(cur, make_ticket(gen, n), std::memory_order_acq_rel, std::memory_order_acquire)) {
      done_.fetch_add(n - pos_of(cur), std::memory_order_seq_cst);
      break;
    }
  }
}

void ThreadPool::parallel_for(int64_t n, int64_t grain,
                              const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  if (grain < 1) grain = 1;
  if (workers_.empty() || n <= grain || n > 0xFFFFFFFFll) {
    fn(0, n);
    return;
  }
  uint32_t gen = gen_of(ticket_.load(std::memory_order_relaxed)) + 1;
  Job& job = jobs_[gen & 1];
  job.fn.store(&fn, std::memory_order_relaxed);
  job.n.store(n, std::memory_order_relaxed);
  job.grain.store(grain, std::memory_order_relaxed);
  job.share.store(kShare * static_cast<int64_t>(threads_), std::memory_order_relaxed);
  done_.store(0, std::memory_order_relaxed);
  ticket_.store(make_ticket(gen, 0), std::memory_order_seq_cst);  // publishes the job
  if (sleepers_.load(std::memory_order_seq_cst) > 0) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
    }
    work_cv_.notify_all();
  }

  run_chunks(gen);

  auto finished = [&] { return done_.load(std::memory_order_seq_cst) == n; };
  if (!spin_until(finished, kCallerSpin)) {
    std::unique_lock<std::mutex> lock(mutex_);
    caller_sleeping_.store(true, std::memory_order_seq_cst);
    done_cv_.wait(lock, finished);
    caller_sleeping_.store(false, std::memory_order_relaxed);
  }
  std::exception_ptr error;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::swap(error, error_);
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace oli
