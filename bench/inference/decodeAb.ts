/**
 * inference / decode A/B: runs decodeProbe.ts for two or more builds in alternation (ABBA order,
 * one process per run) and prints per case the median and best tok/s and the median CPU ms per
 * token, plus whether every run of every build produced the same logits hash. On a shared machine
 * a single run says little; interleaving spreads the neighbours' load over all builds.
 *
 * A build is a directory laid out like a checkout: <dir>/native/*.ts and
 * <dir>/build/Release/openledger_infer.node (copy both to keep an old build).
 *
 * Run: node --import tsx bench/inference/decodeAb.ts <rounds> <modelDir> <adapterSetDir> name=dir ...
 *   (PROBE_* env vars pass through to decodeProbe.ts)
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { median } from '../median.ts'

type Line = { case: string; tokS: number; cpuMsPerTok: number; hash: string }

const [roundsArg, modelDir, adapterSet, ...buildArgs] = process.argv.slice(2)
const rounds = Number(roundsArg)
if (!Number.isInteger(rounds) || rounds < 1 || !modelDir || !adapterSet || buildArgs.length < 1)
  throw new Error('usage: decodeAb.ts <rounds> <modelDir> <adapterSetDir> name=dir ...')
const builds = buildArgs.map((a) => {
  const at = a.indexOf('=')
  return { name: a.slice(0, at), dir: a.slice(at + 1) }
})
const probe = join(import.meta.dirname, 'decodeProbe.ts')
const runs = new Map<string, Line[]>()

for (let r = 0; r < rounds; r++) {
  for (const b of r % 2 === 0 ? builds : [...builds].reverse()) {
    const out = spawnSync(process.execPath, ['--import', 'tsx', probe, modelDir, adapterSet], { env: { ...process.env, PROBE_ROOT: b.dir }, encoding: 'utf8' })
    if (out.status !== 0) throw new Error(`${b.name}: ${out.stderr}`)
    for (const l of out.stdout.split('\n').filter((x) => x.trim() !== '')) {
      const line = JSON.parse(l) as Line
      const key = `${line.case}\t${b.name}`
      runs.set(key, [...(runs.get(key) ?? []), line])
    }
  }
}

const cases = [...new Set([...runs.keys()].map((k) => k.split('\t')[0]!))]
for (const c of cases) {
  const hashes = new Set<string>()
  for (const b of builds) {
    const list = runs.get(`${c}\t${b.name}`) ?? []
    for (const l of list) hashes.add(l.hash)
    const tok = list.map((l) => l.tokS)
    console.log(
      `${c.padEnd(4)} ${b.name.padEnd(8)} tok/s median ${median(tok).toFixed(1).padStart(6)} best ${Math.max(...tok)
        .toFixed(1)
        .padStart(6)} | cpu ms/token median ${median(list.map((l) => l.cpuMsPerTok)).toFixed(2)}`,
    )
  }
  console.log(`${c.padEnd(4)} logits/tokens/attribution hash identical across all runs: ${hashes.size === 1 ? 'yes' : `NO (${[...hashes].join(', ')})`}`)
}
