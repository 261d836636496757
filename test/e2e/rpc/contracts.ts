import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

type Artifact = { abi: unknown[]; bytecode: `0x${string}`; deployedBytecode: `0x${string}` }

/** The committed fixture (test/fixtures/contracts/contracts.json, built by compile.ts). */
const fixture = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/contracts/contracts.json', import.meta.url)), 'utf8')) as {
  contracts: Record<string, Artifact>
}

export const TOKEN = fixture.contracts.Token!
export const PROBE = fixture.contracts.Probe!
