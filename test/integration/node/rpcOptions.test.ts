// createNode's JSON-RPC options in-process: limits reach the server; a busy port or an address
// that cannot be bound fails before the datadir is touched.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { CONFIG_ERROR } from '../../../node/config/index.ts'
import { createLogger, createNode } from '../../../node/index.ts'
import type { Node } from '../../../node/index.ts'

const quiet = { logger: createLogger({ level: 'silent', destination: { write: (): void => {} } }) }

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'openledger-rpcopts-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function post(node: Node, body: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(node.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  const text = await res.text()
  return { status: res.status, json: text === '' ? undefined : JSON.parse(text) }
}

/** Every file under `dir` with its size and mtime: the datadir's fingerprint. */
function fingerprint(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    const st = statSync(path)
    out.push(`${path} ${st.size} ${st.mtimeMs}`)
  }
  return out.sort()
}

t.test('rpcLimits reach the JSON-RPC server', async (t) => {
  const node = await createNode({
    ...quiet,
    dev: true,
    datadir: tempDir(t),
    rpcPort: 0,
    blockTime: 60,
    rpcLimits: { maxBatchSize: 2, maxLogsBlockRange: 5n, maxBodyBytes: 2048 },
  })
  t.teardown(() => node.close())
  const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'eth_chainId', params: [] })
  const ok = await post(node, JSON.stringify([call(1), call(2)]))
  t.equal((ok.json as unknown[]).length, 2, 'a batch at the limit is served')
  const big = await post(node, JSON.stringify([call(1), call(2), call(3)]))
  t.same(big.json, [{ jsonrpc: '2.0', id: 1, error: { code: -32600, message: 'batch too large' } }], 'a batch over the limit is refused')
  // the range is clamped to the head: make it 6 blocks long
  for (let i = 0; i < 11; i++) await node.sequencer!.buildNow()
  const logs = await post(node, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_getLogs', params: [{ fromBlock: '0x0', toBlock: '0xa' }] }))
  t.match(logs.json, { error: { message: /max block range 5/ } }, 'the log range limit applies')
  const huge = await post(node, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: ['x'.repeat(3000)] }))
  t.equal(huge.status, 413, 'a body over 2048 bytes is refused')
  await t.rejects(createNode({ ...quiet, dev: true, datadir: tempDir(t), rpcPort: 0, rpcLimits: { gasCap: 1n } }), {
    code: CONFIG_ERROR.INVALID_OPTION,
    message: /--rpc\.gascap/,
  })
})

t.test('a busy port fails before the datadir is opened, and leaves it intact', async (t) => {
  const blocker = createServer()
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => blocker.close(() => resolve())))
  const busy = (blocker.address() as { port: number }).port

  const fresh = join(tempDir(t), 'fresh')
  await t.rejects(createNode({ ...quiet, dev: true, datadir: fresh, rpcPort: busy }), {
    code: CONFIG_ERROR.RPC_PORT_UNAVAILABLE,
    message: `--rpc.port ${busy} is already in use on 127.0.0.1`,
  })
  t.notOk(existsSync(fresh), 'a fresh datadir is not even created')

  const datadir = tempDir(t)
  const first = await createNode({ ...quiet, dev: true, datadir, rpcPort: 0, blockTime: 60 })
  await first.sequencer!.buildNow()
  await first.close()
  const before = fingerprint(datadir)
  await t.rejects(createNode({ ...quiet, dev: true, datadir, rpcPort: busy }), { code: CONFIG_ERROR.RPC_PORT_UNAVAILABLE })
  await t.rejects(createNode({ ...quiet, dev: true, datadir, rpcAddr: '192.0.2.1', rpcPort: 0 }), {
    code: CONFIG_ERROR.RPC_ADDR_UNAVAILABLE,
    message: /--rpc\.addr/,
  })
  t.same(fingerprint(datadir), before, 'the datadir is untouched')
  const again = await createNode({ ...quiet, dev: true, datadir, rpcPort: 0, blockTime: 60 })
  t.equal(again.chain.head().header.number, 1n, 'and opens afterwards at its head')
  await again.close()
})
