import t from 'tap'
import { createRateLimiter } from '../../../../node/p2p/rateLimiter.ts'

t.test('a token bucket per key, refilled continuously', async (t) => {
  let now = 0
  const limiter = createRateLimiter({ capacity: 256, refillMs: 10_000, now: () => now })
  t.ok(limiter.take('a', 200), 'a fresh key holds the full capacity')
  t.notOk(limiter.take('a', 100), 'over what is left: refused')
  t.equal(limiter.available('a'), 56, 'a refusal takes nothing')
  t.ok(limiter.take('b', 256), 'keys are independent')
  now = 5_000
  t.equal(limiter.available('a'), 56 + 128, 'half the window refills half the capacity')
  now = 60_000
  t.equal(limiter.available('a'), 256, 'never above capacity')
  limiter.take('a', 256)
  limiter.forget('a')
  t.equal(limiter.available('a'), 256, 'a forgotten key starts full')
})
