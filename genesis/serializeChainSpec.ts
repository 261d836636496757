import { serializeGovernance } from './parseGovernance.ts'
import type { GovernanceJson } from './parseGovernance.ts'
import { serializeRollup } from './parseRollup.ts'
import type { RollupJson } from './parseRollup.ts'
import type { ChainSpec, Hex, Tokenomics } from './types.ts'

/** A genesis account in our JSON format (quantities as decimal strings). */
export type GenesisAccountJson = {
  balance: string
  nonce?: string
  code?: Hex
  storage?: Record<Hex, Hex>
}

/** Our on-disk chain-spec format, version 1 (see genesis/README.md). */
export type ChainSpecJson = {
  version: 1
  name: string
  chainId: string
  hardfork: 'prague'
  blockTime: number
  gasLimit: string
  baseFee: { initial: string; maxChangeDenominator: string; elasticityMultiplier: string }
  feeRecipients: { baseFee: Hex; priorityFee: Hex }
  sequencer: Hex
  timestamp: string
  extraData: Hex
  alloc: Record<Hex, GenesisAccountJson>
  /** present only when the spec has a tokenomics table */
  tokenomics?: TokenomicsJson
  /** present only when the spec turns the runtime modules on */
  governance?: GovernanceJson
  /** present only on a rollup (OP Stack) chain */
  rollup?: RollupJson
}

/** The `tokenomics` section in our JSON format (wei and seconds as decimal strings). */
export type TokenomicsJson = {
  totalSupply: string
  tge: string
  monthSeconds: string
  circulatingAtTgeBps: number
  buckets: {
    name: string
    shareBps: number
    amount: string
    unlocked: { address: Hex; amount: string }[]
    vesting: { beneficiary: Hex; amount: string; startMonths: number; cliffMonths: number; durationMonths: number; revocable: boolean }[]
  }[]
}

/**
 * Write a ChainSpec in our JSON format (every field explicit, bigints as decimal strings, keys in
 * a fixed order, alloc sorted). `parseChainSpec(serializeChainSpec(spec))` equals `spec`, so
 * `openledger init` stores this form in the datadir whatever format the user gave.
 *
 * @example
 * writeFileSync(path, JSON.stringify(serializeChainSpec(spec), null, 2))
 */
export function serializeChainSpec(spec: ChainSpec): ChainSpecJson {
  const alloc: Record<Hex, GenesisAccountJson> = {}
  for (const address of (Object.keys(spec.alloc) as Hex[]).sort()) {
    const account = spec.alloc[address]!
    const out: GenesisAccountJson = { balance: account.balance.toString() }
    if (account.nonce !== undefined && account.nonce !== 0n) out.nonce = account.nonce.toString()
    if (account.code !== undefined && account.code !== '0x') out.code = account.code
    if (account.storage !== undefined && Object.keys(account.storage).length > 0) {
      const storage: Record<Hex, Hex> = {}
      for (const slot of (Object.keys(account.storage) as Hex[]).sort()) storage[slot] = account.storage[slot]!
      out.storage = storage
    }
    alloc[address] = out
  }
  const json: ChainSpecJson = {
    version: spec.version,
    name: spec.name,
    chainId: spec.chainId.toString(),
    hardfork: spec.hardfork,
    blockTime: spec.blockTime,
    gasLimit: spec.gasLimit.toString(),
    baseFee: {
      initial: spec.baseFee.initial.toString(),
      maxChangeDenominator: spec.baseFee.maxChangeDenominator.toString(),
      elasticityMultiplier: spec.baseFee.elasticityMultiplier.toString(),
    },
    feeRecipients: { baseFee: spec.feeRecipients.baseFee, priorityFee: spec.feeRecipients.priorityFee },
    sequencer: spec.sequencer,
    timestamp: spec.timestamp.toString(),
    extraData: spec.extraData,
    alloc,
  }
  // only when present, so a spec without tokenomics serialises (and hashes) as it always did
  if (spec.tokenomics !== undefined) json.tokenomics = serializeTokenomics(spec.tokenomics)
  if (spec.governance !== undefined) json.governance = serializeGovernance(spec.governance)
  if (spec.rollup !== undefined) json.rollup = serializeRollup(spec.rollup)
  return json
}

function serializeTokenomics(tokenomics: Tokenomics): TokenomicsJson {
  return {
    totalSupply: tokenomics.totalSupply.toString(),
    tge: tokenomics.tge.toString(),
    monthSeconds: tokenomics.monthSeconds.toString(),
    circulatingAtTgeBps: tokenomics.circulatingAtTgeBps,
    buckets: tokenomics.buckets.map((bucket) => ({
      name: bucket.name,
      shareBps: bucket.shareBps,
      amount: bucket.amount.toString(),
      unlocked: bucket.unlocked.map((u) => ({ address: u.address, amount: u.amount.toString() })),
      vesting: bucket.vesting.map((v) => ({ ...v, amount: v.amount.toString() })),
    })),
  }
}
