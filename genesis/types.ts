/**
 * The parsed, validated chain spec. The on-disk JSON format (versioned) is documented in
 * genesis/README.md; `loadChainSpec` turns JSON (ours or geth-style) into this type.
 * All quantities are bigint; addresses and hex data are lowercase 0x-strings.
 */
export type Hex = `0x${string}`

/** One genesis account. */
export type GenesisAccount = {
  balance: bigint
  nonce?: bigint
  code?: Hex
  /** slot (32-byte hex) -> value (32-byte hex) */
  storage?: Record<Hex, Hex>
}

/** EIP-1559 base fee rules. */
export type BaseFeeParams = {
  /** base fee of the genesis block, wei */
  initial: bigint
  /** EIP-1559 BASE_FEE_MAX_CHANGE_DENOMINATOR (8 on Ethereum) */
  maxChangeDenominator: bigint
  /** EIP-1559 ELASTICITY_MULTIPLIER (2 on Ethereum) */
  elasticityMultiplier: bigint
}

/** Where fees go. OPEN is never burned: total supply is conserved. */
export type FeeRecipients = {
  /** receives baseFee * gasUsed of every tx */
  baseFee: Hex
  /** receives the priority fee; it is the block's coinbase */
  priorityFee: Hex
}

/**
 * The runtime modules' genesis parameters (GOPEN governance, its timelock). A spec with this
 * section runs the modules (runtime/modules); all durations are seconds (the timestamp clock).
 */
export type GovernanceSpec = {
  /** seconds from propose to vote start (OZ votingDelay) */
  votingDelay: bigint
  /** seconds of voting (OZ votingPeriod) */
  votingPeriod: bigint
  /** GOPEN votes (wei) needed to propose, counted at the previous second */
  proposalThreshold: bigint
  /** quorum as basis points of the past total voting supply at the snapshot */
  quorumBps: number
  /** late-quorum extension: voting stays open at least this long after quorum is first reached */
  lateQuorumExtension: bigint
  /** the timelock's minimum delay between queue and execute */
  timelockDelay: bigint
  /** how long a queued proposal stays executable after its eta before it is Expired */
  gracePeriod: bigint
  /** OPEN (wei) the timelock, the governance treasury, holds at genesis; default 0 */
  treasury?: bigint
}

/** A validated chain spec (see the file comment above and genesis/README.md). */
export type ChainSpec = {
  /** spec format version; 1 today */
  version: 1
  name: string
  chainId: bigint
  /** EVM rules from genesis: Prague-level, blob txs disabled */
  hardfork: 'prague'
  /** target seconds between blocks (integer >= 1) */
  blockTime: number
  /** block gas limit (constant; the sequencer does not vote it) */
  gasLimit: bigint
  baseFee: BaseFeeParams
  feeRecipients: FeeRecipients
  /** address whose key signs/produces blocks */
  sequencer: Hex
  /** genesis block timestamp, seconds */
  timestamp: bigint
  extraData: Hex
  /**
   * addresses sorted ascending after loading (deterministic iteration). With `tokenomics`, every
   * balance here is 0: OPEN is allocated only through the tokenomics table.
   */
  alloc: Record<Hex, GenesisAccount>
  /** runtime modules on (GOPEN, governor, timelock, vesting, governed params); absent: plain EVM chain */
  governance?: GovernanceSpec
  /** the OPEN allocation table (buckets, TGE unlocks, vesting); absent on plain and geth-style specs */
  tokenomics?: Tokenomics
}

/** OPEN liquid at TGE: credited to `address` in the genesis state. */
export type TokenomicsUnlock = { address: Hex; amount: bigint }

/** One vesting grant of a bucket, in months of the schedule (see Tokenomics.monthSeconds). */
export type TokenomicsVesting = {
  beneficiary: Hex
  amount: bigint
  /** schedule start, months after TGE (integer >= 0) */
  startMonths: number
  /** months after start before anything vests (integer >= 0, <= durationMonths) */
  cliffMonths: number
  /** linear duration from start (integer >= 1) */
  durationMonths: number
  revocable: boolean
}

/** One row of the allocation table: `amount` = totalSupply * shareBps / 10000 = unlocked + vesting. */
export type TokenomicsBucket = { name: string; shareBps: number; amount: bigint; unlocked: TokenomicsUnlock[]; vesting: TokenomicsVesting[] }

/** The OPEN allocation table of a chain spec, validated to the wei (genesis/README.md). */
export type Tokenomics = {
  /** 10^27 on mainnet */
  totalSupply: bigint
  /** TGE timestamp, seconds (mainnet: the genesis timestamp 1757289600 = 2025-09-08) */
  tge: bigint
  /** one "month" of the schedule: 2,629,800 s (365.25 d / 12) on mainnet; 60 on devnet */
  monthSeconds: bigint
  /** share of totalSupply liquid at TGE, basis points (2155 on mainnet) */
  circulatingAtTgeBps: number
  /** order as written */
  buckets: TokenomicsBucket[]
}

/** Absolute-time schedule derived from the table (what the vesting module stores at genesis). */
export type GenesisVestingSchedule = {
  bucket: string
  beneficiary: Hex
  amount: bigint
  /** timestamp, seconds */
  start: bigint
  /** absolute timestamp, seconds: nothing vests before it */
  cliff: bigint
  /** seconds from start */
  duration: bigint
  revocable: boolean
}
