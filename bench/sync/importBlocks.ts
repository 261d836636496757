/**
 * sync / import: how fast a validator verifies and imports blocks it did not build.
 *
 * Budget it serves: issue 9 asks for "sync / blocks_by_range" and "import" rates (blocks/s, tx/s)
 * over 1,000 blocks, with import >= 5,000 tx/s of transfers on 2 cores.
 *
 * Set-up (untimed): a sequencer chain on LevelDB (sealing every block) builds BLOCKS blocks of
 * TXS EIP-1559 ETH transfers (100 senders round-robin, each to a fresh address), then
 * exportBlocks writes them to a file (timed separately: the export rate).
 * Cases, each into a fresh datadir, medians of BENCH_RUNS runs:
 * - "sync / import / file": importBlocks on the export file (what `openledger import` runs:
 *   streamed RLP split, decode with the chain's options, full re-execution, atomic commit).
 * - "sync / range sync / in-process network": createSync on a SyncNetwork whose one peer answers
 *   blocks_by_range from the sequencer's Sync.getBlockRange (encoded sealed blocks), so seals are
 *   recovered and checked and the range server's read and encode are counted too. No libp2p.
 * - "sync / blocks_by_range / libp2p": the sequencer's datadir served by an `openledger node`
 *   process (the sequencer) and a fresh `openledger node --role validator` process booting from
 *   it: the validator's "range sync started" to its import of the last block (its own log times),
 *   over TCP + noise + yamux, seals checked, one process per core.
 * Both end with the validator's head hash and state root checked against the sequencer's.
 * BENCH_PROFILE=<file>: a V8 CPU profile of the first file import (bench/node/cpuProfile.ts).
 *
 * Run: npm run bench:sync  (env: BENCH_RUNS=1, BENCH_BLOCKS=1000, BENCH_TXS=100, BENCH_RECIPIENTS=fresh|senders,
 *      BENCH_SEGMENTS=1 prints the file import time of every 100 blocks, BENCH_CASES=import,range,libp2p
 *      runs only the cases named)
 * Results: bench/results/sync-import.json
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import type { Common } from '@ethereumjs/common'
import { Address, bigIntToBytes, bytesToHex, concatBytes, equalsBytes, setLengthLeft } from '@ethereumjs/util'
import type { TypedTransaction } from '@ethereumjs/tx'
import type { Hex } from '../../genesis/index.ts'
import { createChainCommon } from '../../runtime/index.ts'
import { createChain } from '../../node/chain/index.ts'
import { createFastCrypto } from '../../node/crypto/index.ts'
import type { Chain } from '../../node/chain/index.ts'
import { createSync, exportBlocks, importBlocks, sealBlockHash } from '../../node/sync/index.ts'
import type { PeerHead, SyncNetwork } from '../../node/sync/index.ts'
import { createTestSpec, signed1559, testAccounts } from '../../test/fixtures/chain/testSpec.ts'
import { startCpuProfile } from '../node/cpuProfile.ts'
import { pino } from 'pino'
import { serializeChainSpec } from '../../genesis/index.ts'
import { initDatadir } from '../../node/cli/initDatadir.ts'
import { stopChild } from '../../node/childProcesses.ts'
import { startNodeChild, timesOf } from '../p2p/nodeChild.ts'
import { median } from '../median.ts'

const RUNS = Number(process.env.BENCH_RUNS ?? '1')
const BLOCKS = Number(process.env.BENCH_BLOCKS ?? '1000')
const TXS = Number(process.env.BENCH_TXS ?? '100')
const SENDERS = 100
/**
 * Where the transfers go: 'fresh' = a new address each (100,000 accounts created over 1,000
 * blocks: the trie grows every block), 'senders' = another of the 100 funded senders (balances
 * change, no account is created).
 */
