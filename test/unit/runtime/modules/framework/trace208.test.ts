// GOPEN's vote checkpoints (OZ Checkpoints.Trace208 in module storage) over a seeded random
// sequence of deposits, withdrawals, transfers and delegations in blocks of increasing (and
// sometimes equal) timestamps, against a naive model: every getPastVotes / getPastTotalSupply,
// numCheckpoints and checkpoints(i) agree, a lookup's gas is OZ's upperLookupRecent probes
// (log n cold SLOADs), and future timepoints revert ERC5805FutureLookup.
import t from 'tap'
import type { Hex } from '../../../../../genesis/index.ts'
import { createPrng } from '../../../../fixtures/chain/prng.ts'
import { testAccounts } from '../../../../fixtures/chain/testSpec.ts'
import { GOPEN, createGopenVm } from '../../../../fixtures/modules/gopen.ts'
import { DEFAULT_TIMESTAMP } from '../../../../fixtures/modules/moduleVm.ts'

const ZERO: Hex = '0x0000000000000000000000000000000000000000'
const accounts = testAccounts(4)
type Point = { key: bigint; value: bigint }

/** The naive model: balances, delegates and every checkpoint list, as OZ's Votes keeps them. */
function createModel() {
  const balances = new Map<Hex, bigint>()
  const delegates = new Map<Hex, Hex>()
  const traces = new Map<Hex, Point[]>()
  const total: Point[] = []
  const latest = (list: Point[]) => list.at(-1)?.value ?? 0n
  const push = (list: Point[], key: bigint, value: bigint) => {
    const last = list.at(-1)
    if (last !== undefined && last.key === key) last.value = value
    else list.push({ key, value })
  }
  const trace = (a: Hex) => traces.get(a) ?? traces.set(a, []).get(a)!
  const move = (from: Hex, to: Hex, amount: bigint, key: bigint) => {
    if (from === to || amount === 0n) return
    if (from !== ZERO) push(trace(from), key, latest(trace(from)) - amount)
    if (to !== ZERO) push(trace(to), key, latest(trace(to)) + amount)
  }
  const delegateOf = (a: Hex) => (a === ZERO ? ZERO : (delegates.get(a) ?? ZERO))
  const balance = (a: Hex) => balances.get(a) ?? 0n
  /** OZ ERC20Votes `_update` */
  const update = (from: Hex, to: Hex, value: bigint, key: bigint) => {
    if (from !== ZERO) balances.set(from, balance(from) - value)
    if (to !== ZERO) balances.set(to, balance(to) + value)
    if (from === ZERO) push(total, key, latest(total) + value)
    if (to === ZERO) push(total, key, latest(total) - value)
    move(delegateOf(from), delegateOf(to), value, key)
  }
  const delegate = (a: Hex, to: Hex, key: bigint) => {
    const old = delegateOf(a)
    delegates.set(a, to)
    move(old, to, balance(a), key)
  }
  /** the value at `key` by a linear scan */
  const lookup = (list: Point[], key: bigint) => list.filter((p) => p.key <= key).at(-1)?.value ?? 0n
  return { balance, update, delegate, trace, total, lookup }
}

/** The storage reads OZ's upperLookupRecent makes for `key` in `list` (positions, in order). */
function probes(list: Point[], key: bigint): bigint[] {
  const reads: bigint[] = []
  const at = (i: bigint) => {
    reads.push(i)
    return list[Number(i)]!
  }
  const len = BigInt(list.length)
  let low = 0n
  let high = len
  if (len > 5n) {
    const mid = len - BigInt(Math.floor(Math.sqrt(list.length)))
    if (key < at(mid).key) high = mid
    else low = mid + 1n
  }
  while (low < high) {
    const mid = (low + high) / 2n
    if (at(mid).key > key) high = mid
    else low = mid + 1n
  }
  if (high > 0n) at(high - 1n)
  return reads
}

/** Gas of one lookup: dispatch and calldata words, the trace's slots (keccaks), length, then each probe (cold once, warm after). */
function lookupGas(list: Point[], key: bigint, perAccount: boolean): bigint {
  const reads = probes(list, key)
  let gas = 100n + (perAccount ? 3n : 2n) * 3n + 3n + (perAccount ? 42n : 0n) + 2_100n
  if (reads.length > 0) gas += 36n
  const seen = new Set<bigint>()
  for (const r of reads) {
    gas += seen.has(r) ? 100n : 2_100n
    seen.add(r)
  }
  return gas
}

