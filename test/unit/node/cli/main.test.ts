import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { EXIT, main } from '../../../../node/cli/main.ts'

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
  t.match(run.out, '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80')
})
