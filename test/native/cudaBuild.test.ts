// CI guarantee: where a CUDA toolkit is installed (nvcc on PATH or /usr/local/cuda/bin/nvcc) the
// addon must have been built with the CUDA backend, unless the build was explicitly made CPU-only
// with OLI_WITH_CUDA=0 (binding.gyp's switch, which must then be set for the tests too). Without
// this, a broken toolkit probe would silently ship a CPU-only addon and every GPU test would skip.
import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import t from 'tap'
import { nativeInfo } from '../../native/index.ts'

const nvccOnPath = (process.env.PATH ?? '').split(delimiter).find((d) => d && existsSync(join(d, 'nvcc')))
const nvcc = nvccOnPath ? join(nvccOnPath, 'nvcc') : existsSync('/usr/local/cuda/bin/nvcc') ? '/usr/local/cuda/bin/nvcc' : undefined
const skip: string | false =
  process.env.OLI_WITH_CUDA === '0'
    ? 'OLI_WITH_CUDA=0: CPU-only build requested'
    : !nvcc
      ? 'no nvcc on PATH and no /usr/local/cuda/bin/nvcc: nothing to compile CUDA with'
      : false

t.test('nvcc present: the addon is compiled with the CUDA backend', { skip }, async (t) => {
  t.equal(
    nativeInfo().cudaCompiled,
    true,
    `nvcc found at ${nvcc} but the addon reports cudaCompiled false: rebuild with \`npx node-gyp rebuild\` and check \`node native/cuda/cuda-config.mjs with\` (it needs nvcc and libcudart_static.a)`,
  )
})
