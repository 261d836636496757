// cuda-config.mjs: CUDA toolkit discovery for binding.gyp (run through gyp's <!(...) expansion,
// so it must never fail: it prints a usable answer or a "none"/0 fallback).
//   node native/cuda/cuda-config.mjs with     -> 1 when nvcc and libcudart_static.a are found, else 0
//   node native/cuda/cuda-config.mjs nvcc     -> path of nvcc, or "none"
//   node native/cuda/cuda-config.mjs cudart   -> path of libcudart_static.a, or "none"
//   node native/cuda/cuda-config.mjs sources  -> the native/cuda/*.cu files, one per line
// OLI_WITH_CUDA=0 in the environment forces a CPU-only build (as does -Dwith_cuda=0).
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, realpathSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

/** First executable named nvcc on PATH, then under CUDA_HOME / CUDA_PATH / /usr/local/cuda. */
function findNvcc() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'nvcc'))) return join(dir, 'nvcc')
  }
  for (const home of [process.env.CUDA_HOME, process.env.CUDA_PATH, '/usr/local/cuda']) {
    if (home && existsSync(join(home, 'bin', 'nvcc'))) return join(home, 'bin', 'nvcc')
  }
  return undefined
}

/** Toolkit root: CUDA_HOME / CUDA_PATH, else where nvcc says it lives (`_HERE_` of --dryrun). */
function findHome(nvcc) {
  for (const home of [process.env.CUDA_HOME, process.env.CUDA_PATH]) {
    if (home && existsSync(home)) return home
  }
  // nvcc may be a wrapper script; its dry run (printed on stderr) names the real bin directory.
  const run = spawnSync(nvcc, ['--dryrun', '-c', 'oli-probe.cu'], { encoding: 'utf8' })
  const text = `${run.stdout ?? ''}\n${run.stderr ?? ''}`
  const line = text.split('\n').find((l) => l.startsWith('#$ _HERE_='))
  if (line) return dirname(line.slice('#$ _HERE_='.length).trim())
  return dirname(dirname(realpathSync(nvcc)))
}

function findCudart(home) {
  for (const rel of ['lib64', 'lib', join('targets', 'x86_64-linux', 'lib'), join('targets', 'sbsa-linux', 'lib')]) {
    const p = join(home, rel, 'libcudart_static.a')
    if (existsSync(p)) return p
  }
  return undefined
}

function discover() {
  if (process.env.OLI_WITH_CUDA === '0') return {}
  const nvcc = findNvcc()
  if (!nvcc) return {}
  let cudart
  try {
    cudart = findCudart(findHome(nvcc))
  } catch {
    cudart = undefined
  }
  return cudart ? { nvcc, cudart } : {}
}

const what = process.argv[2]
if (what === 'sources') {
  const files = readdirSync(here)
    .filter((f) => f.endsWith('.cu'))
    .sort()
  process.stdout.write(files.map((f) => `native/cuda/${f}`).join('\n') + '\n')
} else {
  const found = discover()
  if (what === 'with') process.stdout.write(found.nvcc ? '1\n' : '0\n')
  else if (what === 'nvcc') process.stdout.write(`${found.nvcc ?? 'none'}\n`)
  else if (what === 'cudart') process.stdout.write(`${found.cudart ?? 'none'}\n`)
  else process.stdout.write('none\n')
}