const RECIPIENTS = process.env.BENCH_RECIPIENTS ?? 'fresh'
const CASES = new Set((process.env.BENCH_CASES ?? 'import,range,libp2p').split(','))
if (RECIPIENTS !== 'fresh' && RECIPIENTS !== 'senders') throw new Error('BENCH_RECIPIENTS must be fresh or senders')
const senders = testAccounts(SENDERS, 'bench-sync')
const sequencer = testAccounts(1, 'bench-sync-sequencer')[0]!
const spec = { ...createTestSpec({ accounts: senders }), sequencer: sequencer.hex.toLowerCase() as Hex }
const sealer = (hash: Uint8Array): Uint8Array => sealBlockHash(spec.chainId, hash, sequencer.key)

/**
 * A Common whose tx.sign() uses native libsecp256k1 (npm secp256k1's ecdsaSign, RFC 6979 as
 * noble): signing the 100,000 set-up txs with @noble takes ~90 s on this machine, ~10 s so.
 */
async function signingCommon(): Promise<Common> {
  const native = createRequire(import.meta.url)('secp256k1/bindings.js') as {
    ecdsaSign(msg32: Uint8Array, key: Uint8Array): { signature: Uint8Array; recid: number }
  }
  const { crypto } = await createFastCrypto()
  // ethereumjs wants noble's 'recovered' form: the recovery byte, then r ‖ s
  const ecsign = (msg: Uint8Array, key: Uint8Array): Uint8Array => {
    const { signature, recid } = native.ecdsaSign(msg, key)
    return concatBytes(new Uint8Array([recid]), signature)
  }
  return createChainCommon(spec, { customCrypto: { ...crypto, ecsign: ecsign as never } })
}

type CaseResult = { name: string; runsMs: number[]; medianMs: number; blocksPerSecond: number; txPerSecond: number }

/** The sequencer's chain: BLOCKS blocks of TXS transfers; returns the build time. */
async function buildChain(chain: Chain): Promise<{ signMs: number; buildMs: number }> {
  const common = await signingCommon()
  const nonces = new Array<bigint>(SENDERS).fill(0n)
  let signMs = 0
  let buildMs = 0
  let to = 0n
  for (let b = 0; b < BLOCKS; b++) {
    const t0 = performance.now()
    const txs: TypedTransaction[] = []
    for (let i = 0; i < TXS; i++) {
      const s = (b * TXS + i) % SENDERS
      const recipient = RECIPIENTS === 'fresh' ? new Address(setLengthLeft(bigIntToBytes(0xb0000000n + to++), 20)) : senders[(s + 1) % SENDERS]!.address
      txs.push(signed1559(common, senders[s]!, { nonce: nonces[s]!++, to: recipient, value: 1n }))
    }
    const t1 = performance.now()
    const { block, rejected } = await chain.buildBlock(txs, { timestamp: chain.head().header.timestamp + 1n })
    buildMs += performance.now() - t1
    signMs += t1 - t0
    if (rejected.length > 0 || block.transactions.length !== TXS) throw new Error(`block ${b + 1}: ${rejected.length} txs rejected`)
  }
  return { signMs, buildMs }
}

function assertSameHead(validator: Chain, sequencerChain: Chain, name: string): void {
  const a = validator.head()
  const b = sequencerChain.head()
  if (!equalsBytes(a.hash(), b.hash()) || !equalsBytes(a.header.stateRoot, b.header.stateRoot)) {
    throw new Error(`${name}: validator head ${a.header.number} ${bytesToHex(a.hash())} differs from the sequencer's ${bytesToHex(b.hash())}`)
  }
}

function summarise(name: string, runsMs: number[]): CaseResult {
  const medianMs = median(runsMs)
  return { name, runsMs, medianMs, blocksPerSecond: BLOCKS / (medianMs / 1000), txPerSecond: (BLOCKS * TXS) / (medianMs / 1000) }
}

