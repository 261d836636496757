import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import t from 'tap'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { PROBE } from '../../fixtures/contracts/contracts.ts'
import { startDevNode } from './nodeProcess.ts'

const run = promisify(execFile)
const bundled = fileURLToPath(new URL(`../../../node_modules/@foundry-rs/cast-linux-${process.arch === 'arm64' ? 'arm64' : 'amd64'}/bin/cast`, import.meta.url))
const CAST = existsSync(bundled) ? bundled : 'cast'

const node = await startDevNode()
t.teardown(() => node.stop())

async function cast(...args: string[]): Promise<string> {
  // --rpc-url right after the subcommand: trailing args of `send --create` are constructor args
  const [sub, ...rest] = args
  const { stdout } = await run(CAST, [sub!, '--rpc-url', node.url, ...rest], { timeout: 30_000 })
  return stdout.trim()
}

const alice = DEV_ACCOUNTS[6]!
const bob = DEV_ACCOUNTS[7]!

t.test('chain-id, block-number, balance, nonce, gas-price', async (t) => {
  t.equal(await cast('chain-id'), '1337')
  t.match(await cast('block-number'), /^\d+$/)
  t.equal(await cast('balance', bob.address), '10000000000000000000000')
  t.equal(await cast('nonce', bob.address), '0')
  t.match(await cast('gas-price'), /^[1-9]\d*$/)
  t.equal(await cast('client'), (await cast('rpc', 'web3_clientVersion')).replaceAll('"', ''))
})

t.test('send, receipt, tx, balance change', async (t) => {
  const out = await cast('send', '--private-key', alice.privateKey, bob.address, '--value', '1ether', '--json')
  const receipt = JSON.parse(out) as { status: string; transactionHash: string; gasUsed: string; type: string }
  t.equal(receipt.status, '0x1')
  t.equal(BigInt(receipt.gasUsed), 21_000n)
  t.equal(await cast('receipt', receipt.transactionHash, 'status'), 'true')
  const tx = JSON.parse(await cast('tx', receipt.transactionHash, '--json')) as { from: string; value: string }
  t.equal(tx.from.toLowerCase(), alice.address.toLowerCase())
  t.equal(BigInt(tx.value), 10n ** 18n)
  t.equal(await cast('balance', bob.address), '10001000000000000000000')
})

t.test('deploy with send --create, call, estimate, revert reason', async (t) => {
  const out = JSON.parse(await cast('send', '--private-key', alice.privateKey, '--create', PROBE.bytecode, '--json')) as { contractAddress: string }
  const probe = out.contractAddress
  t.match(probe, /^0x[0-9a-fA-F]{40}$/)
  t.equal(await cast('call', probe, 'counter()(uint256)'), '0')
  await cast('send', '--private-key', alice.privateKey, probe, 'bump()')
  t.equal(await cast('call', probe, 'counter()(uint256)'), '1')
  t.match(await cast('estimate', probe, 'burn(uint256)', '3', '--from', alice.address), /^\d+$/)
  try {
    await cast('call', probe, 'fail(string)', 'no way')
    t.fail('should revert')
  } catch (err) {
    t.match(String((err as { stderr: string }).stderr), /execution reverted: no way/)
  }
})

t.test('cast rpc of a few methods', async (t) => {
  t.equal(await cast('rpc', 'eth_chainId'), '"0x539"')
  t.equal(await cast('rpc', 'net_version'), '"1337"')
  const status = JSON.parse(await cast('rpc', 'txpool_status')) as { pending: string; queued: string }
  t.match(status.pending, /^0x[0-9a-f]+$/)
  const block = JSON.parse(await cast('rpc', 'eth_getBlockByNumber', 'latest', 'false')) as { hash: string; transactions: unknown[] }
  t.match(block.hash, /^0x[0-9a-f]{64}$/)
  const before = Number(await cast('block-number'))
  t.equal(await cast('rpc', 'evm_mine'), '"0x0"')
  t.ok(Number(await cast('block-number')) > before, 'evm_mine built a block before answering')
  try {
    await cast('rpc', 'eth_noSuchMethod')
    t.fail('should fail')
  } catch (err) {
    t.match(String((err as { stderr: string }).stderr), /-32601/)
  }
})
