// CPU backend, kernel level: every SIMD kernel (AVX-512 and AVX2 where the CPU has them) equals
// the scalar reference of native/ARITHMETIC.md bit for bit over all tile shapes and lane tails,
// f32 and BF16 weights, signed zeros, subnormals, inf and NaN; silu_mul and exp_shifted across
// exp_f's branches; the one-dispatch matmul_group (q/k/v, gate/up with fused silu) equals separate
// ops; the thread pool runs every item once and rethrows a worker's exception on the caller.
// Through the harness test/native/cpuKernels.cpp, compiled here with the addon's arithmetic flags;
// then every backend op through native/cuda/tools/op-parity.cpp with CPU candidates.
import { execFileSync, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import { tempDir } from './fixtures.ts'

const root = join(import.meta.dirname, '..', '..')
const SOURCES = [
  'test/native/cpuKernels.cpp',
  'native/src/common.cpp',
  'native/src/cpu/cpu-backend.cpp',
  'native/src/host-memory.cpp',
  'native/src/cpu/cpu-kernels.cpp',
  'native/src/cpu/thread-pool.cpp',
]

function compiler(): string | undefined {
  for (const cc of ['c++', 'g++', 'clang++']) if (spawnSync(cc, ['--version']).status === 0) return cc
  return undefined
}

const cc = compiler()

type CaseLine = { check: string; case: string; elements: number; mismatches: number; first?: number; want?: string; got?: string }
type Total = { total: string; cases: number; failed: number }
type Summary = { summary: true; avx512: boolean; avx2: boolean; cases: number; failed: number }

t.test('CPU kernels, matmul_group and thread pool match the scalar reference bit for bit', { skip: cc ? false : 'no C++ compiler on PATH' }, async (t) => {
  const { dir, cleanup } = tempDir('oli-cpu-kernels-')
  t.teardown(cleanup)
  const exe = join(dir, 'cpu-kernels')
  // the addon's arithmetic flags (binding.gyp): no contraction, no fast-math, no -march
  execFileSync(
    cc!,
    [
      '-O2',
      '-std=c++17',
      '-ffp-contract=off',
      '-fno-fast-math',
      '-pthread',
      `-I${join(root, 'native', 'include')}`,
      ...SOURCES.map((s) => join(root, s)),
      '-o',
      exe,
    ],
    {
      stdio: 'pipe',
    },
  )
  const run = spawnSync(exe, [], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 })
  const lines = run.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CaseLine | Total | Summary)
  const failures = lines.filter((l): l is CaseLine => 'check' in l)
  const totals = lines.filter((l): l is Total => 'total' in l)
  const summary = lines.find((l): l is Summary => 'summary' in l)
  t.ok(summary, `harness completed${run.stderr ? `: ${run.stderr}` : ''}`)
  const kinds = new Set(totals.map((c) => c.total.split(' ')[0]))
  for (const c of ['matmul', 'matmul_bf16', 'dot', 'silu_mul', 'exp_shifted', 'matmul_group', 'thread_pool']) t.ok(kinds.has(c), `${c} was checked`)
  if (summary && !summary.avx512) t.comment('this CPU has no AVX-512F: only the AVX2 and scalar kernels were checked')
  for (const total of totals) {
    const bad = failures.filter((c) => c.check === total.total).slice(0, 5)
    const detail = bad.map((c) => `${c.case} (first ${c.first}: want ${c.want} got ${c.got})`).join('; ')
    t.equal(total.failed, 0, `${total.total}: ${total.cases} cases bitwise equal${total.failed ? `; failing: ${detail}` : ''}`)
  }
  t.equal(run.status, 0, 'harness exit status 0')
})

// Every backend op (native/src/backend.h) of the CPU backend with 2 threads against the 1-thread
// scalar reference, through the CUDA backend's op-parity harness built without CUDA: paged
// attention with permuted block tables, BGMV/SGMV LoRA with tokens that carry no adapter, ...
type OpLine = { op: string; case: string; elements: number; mismatches: number; error?: string }
const OP_SOURCES = [
  'native/cuda/tools/op-parity.cpp',
  'native/src/common.cpp',
  'native/src/cpu/cpu-backend.cpp',
  'native/src/host-memory.cpp',
  'native/src/cpu/cpu-kernels.cpp',
  'native/src/cpu/thread-pool.cpp',
]

t.test('every CPU backend op, 2 threads, equals the 1-thread scalar reference bit for bit', { skip: cc ? false : 'no C++ compiler on PATH' }, async (t) => {
  const { dir, cleanup } = tempDir('oli-cpu-ops-')
  t.teardown(cleanup)
  const exe = join(dir, 'op-parity')
  execFileSync(
    cc!,
    [
      '-O2',
      '-std=c++17',
      '-ffp-contract=off',
      '-fno-fast-math',
      '-pthread',
      `-I${join(root, 'native', 'include')}`,
      ...OP_SOURCES.map((s) => join(root, s)),
      '-o',
      exe,
    ],
    {
      stdio: 'pipe',
    },
  )
  for (const candidate of ['avx512', 'scalar']) {
    const run = spawnSync(exe, [candidate], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 })
    const lines = run.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as OpLine | { unavailable: string } | { summary: true })
    const unavailable = lines.find((l): l is { unavailable: string } => 'unavailable' in l)
    if (unavailable) {
      t.comment(`${candidate}: ${unavailable.unavailable}`)
      continue
    }
    const cases = lines.filter((l): l is OpLine => 'op' in l)
    const bad = cases.filter((c) => c.mismatches !== 0 || c.error)
    t.ok(cases.length > 100, `${candidate}: ${cases.length} op cases ran`)
    t.equal(
      bad.length,
      0,
      `${candidate}: every op case bitwise equal${
        bad.length
          ? `; failing: ${bad
              .slice(0, 5)
              .map((c) => `${c.op} ${c.case}`)
              .join('; ')}`
          : ''
      }`,
    )
    t.equal(run.status, 0, `${candidate}: harness exit status 0`)
  }
})
