// createNode end to end in-process: real LevelDB in temp dirs, JSON-RPC over HTTP with ethers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { JsonRpcProvider, Wallet, parseEther } from 'ethers'
import t from 'tap'
import type { Test } from 'tap'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { CONFIG_ERROR, encryptKeystore } from '../../../node/config/index.ts'
import { createLogger, createNode } from '../../../node/index.ts'
import type { Node } from '../../../node/index.ts'

const SINK = { write: (): void => {} }
const quiet = { logger: createLogger({ level: 'silent', destination: SINK }), rpcPort: 0, p2pAddr: '127.0.0.1', p2pPort: 0 }
const DEAD = '0x000000000000000000000000000000000000dEaD'

function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'openledger-node-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function rpc(node: Node, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(node.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const body = (await res.json()) as { result?: unknown; error?: { message: string } }
  if (body.error !== undefined) throw new Error(body.error.message)
  return body.result
}

t.test('dev node: automine, wallets via ethers, metrics; a restart resumes the chain', async (t) => {
  const datadir = tempDir(t)
  let node = await createNode({ ...quiet, dev: true, datadir, blockTime: 60 })
  t.teardown(() => node.close())
  node.start()
  t.equal(node.spec.chainId, 1337n)
  t.equal(node.sequencerAddress, DEV_ACCOUNTS[0]!.address.toLowerCase(), 'dev: sequencer key is dev account 0')
  t.equal(node.devAccounts.length, 10)

  const provider = new JsonRpcProvider(node.rpcUrl, undefined, { staticNetwork: true, polling: true, pollingInterval: 50 })
  t.teardown(() => provider.destroy())
  const wallet = new Wallet(DEV_ACCOUNTS[1]!.privateKey, provider)
  const tx = await wallet.sendTransaction({ to: DEAD, value: parseEther('1.5') })
  const receipt = await tx.wait(1, 30_000)
  t.equal(receipt?.status, 1, 'automine mined the transfer (no 60 s interval needed)')
  t.equal(await provider.getBalance(DEAD), parseEther('1.5'))
  const head = BigInt((await rpc(node, 'eth_blockNumber')) as string)
  t.ok(head >= 1n)

  const metrics = await (await fetch(`${node.rpcUrl}/metrics`)).text()
  t.match(metrics, new RegExp(`^openledger_chain_head_number ${head}$`, 'm'))
  t.match(metrics, /^openledger_chain_txs_total 1$/m)
  t.match(metrics, /^openledger_sequencer_block_build_seconds_count [1-9]/m)

  await node.close()
  await node.close() // idempotent
  node = await createNode({ ...quiet, dev: true, datadir, blockTime: 60 })
  t.equal(node.chain.head().header.number, head, 'restart resumes at the same head')
  t.equal(BigInt((await rpc(node, 'eth_getBalance', [DEAD, 'latest'])) as string), parseEther('1.5'), 'state survived')
})

t.test('non-dev: the datadir decides the chain; mismatches and missing specs are refused', async (t) => {
  const datadir = tempDir(t)
  await t.rejects(createNode({ ...quiet, datadir }), { code: CONFIG_ERROR.DATADIR_NOT_INITIALISED }, 'fresh datadir without --genesis')
  const node = await createNode({ ...quiet, datadir, genesis: 'devnet' })
  t.equal(node.sequencer, undefined, 'no key, not dev: not a sequencer')
  t.equal(await rpc(node, 'eth_chainId'), '0x539')
  await node.close()
  await t.rejects(createNode({ ...quiet, datadir, genesis: 'mainnet' }), { code: CONFIG_ERROR.GENESIS_MISMATCH })
  const again = await createNode({ ...quiet, datadir })
  t.equal(again.spec.name, 'devnet', 'the recorded spec is used without --genesis')
  await again.close()
})

t.test('sequencer key from a keystore; a key of another address is refused', async (t) => {
  const dir = tempDir(t)
  const keystore = join(dir, 'key.json')
  const password = join(dir, 'password.txt')
  const key = Uint8Array.from(Buffer.from(DEV_ACCOUNTS[0]!.privateKey.slice(2), 'hex'))
  writeFileSync(keystore, JSON.stringify(await encryptKeystore(key, 'secret', { kdf: 'scrypt', n: 1024, r: 8, p: 1 })))
  writeFileSync(password, 'secret\n')
  const node = await createNode({ ...quiet, datadir: join(dir, 'a'), genesis: 'devnet', sequencerKeystore: keystore, sequencerPasswordFile: password })
  t.teardown(() => node.close())
  t.equal(node.sequencerAddress, DEV_ACCOUNTS[0]!.address.toLowerCase())
  t.ok(node.sequencer !== undefined)
  const built = await node.sequencer!.buildNow()
  t.equal(built.number, 1n, 'the keystore-keyed sequencer builds blocks')
  await node.close()

  await t.rejects(createNode({ ...quiet, datadir: join(dir, 'b'), genesis: 'devnet', sequencerKey: DEV_ACCOUNTS[2]!.privateKey }), {
    code: CONFIG_ERROR.SEQUENCER_KEY_MISMATCH,
  })
  writeFileSync(password, 'wrong\n')
  await t.rejects(createNode({ ...quiet, datadir: join(dir, 'c'), genesis: 'devnet', sequencerKeystore: keystore, sequencerPasswordFile: password }), {
    code: CONFIG_ERROR.KEYSTORE_WRONG_PASSWORD,
  })
  await t.rejects(createNode({ ...quiet, datadir: join(dir, 'd'), genesis: 'devnet', sequencerKeystore: keystore }), { code: CONFIG_ERROR.CONFLICTING_OPTIONS })
})
