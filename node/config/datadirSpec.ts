import { existsSync } from 'node:fs'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { chainSpecHash, loadChainSpec, serializeChainSpec } from '../../genesis/index.ts'
import type { ChainSpec } from '../../genesis/index.ts'
import { OpenLedgerError } from '../../runtime/index.ts'
import { CONFIG_ERROR } from './errors.ts'

/** File in a datadir holding the chain spec it was initialised with (our JSON format). */
export const DATADIR_SPEC_FILE = 'chainspec.json'

/** The resolved spec of a datadir. */
export type DatadirSpec = {
  spec: ChainSpec
  /** chainSpecHash(spec) */
  hash: `0x${string}`
  /** true when this call wrote chainspec.json (first use of the datadir) */
  created: boolean
}

/**
 * A fresh --dev chain starts now: a fallback spec with genesis time 0 (the devnet) gets `now` as
 * its genesis timestamp and TGE, so its minute-scale vesting schedules unlock while the developer
 * watches instead of having ended 50 years before block 1. The stamped spec is what the datadir
 * records, so restarts keep it.
 */
export function stampGenesisTime(spec: ChainSpec, now: bigint | undefined): ChainSpec {
  if (now === undefined || spec.timestamp !== 0n) return spec
  return { ...spec, timestamp: now, ...(spec.tokenomics !== undefined && spec.tokenomics.tge === 0n ? { tokenomics: { ...spec.tokenomics, tge: now } } : {}) }
}

/**
 * Decide the chain spec of a datadir and record it there. `genesis` (a built-in name, path or
 * JSON, or a spec already built, e.g. with a rollup section) must match the spec the datadir was initialised with, if any (compared by
 * chainSpecHash, so name and blockTime may differ); with no `genesis`, the recorded spec is used,
 * or `fallback` (devnet in --dev) for a fresh datadir, its genesis time stamped with `options.now`. A fresh datadir with neither is
 * DATADIR_NOT_INITIALISED; a different spec is GENESIS_MISMATCH. Genesis errors pass through.
 *
 * @example
 * const { spec } = await resolveDatadirSpec('/data', 'devnet')
 */
export async function resolveDatadirSpec(
  datadir: string,
  genesis: string | ChainSpec | undefined,
  fallback?: string,
  options: { now?: bigint } = {},
): Promise<DatadirSpec> {
  const file = join(datadir, DATADIR_SPEC_FILE)
  const stored = existsSync(file) ? loadChainSpec(file) : undefined
  const given =
    genesis !== undefined
      ? typeof genesis === 'string'
        ? loadChainSpec(genesis)
        : genesis
      : stored === undefined && fallback !== undefined
        ? stampGenesisTime(loadChainSpec(fallback), options.now)
        : undefined
  if (given !== undefined && stored !== undefined) {
    const [a, b] = [chainSpecHash(stored), chainSpecHash(given)]
    if (a !== b) {
      throw new OpenLedgerError(
        CONFIG_ERROR.GENESIS_MISMATCH,
        `datadir ${datadir} belongs to chain "${stored.name}" (chainId ${stored.chainId}, spec ${a}); ` +
          `--genesis ${typeof genesis === 'object' ? `"${genesis.name}"` : (genesis ?? fallback)} is a different chain (chainId ${given.chainId}, spec ${b}). Use another --datadir, or delete ${datadir} to start over`,
        { option: 'genesis', datadir, stored: a, given: b },
      )
    }
    // same chain: keep what was recorded, but honour a renamed spec's cosmetic fields
    return { spec: { ...stored, name: given.name, blockTime: given.blockTime }, hash: a, created: false }
  }
  if (stored !== undefined) return { spec: stored, hash: chainSpecHash(stored), created: false }
  if (given === undefined) {
    throw new OpenLedgerError(
      CONFIG_ERROR.DATADIR_NOT_INITIALISED,
      `datadir ${datadir} has no chain spec: run "openledger init --genesis <devnet|mainnet|file> --datadir ${datadir}", pass --genesis, or use --dev`,
      { option: 'genesis', datadir },
    )
  }
  await mkdir(datadir, { recursive: true })
  const tmp = `${file}.tmp`
  await writeFile(tmp, `${JSON.stringify(serializeChainSpec(given), null, 2)}\n`)
  await rename(tmp, file)
  return { spec: given, hash: chainSpecHash(given), created: true }
}