/**
 * The sequencer's datadir served by an `openledger node` process, a fresh validator process range
 * syncing it over libp2p; ms from the validator's "range sync started" to its import of the last
 * block (both from its own log), after checking it holds the sequencer's head.
 */
async function rangeSyncOverLibp2p(work: string, specFile: string, run: number, headHash: Uint8Array): Promise<number> {
  const common = ['--genesis', specFile, '--rpc.port', '0', '--p2p.addr', '127.0.0.1', '--p2p.port', '0', '--log.format', 'json', '--metrics', 'off']
  const server = await startNodeChild(['--datadir', join(work, 'sequencer'), ...common, '--block.time', '3600', '--dev.automine', 'off'], {
    OPENLEDGER_SEQUENCER_KEY: bytesToHex(sequencer.key),
  })
  try {
    const validator = await startNodeChild(
      ['--datadir', join(work, `p2p-${run}`), ...common, '--role', 'validator', '--log.level', 'debug', '--p2p.bootnodes', server.p2p.join(',')],
      {},
    )
    try {
      const deadline = Date.now() + 600_000
      while (!timesOf(validator.lines, 'block imported').has(BLOCKS)) {
        if (Date.now() > deadline || validator.child.exitCode !== null) throw new Error('libp2p range sync did not reach the head')
        await new Promise((r) => setTimeout(r, 50))
      }
      const started = validator.lines.find((l) => l.msg === 'range sync started')?.time
      const head = (await (
        await fetch(validator.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getBlockByNumber', params: ['latest', false] }),
        })
      ).json()) as { result: { hash: string } }
      if (started === undefined || head.result.hash !== bytesToHex(headHash)) throw new Error('libp2p range sync: not started, or another head')
      const ms = timesOf(validator.lines, 'block imported').get(BLOCKS)! - started
      console.log(`run ${run + 1}: libp2p range sync ${ms} ms`)
      return ms
    } finally {
      await stopChild(validator.child, 10_000)
    }
  } finally {
    await stopChild(server.child, 10_000)
  }
}

