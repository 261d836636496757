// cuda-check.cuh: the single CHECK macro every CUDA runtime call of the backend goes through.
// A failing call never aborts: it records a message for oli_error_get_last() and returns a status
// from the enclosing function (which must return oli_status).
#ifndef OLI_CUDA_CHECK_CUH
#define OLI_CUDA_CHECK_CUH

#include <cuda_runtime.h>

#include "../src/backend.h"

namespace oli {
namespace cuda {

/**
 * Map a CUDA error to a status and record "expr: message (code) at file:line". Allocation
 * failures become OLI_STATUS_OUT_OF_MEMORY, everything else OLI_STATUS_BACKEND_ERROR. Clears the
 * runtime's (non-sticky) last-error slot so the next call starts clean.
 */
inline oli_status cuda_fail(cudaError_t err, const char* expr, const char* file, int line) {
  (void)cudaGetLastError();
  oli_status status =
      err == cudaErrorMemoryAllocation ? OLI_STATUS_OUT_OF_MEMORY : OLI_STATUS_BACKEND_ERROR;
  return set_error(status, "cuda: %s failed: %s (%d) at %s:%d", expr, cudaGetErrorString(err),
                   static_cast<int>(err), file, line);
}

}  // namespace cuda
}  // namespace oli

/** Run a CUDA runtime call; on failure return its oli_status from the enclosing function. */
#define OLI_CUDA_CHECK(expr)                                                     \
  do {                                                                           \
    cudaError_t oli_cuda_err_ = (expr);                                          \
    if (oli_cuda_err_ != cudaSuccess)                                            \
      return ::oli::cuda::cuda_fail(oli_cuda_err_, #expr, __FILE__, __LINE__);   \
  } while (0)

/** Check the launch that was just issued (configuration errors surface here). */
#define OLI_CUDA_CHECK_LAUNCH() OLI_CUDA_CHECK(cudaGetLastError())

#endif  // OLI_CUDA_CHECK_CUH
