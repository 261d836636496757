// cuda-device.cu: the one-time device probe. With cudart linked statically the addon loads on
// machines without a driver; the first runtime call then fails with cudaErrorInsufficientDriver
// (35) or cudaErrorNoDevice (100), which simply means "no CUDA here" and selects the CPU backend.
// A device also counts as usable only if this build carries code for it (sm_90 SASS or
// compute_90 PTX JIT-compiled for newer parts), checked with cudaFuncGetAttributes.
#include <mutex>

#include "cuda-check.cuh"
#include "cuda-device.cuh"

namespace oli {
namespace cuda {
namespace {

__global__ void probe_kernel(int* out) {
  if (out) *out = 1;
}

int g_usable = 0;
std::once_flag g_once;

void probe() {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    (void)cudaGetLastError();
    g_usable = 0;
    return;
  }
  // Usable devices are the leading ones that have a kernel image for this build; ordinals are
  // kept (device i of the count is CUDA device i).
  int usable = 0;
  for (int d = 0; d < count; d++) {
    if (!device_has_image(d)) break;
    usable++;
  }
  g_usable = usable;
}

}  // namespace

bool device_has_image(int device) {
  int previous = 0;
  if (cudaGetDevice(&previous) != cudaSuccess) {
    (void)cudaGetLastError();
    return false;
  }
  bool ok = cudaSetDevice(device) == cudaSuccess;
  if (ok) {
    cudaFuncAttributes attr;
    ok = cudaFuncGetAttributes(&attr, probe_kernel) == cudaSuccess;
  }
  (void)cudaGetLastError();
  (void)cudaSetDevice(previous);
  (void)cudaGetLastError();
  return ok;
}

int usable_device_count() {
  std::call_once(g_once, probe);
  return g_usable;
}

}  // namespace cuda

int cuda_device_count() { return cuda::usable_device_count(); }

}  // namespace oli
