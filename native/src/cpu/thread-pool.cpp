// thread-pool.cpp: see thread-pool.h.
#include "thread-pool.h"

namespace oli {

ThreadPool::ThreadPool(uint32_t threads) : threads_(threads < 1 ? 1 : threads) {
  for (uint32_t i = 1; i < threads_; i++) workers_.emplace_back([this, i] { worker(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  start_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

static void part_range(int64_t n, uint32_t parts, uint32_t index, int64_t* b, int64_t* e) {
  int64_t base = n / parts, rem = n % parts;
  *b = index * base + (index < rem ? index : rem);
  *e = *b + base + (index < rem ? 1 : 0);
}

void ThreadPool::worker(uint32_t index) {
  uint64_t seen = 0;
  for (;;) {
    const std::function<void(int64_t, int64_t)>* job;
    int64_t n;
    uint32_t parts;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      start_cv_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      job = job_;
      n = job_n_;
      parts = job_parts_;
    }
    if (index < parts) {
      int64_t b, e;
      part_range(n, parts, index, &b, &e);
      if (b < e) (*job)(b, e);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (--pending_ == 0) done_cv_.notify_one();
    }
  }
}

void ThreadPool::parallel_for(int64_t n, int64_t grain,
                              const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  if (grain < 1) grain = 1;
  int64_t max_parts = (n + grain - 1) / grain;
  uint32_t parts = static_cast<uint32_t>(max_parts < threads_ ? max_parts : threads_);
  if (parts <= 1 || workers_.empty()) {
    fn(0, n);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &fn;
    job_n_ = n;
    job_parts_ = parts;
    pending_ = static_cast<uint32_t>(workers_.size());
    generation_++;
  }
  start_cv_.notify_all();
  int64_t b, e;
  part_range(n, parts, 0, &b, &e);
  if (b < e) fn(b, e);
  std::unique_lock<std::mutex> lock(mutex_);
  done_cv_.wait(lock, [&] { return pending_ == 0; });
  job_ = nullptr;
}

}  // namespace oli
