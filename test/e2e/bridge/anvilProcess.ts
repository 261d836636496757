// The anvil process of a --dev.l1 datadir, found through /proc (its --state path is unique to
// the datadir): for tests that stop, pause or kill the node's L1 from outside.
import { readFileSync, readdirSync } from 'node:fs'

/** The pid of the anvil whose --state is `statePath` (unique to a datadir), read from /proc. */
export function anvilOf(statePath: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      if (argv.some((arg) => arg.endsWith('anvil')) && argv.includes(statePath)) return Number(entry)
    } catch {
      // the process exited while we looked
    }
  }
  return undefined
}

/** Whether `pid` runs (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}
