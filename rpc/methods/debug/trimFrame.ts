import type { CallFrame } from '../../backend.ts'
import type { TracerConfig } from './tracerConfig.ts'

/** Apply tracer options to a full call tree. */
export function trimFrame(frame: CallFrame, cfg: TracerConfig): CallFrame {
  if (!cfg.onlyTopCall || frame.calls === undefined) return frame
  const { calls: _calls, ...top } = frame
  return top
}
