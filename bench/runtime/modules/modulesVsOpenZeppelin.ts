/**
 * runtime / modules vs OpenZeppelin: gas and wall time of castVote, delegate, release and a GOPEN
 * transfer on the runtime modules and on OpenZeppelin 5.7's Solidity peers of them (ozPeers.ts),
 * on one node in one run (issue 7).
 *
 * Budget it serves: a module exists to do what the Solidity contract does for less: gas at most
 * OZ's (runtime/modules/gopen/README.md and governor/README.md, "Gas"; ratio module / OZ <= 1.0)
 * and, since the node runs a module's handler in TypeScript where it interprets OZ's bytecode, no
 * more of the sequencer's time per tx (ratio <= 1.0), in the block build and end to end.
 *
 * The node: createNode in-process (--dev, automine off, no interval blocks, no eth_call workers)
 * on a fresh datadir with the devnet spec adapted in modulesSpec.ts: N holders (N = BENCH_TXS,
 * 200) with OPEN, N beneficiaries with a vesting schedule in the module and the same schedule in
 * their own OZ VestingWalletCliff. Setup (untimed, signed txs over JSON-RPC): deploy the peers,
 * each holder wraps 1,000 OPEN on both sides; measure `delegate` (each holder to itself, its first
 * delegation: one new checkpoint); commit the delegations; propose on both governors, pass the
 * voting delay, the treasury votes For (quorum reached); from there measure `castVote` (For),
 * `transfer` (1 GOPEN to a new address: the sender's delegate gets a new checkpoint) and `release`
 * (each beneficiary releases its part-vested schedule), then once more `release` after the
 * beneficiaries delegated their locked OPEN in the module (release then also moves votes).
 * Each operation is N txs, one per account, signed once; both sides run from the same chain
 * state: every measured block is undone (chain.rewindTo / evm_revert). Per operation,
 * BENCH_WARMUP (1) + BENCH_RUNS (5) rounds, module and OZ alternating which goes first, each side
 * measured two ways:
 *   build     N txs into the pool (untimed), one sequencer.buildNow(): its buildSeconds (the wall
 *             time of chain.buildBlock: execution, state root, receipts, the LevelDB commit) / N
 *   json-rpc  evm_snapshot; batches of 100 eth_sendRawTransaction, evm_mine, batched
 *             eth_getTransactionReceipt (bench/node/rpcWorkload.ts); total wall time / N
 * Figures: medians of the runs after the warm-up. Gas: receipt gasUsed (after refunds) and
 * execution gas = gasUsed - intrinsic (21,000 + calldata), medians over the N txs.
 *
 * Not benny (bench/node/blockProduction.ts uses it as a driver only): every sample needs an
 * untimed setup (pool ingest) and an undo (rewind) around a timed part that the node itself
 * reports (buildSeconds); benny / Benchmark.js would time all three and call cases unawaited.
 * This follows bench/node/buildPhase.ts: warm-up runs, then medians of explicit timings.
 *
 * Run: npm run bench:modules  (env: BENCH_TXS=200, BENCH_RUNS=5, BENCH_WARMUP=1,
 *      BENCH_PROFILE_DIR=<dir> for V8 CPU profiles of each operation's last build per side)
 * Results: bench/results/modules-vs-openzeppelin.json
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { createTxFromRLP } from '@ethereumjs/tx'
import { parseAbi } from 'viem'
import type { Hex } from '../../../genesis/index.ts'
import { serializeChainSpec, vestingSchedules } from '../../../genesis/index.ts'
import { createNode } from '../../../node/index.ts'
import type { Node } from '../../../node/index.ts'
import { MODULE_ADDRESSES, gopenAbi, governorAbi } from '../../../runtime/index.ts'
import { VESTING_FUNCTIONS } from '../../../runtime/modules/vesting/vestingAbi.ts'
import { createRpcClient } from '../../node/jsonRpcClient.ts'
import type { RpcClient } from '../../node/jsonRpcClient.ts'
import { startCpuProfile } from '../../node/cpuProfile.ts'
import { runRpcWorkload } from '../../node/rpcWorkload.ts'
import type { RpcRunTimings } from '../../node/rpcWorkload.ts'
import { benchCommon } from '../../node/workload.ts'
import type { BenchCall } from '../../node/workload.ts'
import { modulesBenchSpec } from './modulesSpec.ts'
import type { BenchAccount, ModulesBench } from './modulesSpec.ts'
import { abiCall, createTxSigner, deployPeers, joinTxs, mineTxs, openProposal } from './ozPeers.ts'
import type { OzPeers, SignedTxs, TxSigner } from './ozPeers.ts'
import { median } from '../../median.ts'

const SIDES = ['module', 'oz'] as const
type Side = (typeof SIDES)[number]
/** One measured operation: N signed txs per side, from the same chain state. */
type Operation = { name: string; txs: Record<Side, SignedTxs> }
type SideResult = {
  gasUsed: number
  execGas: number
  gasRange: [number, number]
  buildUsPerTx: number[]
  buildCpuUsPerTx: number[]
  rpcUsPerTx: number[]
  rpcRuns: Omit<RpcRunTimings, 'txGas' | 'gasUsed'>[]
}

