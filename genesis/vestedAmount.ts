/**
 * THE vesting formula (the runtime's vesting module imports it; `openledger supply` plots it):
 * how much of `amount` has vested at time `t`, for a schedule that runs linearly from `start`
 * for `duration` seconds and releases nothing before the absolute timestamp `cliff`.
 *
 * - t < cliff: 0
 * - t >= start + duration: amount
 * - otherwise: floor(amount * (t - start) / duration)
 *
 * Floored, so it never releases more than has accrued, and the last second releases the
 * remainder: over a full schedule no wei is lost or created. At the cliff, what accrued since
 * start is released at once (0 when cliff = start).
 *
 * @example
 * vestedAmount(1000n, 0n, 0n, 3n, 1n) // 333n
 * vestedAmount(1000n, 0n, 0n, 3n, 3n) // 1000n
 */
export function vestedAmount(amount: bigint, start: bigint, cliff: bigint, duration: bigint, t: bigint): bigint {
  if (t < cliff) return 0n
  if (t >= start + duration) return amount
  // t <= start only when cliff <= start: nothing has accrued yet (and t - start would be negative)
  if (t <= start) return 0n
  return (amount * (t - start)) / duration
}
