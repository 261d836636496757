import type { CallFrame } from '../../ports/index.ts'
import type { TracerConfig } from './tracerConfig.ts'

/**
 * Apply callTracer options to a full call tree (a copy; the input is left as it is):
 * without withLog the frames carry no logs; with onlyTopCall only the top frame remains, and
 * its logs' positions are 0, since geth records no sub-calls to count in that mode.
 */
export function trimFrame(frame: CallFrame, cfg: TracerConfig): CallFrame {
  const { calls, logs, ...rest } = frame
  const out: CallFrame = rest
  if (cfg.withLog && logs !== undefined) out.logs = cfg.onlyTopCall ? logs.map((l) => ({ ...l, position: '0x0' })) : logs
  if (!cfg.onlyTopCall && calls !== undefined) out.calls = calls.map((c) => trimFrame(c, cfg))
  return out
}
