/**
 * Regenerates bench/node/fixtures/token.json from Token.sol with the pinned solc npm package
 * (0.8.37, optimizer 200 runs, evmVersion cancun). Run: `npx tsx bench/node/compileToken.ts`.
 * The JSON is committed so benchmark runs do not depend on the compiler.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
const solc = require('solc') as { compile(input: string): string; version(): string }

type SolcOutput = {
  errors?: { severity: string; formattedMessage: string }[]
  contracts: Record<string, Record<string, { evm: { deployedBytecode: { object: string } } }>>
}

const source = await readFile(join(here, 'fixtures', 'Token.sol'), 'utf8')
const input = {
  language: 'Solidity',
  sources: { 'Token.sol': { content: source } },
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['evm.deployedBytecode.object'] } },
  },
}
const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput
const errors = (output.errors ?? []).filter((e) => e.severity === 'error')
if (errors.length > 0) {
  console.error(errors.map((e) => e.formattedMessage).join('\n'))
  process.exit(1)
}
const runtime = output.contracts['Token.sol']!.Token!.evm.deployedBytecode.object
const artifact = {
  compiler: `solc ${solc.version()}`,
  settings: { optimizerRuns: 200, evmVersion: 'cancun' },
  /** storage slot of the balanceOf mapping */
  balanceSlot: 0,
  runtimeBytecode: `0x${runtime}`,
}
await writeFile(join(here, 'fixtures', 'token.json'), `${JSON.stringify(artifact, null, 2)}\n`)
console.log(`token.json written: ${runtime.length / 2} bytes of runtime code (${artifact.compiler})`)
