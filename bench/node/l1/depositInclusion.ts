/**
 * node / l1 / deposit inclusion: how fast the sequencer includes OPEN deposits queued on L1, and
 * what the L1-info deposit adds to every block.
 *
 * Budget it serves: issue 11 asks for "deposits per second the follower can include (1,000
 * deposits queued on L1)" and "the added cost per block of the L1-info tx". There is no peer in
 * this repository to run side by side (op-geth/op-node are not installable here); the L1-info
 * cost is measured against the same chain without the rollup rules in the same run.
 *
 * Set-up (untimed): anvil as L1 (gas limit 1 Ggas), the contracts-bedrock 0.17.3 L1 contracts with
 * OPEN as gas token (node/l1/deployL1.ts), an L2 chain on LevelDB whose genesis is built from that
 * deployment (predeploys), the L1 follower (confirmations 0) and the sequencer's rollup deposits.
 * Per run: 1,000 depositERC20Transaction (1 OPEN each, gas 21,000) queued with anvil's automine
 * off and mined as 2 L1 blocks of 500 (the portal meters 20 M deposit gas per L1 block), then the
 * L2 walks up to them untimed.
 * Timed, per L1 block of 500 deposits: `forBlock` (the follower reads the L1 block and its 500
 * TransactionDeposited logs over JSON-RPC and decodes them; the L1-info deposit is made) and
 * `chain.buildBlock` with the 501 deposits (execution, roots, the LevelDB commit). Deposits/s =
 * 1,000 / the sum of both phases over the 2 blocks.
 * L1-info cost: 200 empty blocks on the rollup chain (each = the L1-info deposit alone) against
 * 200 empty blocks on the same spec without `rollup`, median build ms, and the L1-info gas.
 * Explicit timings and medians, not benny: the timed part needs untimed L1 set-up around it
 * (see bench/runtime/modules/modulesVsOpenZeppelin.ts for the same reasoning).
 *
 * Run: node --import tsx bench/node/l1/depositInclusion.ts  (env: BENCH_RUNS=3)
 * Results: bench/results/deposit-inclusion.json
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { pino } from 'pino'
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { DEV_ACCOUNTS, loadChainSpec } from '../../../genesis/index.ts'
import type { ChainSpec } from '../../../genesis/index.ts'
import { createChain } from '../../../node/chain/index.ts'
import type { Chain } from '../../../node/chain/index.ts'
import { createAnvil, createL1Follower, deployDevRollup, readOpArtifact } from '../../../node/l1/index.ts'
import { createRollupDeposits } from '../../../node/sequencer/index.ts'
import type { RollupDeposits } from '../../../node/sequencer/index.ts'
import { l1Clients } from '../../../test/fixtures/l1/l1Clients.ts'
import { median } from '../../median.ts'

const RUNS = Number(process.env.BENCH_RUNS ?? '3')
const DEPOSITS = 1_000
const PER_L1_BLOCK = 500
const EMPTY_BLOCKS = 200
const ONE_OPEN = 10n ** 18n
const logger = pino({ level: 'silent' })
const user = privateKeyToAccount(DEV_ACCOUNTS[1]!.privateKey as Hex)

async function main(): Promise<void> {
  const anvil = await createAnvil({ chainId: 900n, gasLimit: 1_000_000_000n })
  const work = await mkdtemp(join(tmpdir(), 'ol-bench-deposits-'))
  const chains: Chain[] = []
  try {
    const { wallet, l1 } = l1Clients(anvil)
    const base: ChainSpec = { ...loadChainSpec('devnet'), timestamp: (await l1.getBlock()).timestamp }
    // the --dev.l1 deployment: OPEN as gas token, the genesis supply locked, `user` given L1 OPEN
    const spec = await deployDevRollup(wallet, base, [{ address: user.address, amount: 10n ** 9n * ONE_OPEN }])
    const { rollup } = spec
    const l2 = await createChain({ dataDir: join(work, 'rollup'), spec, logger })
    chains.push(l2)
    const follower = createL1Follower({ rpcUrl: anvil.url, rollup, confirmations: 0, pollIntervalMs: 0, logger })
    const deposits = createRollupDeposits({ rollup, l1: follower, logger })
    const portal = rollup.depositContract
    const portalAbi = readOpArtifact('OptimismPortal').abi
    const tokenAbi = readOpArtifact('MockERC20').abi
    await l1.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        account: user,
        address: rollup.gasPayingToken.address,
        abi: tokenAbi,
        functionName: 'approve',
        args: [portal, 2n ** 255n],
      }),
    })

    /** Queue `count` deposits with automine off and mine them as one L1 block; its number. */
    async function queueDeposits(count: number): Promise<bigint> {
      // empty L1 blocks first: the portal's deposit base fee (ResourceMetering, target 2 M gas a
      // block) falls back after the last heavy block, so each block of deposits burns the same L1 gas
      await l1.mine({ blocks: 20 })
      await l1.setAutomine(false)
      let nonce = await l1.getTransactionCount({ address: user.address, blockTag: 'pending' })
      const sends: Promise<Hex>[] = []
      for (let i = 0; i < count; i++) {
        sends.push(
          wallet.writeContract({
            account: user,
            address: portal,
            abi: portalAbi,
            functionName: 'depositERC20Transaction',
            args: [user.address, ONE_OPEN, 0n, 21_000n, false, '0x'],
            gas: 200_000n,
            nonce: nonce++,
          }),
        )
      }
      const hashes = await Promise.all(sends)
      await l1.mine({ blocks: 1 })
      await l1.setAutomine(true)
      const last = await l1.getTransactionReceipt({ hash: hashes.at(-1)! })
      if (last.status !== 'success') throw new Error('a queued deposit reverted on L1')
      return last.blockNumber
    }

    let timestamp = spec.timestamp
    /** Build L2 blocks (untimed) until the next block's origin would be `l1Block`. */
    async function walkTo(l1Block: bigint, d: RollupDeposits): Promise<void> {
      for (;;) {
        const origin = await d.originOf(l2.head())
        if (origin.number >= l1Block - 1n) return
        timestamp += 12n
        await l2.buildBlock([], { timestamp, deposits: await d.forBlock(l2.head(), timestamp) })
      }
    }

    const runs: { followerMs: number; buildMs: number; included: number }[] = []
    for (let run = 0; run < RUNS + 1; run++) {
      const blocks: bigint[] = []
      for (let sent = 0; sent < DEPOSITS; sent += PER_L1_BLOCK) blocks.push(await queueDeposits(PER_L1_BLOCK))
      let followerMs = 0
      let buildMs = 0
      let included = 0
      for (const l1Block of blocks) {
        await walkTo(l1Block, deposits)
        timestamp += 12n
        const t0 = performance.now()
        const txs = await deposits.forBlock(l2.head(), timestamp)
        const t1 = performance.now()
        const built = await l2.buildBlock([], { timestamp, deposits: txs })
        const t2 = performance.now()
        followerMs += t1 - t0
        buildMs += t2 - t1
        included += built.block.transactions.length - 1
        if (built.receipts.some((r) => r.status !== 1)) throw new Error('a deposit failed on L2')
      }
      if (included !== DEPOSITS) throw new Error(`included ${included} deposits, expected ${DEPOSITS}`)
      if (run > 0) runs.push({ followerMs, buildMs, included }) // run 0 warms the JIT and caches
    }

    // the L1-info deposit's cost per block: empty blocks with and without the rollup rules
    const plain = await createChain({ dataDir: join(work, 'plain'), spec: base, logger })
    chains.push(plain)
    const emptyMs = async (c: Chain, withInfo: boolean): Promise<number[]> => {
      const times: number[] = []
      let ts = c.head().header.timestamp
      for (let i = 0; i < EMPTY_BLOCKS; i++) {
        ts += 1n
        const opts = withInfo ? { timestamp: ts, deposits: await deposits.forBlock(c.head(), ts) } : { timestamp: ts }
        const t0 = performance.now()
        await c.buildBlock([], opts)
        times.push(performance.now() - t0)
      }
      return times.slice(20) // the first blocks warm up
    }
    const withInfo = await emptyMs(l2, true)
    const without = await emptyMs(plain, false)
    const l1InfoGas = (await l2.getReceipts(l2.head().hash()))![0]!.gasUsed

    const totalMs = runs.map((r) => r.followerMs + r.buildMs)
    const result = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), loadavg: loadavg(), node: process.version },
      deposits: {
        perRun: DEPOSITS,
        l1Blocks: DEPOSITS / PER_L1_BLOCK,
        runs,
        medianFollowerMs: median(runs.map((r) => r.followerMs)),
        medianBuildMs: median(runs.map((r) => r.buildMs)),
        medianTotalMs: median(totalMs),
        depositsPerSecond: Math.round((DEPOSITS * 1000) / median(totalMs)),
      },
      l1Info: {
        blocks: EMPTY_BLOCKS - 20,
        medianRollupBlockMs: median(withInfo),
        medianPlainBlockMs: median(without),
        addedMsPerBlock: median(withInfo) - median(without),
        gasUsed: l1InfoGas.toString(),
      },
    }
    console.log(JSON.stringify(result, null, 2))
    const out = join(dirname(fileURLToPath(import.meta.url)), '../../results/deposit-inclusion.json')
    await mkdir(dirname(out), { recursive: true })
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`)
  } finally {
    for (const c of chains) await c.close()
    await anvil.stop()
    await rm(work, { recursive: true, force: true })
  }
}

await main()
