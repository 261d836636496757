/**
 * Child processes the node's tools start (anvil in node/l1, node processes in bench/): tracked
 * so that none outlives this process, even when it dies on an uncaught error.
 */
import type { ChildProcess } from 'node:child_process'

const live = new Set<ChildProcess>()

process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

/** Track `child` until it exits. */
export function track(child: ChildProcess): ChildProcess {
  live.add(child)
  child.once('exit', () => live.delete(child))
  return child
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}
