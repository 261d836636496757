// The CLI refuses an unusable JSON-RPC address or port at once (exit 2, the option named), before
// it touches the datadir; `npm start` says so when 8545 is taken. RPC limit flags reach the server.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { poll } from '../../fixtures/poll.ts'
import { POLL_MS, occupyPort, rpc, runToEnd, startNode, stopCleanly, tempDir } from './cliProcess.ts'

/** Every file under `dir` with its size and mtime. */
function fingerprint(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const path = join(e.parentPath, e.name)
      const st = statSync(path)
      return `${path} ${st.size} ${st.mtimeMs}`
    })
    .sort()
}

t.test('a malformed or foreign --rpc.addr exits 2 naming it', async (t) => {
  const junk = await runToEnd(t, ['node', '--dev', '--rpc.addr', 'not a host!'])
  t.equal(junk.code, 2)
  t.match(junk.err, /^openledger: invalid --rpc\.addr: must be an IP address or a host name/)
  const env = await runToEnd(t, ['node', '--dev'], { OPENLEDGER_RPC_ADDR: '127.0.0.1:8545' })
  t.equal(env.code, 2)
  t.match(env.err, 'OPENLEDGER_RPC_ADDR')
  const datadir = join(tempDir(t), 'data')
  const foreign = await runToEnd(t, ['node', '--dev', '--datadir', datadir, '--rpc.addr', '192.0.2.1', '--rpc.port', '0'])
  t.equal(foreign.code, 2, foreign.err)
  t.match(foreign.err, 'invalid --rpc.addr: 192.0.2.1 is not an address of this machine')
  t.notOk(existsSync(datadir), 'nothing was written')
})

t.test('a busy --rpc.port exits 2 naming it and leaves the datadir intact', async (t) => {
  const busy = await occupyPort(t)
  const datadir = tempDir(t)
  const init = await runToEnd(t, ['init', '--datadir', datadir, '--genesis', 'devnet'])
  t.equal(init.code, 0, init.err)
  const before = fingerprint(datadir)
  const run = await runToEnd(t, ['node', '--datadir', datadir, '--rpc.port', String(busy)])
  t.equal(run.code, 2, run.err)
  t.match(run.err, `openledger: --rpc.port ${busy} is already in use on 127.0.0.1`)
  t.same(fingerprint(datadir), before, 'the datadir is untouched')
})

t.test('npm start says clearly that 8545 is busy', async (t) => {
  // hold 8545 ourselves; if something else already holds it, it is just as busy
  await occupyPort(t, 8545).catch((err: { code?: string }) => {
    if (err.code !== 'EADDRINUSE') throw err
  })
  const datadir = join(tempDir(t), 'dev')
  const npm = process.env.npm_execpath === undefined ? ['npm'] : [process.execPath, process.env.npm_execpath]
  const run = await runToEnd(t, ['start'], { OPENLEDGER_DATADIR: datadir }, { command: npm })
  t.not(run.code, 0, 'npm start fails')
  t.match(run.err, 'openledger: --rpc.port 8545 is already in use on 127.0.0.1', run.err)
  t.match(run.err, 'pick another port with --rpc.port')
  t.notOk(existsSync(datadir), 'no dev datadir was created')
})

t.test('RPC limit flags, env vars and config keys reach the server', async (t) => {
  const dir = tempDir(t)
  const config = join(dir, 'config.json')
  writeFileSync(config, JSON.stringify({ rpc: { logs: { range: 3 } }, 'log.format': 'json' }))
  const { run, url } = await startNode(
    t,
    ['node', '--dev', '--datadir', join(dir, 'data'), '--rpc.port', '0', '--config', config, '--rpc.batch-request-limit', '2', '--block.time', '1'],
    { OPENLEDGER_RPC_GASCAP: '30000' },
  )
  const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'eth_blockNumber', params: [] })
  const batch = await (
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([call(1), call(2), call(3)]) })
  ).json()
  t.same(batch, [{ jsonrpc: '2.0', id: 1, error: { code: -32600, message: 'batch too large' } }], '--rpc.batch-request-limit')
  // a 4-block range needs a head at 3 or more: interval blocks come every second
  await poll(async () => BigInt((await rpc(url, 'eth_blockNumber')) as string) >= 3n, { timeoutMs: 60_000, intervalMs: POLL_MS, what: 'block 3' })
  await t.rejects(
    rpc(url, 'eth_getLogs', [{ fromBlock: '0x0', toBlock: '0x3' }]),
    { message: 'query exceeds max block range 3' },
    'rpc.logs.range from the config file',
  )
  const gasUsed = BigInt((await rpc(url, 'eth_estimateGas', [{ to: '0x000000000000000000000000000000000000dEaD' }])) as string)
  t.equal(gasUsed, 21_000n, 'a plain transfer estimates below the cap')
  // a contract creation needs 53,000+ intrinsic gas: above the 30,000 gas cap from the env var
  await t.rejects(rpc(url, 'eth_estimateGas', [{ data: '0x5b60005600' }]), { message: /have 30000\b/ }, 'OPENLEDGER_RPC_GASCAP caps the search')
  await stopCleanly(t, run)
})
