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

oli_status count_devices(int* count) {
  *count = 0;
  OLI_CUDA_CHECK(cudaGetDeviceCount(count));
  return OLI_STATUS_OK;
}

oli_status select_and_check(int device) {
  OLI_CUDA_CHECK(cudaSetDevice(device));
  cudaFuncAttributes attr;
  // cudaErrorNoKernelImageForDevice when neither the SASS nor the PTX of this build fits
  OLI_CUDA_CHECK(cudaFuncGetAttributes(&attr, probe_kernel));
  return OLI_STATUS_OK;
}

// Checks `device` and switches back to the thread's previous device either way.
oli_status check_image(int device) {
  int previous = 0;
  OLI_CUDA_CHECK(cudaGetDevice(&previous));
  const oli_status st = select_and_check(device);
  OLI_CUDA_CHECK(cudaSetDevice(previous));
  return st;
}

void probe() {
  int count = 0;
  // No driver (35) or no device (100) is the normal CPU-only case: zero devices.
  if (count_devices(&count) != OLI_STATUS_OK) count = 0;
  // Usable devices are the leading ones that have a kernel image for this build; ordinals are
  // kept (device i of the count is CUDA device i).
  int usable = 0;
  while (usable < count && device_has_image(usable)) usable++;
  g_usable = usable;
}

}  // namespace

bool device_has_image(int device) { return check_image(device) == OLI_STATUS_OK; }

int usable_device_count() {
  std::call_once(g_once, probe);
  return g_usable;
}

}  // namespace cuda

int cuda_device_count() { return cuda::usable_device_count(); }

}  // namespace oli
