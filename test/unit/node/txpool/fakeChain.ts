/**
 * A small in-memory stand-in for node/chain's Chain, for pool and sequencer unit tests: real
 * Common / Block / MerkleStateManager, but "execution" only moves nonces and balances.
 */
import { EventEmitter } from 'node:events'
import { createBlock, createBlockFromRLP } from '@ethereumjs/block'
import { Mainnet, createCustomCommon } from '@ethereumjs/common'
import { MerkleStateManager } from '@ethereumjs/statemanager'
import { createFeeMarket1559Tx, createLegacyTx } from '@ethereumjs/tx'
import { Account, Address, MapDB, bytesToHex, createAddressFromPrivateKey, hexToBytes, setLengthLeft, bigIntToBytes } from '@ethereumjs/util'
import type { Block, BlockHeader } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { TypedTransaction } from '@ethereumjs/tx'
import type { BlockParams, BuildResult, ChainReader, StateNodeDb, TxReceipt } from '../../../../runtime/index.ts'
import type { Chain, ChainEvents, DevBalance } from '../../../../node/chain/types.ts'
import type { ChainSpec } from '../../../../genesis/index.ts'

export const CHAIN_ID = 1337n
export const GWEI = 1_000_000_000n

export function makeCommon(chainId = CHAIN_ID): Common {
  return createCustomCommon({ chainId: Number(chainId), name: 'fake' }, Mainnet, { hardfork: 'prague' })
}

/** Deterministic test key i (i >= 1). */
export function testKey(i: number): Uint8Array {
  return setLengthLeft(bigIntToBytes(BigInt(i) * 7919n + 1n), 32)
}

export function addressOf(key: Uint8Array): Uint8Array {
  return createAddressFromPrivateKey(key).bytes
}

export type TxParams = {
  nonce: bigint
  maxFee?: bigint
  tip?: bigint
  gasLimit?: bigint
  value?: bigint
  data?: Uint8Array
  to?: Uint8Array
  chainId?: bigint
}

const SINK = hexToBytes('0x00000000000000000000000000000000000000aa')

/** A signed EIP-1559 tx (defaults: 10 gwei max fee, 1 gwei tip, 21k gas, 1 wei). */
export function tx1559(key: Uint8Array, p: TxParams, common = makeCommon(p.chainId)): TypedTransaction {
  return createFeeMarket1559Tx(
    {
      nonce: p.nonce,
      maxFeePerGas: p.maxFee ?? 10n * GWEI,
      maxPriorityFeePerGas: p.tip ?? GWEI,
      gasLimit: p.gasLimit ?? 21_000n,
      to: p.to ?? SINK,
      value: p.value ?? 1n,
      data: p.data ?? new Uint8Array(),
    },
    { common },
  ).sign(key)
}

/** A signed EIP-155 legacy tx. */
export function txLegacy(key: Uint8Array, p: TxParams & { gasPrice: bigint }, common = makeCommon(p.chainId)): TypedTransaction {
  return createLegacyTx({ nonce: p.nonce, gasPrice: p.gasPrice, gasLimit: p.gasLimit ?? 21_000n, to: p.to ?? SINK, value: p.value ?? 1n }, { common }).sign(key)
}

export class FakeChain implements Chain {
  readonly spec = {
    name: 'fake',
    chainId: CHAIN_ID,
    baseFee: { initial: GWEI, maxChangeDenominator: 8n, elasticityMultiplier: 2n },
  } as unknown as ChainSpec
  readonly common: Common
  readonly state: MerkleStateManager
  readonly blocks: Block[] = []
  readonly built: TypedTransaction[][] = []
  /** the --dev balances each built block was given (undefined: none) */
  readonly builtDevBalances: (readonly DevBalance[] | undefined)[] = []
  /** when set, buildBlock waits for it (to test build coalescing) */
  gate: Promise<void> | undefined
  private readonly events = new EventEmitter()

  constructor(common: Common, state: MerkleStateManager, genesis: Block) {
    this.common = common
    this.state = state
    this.blocks.push(genesis)
  }

  head(): Block {
    return this.blocks[this.blocks.length - 1]!
  }

  nextBlockParams(): BlockParams {
    return {
      gasLimit: this.head().header.gasLimit,
      baseFee: this.spec.baseFee,
      feeRecipients: { baseFee: bytesToHex(SINK), priorityFee: bytesToHex(SINK) },
      baseFeeShareBps: 10_000n,
    }
  }

  async getBlockByNumber(number: bigint): Promise<Block | undefined> {
    return this.blocks[Number(number)]
  }

  async getBlockByHash(hash: Uint8Array): Promise<Block | undefined> {
    const hex = bytesToHex(hash)
    return this.blocks.find((b) => bytesToHex(b.hash()) === hex)
  }
  async getHeaderByHash(hash: Uint8Array): Promise<BlockHeader | undefined> {
    return (await this.getBlockByHash(hash))?.header
  }

  async getReceipts(): Promise<TxReceipt[] | undefined> {
    return undefined
  }

  async getTxLocation(): Promise<undefined> {
    return undefined
  }

  async getLogs(): Promise<never[]> {
    return []
  }

  async stateAt(): Promise<MerkleStateManager> {
    return this.state
  }

