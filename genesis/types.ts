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
  /**
   * OP Stack rollup rules on (deposits from L1, the L1-info tx, predeploys, withdrawals, output
   * roots): the L1 side of the chain, as op-node's rollup.json gives it plus the L1 addresses the
   * L2 predeploys are initialised with; absent: a standalone chain without a bridge
   */
  rollup?: RollupSpec
}

/** An L1 block by number and hash. */
export type L1BlockId = { number: bigint; hash: Hex }

/**
 * The L1 side of an OP Stack chain with OPEN as its custom gas token (CGT v1, the
 * @eth-optimism/contracts-bedrock 0.17.3 contracts). Loaded from an op-node rollup.json
 * (`openledger init --rollup-config`), whose fields keep their op-node names there.
 */
export type RollupSpec = {
  /** L1 chain id (rollup.json `l1_chain_id`) */
  l1ChainId: bigint
  /**
   * the L1 block the L2 genesis is anchored to (rollup.json `genesis.l1`): the genesis block's L1
   * origin; deposits are derived only from L1 blocks after it (the genesis OPEN backing is locked
   * at or before it and never derived)
   */
  l1Genesis: L1BlockId
  /** OptimismPortal proxy: the deposit contract (rollup.json `deposit_contract_address`) */
  depositContract: Hex
  /** SystemConfig proxy (rollup.json `l1_system_config_address`) */
  systemConfig: Hex
  /** L1CrossDomainMessenger proxy: L2CrossDomainMessenger.initialize's other messenger */
  l1CrossDomainMessenger: Hex
  /** L1StandardBridge proxy: L2StandardBridge.initialize's other bridge */
  l1StandardBridge: Hex
  /** L2OutputOracle proxy: where the proposer posts output roots */
  l2OutputOracle: Hex
  /** rollup.json `batch_inbox_address` (no batches are posted yet; kept for the config round trip) */
  batchInbox: Hex
  /** rollup.json `genesis.system_config.batcherAddr`: the L1-info tx's batcherHash */
  batcher: Hex
  /** Ecotone fee scalars carried in the L1-info tx (rollup.json `genesis.system_config`) */
  baseFeeScalar: number
  blobBaseFeeScalar: number
  /** the L1 ERC-20 that is native gas on L2 (OPEN: 18 decimals); written into L1Block at genesis */
  gasPayingToken: { address: Hex; decimals: number; name: string; symbol: string }
  /** owner of the L2 ProxyAdmin (0x4200…0018) and recipient of the fee vaults */
  l2ProxyAdminOwner: Hex
  /** seconds an L2 block's timestamp may run ahead of its L1 origin (rollup.json `max_sequencer_drift`, 600 on OP chains) */
  maxSequencerDrift: bigint
  /**
   * rollup.json `seq_window_size` and `channel_timeout` (L1 blocks), batch-derivation bounds this
   * node does not use (it posts no batches yet); kept so `optimism_rollupConfig` answers what was
   * configured. Absent: op-node's standard values, 3600 and 300 (genesis/README.md).
   */
  seqWindowSize?: bigint
  channelTimeout?: bigint
  /** the L1-info calldata form; a later L1Block (Isthmus, Jovian) is one more form */
  l1InfoForm: 'ecotone'
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
