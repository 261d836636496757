/**
 * Summarise a V8 .cpuprofile (from bench/node/buildPhase.ts BUILD_PROFILE or node --cpu-prof):
 * self time per function and inclusive time of selected functions, in percent of the samples.
 * A tool for attributing block-production time, not a benchmark case.
 *
 * Run: node --import tsx bench/node/summariseProfile.ts <file.cpuprofile> [top=40] [inclusive names, comma separated]
 */
import { readFileSync } from 'node:fs'

type ProfileNode = {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
type Profile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const [file, topArg, inclusiveArg] = process.argv.slice(2)
if (file === undefined) throw new Error('usage: summariseProfile.ts <file.cpuprofile> [top] [names]')
const top = Number(topArg ?? '40')
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile

const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const parent = new Map<number, number>()
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)

const label = (n: ProfileNode): string => {
  const url = n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(wt-[^/]+|main)\//, '')
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`
}

// time per sample: the delta that follows it
const selfUs = new Map<number, number>()
let totalUs = 0
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i + 1] ?? 0
  totalUs += dt
  const id = profile.samples[i]!
  selfUs.set(id, (selfUs.get(id) ?? 0) + dt)
}

const selfByLabel = new Map<string, number>()
for (const [id, us] of selfUs) {
  const key = label(byId.get(id)!)
  selfByLabel.set(key, (selfByLabel.get(key) ?? 0) + us)
}
const pct = (us: number): string => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%`
console.log(`total ${(totalUs / 1000).toFixed(0)} ms sampled`)
console.log('--- self time')
for (const [key, us] of [...selfByLabel].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)} ${key}`)

// inclusive time of functions whose name matches one of the given names (counted once per sample)
const names = (inclusiveArg ?? '').split(',').filter((s) => s !== '')
if (names.length > 0) {
  console.log('--- inclusive time')
  for (const name of names) {
    let us = 0
    for (const [id, t] of selfUs) {
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        if (byId.get(cur)!.callFrame.functionName === name) {
          us += t
          break
        }
      }
    }
    console.log(`${pct(us)} ${name}`)
  }
}
