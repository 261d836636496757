import t from 'tap'
import { bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util'
import { createChain } from '../../../../node/chain/index.ts'
import type { Chain } from '../../../../node/chain/index.ts'
import { createLogger } from '../../../../node/logger.ts'
import { SEQUENCER_ERROR, createRollupDeposits } from '../../../../node/sequencer/index.ts'
import type { L1OriginSource } from '../../../../node/sequencer/index.ts'
import { DepositTx, assertL1InfoDeposit, isDepositTx, userDepositSourceHash } from '../../../../runtime/index.ts'
import type { L1Origin } from '../../../../runtime/index.ts'
import { createTestSpec, testAccounts } from '../../../fixtures/chain/testSpec.ts'
import { tempDir } from '../../../fixtures/chain/tempDir.ts'
import { TEST_ROLLUP, withRollup } from '../../../fixtures/l2/rollupSpec.ts'

const accounts = testAccounts(2)
const logger = createLogger({ level: 'silent' })
const GENESIS = TEST_ROLLUP.l1Genesis.number

/** A fake L1: blocks GENESIS.. with parent links, 12 s apart; `deposits[n]` user deposits of block n. */
function fakeL1(
  spec: { timestamp: bigint },
  confirmedUpTo: bigint,
  deposits: Record<string, number> = {},
): L1OriginSource & { confirmedUpTo: bigint; reads: number } {
  const hashOf = (n: bigint) => (n === GENESIS ? hexToBytes(TEST_ROLLUP.l1Genesis.hash) : new Uint8Array(32).fill(Number(n % 200n) + 1))
  const block = (n: bigint): L1Origin => ({
    number: n,
    hash: hashOf(n),
    parentHash: hashOf(n - 1n),
    timestamp: spec.timestamp + (n - GENESIS) * 12n,
    baseFee: 7n,
    blobBaseFee: 1n,
    deposits: Array.from(
      { length: deposits[n.toString()] ?? 0 },
      (_, i) =>
        new DepositTx({
          sourceHash: userDepositSourceHash(hashOf(n), BigInt(i)),
          from: accounts[0]!.address,
          to: createAddressFromString(`0x${'cc'.repeat(20)}`),
          mint: 10n ** 18n,
          value: 0n,
          gasLimit: 100_000n,
          isSystemTx: false,
          data: new Uint8Array(0),
        }),
    ),
  })
  return {
    confirmedUpTo,
    reads: 0,
    async originAt(n) {
      this.reads++
      return n <= this.confirmedUpTo ? block(n) : undefined
    },
    async nextOrigin(current) {
      this.reads++
      const next = current.number + 1n
      if (next > this.confirmedUpTo) return undefined
      const b = block(next)
      return bytesToHex(b.parentHash) === bytesToHex(current.hash) ? b : undefined
    },
  }
}

async function rollupChain(t: { teardown(fn: () => unknown): void }): Promise<Chain> {
  const chain = await createChain({ dataDir: await tempDir(t), spec: withRollup(createTestSpec({ accounts })), logger })
  t.teardown(() => chain.close())
  return chain
}

async function build(chain: Chain, l1: L1OriginSource, timestamp: bigint) {
  const deposits = createRollupDeposits({ rollup: chain.spec.rollup!, l1, logger })
  const txs = await deposits.forBlock(chain.head(), timestamp)
  const { block } = await chain.buildBlock([], { timestamp, deposits: txs })
  return { block, info: assertL1InfoDeposit(block.transactions[0] as unknown as DepositTx), deposits }
}

t.test('epochs: the origin advances one L1 block at a time once it is confirmed and not later than the L2 block', async (t) => {
  const chain = await rollupChain(t)
  const t0 = chain.spec.timestamp
  const l1 = fakeL1(chain.spec, GENESIS + 5n, { [(GENESIS + 1n).toString()]: 2, [(GENESIS + 2n).toString()]: 1 })
  // block 1 at t0 + 1: L1 block GENESIS + 1 is at t0 + 12, later than the L2 block: same epoch
  let b = await build(chain, l1, t0 + 1n)
  t.equal(b.info.number, GENESIS, 'block 1 stays on the genesis origin')
  t.equal(b.info.sequenceNumber, 1n)
  t.equal(b.block.transactions.length, 1, 'only the L1-info deposit')
  // block 2 at t0 + 12: the next origin is due; its two deposits open the block
  b = await build(chain, l1, t0 + 12n)
  t.equal(b.info.number, GENESIS + 1n)
  t.equal(b.info.sequenceNumber, 0n)
  t.equal(b.block.transactions.filter(isDepositTx).length, 3, 'L1-info + 2 user deposits')
  // block 3 at t0 + 100: only one L1 block further, even though several are due
  b = await build(chain, l1, t0 + 100n)
  t.equal(b.info.number, GENESIS + 2n, 'at most one L1 block per L2 block')
  t.equal(b.block.transactions.length, 2, 'L1-info + its 1 deposit')
  const origin = await b.deposits.originOf(chain.head())
  t.same([origin.number, origin.sequenceNumber], [GENESIS + 2n, 0n], 'originOf reads it back from the block')
})

t.test('deposits are included exactly once, also by a new instance after a restart; L1 outages keep the epoch', async (t) => {
  const chain = await rollupChain(t)
  const t0 = chain.spec.timestamp
  const l1 = fakeL1(chain.spec, GENESIS + 1n, { [(GENESIS + 1n).toString()]: 1 })
  const seen = new Set<string>()
  const count = (block: { transactions: unknown[] }) => {
    for (const tx of block.transactions)
      if (isDepositTx(tx) && !tx.from.toString().startsWith('0xdeaddead')) {
        const h = bytesToHex(tx.hash())
        t.notOk(seen.has(h), `deposit ${h} included once`)
        seen.add(h)
      }
  }
  for (let i = 1n; i <= 4n; i++) count((await build(chain, l1, t0 + 12n * i)).block)
  t.equal(seen.size, 1, 'the one deposit, once')
  l1.confirmedUpTo = GENESIS // L1 answers nothing newer (outage or not confirmed): the epoch continues
  const b = await build(chain, l1, t0 + 60n)
  t.equal(b.info.number, GENESIS + 1n)
  t.ok(b.info.sequenceNumber > 0n, 'same origin, next sequence number')
})

t.test('a rollup config anchored to another L1 is refused; L1 down at the first block is an error the sequencer retries', async (t) => {
  const chain = await rollupChain(t)
  const wrong: L1OriginSource = {
    originAt: async (n) => ({
      number: n,
      hash: new Uint8Array(32).fill(0xee),
      parentHash: new Uint8Array(32),
      timestamp: 0n,
      baseFee: 1n,
      blobBaseFee: 1n,
      deposits: [],
    }),
    nextOrigin: async () => undefined,
  }
  await t.rejects(createRollupDeposits({ rollup: chain.spec.rollup!, l1: wrong, logger }).forBlock(chain.head(), chain.spec.timestamp + 1n), {
    code: SEQUENCER_ERROR.L1_MISMATCH,
  })
  const down: L1OriginSource = { originAt: async () => undefined, nextOrigin: async () => undefined }
  await t.rejects(createRollupDeposits({ rollup: chain.spec.rollup!, l1: down, logger }).forBlock(chain.head(), chain.spec.timestamp + 1n), {
    code: SEQUENCER_ERROR.L1_UNAVAILABLE,
  })
})

t.test('an L1 that hangs does not hold a block: its late answer is used by a later block', async (t) => {
  const chain = await rollupChain(t)
  const t0 = chain.spec.timestamp
  const healthy = fakeL1(chain.spec, GENESIS + 3n)
  let release: (() => void) | undefined
  let asked = 0
  const hanging: L1OriginSource = {
    originAt: (n) => healthy.originAt(n),
    nextOrigin: (current) => {
      asked++
      // the answer comes only when the test releases it (an L1 that accepted the request and hangs)
      return new Promise((resolve) => {
        release = () => void healthy.nextOrigin(current).then(resolve)
      })
    },
  }
  const deposits = createRollupDeposits({ rollup: chain.spec.rollup!, l1: hanging, logger, l1WaitMs: 20 })
  const first = await deposits.forBlock(chain.head(), t0 + 100n)
  t.equal(assertL1InfoDeposit(first[0]!).number, GENESIS, 'the block is built on the current origin without the answer')
  await chain.buildBlock([], { timestamp: t0 + 100n, deposits: first })
  const again = await deposits.forBlock(chain.head(), t0 + 101n)
  t.equal(assertL1InfoDeposit(again[0]!).number, GENESIS, 'still waiting: same epoch')
  t.equal(asked, 1, 'the pending question is not asked twice')
  await chain.buildBlock([], { timestamp: t0 + 101n, deposits: again })
  release!()
  await new Promise((resolve) => setImmediate(resolve))
  const advanced = await deposits.forBlock(chain.head(), t0 + 102n)
  t.equal(assertL1InfoDeposit(advanced[0]!).number, GENESIS + 1n, 'the late answer opens the next epoch')
})
