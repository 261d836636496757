// cuda-device.cuh: device discovery shared by the backend and the probe (cuda-device.cu).
#ifndef OLI_CUDA_DEVICE_CUH
#define OLI_CUDA_DEVICE_CUH

namespace oli {
namespace cuda {

/** Usable CUDA devices, probed once per process (0 without driver, device or kernel image). */
int usable_device_count();

/** True when this build has a kernel image that runs on `device`. */
bool device_has_image(int device);

}  // namespace cuda
}  // namespace oli

#endif  // OLI_CUDA_DEVICE_CUH
