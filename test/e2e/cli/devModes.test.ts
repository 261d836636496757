// `openledger node --dev` as a user starts it: the defaults it binds and writes to, and
// --dev.automine off (blocks only on the block time or evm_mine). JSON-RPC only.
import { existsSync, realpathSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { PollTimeoutError, poll } from '../../fixtures/poll.ts'
import { POLL_MS, START_DEADLINE_MS, isPortFree, logLines, rpc, rpcUrlOf, start, startNode, stopCleanly, tempDir } from './cliProcess.ts'
import type { Run } from './cliProcess.ts'

const FROM = DEV_ACCOUNTS[1]!.address
const TO = '0x000000000000000000000000000000000000dEaD'

async function head(url: string): Promise<bigint> {
  return BigInt((await rpc(url, 'eth_blockNumber')) as string)
}

t.test('--dev with default options binds 127.0.0.1 and keeps the chain in ./.openledger/dev of the working directory', async (t) => {
  const cwd = realpathSync(tempDir(t, 'openledger-cwd-'))
  const args = ['node', '--dev', '--log.format', 'json']
  // the default port is what a user gets; when something else holds 8545 (now, or by the time
  // the node binds), the rest of the defaults are checked on any free port
  let node: { run: Run; url: string } | undefined
  if (await isPortFree(8545)) {
    const run = start(t, args, {}, { cwd })
    const url = await poll(() => (run.child.exitCode !== null ? null : rpcUrlOf(run)), {
      timeoutMs: START_DEADLINE_MS,
      intervalMs: POLL_MS,
      what: 'node started or exited',
    })
    if (url === null) t.comment(`8545 was taken meanwhile: ${run.err().trim()}`)
    else {
      t.equal(url, 'http://127.0.0.1:8545', 'the default address and port')
      node = { run, url }
    }
  } else t.comment('8545 is busy: checking the other defaults on --rpc.port 0')
  node ??= await startNode(t, [...args, '--rpc.port', '0'], {}, { cwd })
  t.match(node.url, /^http:\/\/127\.0\.0\.1:\d+$/, 'binds 127.0.0.1 by default')
  t.ok(
    logLines(node.run).some((l) => l.name === 'rpc:server' && l.host === '127.0.0.1'),
    'the server logs its 127.0.0.1 address',
  )
  const datadir = join(cwd, '.openledger', 'dev')
  t.match(node.run.out(), `Data directory: ${datadir}\n`, 'the banner names ./.openledger/dev under the working directory')
  t.match(node.run.out(), `Listening on ${node.url}`)
  t.ok(existsSync(join(datadir, 'chaindata')), 'the chain is stored there')
  t.ok(existsSync(join(datadir, 'chainspec.json')), 'with its chain spec')
  t.equal(await rpc(node.url, 'eth_chainId'), '0x539', 'devnet')
  await stopCleanly(t, node.run)
})

t.test('--dev.automine off: a tx waits for evm_mine', async (t) => {
  const dir = tempDir(t)
  // an hour between interval blocks: only evm_mine can build one during this test
  const { run, url } = await startNode(t, [
    'node',
    '--dev',
    '--dev.automine',
    'off',
    '--block.time',
    '3600',
    '--datadir',
    dir,
    '--rpc.port',
    '0',
    '--log.format',
    'json',
  ])
  t.match(run.out(), '"automine":false')
  const hash = (await rpc(url, 'eth_sendTransaction', [{ from: FROM, to: TO, value: '0x1' }])) as string
  // automine would build within milliseconds: for a second, watch that nothing is built and the
  // tx stays in the pool (the watch ends by timing out; anything it sees fails the test)
  const change = poll(
    async () => {
      const [number, pool] = [await head(url), await rpc(url, 'txpool_status')]
      return number !== 0n || JSON.stringify(pool) !== JSON.stringify({ pending: '0x1', queued: '0x0' }) ? { number, pool } : undefined
    },
    { timeoutMs: 1_000, intervalMs: 250, what: 'a block or a pool change without evm_mine' },
  )
  await t.rejects(change, PollTimeoutError, 'no block without evm_mine; the tx waits in the pool')
  t.equal(await rpc(url, 'eth_getTransactionReceipt', [hash]), null, 'not mined')
  t.equal(await rpc(url, 'evm_mine'), '0x0')
  t.equal(await head(url), 1n, 'evm_mine built block 1')
  const receipt = (await rpc(url, 'eth_getTransactionReceipt', [hash])) as { blockNumber: string; status: string }
  t.same({ blockNumber: receipt.blockNumber, status: receipt.status }, { blockNumber: '0x1', status: '0x1' }, 'with the tx in it')
  t.equal(await rpc(url, 'evm_mine'), '0x0')
  const empty = (await rpc(url, 'eth_getBlockByNumber', ['0x2', false])) as { transactions: unknown[] }
  t.same(empty.transactions, [], 'evm_mine with an empty pool builds an empty block')
  await stopCleanly(t, run)
})

t.test('--dev.automine off: interval blocks still come every block time and carry the txs', async (t) => {
  const dir = tempDir(t)
  const { run, url } = await startNode(t, [
    'node',
    '--dev',
    '--dev.automine',
    'off',
    '--block.time',
    '1',
    '--datadir',
    dir,
    '--rpc.port',
    '0',
    '--log.format',
    'json',
  ])
  await poll(async () => (await head(url)) >= 2n, { timeoutMs: 30_000, intervalMs: POLL_MS, what: 'two interval blocks' })
  const hash = (await rpc(url, 'eth_sendTransaction', [{ from: FROM, to: TO, value: '0x2' }])) as string
  const receipt = await poll(
    async () => ((await rpc(url, 'eth_getTransactionReceipt', [hash])) as { blockNumber: string; status: string } | null) ?? undefined,
    { timeoutMs: 30_000, intervalMs: POLL_MS, what: 'the tx mined by an interval block' },
  )
  t.equal(receipt.status, '0x1')
  t.ok(BigInt(receipt.blockNumber) >= 3n, `mined in interval block ${BigInt(receipt.blockNumber)}`)
  await stopCleanly(t, run)
})