const envInt = (name: string, fallback: number, min: number): number => {
  const value = Number(process.env[name] ?? String(fallback))
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}`)
  return value
}
const TXS = envInt('BENCH_TXS', 200, 1)
const RUNS = envInt('BENCH_RUNS', 5, 1)
const WARMUP = envInt('BENCH_WARMUP', 1, 0)
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR || undefined
const VESTING_ABI = parseAbi(VESTING_FUNCTIONS.map(([signature]) => signature))
const WALLET_ABI = parseAbi(['function release()'])

/** One tx from each account at its current nonce, which does not advance: each side of an operation runs from the same state. */
function perUser(accounts: readonly BenchAccount[], signer: TxSigner, callOf: (account: BenchAccount, i: number) => BenchCall): SignedTxs {
  return joinTxs(accounts.map((u, i) => signer.sign(u, callOf(u, i), signer.nonceOf(u))))
}

/**
 * The block build: pool ingest untimed, then the sequencer's own timing of chain.buildBlock (and
 * the process CPU time of buildNow, all threads: steadier than wall time on a loaded machine);
 * undone after. With `profile`, a V8 CPU profile of the build goes to that file.
 */
async function buildRun(node: Node, op: string, txs: SignedTxs, profile?: string): Promise<{ usPerTx: number; cpuUsPerTx: number; gasUsed: bigint }> {
  const parent = node.chain.head()
  for (const raw of txs.raws) await node.txpool.addRaw(raw)
  await node.txpool.idle()
  const stopProfile = profile === undefined ? undefined : await startCpuProfile()
  const cpu0 = process.cpuUsage()
  const block = await node.sequencer!.buildNow()
  const cpu = process.cpuUsage(cpu0)
  await stopProfile?.(profile!)
  if (block.txs !== txs.raws.length) throw new Error(`${op}: ${block.txs} of ${txs.raws.length} txs in the block`)
  const receipts = await node.chain.getReceipts(block.hash)
  const failed = receipts!.findIndex((r) => r.status !== 1)
  if (failed >= 0) throw new Error(`${op}: tx ${failed} of the block failed`)
  await node.chain.rewindTo(parent.hash())
  return { usPerTx: (block.buildSeconds * 1e6) / txs.raws.length, cpuUsPerTx: (cpu.user + cpu.system) / txs.raws.length, gasUsed: block.gasUsed }
}

/** End to end over JSON-RPC, inside an evm_snapshot / evm_revert pair. */
async function rpcRun(client: RpcClient, op: string, txs: SignedTxs): Promise<RpcRunTimings> {
  const snapshot = await client.call<string>('evm_snapshot')
  const run = await runRpcWorkload(client, txs, {
    sendBatch: 100,
    receiptBatch: 500,
    mine: async () => void (await client.call('evm_mine')),
    timeoutMs: 120_000,
  })
  if (run.blocks !== 1) throw new Error(`${op}: the txs took ${run.blocks} blocks`)
  if (!(await client.call<boolean>('evm_revert', [snapshot]))) throw new Error(`${op}: evm_revert refused`)
  return run
}

/** Median intrinsic gas (21,000 + calldata) of the txs. */
function intrinsicGas(bench: ModulesBench, txs: SignedTxs): number {
  const common = benchCommon(bench.spec.chainId)
  return median(txs.raws.map((raw) => Number(createTxFromRLP(raw, { common }).getIntrinsicGas())))
}

async function measure(node: Node, client: RpcClient, bench: ModulesBench, op: Operation): Promise<Record<Side, SideResult>> {
  const out = {} as Record<Side, SideResult>
  for (const side of SIDES) out[side] = { gasUsed: 0, execGas: 0, gasRange: [0, 0], buildUsPerTx: [], buildCpuUsPerTx: [], rpcUsPerTx: [], rpcRuns: [] }
  for (let run = 0; run < WARMUP + RUNS; run++) {
    for (const side of run % 2 === 0 ? SIDES : [...SIDES].reverse()) {
      const name = `${op.name} / ${side}`
      // BENCH_PROFILE_DIR: a CPU profile of each side's last build
      const profile =
        PROFILE_DIR === undefined || run < WARMUP + RUNS - 1 ? undefined : join(PROFILE_DIR, `${op.name.replace(/[^A-Za-z0-9]+/g, '-')}-${side}.cpuprofile`)
      const build = await buildRun(node, name, op.txs[side], profile)
      const rpc = await rpcRun(client, name, op.txs[side])
      if (build.gasUsed !== rpc.gasUsed) throw new Error(`${name}: gas ${build.gasUsed} in the build, ${rpc.gasUsed} over JSON-RPC`)
      const gas = rpc.txGas.map(Number)
      const r = out[side]
      r.gasUsed = median(gas)
      r.gasRange = [Math.min(...gas), Math.max(...gas)]
      if (run < WARMUP) continue
      r.buildUsPerTx.push(build.usPerTx)
      r.buildCpuUsPerTx.push(build.cpuUsPerTx)
      r.rpcUsPerTx.push((rpc.totalMs * 1000) / op.txs[side].raws.length)
      r.rpcRuns.push({ sendMs: rpc.sendMs, mineMs: rpc.mineMs, receiptsMs: rpc.receiptsMs, totalMs: rpc.totalMs, blocks: rpc.blocks })
    }
    console.log(`${op.name}: round ${run + 1} of ${WARMUP + RUNS}${run < WARMUP ? ' (warm-up)' : ''} done`)
  }
  for (const side of SIDES) out[side].execGas = out[side].gasUsed - intrinsicGas(bench, op.txs[side])
  return out
}

/** Build time of an empty block (the per-block fixed cost the per-tx figures carry, / N), median of `runs`. */
async function emptyBlockMs(node: Node, runs: number): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const parent = node.chain.head()
    times.push((await node.sequencer!.buildNow()).buildSeconds * 1000)
    await node.chain.rewindTo(parent.hash())
  }
  return median(times)
}

const fmt = (x: number, digits = 0) => x.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })

function table(results: { op: string; sides: Record<Side, SideResult> }[]): string {
  const ratio = (m: number, oz: number) => fmt(m / oz, 2)
  const rows = results.map(({ op, sides: { module: m, oz } }) => {
    const [mb, ob] = [median(m.buildUsPerTx), median(oz.buildUsPerTx)]
    const [mc, oc, mr, or] = [median(m.buildCpuUsPerTx), median(oz.buildCpuUsPerTx), median(m.rpcUsPerTx), median(oz.rpcUsPerTx)]
    const gas = `| ${op} | ${fmt(m.gasUsed)} (${fmt(m.execGas)}) | ${fmt(oz.gasUsed)} (${fmt(oz.execGas)}) | ${ratio(m.gasUsed, oz.gasUsed)} (${ratio(m.execGas, oz.execGas)}) |`
    return {
      main: `${gas} ${fmt(mb)} | ${fmt(ob)} | ${ratio(mb, ob)} |`,
      more: `| ${op} | ${fmt(mc)} | ${fmt(oc)} | ${ratio(mc, oc)} | ${fmt(mr)} | ${fmt(or)} | ${ratio(mr, or)} |`,
    }
  })
  return [
    '| operation | module gas (exec) | OZ gas (exec) | ratio | module µs/tx | OZ µs/tx | ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => r.main),
    '',
    '| operation | module CPU µs/tx (build) | OZ CPU µs/tx (build) | ratio | module µs/tx (json-rpc) | OZ µs/tx (json-rpc) | ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => r.more),
  ].join('\n')
}

async function main(): Promise<void> {
  const startedAt = new Date()
  const loadBefore = loadavg()
  // an hour before now: the schedules are past their 60 s cliff and about 5 % vested (modulesSpec.ts)
  const bench = modulesBenchSpec(TXS, BigInt(Math.floor(startedAt.getTime() / 1000) - 3_600))
  const dir = await mkdtemp(join(tmpdir(), 'openledger-bench-modules-'))
  const node = await createNode({
    datadir: join(dir, 'data'),
    genesis: JSON.stringify(serializeChainSpec(bench.spec)),
    dev: true,
    automine: false,
    blockTime: 0,
    rpcPort: 0,
    rpcCallWorkers: 0,
    metrics: false,
    logLevel: 'error',
  })
  try {
    node.start()
    const client = createRpcClient(node.rpcUrl)
    const signer = createTxSigner(bench.spec.chainId)
    console.log(`setup: ${TXS} holders and ${TXS} beneficiaries; compiling and deploying the OpenZeppelin peers`)
    const deployed = await deployPeers(client, bench, signer)
    const { holders, beneficiaries } = bench
    const results: { op: string; sides: Record<Side, SideResult> }[] = []
    const run = async (op: Operation) => results.push({ op: op.name, sides: await measure(node, client, bench, op) })
    const gopenOp = (name: string, accounts: BenchAccount[], fn: string, args: (u: BenchAccount, i: number) => unknown[]): Operation => ({
      name,
      txs: {
        module: perUser(accounts, signer, (u, i) => abiCall(MODULE_ADDRESSES.gopen, gopenAbi, fn, args(u, i))),
        oz: perUser(accounts, signer, (u, i) => abiCall(deployed.gopen, gopenAbi, fn, args(u, i))),
      },
    })
    await run(gopenOp('delegate (first, to self)', holders, 'delegate', (u) => [u.address]))
    // the holders' votes must be checkpointed before the proposal's snapshot: commit both delegations
    await mineTxs(
      client,
      joinTxs(holders.flatMap((u) => [deployed.gopen, MODULE_ADDRESSES.gopen].map((to) => signer.sign(u, abiCall(to, gopenAbi, 'delegate', [u.address]))))),
    )
    const peers: OzPeers = { ...deployed, proposalId: await openProposal(client, bench, signer, deployed) }
    await run({
      name: 'castVote (For, after quorum)',
      txs: {
        module: perUser(holders, signer, () => abiCall(MODULE_ADDRESSES.governor, governorAbi, 'castVote', [peers.proposalId, 1])),
        oz: perUser(holders, signer, () => abiCall(peers.governor, governorAbi, 'castVote', [peers.proposalId, 1])),
      },
    })
    const recipient = (i: number): Hex => `0x${(0xe7a0_0000 + i).toString(16).padStart(40, '0')}`
    await run(gopenOp('GOPEN transfer (delegated sender, new holder)', holders, 'transfer', (_u, i) => [recipient(i), 10n ** 18n]))
    const schedules = vestingSchedules(bench.spec.tokenomics!)
    const scheduleId = (u: BenchAccount) => BigInt(schedules.findIndex((s) => s.beneficiary.toLowerCase() === u.address.toLowerCase()))
    const release = (name: string): Operation => ({
      name,
      txs: {
        module: perUser(beneficiaries, signer, (u) => abiCall(MODULE_ADDRESSES.vesting, VESTING_ABI, 'release', [scheduleId(u)])),
        oz: perUser(beneficiaries, signer, (_u, i) => abiCall(peers.wallets[i]!, WALLET_ABI, 'release')),
      },
    })
    await run(release('release (part-vested, beneficiary not delegated)'))
    // a beneficiary who votes: its locked OPEN is delegated, so release also moves votes (module side; a VestingWallet's OPEN has none)
    await mineTxs(client, joinTxs(beneficiaries.map((u) => signer.sign(u, abiCall(MODULE_ADDRESSES.gopen, gopenAbi, 'delegate', [u.address])))))
    await run(release('release (part-vested, beneficiary delegated)'))
    const emptyMs = await emptyBlockMs(node, RUNS)

    const text = table(results)
    console.log(`\n${text}\n\nempty block build: ${fmt(emptyMs, 2)} ms (per tx at N = ${TXS}: ${fmt((emptyMs * 1000) / TXS, 1)} µs)`)
    const resultsDir = new URL('../../results/', import.meta.url)
    await mkdir(resultsDir, { recursive: true })
    const report = {
      suite: 'runtime / modules vs OpenZeppelin',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), loadBefore, loadAfter: loadavg() },
      node: process.version,
      txsPerBlock: TXS,
      runs: RUNS,
      warmup: WARMUP,
      peers,
      emptyBlockMs: emptyMs,
      results: results.map(({ op, sides }) => ({ name: `runtime / modules / ${op}`, ...sides })),
      table: text,
    }
    const file = new URL('modules-vs-openzeppelin.json', resultsDir)
    await writeFile(file, `${JSON.stringify(report, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`)
    console.log(`saved ${file.pathname}`)
  } finally {
    await node.close()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
