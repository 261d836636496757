import { Common, Mainnet } from '@ethereumjs/common'
import type { CommonOpts, CustomCrypto, ParamsDict } from '@ethereumjs/common'
import { paramsBlock } from '@ethereumjs/block'
import { paramsEVM } from '@ethereumjs/evm'
import { paramsTx } from '@ethereumjs/tx'
import { paramsVM } from '@ethereumjs/vm'
import type { ChainSpec } from '../genesis/index.ts'

/** The one EVM rule set of the chain, active from genesis (all earlier forks at block 0 / timestamp 0). */
export const CHAIN_HARDFORK = 'prague'

// Mainnet's forks up to and including Prague. `dao` is left out (it rewrites balances at its
// fork block); the block-numbered forks start at 0 and the timestamp forks at 0.
const BLOCK_FORKS = [
  'chainstart',
  'homestead',
  'tangerineWhistle',
  'spuriousDragon',
  'byzantium',
  'constantinople',
  'petersburg',
  'istanbul',
  'muirGlacier',
  'berlin',
  'london',
  'arrowGlacier',
  'grayGlacier',
  'paris',
] as const
const TIMESTAMP_FORKS = ['shanghai', 'cancun', 'prague'] as const

/** Options of {@link createChainCommon}. */
export type ChainCommonOptions = {
  /** fast keccak / ecrecover / sha256 (node/crypto); @noble is used where absent */
  customCrypto?: CustomCrypto
}

/** Defaults of {@link createChainCommon}: pure-JS (@noble) crypto. */
export const defaultChainCommonOptions: ChainCommonOptions = {}

function cloneParams(dict: ParamsDict): ParamsDict {
  return JSON.parse(JSON.stringify(dict)) as ParamsDict
}

/**
 * The full parameter dictionary (tx, block, VM and EVM EIP parameters merged) with the spec's
 * EIP-1559 values.
 *
 * ethereumjs libraries push their default dictionaries into the Common whenever a VM, EVM,
 * header or tx is constructed, with their defaults winning; block, VM and EVM all define
 * 1559.elasticityMultiplier (params overwrite trap, specs/ethereumjs.md §2.3). The runtime passes
 * this complete dictionary as `params` to every one of those constructors, so the spec's values
 * stay in force (and BlockHeader.calcNextBaseFee() agrees, tested). Consensus does not rely on
 * it: the base fee is computed by runtime's own {@link calcNextBaseFee}.
 */
export function chainParams(spec: ChainSpec): ParamsDict {
  // built once per spec: the merge deep-copies every dictionary (~0.3 ms, measured per block on
  // the 10,000-block log bench); callers hand it to ethereumjs constructors, which only read it
  const known = paramsBySpec.get(spec)
  if (known !== undefined) return known
  const merged: ParamsDict = {}
  // VM after EVM, as createVM applies them: 2935.historyServeWindow is 8191 in paramsVM, 8192 in paramsEVM
  for (const dict of [paramsTx, paramsBlock, paramsEVM, paramsVM]) {
    for (const [eip, values] of Object.entries(cloneParams(dict))) {
      merged[eip] = { ...(merged[eip] ?? {}), ...values }
    }
  }
  merged['1559'] = {
    ...(merged['1559'] ?? {}),
    baseFeeMaxChangeDenominator: paramValue(spec.baseFee.maxChangeDenominator),
    elasticityMultiplier: paramValue(spec.baseFee.elasticityMultiplier),
    initialBaseFee: paramValue(spec.baseFee.initial),
  }
  paramsBySpec.set(spec, merged)
  return merged
}

const paramsBySpec = new WeakMap<ChainSpec, ParamsDict>()

// numbers like ethereumjs' own dictionaries; beyond 2^53 a decimal string (Common.param() reads
// both with BigInt(), so nothing is lost)
function paramValue(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()
}

/**
 * Common whose updateParams skips dictionaries that are already in force, and never writes into a
 * parameter table shared with other copies.
 *
 * Every tx and header constructor calls updateParams(defaults) on its Common copy; stock Common
 * then JSON-clones each EIP's entry and rebuilds the whole params cache, which was ~90% of
 * decoding a 2,000-tx block (profiled: updateParams + _mergeWithParamsCache + GC). Skipping a
 * dictionary whose every value is already set changes nothing observable: the result would be
 * identical, and copies share the still-valid cache.
 *
 * Stock Common.copy() is shallow: copies share `_params` but each has its own params cache, so an
 * update through one copy changed the table under the others and left their caches stale (seen:
 * a header created after createVM read elasticity 2 from a stale cache). A real update here first
 * detaches this instance's table.
 */
