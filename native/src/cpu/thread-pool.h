// thread-pool.h: a fixed pool of worker threads running static-partitioned parallel loops.
// Determinism does not depend on the partition: every output element is computed by exactly one
// thread with the order of ARITHMETIC.md.
#ifndef OLI_THREAD_POOL_H
#define OLI_THREAD_POOL_H

#include <condition_variable>
#include <cstdint>
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

  /** Run fn(begin, end) over [0, n) split into at most size() contiguous ranges; grain = minimum range. */
  void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn);

 private:
  void worker(uint32_t index);

  uint32_t threads_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable start_cv_;
  std::condition_variable done_cv_;
  uint64_t generation_ = 0;
  uint32_t pending_ = 0;
  bool stop_ = false;
  const std::function<void(int64_t, int64_t)>* job_ = nullptr;
  int64_t job_n_ = 0;
  uint32_t job_parts_ = 0;
};

}  // namespace oli

#endif  // OLI_THREAD_POOL_H
