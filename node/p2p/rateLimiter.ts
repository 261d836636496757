/** Options of {@link createRateLimiter}. */
export type RateLimiterOptions = {
  /** tokens a fresh key holds, and the most it can save up */
  capacity: number
  /** milliseconds to refill a full bucket (refilled continuously, capacity / refillMs per ms) */
  refillMs: number
  /** clock in milliseconds; a test passes its own */
  now?: () => number
}

/** Per-key token buckets. */
export type RateLimiter = {
  /** take `n` tokens from `key`'s bucket; false (nothing taken) when it holds fewer */
  take(key: string, n: number): boolean
  /** tokens `key` holds now */
  available(key: string): number
  /** drop `key`'s bucket (the peer disconnected) */
  forget(key: string): void
}

/**
 * A token bucket per key (per peer): the blocks_by_range server spends one token per block
 * asked for, so a peer can fetch `capacity` blocks at once and then `capacity` per `refillMs`.
 *
 * @example
 * const limiter = createRateLimiter({ capacity: 256, refillMs: 10_000 })
 * if (!limiter.take(peerId, count)) refuse()
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const now = options.now ?? (() => performance.now())
  const rate = options.capacity / options.refillMs
  const buckets = new Map<string, { tokens: number; at: number }>()

  function refill(key: string): { tokens: number; at: number } {
    const t = now()
    let bucket = buckets.get(key)
    if (bucket === undefined) {
      bucket = { tokens: options.capacity, at: t }
      buckets.set(key, bucket)
    } else {
      bucket.tokens = Math.min(options.capacity, bucket.tokens + (t - bucket.at) * rate)
      bucket.at = t
    }
    return bucket
  }

  return {
    take(key, n) {
      const bucket = refill(key)
      if (bucket.tokens < n) return false
      bucket.tokens -= n
      return true
    },
    available(key) {
      return refill(key).tokens
    },
    forget(key) {
      buckets.delete(key)
    },
  }
}