t.test('random ops over many blocks: past votes and supply agree with the naive model', async (t) => {
  const vm = await createGopenVm({ accounts })
  const model = createModel()
  const prng = createPrng(0x60be4)
  const holders = accounts.map((a) => a.hex)
  const targets = [...holders, ZERO]
  let now = DEFAULT_TIMESTAMP
  const start = now
  for (let i = 0; i < 160; i++) {
    now += BigInt(prng.int(3)) // 0: the same second again, so the last checkpoint is overwritten
    const who = prng.pick(holders)
    const kind = prng.pick(['deposit', 'deposit', 'withdraw', 'transfer', 'transfer', 'delegate'] as const)
    const opts = { caller: who, timestamp: now }
    const amount = (max: bigint) => (max === 0n ? 0n : BigInt(prng.int(Number(max))) + 1n)
    let out: Awaited<ReturnType<typeof vm.gopen>> | undefined
    if (kind === 'deposit') {
      const value = amount(1_000n)
      out = await vm.gopen('deposit', [], { ...opts, value })
      model.update(ZERO, who, value, now)
    } else if (kind === 'withdraw' && model.balance(who) > 0n) {
      const value = amount(model.balance(who))
      out = await vm.gopen('withdraw', [value], opts)
      model.update(who, ZERO, value, now)
    } else if (kind === 'transfer' && model.balance(who) > 0n) {
      const to = prng.pick(holders)
      const value = amount(model.balance(who))
      out = await vm.gopen('transfer', [to, value], opts)
      model.update(who, to, value, now)
    } else if (kind === 'delegate') {
      const to = prng.pick(targets)
      out = await vm.gopen('delegate', [to], opts)
      model.delegate(who, to, now)
    }
    if (out !== undefined && !out.ok) t.fail(`op ${i} ${kind} by ${who} failed: ${out.error?.name ?? out.exception}`)
  }
  const end = now + 1n
  for (const a of holders) {
    const list = model.trace(a)
    t.equal(await vm.read('numCheckpoints', [a], end), list.length, `numCheckpoints(${a})`)
    for (const [i, p] of list.entries()) {
      const cp = (await vm.read('checkpoints', [a, i], end)) as { _key: number; _value: bigint }
      if (BigInt(cp._key) !== p.key || cp._value !== p.value) t.fail(`checkpoints(${a}, ${i}) = ${cp._key}/${cp._value}, model ${p.key}/${p.value}`)
    }
    t.equal(await vm.read('getVotes', [a], end), list.at(-1)?.value ?? 0n, `getVotes(${a})`)
  }
  let compared = 0
  for (let when = start - 1n; when < end; when++) {
    const supply = await vm.gopen('getPastTotalSupply', [when], { timestamp: end })
    if (supply.result !== model.lookup(model.total, when)) t.fail(`getPastTotalSupply(${when})`)
    if (supply.gas !== lookupGas(model.total, when, false)) t.fail(`getPastTotalSupply(${when}) gas ${supply.gas}`)
    for (const a of holders) {
      const votes = await vm.gopen('getPastVotes', [a, when], { timestamp: end })
      if (votes.result !== model.lookup(model.trace(a), when))
        t.fail(`getPastVotes(${a}, ${when}) = ${votes.result}, model ${model.lookup(model.trace(a), when)}`)
      if (votes.gas !== lookupGas(model.trace(a), when, true)) t.fail(`getPastVotes(${a}, ${when}) gas ${votes.gas}`)
      compared++
    }
  }
  t.equal(compared, Number(end - start + 1n) * holders.length, 'every account at every second compared (value and gas)')
  const longest = Math.max(model.total.length, ...holders.map((a) => model.trace(a).length))
  t.ok(longest > 20, `long enough traces to search (${longest} checkpoints)`)
  const worst = Math.max(...[...Array(Number(end - start))].map((_, i) => probes(model.total, start + BigInt(i)).length))
  t.ok(worst <= Math.ceil(Math.log2(model.total.length)) + 2, `at most log2(n) + 2 probes (${worst} for ${model.total.length})`)
  t.equal(await vm.balance(GOPEN), await vm.read('totalSupply'), 'native OPEN in GOPEN == totalSupply')
})

t.test('lookups at or after the clock revert ERC5805FutureLookup; checkpoints past the end Panic(0x32)', async (t) => {
  const vm = await createGopenVm({ accounts })
  const a = accounts[0]!.hex
  const now = DEFAULT_TIMESTAMP
  t.same((await vm.gopen('getPastVotes', [a, now], { timestamp: now })).error, { name: 'ERC5805FutureLookup', args: [now, Number(now)] })
  t.same((await vm.gopen('getPastTotalSupply', [now + 5n], { timestamp: now })).error, { name: 'ERC5805FutureLookup', args: [now + 5n, Number(now)] })
  t.equal(await vm.read('getPastVotes', [a, now - 1n], now), 0n)
  t.same((await vm.gopen('checkpoints', [a, 0])).error, { name: 'Panic', args: [0x32n] })
})