class ChainCommon extends Common {
  // isActivatedEIP runs several times per EVM opcode; Common scans an array of ~70 EIPs on each
  // call (2.3% of an ERC-20 block build, profiled). The Set mirrors that array and is rebuilt
  // when Common replaces it (it is reassigned, never mutated, on a hardfork / EIP change). Plain
  // properties, not #private ones: Common.copy() clones with Object.assign, which skips #fields.
  eipLookupSource: number[] | undefined = undefined
  eipLookup: Set<number> = new Set()

  override isActivatedEIP(eip: number): boolean {
    if (this.eipLookupSource !== this._activatedEIPsCache) {
      this.eipLookupSource = this._activatedEIPsCache
      this.eipLookup = new Set(this._activatedEIPsCache)
    }
    return this.eipLookup.has(eip)
  }

  // the dictionary last found (or made) in force, and the table it was checked against: the
  // runtime hands the same chainParams object to every header, block and VM it constructs, and
  // comparing its ~70 entries each time was 7% of building empty blocks (profiled, 10,000-block fill)
  appliedParams: ParamsDict | undefined = undefined
  appliedTo: ParamsDict | undefined = undefined

  override updateParams(params: ParamsDict): void {
    if (params === this.appliedParams && this._params === this.appliedTo) return
    for (const [eip, values] of Object.entries(params)) {
      const current = this._params[eip]
      if (current === undefined || current === null || Object.entries(values).some(([key, value]) => current[key] !== value)) {
        this._params = { ...this._params }
        super.updateParams(params)
        break
      }
    }
    this.appliedParams = params
    this.appliedTo = this._params
  }
}

/**
 * The chain's Common: chain id from the spec, Prague (and every earlier fork) active from
 * genesis, proof-of-stake style headers (no difficulty, no uncles, no block reward), the spec's
 * EIP-1559 parameters, optional fast crypto. Blob txs are rejected by runtime/tx, not here
 * (Cancun's header fields stay, fixed at zero).
 *
 * @example
 * const common = createChainCommon(spec, { customCrypto: await createFastCrypto() })
 */
export function createChainCommon(spec: ChainSpec, options: ChainCommonOptions = defaultChainCommonOptions): Common {
  const hardforks = [...BLOCK_FORKS.map((name) => ({ name, block: 0 })), ...TIMESTAMP_FORKS.map((name) => ({ name, block: null, timestamp: 0 }))]
  const opts: CommonOpts = {
    chain: {
      ...Mainnet,
      name: spec.name,
      chainId: spec.chainId.toString(),
      defaultHardfork: CHAIN_HARDFORK,
      consensus: { type: 'pos', algorithm: 'casper' },
      genesis: {
        gasLimit: `0x${spec.gasLimit.toString(16)}`,
        difficulty: 0,
        nonce: '0x0000000000000000',
        extraData: spec.extraData,
        baseFeePerGas: `0x${spec.baseFee.initial.toString(16)}`,
        timestamp: `0x${spec.timestamp.toString(16)}`,
      },
      hardforks,
      bootstrapNodes: [],
      dnsNetworks: [],
    },
    hardfork: CHAIN_HARDFORK,
    params: chainParams(spec),
    ...(options.customCrypto !== undefined ? { customCrypto: options.customCrypto } : {}),
  }
  return new ChainCommon(opts)
}

/**
 * A Common for decoding pool txs, equivalent to `common` but cheap to construct txs with.
 *
 * Every ethereumjs tx constructor copies its Common and calls `updateParams(paramsTx)`, which
 * deep-copies every EIP's parameter dictionary through JSON and rebuilds the parameter cache:
 * about 0.3 ms per tx, more than half the cost of decoding a transfer (profiled on the
 * block-production bench). Here that merge is done once, on a private copy of the parameters;
 * the copies the tx constructors make inherit the merged dictionary and cache, and their
 * `updateParams(paramsTx)` becomes a no-op. Any other dictionary still goes through the real
 * merge. Chain id, hardfork, EIPs and customCrypto are those of `common`.
 */
export function createDecodeCommon(common: Common): Common {
  const own = common.copy()
  const internals = own as unknown as { _params: ParamsDict }
  // a private dictionary: merges other libraries make into the chain Common's shared one do not leak in
  internals._params = structuredClone(internals._params)
  own.updateParams(paramsTx)
  // an own enumerable property, so Common.copy() (Object.assign) hands it to every tx's copy
  Object.defineProperty(own, 'updateParams', {
    enumerable: true,
    writable: true,
    configurable: true,
    value(this: Common, params: ParamsDict): void {
      if (params === paramsTx) return
      Common.prototype.updateParams.call(this, params)
    },
  })
  return own
}
