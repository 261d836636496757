// CUDA backend, op level: every op of native/src/backend.h run on the CUDA backend equals the CPU
// reference backend bit for bit (native/ARITHMETIC.md), through the op-parity harness
// (native/cuda/tools/op-parity.cpp): lane tails, partial attention tiles, permuted paged-KV
// tables, BGMV and SGMV LoRA with tokens that carry no adapter, signed zeros, subnormals, inf and
// NaN. Skips with a stated reason when the addon has no CUDA backend or no CUDA device is present.
// The harness is linked from the objects node-gyp built for the addon (same flags), or compiled
// with nvcc from the sources when those objects are absent.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { nativeInfo } from '../../native/index.ts'
import { tempDir } from './fixtures.ts'

const root = join(import.meta.dirname, '..', '..')
const info = nativeInfo()
const skip: string | false = !info.cudaCompiled
  ? 'addon built without the CUDA backend (nvcc absent or with_cuda=0)'
  : info.cudaDeviceCount === 0
    ? 'no CUDA device present (the addon reports 0 usable devices)'
    : false

const CPU_SOURCES = ['native/src/common', 'native/src/cpu/cpu-backend', 'native/src/host-memory', 'native/src/cpu/cpu-kernels', 'native/src/cpu/thread-pool']

/** Build the harness into dir; returns its path. */
function buildHarness(dir: string): string {
  const out = join(dir, 'op-parity')
  const objRoot = join(root, 'build', 'Release', 'obj.target', 'openledger_infer')
  const cudaObjDir = join(objRoot, 'geni', 'cuda')
  const cpuObjs = CPU_SOURCES.map((s) => join(objRoot, `${s}.o`))
  const cudart = execFileSync('node', [join(root, 'native', 'cuda', 'cuda-config.mjs'), 'cudart'], { encoding: 'utf8' }).trim()
  const cflags = ['-O2', '-std=c++17', '-ffp-contract=off', '-fno-fast-math', '-DOLI_WITH_CUDA', `-I${join(root, 'native', 'include')}`]
  if (existsSync(cudaObjDir) && cpuObjs.every((o) => existsSync(o)) && cudart !== 'none') {
    const cudaObjs = readdirSync(cudaObjDir)
      .filter((f) => f.endsWith('.o'))
      .map((f) => join(cudaObjDir, f))
    execFileSync(
      'c++',
      [...cflags, join(root, 'native', 'cuda', 'tools', 'op-parity.cpp'), ...cpuObjs, ...cudaObjs, cudart, '-ldl', '-lpthread', '-lrt', '-o', out],
      { stdio: 'pipe' },
    )
    return out
  }
  const nvcc = execFileSync('node', [join(root, 'native', 'cuda', 'cuda-config.mjs'), 'nvcc'], { encoding: 'utf8' }).trim()
  const cu = readdirSync(join(root, 'native', 'cuda'))
    .filter((f) => f.endsWith('.cu'))
    .map((f) => join(root, 'native', 'cuda', f))
  execFileSync(
    nvcc,
    [
      '-O2',
      '-std=c++17',
      '--fmad=false',
      '-Xcompiler',
      '-ffp-contract=off',
      '-Xcompiler',
      '-pthread',
      '-DOLI_WITH_CUDA',
      '-gencode',
      'arch=compute_90,code=sm_90',
      '-gencode',
      'arch=compute_90,code=compute_90',
      `-I${join(root, 'native', 'include')}`,
      join(root, 'native', 'cuda', 'tools', 'op-parity.cpp'),
      ...CPU_SOURCES.map((s) => join(root, `${s}.cpp`)),
      ...cu,
      '-o',
      out,
    ],
    { stdio: 'pipe' },
  )
  return out
}

type CaseLine = { op: string; case: string; elements: number; mismatches: number; error?: string; first?: number; ref?: string; got?: string }
type Summary = { summary: true; candidate: string; variant: string; cases: number; failed: number; errors: number }

t.test('every CUDA op equals the CPU reference bit for bit', { skip }, async (t) => {
  const { dir, cleanup } = tempDir('oli-cuda-ops-')
  t.teardown(cleanup)
  const harness = buildHarness(dir)
  const run = spawnSync(harness, ['cuda'], { encoding: 'utf8', timeout: 240_000 })
  const lines = run.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CaseLine | Summary | { unavailable: string })
  const unavailable = lines.find((l): l is { unavailable: string } => 'unavailable' in l)
  t.notOk(unavailable, `harness found the device${unavailable ? `: ${unavailable.unavailable}` : ''}`)
  const cases = lines.filter((l): l is CaseLine => 'op' in l)
  const ops = new Set(cases.map((c) => c.op))
  for (const op of [
    'embed',
    'gather_rows',
    'rmsnorm',
    'row_sumsq',
    'matmul',
    'lora_shrink',
    'lora_expand',
    'add_rows',
    'silu_mul',
    'rope',
    'kv_write+kv_copy_blocks',
    'attention',
    'merge_lora',
  ])
    t.ok(ops.has(op), `op ${op} was checked`)
  for (const c of cases) {
    t.notOk(c.error, `${c.op} ${c.case}: ran without error${c.error ? ` (${c.error})` : ''}`)
    t.equal(
      c.mismatches,
      0,
      `${c.op} ${c.case}: ${c.elements} elements bitwise equal${c.mismatches ? ` (first at ${c.first}: cpu ${c.ref} cuda ${c.got})` : ''}`,
    )
  }
  const summary = lines.find((l): l is Summary => 'summary' in l)
  t.ok(summary, 'harness completed')
  t.equal(run.status, 0, 'harness exit status 0')
})
