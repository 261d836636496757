// A dev node as a child process, restarted on the same datadir after a clean SIGINT and after
// kill -9 while it is producing blocks: everything a client saw committed (receipts, balances,
// the head) is still there afterwards, and the chain keeps going. JSON-RPC only.
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { poll } from '../../fixtures/poll.ts'
import { POLL_MS, rpc, startNode, stopCleanly, tempDir } from './cliProcess.ts'
import type { Run } from './cliProcess.ts'

const FROM = DEV_ACCOUNTS[1]!.address
/** receipts to observe in a kill round before the kill */
const RECEIPTS_BEFORE_KILL = 8

/** A tx the client saw mined: its receipt's block and the unique recipient it paid. */
type Observed = { hash: string; to: string; value: bigint; blockNumber: bigint; blockHash: string }

type Receipt = { blockNumber: string; blockHash: string; status: string }

/** What the client has seen so far, over every round. */
type Seen = { observed: Observed[]; head: bigint }

/** A recipient that only tx `n` ever pays (so its balance is exactly that tx's value). */
function recipient(n: number): string {
  return `0x${(0xe2e00000 + n).toString(16).padStart(40, '0')}`
}

function nodeArgs(datadir: string): string[] {
  return ['node', '--dev', '--datadir', datadir, '--rpc.port', '0', '--log.format', 'json', '--block.time', '1']
}

async function blockNumber(url: string): Promise<bigint> {
  return BigInt((await rpc(url, 'eth_blockNumber')) as string)
}

/**
 * Send transfers one after another (each to a fresh recipient) while polling their receipts,
 * until `enough()`; a sent tx whose receipt was not seen yet is not recorded.
 */
async function sendAndObserve(url: string, seen: Seen, next: { n: number }, enough: () => Promise<boolean> | boolean): Promise<void> {
  const waiting = new Map<string, { to: string; value: bigint }>()
  const sendOne = async (): Promise<void> => {
    const n = next.n++
    const to = recipient(n)
    const value = 1_000n + BigInt(n)
    const hash = (await rpc(url, 'eth_sendTransaction', [{ from: FROM, to, value: `0x${value.toString(16)}` }])) as string
    waiting.set(hash, { to, value })
    for (const [pendingHash, sent] of waiting) {
      const receipt = (await rpc(url, 'eth_getTransactionReceipt', [pendingHash])) as Receipt | null
      if (receipt === null) continue
      waiting.delete(pendingHash)
      seen.observed.push({ hash: pendingHash, ...sent, blockNumber: BigInt(receipt.blockNumber), blockHash: receipt.blockHash })
    }
    const head = await blockNumber(url)
    if (head > seen.head) seen.head = head
  }
  // each try sends one more transfer: no pause between them
  await poll(async () => (await enough()) || (await sendOne()), {
    timeoutMs: 120_000,
    intervalMs: 0,
    what: () => `enough receipts (${seen.observed.length} observed)`,
  })
}

/** After a restart: the head and every observed receipt and balance are as the client saw them. */
async function checkSurvived(t: Test, url: string, seen: Seen, round: string): Promise<void> {
  const head = await blockNumber(url)
  t.ok(head >= seen.head, `${round}: head ${head} >= the last head seen committed (${seen.head})`)
  let intact = 0
  for (const o of seen.observed) {
    const receipt = (await rpc(url, 'eth_getTransactionReceipt', [o.hash])) as Receipt | null
    const balance = BigInt((await rpc(url, 'eth_getBalance', [o.to, 'latest'])) as string)
    const block = (await rpc(url, 'eth_getBlockByNumber', [`0x${o.blockNumber.toString(16)}`, false])) as { hash: string } | null
    const ok =
      receipt !== null &&
      receipt.status === '0x1' &&
      receipt.blockHash === o.blockHash &&
      BigInt(receipt.blockNumber) === o.blockNumber &&
      balance === o.value &&
      block?.hash === o.blockHash
    if (ok) intact++
    else t.fail(`${round}: tx ${o.hash} (block ${o.blockNumber}) lost or changed: receipt ${JSON.stringify(receipt)}, balance ${balance}`)
  }
  t.equal(intact, seen.observed.length, `${round}: all ${seen.observed.length} observed receipts and balances intact`)
}

/** The chain keeps producing after a restart: a new transfer is mined and the head moves on. */
async function checkProducing(t: Test, url: string, seen: Seen, next: { n: number }, round: string): Promise<void> {
  const before = await blockNumber(url)
  const count = seen.observed.length
  await sendAndObserve(url, seen, next, () => seen.observed.length > count)
  const after = await poll(
    async () => {
      const n = await blockNumber(url)
      return n > before ? n : undefined
    },
    { timeoutMs: 30_000, intervalMs: POLL_MS, what: `${round}: a new block` },
  )
  t.ok(after > before, `${round}: blocks keep coming (${before} -> ${after})`)
}

async function killHard(run: Run): Promise<void> {
  run.child.kill('SIGKILL')
  await run.exit
}

t.test('restart after SIGINT and after kill -9 mid-production keeps everything a client saw', async (t) => {
  const datadir = join(tempDir(t), 'data')
  const seen: Seen = { observed: [], head: 0n }
  const next = { n: 0 }

  // round 1: txs and several blocks, then a clean Ctrl-C
  let node = await startNode(t, nodeArgs(datadir))
  await sendAndObserve(node.url, seen, next, async () => seen.observed.length >= 6 && (await blockNumber(node.url)) >= 3n)
  const headAtStop = await blockNumber(node.url)
  if (headAtStop > seen.head) seen.head = headAtStop
  await stopCleanly(t, node.run)
  node = await startNode(t, nodeArgs(datadir))
  await checkSurvived(t, node.url, seen, 'after SIGINT')
  await checkProducing(t, node.url, seen, next, 'after SIGINT')

  // rounds 2 and 3: kill -9 while txs stream in and blocks are built for them
  for (const round of ['kill -9 #1', 'kill -9 #2']) {
    const target = seen.observed.length + RECEIPTS_BEFORE_KILL
    await sendAndObserve(node.url, seen, next, () => seen.observed.length >= target)
    // a burst whose automined block is being built right now: kill as soon as the pool took it
    // (one tx per sender: concurrent eth_sendTransaction calls of one sender would race for a nonce)
    const burst = [2, 3, 4].map((account) => {
      const n = next.n++
      return rpc(node.url, 'eth_sendTransaction', [{ from: DEV_ACCOUNTS[account]!.address, to: recipient(n), value: `0x${(1_000 + n).toString(16)}` }])
    })
    await Promise.all(burst)
    await killHard(node.run)
    t.equal(node.run.child.signalCode, 'SIGKILL', `${round}: killed`)
    node = await startNode(t, nodeArgs(datadir))
    await checkSurvived(t, node.url, seen, `after ${round}`)
    await checkProducing(t, node.url, seen, next, `after ${round}`)
  }
  await stopCleanly(t, node.run)
})
