// Helpers of the multi-node suites: a sequencer and validators of the devnet chain as `openledger`
// child processes on 127.0.0.1 (p2p and RPC on free ports), dev-account transfers, head checks.
import type { Test } from 'tap'
import { privateKeyToAccount } from 'viem/accounts'
import { DEV_ACCOUNTS, loadChainSpec } from '../../../genesis/index.ts'
import { poll } from '../../fixtures/poll.ts'
import { POLL_MS, rpc, start, startedUrl, tempDir } from '../cli/cliProcess.ts'
import type { Run } from '../cli/cliProcess.ts'

/** The chain every node of these suites runs: the built-in devnet (its genesis is fixed). */
export const SPEC = loadChainSpec('devnet')
/** The dev account whose key is devnet's sequencer key. */
export const SEQUENCER = DEV_ACCOUNTS.find((a) => a.address.toLowerCase() === SPEC.sequencer)!
/** Catching up, importing and following take seconds; a loaded 2-core CI box gets a wide margin. */
export const SYNC_DEADLINE_MS = 60_000

/** A node child: its run, RPC URL and datadir. */
export type NodeChild = { run: Run; url: string; datadir: string }

/** Common flags: devnet, quiet JSON logs, blocks only when txs arrive (automine; an hour between interval blocks). */
function nodeArgs(datadir: string, extra: string[]): string[] {
  return ['node', '--datadir', datadir, '--genesis', 'devnet', '--rpc.port', '0', '--block.time', '3600', '--log.level', 'info', ...extra]
}

/** The sequencer: devnet's sequencer key, automine (a block as soon as txs arrive). */
export async function startSequencer(t: Test, datadir = tempDir(t)): Promise<NodeChild> {
  const run = start(t, nodeArgs(datadir, ['--dev.automine', 'on']), { OPENLEDGER_SEQUENCER_KEY: SEQUENCER.privateKey })
  return { run, url: await startedUrl(run, 'sequencer started'), datadir }
}

/** A validator that boots from `bootnodes` (multiaddrs). */
export async function startValidator(t: Test, bootnodes: readonly string[], datadir = tempDir(t)): Promise<NodeChild> {
  const run = start(t, nodeArgs(datadir, ['--role', 'validator', '--p2p.bootnodes', bootnodes.join(',')]))
  return { run, url: await startedUrl(run, 'validator started'), datadir }
}

/** The p2p multiaddrs a node announces (admin_nodeInfo). */
export async function listenAddrs(url: string): Promise<string[]> {
  const info = (await rpc(url, 'admin_nodeInfo')) as { listenAddrs: string[] }
  return info.listenAddrs
}

/** The latest block's number, hash and state root. */
export async function head(url: string): Promise<{ number: bigint; hash: string; stateRoot: string }> {
  const block = (await rpc(url, 'eth_getBlockByNumber', ['latest', false])) as { number: string; hash: string; stateRoot: string }
  return { number: BigInt(block.number), hash: block.hash, stateRoot: block.stateRoot }
}

/** Connected peers (net_peerCount). */
export async function peerCount(url: string): Promise<number> {
  return Number(BigInt((await rpc(url, 'net_peerCount')) as string))
}

/** Wait until every node reports the same head as the first, at `atLeast` or above; returns it. */
export async function sameHead(urls: readonly string[], atLeast = 0n): Promise<{ number: bigint; hash: string; stateRoot: string }> {
  let last: unknown
  return poll(
    async () => {
      const heads = await Promise.all(urls.map((u) => head(u)))
      last = heads.map((h) => `${h.number}:${h.hash.slice(0, 10)}`)
      const first = heads[0]!
      return first.number >= atLeast && heads.every((h) => h.hash === first.hash && h.stateRoot === first.stateRoot) ? first : undefined
    },
    { timeoutMs: SYNC_DEADLINE_MS, intervalMs: POLL_MS, what: () => `the same head >= ${atLeast} on ${urls.length} nodes (heads: ${JSON.stringify(last)})` },
  )
}

/** Per-sender next nonce, kept by the suite (txs may go to different nodes). */
const nonces = new Map<string, number>()

/** A signed EIP-1559 transfer of 1 wei from dev account `from` (its next nonce). */
export async function signedTransfer(from: number, to = `0x${'42'.repeat(20)}`): Promise<`0x${string}`> {
  const account = privateKeyToAccount(DEV_ACCOUNTS[from]!.privateKey as `0x${string}`)
  const nonce = nonces.get(account.address) ?? 0
  nonces.set(account.address, nonce + 1)
  return account.signTransaction({
    chainId: Number(SPEC.chainId),
    type: 'eip1559',
    nonce,
    to: to as `0x${string}`,
    value: 1n,
    gas: 21_000n,
    maxFeePerGas: 100_000_000_000n,
    maxPriorityFeePerGas: 1_000_000_000n,
  })
}

/** Send a transfer through `url` (eth_sendRawTransaction); returns its hash. */
export async function sendTransfer(url: string, from: number): Promise<string> {
  return (await rpc(url, 'eth_sendRawTransaction', [await signedTransfer(from)])) as string
}

/** Wait for a tx's receipt on `url`. */
export async function receipt(url: string, hash: string): Promise<{ blockNumber: string; status: string }> {
  return poll(async () => ((await rpc(url, 'eth_getTransactionReceipt', [hash])) as { blockNumber: string; status: string } | null) ?? undefined, {
    timeoutMs: SYNC_DEADLINE_MS,
    intervalMs: POLL_MS,
    what: `receipt of ${hash} on ${url}`,
  })
}

/**
 * Send transfers from dev account `from` to the automining sequencer at `url`, one block each (the
 * next goes once the head moved), until its head is at `number`.
 */
export async function mineUntil(url: string, number: bigint, from: number): Promise<void> {
  for (let current = (await head(url)).number; current < number; ) {
    await sendTransfer(url, from)
    const before = current
    current = await poll(
      async () => {
        const now = BigInt((await rpc(url, 'eth_blockNumber')) as string)
        return now > before ? now : undefined
      },
      { timeoutMs: SYNC_DEADLINE_MS, intervalMs: 2, what: `block ${before + 1n} on ${url}` },
    )
  }
}