  reader(): ChainReader {
    return {
      getHeaderByHash: async (hash) => (await this.getBlockByHash(hash))?.header,
      getHeaderByNumber: async (number) => this.blocks[Number(number)]?.header,
    }
  }

  /** the pool and sequencer never simulate calls: an empty store */
  stateNodes(): StateNodeDb {
    return new MapDB<string, string | Uint8Array>()
  }

  async setAccount(address: Uint8Array, balance: bigint, nonce = 0n): Promise<void> {
    await this.state.putAccount(new Address(address), new Account(nonce, balance))
  }

  async account(address: Uint8Array): Promise<{ nonce: bigint; balance: bigint }> {
    const acc = await this.state.getAccount(new Address(address))
    return { nonce: acc?.nonce ?? 0n, balance: acc?.balance ?? 0n }
  }

  /** "Execute" txs: each must have the sender's next nonce and be affordable; 21k gas each. */
  async buildBlock(txs: Iterable<TypedTransaction>, opts: { timestamp: bigint; devBalances?: readonly DevBalance[] }): Promise<BuildResult> {
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    try {
      return await this.buildBlockInner([...txs], opts)
    } finally {
      this.inFlight--
    }
  }

  /** builds currently running / the most ever running at once */
  inFlight = 0
  maxInFlight = 0

  private async buildBlockInner(txs: TypedTransaction[], opts: { timestamp: bigint; devBalances?: readonly DevBalance[] }): Promise<BuildResult> {
    if (this.gate !== undefined) await this.gate
    const parent = this.head()
    const baseFee = parent.header.calcNextBaseFee()
    const included: TypedTransaction[] = []
    const rejected: BuildResult['rejected'] = []
    for (const tx of txs) {
      const from = tx.getSenderAddress()
      const acc = (await this.state.getAccount(from)) ?? new Account()
      const price = 'maxFeePerGas' in tx ? baseFee + tx.getEffectivePriorityFee(baseFee) : tx.gasPrice
      const cost = tx.value + 21_000n * price
      if (tx.nonce !== acc.nonce || acc.balance < cost) {
        rejected.push({ tx, error: new Error('invalid at execution') })
        continue
      }
      acc.nonce += 1n
      acc.balance -= cost
      await this.state.putAccount(from, acc)
      included.push(tx)
    }
    const block = createBlock(
      {
        header: {
          number: parent.header.number + 1n,
          parentHash: parent.hash(),
          gasLimit: parent.header.gasLimit,
          baseFeePerGas: baseFee,
          timestamp: opts.timestamp,
          gasUsed: 21_000n * BigInt(included.length),
        },
        transactions: included,
      },
      { common: this.common },
    )
    this.blocks.push(block)
    this.built.push(included)
    this.builtDevBalances.push(opts.devBalances)
    const executed = { block, receipts: [] as TxReceipt[] }
    this.events.emit('head', executed)
    return { ...executed, rejected }
  }

  /** Drop the blocks above `hash` and emit `rewind`; the state stays as it is (set it with setAccount). */
  async rewindTo(hash: Uint8Array): Promise<Block> {
    const hex = bytesToHex(hash)
    const index = this.blocks.findIndex((b) => bytesToHex(b.hash()) === hex)
    if (index < 0) throw new Error('FakeChain: unknown block')
    this.blocks.length = index + 1
    this.built.length = index
    this.builtDevBalances.length = index
    const head = this.head()
    this.events.emit('rewind', head)
    return head
  }

  async importBlock(): Promise<never> {
    throw new Error('FakeChain does not import blocks')
  }

  async getBlockRlp(number: bigint): Promise<{ hash: Uint8Array; rlp: Uint8Array } | undefined> {
    const block = this.blocks[Number(number)]
    return block === undefined ? undefined : { hash: block.hash(), rlp: block.serialize() }
  }

  /** FakeChain blocks are never sealed. */
  async getSeal(): Promise<undefined> {
    return undefined
  }

  decodeBlock(raw: Uint8Array): Block {
    return createBlockFromRLP(raw, { common: this.common })
  }

  on<E extends keyof ChainEvents>(event: E, listener: ChainEvents[E]): void {
    this.events.on(event, listener)
  }

  off<E extends keyof ChainEvents>(event: E, listener: ChainEvents[E]): void {
    this.events.off(event, listener)
  }

  listenerCount(event: keyof ChainEvents): number {
    return this.events.listenerCount(event)
  }

  async close(): Promise<void> {}
}

/** A fake chain whose genesis funds `keys` with `balance` each. */
export async function createFakeChain(opts: { keys: Uint8Array[]; balance?: bigint; gasLimit?: bigint; baseFee?: bigint }): Promise<FakeChain> {
  const common = makeCommon()
  const state = new MerkleStateManager({ common })
  for (const key of opts.keys) {
    await state.putAccount(new Address(addressOf(key)), new Account(0n, opts.balance ?? 10n ** 21n))
  }
  const genesis = createBlock(
    { header: { number: 0n, gasLimit: opts.gasLimit ?? 30_000_000n, baseFeePerGas: opts.baseFee ?? GWEI, timestamp: 1_000n } },
    { common },
  )
  return new FakeChain(common, state, genesis)
}
