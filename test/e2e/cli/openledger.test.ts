// End-to-end: the `openledger` bin as a user runs it, spoken to over JSON-RPC only.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { poll } from '../../fixtures/poll.ts'
import { POLL_MS, START_DEADLINE_MS, freePort, rpc, runToEnd, start, startedUrl, stopCleanly, tempDir } from './cliProcess.ts'

t.test('--version and --help', async (t) => {
  const v = await runToEnd(t, ['--version'])
  t.equal(v.code, 0)
  t.match(v.out, /^openledger \d+\.\d+\.\d+/)
  const h = await runToEnd(t, ['--help'])
  t.equal(h.code, 0)
  t.match(h.out, '--rpc.port')
  t.match(h.out, 'OPENLEDGER_RPC_PORT')
})

t.test('an invalid flag or env var fails fast, naming it', async (t) => {
  const bad = await runToEnd(t, ['node', '--rpc.prot', '8545'])
  t.equal(bad.code, 2)
  t.match(bad.err, '--rpc.prot')
  const range = await runToEnd(t, ['node', '--rpc.port', '99999'])
  t.equal(range.code, 2)
  t.match(range.err, '--rpc.port')
  const env = await runToEnd(t, ['node', '--dev'], { OPENLEDGER_BLOCK_TIME: 'soon' })
  t.equal(env.code, 2)
  t.match(env.err, 'OPENLEDGER_BLOCK_TIME')
})

t.test('init, then node on the datadir: RPC answers, SIGINT exits 0; flags beat env', async (t) => {
  const datadir = tempDir(t)
  const init = await runToEnd(t, ['init', '--datadir', datadir, '--genesis', 'devnet'])
  t.equal(init.code, 0, init.err)
  t.match(init.out, 'initialised')
  t.match(init.out, 'chainId 1337')

  // env says port 1 (would fail to bind), the flag says 0: the flag wins
  const node = start(t, ['node', '--datadir', datadir, '--rpc.port', '0', '--log.format', 'json'], { OPENLEDGER_RPC_PORT: '1' })
  const url = await startedUrl(node)
  t.not(url, 'http://127.0.0.1:1')
  t.equal(await poll(() => rpc(url, 'eth_chainId').catch(() => undefined), { timeoutMs: START_DEADLINE_MS, intervalMs: POLL_MS, what: 'eth_chainId' }), '0x539')
  t.equal(await rpc(url, 'eth_blockNumber'), '0x0', 'not the sequencer: no blocks')
  await stopCleanly(t, node)

  const other = await runToEnd(t, ['node', '--datadir', datadir, '--genesis', 'mainnet'])
  t.equal(other.code, 2, 'a datadir of another chain is refused')
  t.match(other.err, 'different chain')
})

t.test('env beats the config file', async (t) => {
  const dir = tempDir(t)
  const port = await freePort()
  const config = join(dir, 'config.json')
  writeFileSync(config, JSON.stringify({ rpc: { port: 1 }, 'log.format': 'json' }))
  const node = start(t, ['node', '--dev', '--datadir', join(dir, 'data'), '--config', config], { OPENLEDGER_RPC_PORT: String(port) })
  const url = await startedUrl(node)
  t.equal(url, `http://127.0.0.1:${port}`)
  await stopCleanly(t, node)
})

t.test('--dev prints the dev accounts and keys and produces blocks', async (t) => {
  const dir = tempDir(t)
  const node = start(t, ['node', '--dev', '--datadir', dir, '--rpc.port', '0', '--log.format', 'json'])
  const url = await startedUrl(node)
  const out = node.out()
  t.match(out, 'Available Accounts')
  for (const account of DEV_ACCOUNTS) {
    t.ok(out.includes(account.address), `prints account ${account.index}`)
    t.ok(out.includes(account.privateKey), `prints key ${account.index}`)
  }
  t.equal(await rpc(url, 'eth_getBalance', [DEV_ACCOUNTS[3]!.address, 'latest']), '0x21e19e0c9bab2400000', '10,000 OPEN')
  const height = await poll(
    async () => {
      const n = BigInt((await rpc(url, 'eth_blockNumber')) as string)
      return n > 0n ? n : undefined
    },
    { timeoutMs: START_DEADLINE_MS, intervalMs: POLL_MS, what: 'a produced block' },
  )
  t.ok(height > 0n, 'blocks every block time')
  const metrics = await (await fetch(`${url}/metrics`)).text()
  t.match(metrics, /openledger_chain_head_number \d+/)
  await stopCleanly(t, node)
})
