// thread-pool.h: a fixed pool of worker threads running parallel loops in dynamically claimed
// chunks. Determinism does not depend on the partition: every output element is computed by
// exactly one thread with the order of ARITHMETIC.md; which thread runs a chunk never matters.
#ifndef OLI_THREAD_POOL_H
#define OLI_THREAD_POOL_H

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace oli {

class ThreadPool {
 public:
  explicit ThreadPool(uint32_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  uint32_t size() const { return threads_; }

  /**
   * Run fn(begin, end) over [0, n) in contiguous chunks of at least `grain` items, which the
   * calling thread and the workers claim in turn until none are left; returns when all are done.
   * The first exception thrown by fn (on any thread) cancels the chunks not yet claimed and is
   * rethrown here once every claimed chunk has finished. Not reentrant: fn must not call it.
   */
  void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

 private:
  void worker();
  // Claim and run chunks of job `gen` until none are left.
  void run_chunks(uint32_t gen);
  void fail(uint32_t gen, int64_t n, std::exception_ptr error);

  uint32_t threads_;
  std::vector<std::thread> workers_;

  // ticket_ = generation << 32 | next unclaimed item. A claim is a compare-exchange that also
  // checks the generation, so a thread that wakes late never claims items of a newer job. Jobs
  // alternate between two descriptors (generation & 1): setting up job g+1 never writes the
  // descriptor of job g, which a late thread may still be reading before its claim fails.
  struct Job {
    std::atomic<const std::function<void(int64_t, int64_t)>*> fn{nullptr};
    std::atomic<int64_t> n{0};
    std::atomic<int64_t> grain{1};
    std::atomic<int64_t> share{1};
  };
  alignas(64) std::atomic<uint64_t> ticket_{0};
  alignas(64) std::atomic<int64_t> done_{0};  // items finished (or cancelled) in this job
  alignas(64) std::atomic<uint32_t> sleepers_{0};
  std::atomic<bool> caller_sleeping_{false};
  std::atomic<bool> stop_{false};
  Job jobs_[2];

  std::mutex mutex_;
  std::condition_variable work_cv_;  // workers sleep here after spinning
  std::condition_variable done_cv_;  // the caller sleeps here after spinning
  std::exception_ptr error_;         // guarded by mutex_
};

}  // namespace oli

#endif  // OLI_THREAD_POOL_H