async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'ol-bench-sync-'))
  try {
    // an initialised datadir (chainspec.json), so an `openledger node` can serve it afterwards
    const specFile = join(work, 'spec.json')
    await writeFile(specFile, JSON.stringify(serializeChainSpec(spec)))
    await initDatadir({ datadir: join(work, 'sequencer'), genesis: specFile, logger: pino({ level: 'silent' }) })
    const seq = await createChain({ dataDir: join(work, 'sequencer'), spec, sealer })
    const build = await buildChain(seq)
    console.log(`built ${BLOCKS} blocks x ${TXS} transfers: sign ${Math.round(build.signMs)} ms, build ${Math.round(build.buildMs)} ms`)
    const file = join(work, 'blocks.rlp')
    const e0 = performance.now()
    const exported = await exportBlocks({ chain: seq, file })
    const exportMs = performance.now() - e0
    console.log(`export: ${exported.blocks} blocks, ${exported.bytes} bytes in ${Math.round(exportMs)} ms`)

    const importRuns: number[] = []
    const importCores: number[] = []
    const syncRuns: number[] = []
    for (let run = 0; run < RUNS; run++) {
      if (!CASES.has('import')) break
      const fileChain = await createChain({ dataDir: join(work, `import-${run}`), spec })
      if (process.env.BENCH_SEGMENTS !== undefined) {
        let last = performance.now()
        fileChain.on('head', (executed) => {
          if (executed.block.header.number % 100n !== 0n) return
          const now = performance.now()
          console.log(`  import: blocks ${executed.block.header.number - 99n}-${executed.block.header.number} in ${Math.round(now - last)} ms`)
          last = now
        })
      }
      const stopProfile = run === 0 && process.env.BENCH_PROFILE !== undefined ? await startCpuProfile() : undefined
      const i0 = performance.now()
      const cpu0 = process.cpuUsage()
      const result = await importBlocks({ chain: fileChain, files: [file] })
      importRuns.push(performance.now() - i0)
      const cpu = process.cpuUsage(cpu0)
      // CPU of every thread of this process (main, sender worker, LevelDB, GC) over the import's wall time
      importCores.push((cpu.user + cpu.system) / 1000 / importRuns.at(-1)!)
      await stopProfile?.(process.env.BENCH_PROFILE!)
      if (result.imported !== BLOCKS) throw new Error(`import: ${result.imported} of ${BLOCKS} blocks`)
      assertSameHead(fileChain, seq, 'import')
      await fileChain.close()
      console.log(`run ${run + 1}: import ${Math.round(importRuns.at(-1)!)} ms, ${importCores.at(-1)!.toFixed(2)} cores busy`)
    }
    for (let run = 0; run < RUNS; run++) {
      if (!CASES.has('range')) break

      const server = createSync({ chain: seq, network: { peerHeads: async () => [], blocksByRange: async () => [], reportPeer: () => {} } })
      const head: PeerHead = { peerId: 'sequencer', number: seq.head().header.number, hash: seq.head().hash() }
      const network: SyncNetwork = {
        peerHeads: async () => [head],
        blocksByRange: (_peer, start, count) => server.getBlockRange(start, count, 16 * 1024 * 1024),
        reportPeer: (peerId, offence) => {
          throw new Error(`range sync reported ${peerId}: ${offence}`)
        },
      }
      const syncChain = await createChain({ dataDir: join(work, `sync-${run}`), spec })
      const sync = createSync({ chain: syncChain, network, pollIntervalMs: 60_000 })
      const s0 = performance.now()
      const done = new Promise<void>((resolve) => {
        syncChain.on('head', (executed) => {
          if (executed.block.header.number === head.number) resolve()
        })
      })
      sync.start()
      await done
      syncRuns.push(performance.now() - s0)
      await sync.stop()
      assertSameHead(syncChain, seq, 'range sync')
      await syncChain.close()
      console.log(`run ${run + 1}: range sync ${Math.round(syncRuns.at(-1)!)} ms`)
    }
    const seqHead = seq.head()
    await seq.close()

    const p2pRuns: number[] = []
    for (let run = 0; run < RUNS && CASES.has('libp2p'); run++) p2pRuns.push(await rangeSyncOverLibp2p(work, specFile, run, seqHead.hash()))

    const cases = [
      summarise(`sync / import / file (${BLOCKS} blocks x ${TXS} transfers)`, importRuns),
      summarise(`sync / range sync / in-process network (${BLOCKS} blocks x ${TXS} transfers)`, syncRuns),
      summarise(`sync / blocks_by_range / libp2p, two processes (${BLOCKS} blocks x ${TXS} transfers)`, p2pRuns),
    ].filter((c) => c.runsMs.length > 0)
    const reference = { buildMs: build.buildMs, buildTxPerSecond: (BLOCKS * TXS) / (build.buildMs / 1000), exportMs, exportBytes: exported.bytes }
    console.log('| case | median ms | blocks/s | tx/s |')
    console.log('|---|---:|---:|---:|')
    for (const c of cases) console.log(`| ${c.name} | ${Math.round(c.medianMs)} | ${Math.round(c.blocksPerSecond)} | ${Math.round(c.txPerSecond)} |`)
    console.log(`reference: sequencer build ${Math.round(reference.buildTxPerSecond)} tx/s; export ${Math.round(exportMs)} ms`)
    const machine = { cpus: cpus().length, model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadavg: loadavg() }
    const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'sync-import.json')
    await mkdir(dirname(out), { recursive: true })
    await writeFile(
      out,
      `${JSON.stringify({ date: new Date().toISOString(), machine, blocks: BLOCKS, txsPerBlock: TXS, recipients: RECIPIENTS, runs: RUNS, cases, reference }, null, 2)}\n`,
    )
    console.log(`results: ${out}`)
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

await main()
