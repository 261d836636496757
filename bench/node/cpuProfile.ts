/**
 * A V8 CPU profile of part of a bench run (the inspector in this process), for attributing time:
 * open the file in Chrome DevTools or summarise it with bench/node/summariseProfile.ts.
 */
import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'

/** Sample every 200 µs: enough samples in a block build of a few hundred ms. */
const SAMPLING_INTERVAL_US = 200

/** Start profiling; the returned function stops and writes the profile to `file`. */
export async function startCpuProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US })
  await session.post('Profiler.start')
  return async (file) => {
    const { profile } = await session.post('Profiler.stop')
    await writeFile(file, JSON.stringify(profile))
    session.disconnect()
  }
}
