import { bytesEqual } from '../hex.ts'

/** Address/topic part of a log filter. */
export type LogMatcher = { addresses?: Uint8Array[]; topics?: (Uint8Array[] | null)[] }

/** True when a log matches the address OR-list and the position-wise topic OR-lists. */
export function matchLog(m: LogMatcher, address: Uint8Array, topics: Uint8Array[]): boolean {
  if (m.addresses !== undefined && m.addresses.length > 0) {
    let hit = false
    for (const a of m.addresses) {
      if (bytesEqual(a, address)) {
        hit = true
        break
      }
    }
    if (!hit) return false
  }
  if (m.topics !== undefined) {
    // geth: a filter with more topic positions than the log has never matches, wildcards or not
    if (m.topics.length > topics.length) return false
    for (let i = 0; i < m.topics.length; i++) {
      const want = m.topics[i]
      if (want === null || want === undefined || want.length === 0) continue
      let hit = false
      for (const t of want) {
        if (bytesEqual(t, topics[i]!)) {
          hit = true
          break
        }
      }
      if (!hit) return false
    }
  }
  return true
}
