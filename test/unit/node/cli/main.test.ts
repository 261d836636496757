import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { rollupConfigJson, serializeChainSpec } from '../../../../genesis/index.ts'
import type { Hex } from '../../../../genesis/index.ts'
import { EXIT, main } from '../../../../node/cli/main.ts'
import { createTestSpec } from '../../../fixtures/chain/testSpec.ts'
import { TEST_ROLLUP } from '../../../fixtures/l2/rollupSpec.ts'

async function runMain(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main({
    argv,
    env,
    stdout: (s) => {
      out += s
    },
    stderr: (s) => {
      err += s
    },
    stopSignal: () => Promise.resolve('SIGINT'),
    stdoutIsTty: false,
  })
  return { code, out, err }
}

t.test('help and version exit 0 on stdout', async (t) => {
  const help = await runMain(['--help'])
  t.equal(help.code, EXIT.OK)
  t.match(help.out, 'Usage:')
  t.equal(help.err, '')
  const version = await runMain(['version'])
  t.equal(version.code, EXIT.OK)
  t.match(version.out, /^openledger \d/)
})

t.test('option problems exit 2 with one line naming the option', async (t) => {
  const flag = await runMain(['node', '--block.time', '-1'])
  t.equal(flag.code, EXIT.USAGE)
  t.match(flag.err, /^openledger: invalid --block.time: /)
  const env = await runMain(['node'], { OPENLEDGER_LOG_LEVEL: 'chatty' })
  t.equal(env.code, EXIT.USAGE)
  t.match(env.err, 'OPENLEDGER_LOG_LEVEL')
  const init = await runMain(['init'])
  t.equal(init.code, EXIT.USAGE)
  t.match(init.err, '--genesis')
  const dir = mkdtempSync(join(tmpdir(), 'openledger-main-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const fresh = await runMain(['node', '--datadir', dir, '--log.level', 'silent'])
  t.equal(fresh.code, EXIT.USAGE, 'a fresh datadir without --genesis')
  t.match(fresh.err, 'openledger init')
  const badSpec = await runMain(['init', '--datadir', dir, '--genesis', join(dir, 'missing.json')])
  t.equal(badSpec.code, EXIT.USAGE)
  t.match(badSpec.err, 'missing.json')
})

t.test('node runs until the stop signal, then closes cleanly', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'openledger-main-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const run = await runMain(['node', '--dev', '--datadir', dir, '--rpc.port', '0', '--log.level', 'silent'])
  t.equal(run.code, EXIT.OK)
  t.match(run.out, 'Available Accounts')
  t.match(run.out, '(0) 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266 (10000 OPEN)', "the banner shows the devnet table's dev balances")
  t.match(run.out, '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80')
})

t.test('supply prints the unlock curve (table, --at, --months, --json); its errors exit 2', async (t) => {
  const table = await runMain(['supply', '--genesis', 'mainnet'])
  t.equal(table.code, EXIT.OK)
  t.equal(table.err, '')
  t.match(table.out, /\n {4}0 {2}2025-09-08 .* 21\.55\n/)
  t.match(table.out, /\n {3}12 {2}2026-09-08 .* 32\.84\n/)
  t.match(table.out, /\n {3}48 {2}2029-09-08 .* 100\.00\n$/)
  const at = await runMain(['supply', '--genesis', 'mainnet', '--at', '2026-09-08T06:00:00Z'])
  t.equal(at.code, EXIT.OK)
  t.equal(at.out.trimEnd().split('\n').length, 3, 'title, header, one row')
  t.match(at.out, /\n {3}12 {2}2026-09-08 .* 32\.84\n$/)
  const months = await runMain(['supply', '--genesis=devnet', '--months', '2'])
  t.equal(months.out.trimEnd().split('\n').length, 5, 'months 0..2')
  const json = await runMain(['supply', '--genesis', 'mainnet', '--months', '0', '--json'])
  t.equal(json.code, EXIT.OK)
  t.same(JSON.parse(json.out).rows[0].circulating, '215500000000000000000000000')
  const fromEnv = await runMain(['supply', '--json'], { OPENLEDGER_GENESIS: 'devnet', OPENLEDGER_MONTHS: '1' })
  t.equal(JSON.parse(fromEnv.out).rows.length, 2, 'flags from env vars too')

  const dir = mkdtempSync(join(tmpdir(), 'openledger-main-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const plain = join(dir, 'plain.json')
  writeFileSync(plain, JSON.stringify({ version: 1, chainId: 7, gasLimit: 21000, sequencer: '0x4f50454e00000000000000000000000000000004', alloc: {} }))
  for (const [argv, says] of [
    [['supply', '--genesis', plain], 'tokenomics is required'],
    [['supply', '--genesis', join(dir, 'missing.json')], 'missing.json'],
    [['supply', '--genesis', 'mainnet', '--at', '2026-02-30'], 'invalid --at'],
    [['supply', '--genesis', 'mainnet', '--at', '0', '--months', '1'], 'not both'],
    [['supply'], 'needs --genesis'],
  ] as const) {
    const run = await runMain([...argv])
    t.equal(run.code, EXIT.USAGE, `${argv.join(' ')}: exit 2`)
    t.equal(run.out, '', `${argv.join(' ')}: nothing on stdout`)
    t.match(run.err, says, `${argv.join(' ')}: ${run.err.trim()}`)
  }
})

t.test('init --rollup-config: the spec gains the rollup section; genesis.l2.hash and l2_chain_id are checked', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'openledger-main-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const base = createTestSpec()
  const specFile = join(dir, 'spec.json')
  writeFileSync(specFile, JSON.stringify(serializeChainSpec(base)))
  const rollupFile = (name: string, l2Hash: Hex, chainId = base.chainId) => {
    const file = join(dir, name)
    writeFileSync(file, JSON.stringify({ ...rollupConfigJson({ ...base, rollup: TEST_ROLLUP }, l2Hash), l2_chain_id: Number(chainId) }))
    return file
  }
  const init = (datadir: string, rollup: string) =>
    runMain(['init', '--datadir', join(dir, datadir), '--genesis', specFile, '--rollup-config', rollup, '--log.level', 'silent'])

  const first = await init('a', rollupFile('zero.json', `0x${'0'.repeat(64)}`))
  t.equal(first.code, EXIT.OK, first.err)
  const genesis = /L2 genesis (0x[0-9a-f]{64})/.exec(first.out)?.[1] as Hex | undefined
  t.ok(genesis, `prints the L2 genesis hash: ${first.out}`)
  t.match(first.out, 'OP Stack L2 on L1 chain 900 from L1 block 12')
  t.equal(
    JSON.parse(readFileSync(join(dir, 'a', 'chainspec.json'), 'utf8')).rollup.l1CrossDomainMessenger,
    TEST_ROLLUP.l1CrossDomainMessenger,
    'the datadir records the rollup section',
  )
  const plain = await runMain(['init', '--datadir', join(dir, 'plain'), '--genesis', specFile, '--log.level', 'silent'])
  t.notMatch(plain.out, genesis!, 'without the rollup section the genesis differs')

  const named = await init('b', rollupFile('named.json', genesis!))
  t.equal(named.code, EXIT.OK, 'a rollup.json naming the computed genesis')
  t.match(named.out, genesis!)

  const wrongHash = await init('c', rollupFile('wrong.json', `0x${'12'.repeat(32)}`))
  t.equal(wrongHash.code, EXIT.USAGE)
  t.match(wrongHash.err, `genesis.l2.hash 0x${'12'.repeat(32)} is not the genesis`)
  t.match(wrongHash.err, genesis!, 'says the computed hash')
  t.notOk(existsSync(join(dir, 'c', 'chainspec.json')), 'the datadir is not touched')

  const wrongChain = await init('d', rollupFile('chain.json', `0x${'0'.repeat(64)}`, 901n))
  t.equal(wrongChain.code, EXIT.USAGE)
  t.match(wrongChain.err, "l2_chain_id 901 does not match the chain spec's chainId 1337")

  const onNode = await runMain(['node', '--rollup-config', join(dir, 'zero.json')])
  t.equal(onNode.code, EXIT.USAGE)
  t.match(onNode.err, 'is not an option of "openledger node"')
})
