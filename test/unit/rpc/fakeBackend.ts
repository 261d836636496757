import { EventEmitter } from 'node:events'
import type { Block } from '@ethereumjs/block'
import { createBlock } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import { createTx, createTxFromRLP } from '@ethereumjs/tx'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { DEV_ACCOUNTS, loadChainSpec } from '../../../genesis/index.ts'
import type { BaseFeeParams, ChainSpec } from '../../../genesis/index.ts'
import { createChainCommon } from '../../../runtime/index.ts'
import type { ExecutedBlock, SimulatedBlock, SimulateOptions, TxLog, TxReceipt } from '../../../runtime/index.ts'
import { createDevSigner, toHex } from '../../../rpc/index.ts'
import type {
  CallFrame,
  CallOptions,
  CallRequest,
  CallResult,
  RpcAccount,
  RpcBackend,
  RpcBackendEvents,
  RpcLocatedLog,
  RpcLogFilter,
  RpcLogQueryLimits,
  RpcPooledTx,
  StateAt,
} from '../../../rpc/index.ts'

/** Address whose calls revert with Error("nope"). */
export const REVERT_ADDRESS = '0x00000000000000000000000000000000000000aa'
/** Address whose calls revert with a custom error Unauthorized(address). */
export const CUSTOM_ERROR_ADDRESS = '0x00000000000000000000000000000000000000bb'
/** Address whose calls need at least GAS_HUNGRY_MIN gas, else halt "out of gas". */
export const GAS_HUNGRY_ADDRESS = '0x00000000000000000000000000000000000000cc'
export const GAS_HUNGRY_MIN = 53_123n
/** Token-like address that emits logs in mined blocks. */
export const TOKEN_ADDRESS = '0x00000000000000000000000000000000000000dd'
export const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef'

/** abi.encodeWithSignature("Error(string)", "nope") */
export const REVERT_DATA = hexToBytes(
  ('0x08c379a0' +
    '0000000000000000000000000000000000000000000000000000000000000020' +
    '0000000000000000000000000000000000000000000000000000000000000004' +
    '6e6f706500000000000000000000000000000000000000000000000000000000') as `0x${string}`,
)
/** Unauthorized(address) selector 0x8e4a23d6 + zero address */
export const CUSTOM_ERROR_DATA = hexToBytes(('0x8e4a23d6' + '00'.repeat(32)) as `0x${string}`)

function bigAbs(a: bigint, b: bigint): bigint {
  return a > b ? a - b : b - a
}

/**
 * In-memory RpcBackend for unit tests: real ethereumjs blocks and signed txs, programmable call
 * results, a Map-based pool. `mine()` seals pooled txs into a block and emits `head`.
 */
export class FakeBackend implements RpcBackend {
  readonly spec: ChainSpec
  readonly common: Common
  readonly chainId: bigint
  readonly baseFeeParams: BaseFeeParams
  readonly devSigner
  readonly mineBlock = async (): Promise<void> => {
    this.mine()
  }
  readonly blocks: Block[] = []
  readonly receipts = new Map<string, TxReceipt[]>()
  readonly accounts = new Map<string, RpcAccount>()
  readonly code = new Map<string, Uint8Array>()
  readonly storage = new Map<string, Uint8Array>()
  readonly pool = new Map<string, RpcPooledTx>()
  readonly events = new EventEmitter()
  /** blocks off the canonical chain, found by hash only */
  readonly sideBlocks: Block[] = []
  /** the limits the last log query was given */
  lastLogLimits: RpcLogQueryLimits | undefined
  /** the state the last state read or call was asked for */
  lastAt: StateAt | undefined
  callCount = 0

  constructor(opts: { dev?: boolean } = {}) {
    this.spec = loadChainSpec('devnet')
    this.common = createChainCommon(this.spec)
    this.chainId = this.spec.chainId
    this.baseFeeParams = this.spec.baseFee
    this.devSigner = opts.dev === false ? undefined : createDevSigner(DEV_ACCOUNTS)
    for (const a of DEV_ACCOUNTS) {
      this.accounts.set(a.address.toLowerCase(), { nonce: 0n, balance: 10_000n * 10n ** 18n, codeHash: new Uint8Array(32), storageRoot: new Uint8Array(32) })
    }
    this.code.set(TOKEN_ADDRESS, hexToBytes('0x6080604052'))
    this.storage.set(TOKEN_ADDRESS + ':0', hexToBytes('0x2a'))
    this.blocks.push(
      createBlock(
        { header: { number: 0n, gasLimit: this.spec.gasLimit, baseFeePerGas: this.spec.baseFee.initial, timestamp: this.spec.timestamp } },
        { common: this.common },
      ),
    )
  }

  head(): Block {
    return this.blocks[this.blocks.length - 1]!
  }
  peerCount(): number {
    return 0
  }
  syncStatus() {
    return undefined
  }
  safeBlockNumber(): bigint {
    return this.head().header.number
  }
  finalizedBlockNumber(): bigint {
    return this.head().header.number > 0n ? this.head().header.number - 1n : 0n
  }
  async getBlockByNumber(n: bigint) {
    return this.blocks[Number(n)]
  }
  async getBlockByHash(h: Uint8Array) {
    const hex = bytesToHex(h)
    return this.blocks.find((b) => bytesToHex(b.hash()) === hex) ?? this.sideBlocks.find((b) => bytesToHex(b.hash()) === hex)
  }
  async getReceipts(h: Uint8Array) {
    return this.receipts.get(bytesToHex(h))
  }
  async getTxLocation(h: Uint8Array) {
    const hex = bytesToHex(h)
    for (const b of this.blocks) {
      const i = b.transactions.findIndex((tx) => bytesToHex(tx.hash()) === hex)
      if (i !== -1) return { blockHash: b.hash(), blockNumber: b.header.number, index: i }
    }
    return undefined
  }
  async getLogs(f: RpcLogFilter, limits: RpcLogQueryLimits): Promise<RpcLocatedLog[]> {
    this.lastLogLimits = limits
    const out: RpcLocatedLog[] = []
    for (let n = f.fromBlock; n <= f.toBlock && n < BigInt(this.blocks.length) && out.length <= limits.maxResults; n++) {
      const b = this.blocks[Number(n)]!
      for (const r of this.receipts.get(bytesToHex(b.hash())) ?? []) {
        for (const l of r.logs) {
          if (f.addresses !== undefined && f.addresses.length > 0 && !f.addresses.some((a) => toHex(a) === toHex(l.address))) continue
          let ok = true
          if (f.topics !== undefined) {
            if (f.topics.length > l.topics.length) ok = false
            f.topics.forEach((t, i) => {
              if (t === null || !ok) return
              const list = t instanceof Uint8Array ? [t] : t
              if (list.length > 0 && !list.some((x) => toHex(x) === toHex(l.topics[i] ?? new Uint8Array()))) ok = false
            })
          }
          if (ok) out.push({ ...l, blockNumber: n, blockHash: b.hash(), txHash: r.txHash, txIndex: r.txIndex })
        }
      }
    }
    return out
  }
  getAccount(address: string, at: StateAt): RpcAccount | undefined {
    this.lastAt = at
    return this.accounts.get(address)
  }
  async getCode(address: string, at: StateAt) {
    this.lastAt = at
    return this.code.get(address) ?? new Uint8Array()
  }
  async getStorageAt(address: string, slot: Uint8Array, at: StateAt) {
    this.lastAt = at
    return this.storage.get(address + ':' + BigInt(toHex(slot)).toString()) ?? new Uint8Array()
  }
  async getProof(address: string, slots: Uint8Array[], at: StateAt) {
    this.lastAt = at
    const a = this.accounts.get(address)
    return {
      address,
      accountProof: ['0xf8'],
      balance: '0x' + (a?.balance ?? 0n).toString(16),
      codeHash: toHex(a?.codeHash ?? new Uint8Array(32)),
      nonce: '0x' + (a?.nonce ?? 0n).toString(16),
      storageHash: toHex(a?.storageRoot ?? new Uint8Array(32)),
      storageProof: slots.map((s) => ({ key: toHex(s), value: '0x0', proof: [] })),
    }
  }
  async call(req: CallRequest, opts: CallOptions): Promise<CallResult> {
    this.callCount++
    this.lastAt = opts.at
    const to = req.to === undefined ? undefined : toHex(req.to)
    const gas = req.gas ?? opts.gasCap
    if (to === REVERT_ADDRESS) return { returnData: REVERT_DATA, gasUsed: 22_000n, error: 'revert' }
    if (to === CUSTOM_ERROR_ADDRESS) return { returnData: CUSTOM_ERROR_DATA, gasUsed: 22_000n, error: 'revert' }
    if (to === GAS_HUNGRY_ADDRESS) {
      if (gas < GAS_HUNGRY_MIN) return { returnData: new Uint8Array(), gasUsed: gas, error: 'out of gas' }
      // gas used is below the needed limit (63/64 rule style), as with real contracts
      return { returnData: new Uint8Array([1]), gasUsed: GAS_HUNGRY_MIN - 2_000n }
    }
    const override = opts.stateOverrides?.get(TOKEN_ADDRESS)
    if (to === TOKEN_ADDRESS && override?.balance !== undefined) {
      return { returnData: hexToBytes(('0x' + override.balance.toString(16).padStart(64, '0')) as `0x${string}`), gasUsed: 21_000n }
    }
    if (opts.blockOverrides?.number !== undefined) {
      return { returnData: hexToBytes(('0x' + opts.blockOverrides.number.toString(16).padStart(64, '0')) as `0x${string}`), gasUsed: 21_000n }
    }
    if (gas < 21_000n) return { returnData: new Uint8Array(), gasUsed: 0n, error: 'intrinsic gas too low' }
    return { returnData: req.data ?? new Uint8Array(), gasUsed: 21_000n }
  }
  async createAccessList(req: CallRequest, opts: CallOptions) {
    const result = await this.call(req, opts)
    return { accessList: [{ address: hexToBytes(TOKEN_ADDRESS), storageKeys: [new Uint8Array(32)] }], result }
  }
  async traceCall(req: CallRequest, opts: CallOptions): Promise<CallFrame> {
    const r = await this.call(req, opts)
    return {
      type: 'CALL',
      from: toHex(req.from ?? new Uint8Array(20)),
      to: toHex(req.to ?? new Uint8Array(20)),
      value: '0x0',
      gas: '0x' + (req.gas ?? opts.gasCap).toString(16),
      gasUsed: '0x' + r.gasUsed.toString(16),
      input: toHex(req.data ?? new Uint8Array()),
      output: toHex(r.returnData),
      calls: [{ type: 'STATICCALL', from: toHex(req.to ?? new Uint8Array(20)), to: TOKEN_ADDRESS, gas: '0x100', gasUsed: '0x10', input: '0x' }],
    }
  }
  async traceTransaction(hash: Uint8Array): Promise<CallFrame | undefined> {
    const loc = await this.getTxLocation(hash)
    if (loc === undefined) return undefined
    return { type: 'CALL', from: '0x' + '00'.repeat(20), gas: '0x5208', gasUsed: '0x5208', input: '0x' }
  }
  /** no blocks: eth_simulateV1 runs on a real chain in test/unit/rpc/methods/eth/simulateV1.test.ts */
  async simulate(_options: SimulateOptions): Promise<SimulatedBlock[]> {
    return []
  }
  async sendRawTransaction(raw: Uint8Array): Promise<Uint8Array> {
    const tx = createTxFromRLP(raw, { common: this.common })
    return this.sendTransaction(tx)
  }
  async sendTransaction(tx: TypedTransaction): Promise<Uint8Array> {
    const hash = tx.hash()
    const sender = tx.getSenderAddress().bytes
    this.pool.set(bytesToHex(hash), { tx, hash, sender })
    this.events.emit('pendingTx', hash)
    return hash
  }
  getPoolTx(hash: Uint8Array) {
    return this.pool.get(bytesToHex(hash))
  }
  poolContent() {
    const pending = new Map<string, RpcPooledTx[]>()
    for (const p of this.pool.values()) {
      const k = toHex(p.sender)
      pending.set(k, [...(pending.get(k) ?? []), p])
    }
    return { pending, queued: new Map<string, RpcPooledTx[]>() }
  }
  poolStatus() {
    return { pending: this.pool.size, queued: 0 }
  }
  async pendingNonce(address: string) {
    let n = this.accounts.get(address)?.nonce ?? 0n
    for (const p of this.pool.values()) if (toHex(p.sender) === address && p.tx.nonce === n) n++
    return n
  }
  on<E extends keyof RpcBackendEvents>(event: E, listener: RpcBackendEvents[E]) {
    this.events.on(event, listener)
  }
  off<E extends keyof RpcBackendEvents>(event: E, listener: RpcBackendEvents[E]) {
    this.events.off(event, listener)
  }

  /** Add a block off the canonical chain at the height of canonical block `number` (same parent, other extraData). */
  addSideBlock(number: bigint): Block {
    const canonical = this.blocks[Number(number)]!
    const side = createBlock({ header: { ...canonical.header.toJSON(), extraData: '0x51de' } }, { common: this.common, skipConsensusFormatValidation: true })
    this.sideBlocks.push(side)
    return side
  }

  /** Sign a 1559 transfer from dev account `from` (index) with the given nonce and tip. */
  signedTransfer(from: number, nonce: bigint, to: `0x${string}`, value: bigint, tip = 1_000_000_000n): TypedTransaction {
    const tx = createTx(
      { type: 2, nonce, to, value, gasLimit: 21_000n, maxFeePerGas: 10n * 10n ** 9n, maxPriorityFeePerGas: tip, chainId: this.chainId },
      { common: this.common },
    )
    return tx.sign(hexToBytes(DEV_ACCOUNTS[from]!.privateKey))
  }

  /** Seal all pooled txs into a new block; every tx to TOKEN_ADDRESS emits one Transfer log. */
  mine(): ExecutedBlock {
    const parent = this.head()
    const txs = [...this.pool.values()].map((p) => p.tx)
    this.pool.clear()
    const number = parent.header.number + 1n
    const baseFee = parent.header.calcNextBaseFee()
    const block = createBlock(
      {
        header: {
          number,
          parentHash: parent.hash(),
          gasLimit: this.spec.gasLimit,
          gasUsed: 21_000n * BigInt(txs.length),
          baseFeePerGas: baseFee,
          timestamp: parent.header.timestamp + 1n,
        },
        transactions: txs,
      },
      { common: this.common },
    )
    let logIndex = 0
    let cumulative = 0n
    const receipts: TxReceipt[] = txs.map((tx, i) => {
      cumulative += 21_000n
      const logs: TxLog[] = []
      if (tx.to !== undefined && toHex(tx.to.bytes) === TOKEN_ADDRESS) {
        logs.push({
          address: hexToBytes(TOKEN_ADDRESS),
          topics: [hexToBytes(TRANSFER_TOPIC), tx.getSenderAddress().toBytes(), new Uint8Array(32)],
          data: new Uint8Array(32),
          logIndex: logIndex++,
        })
      }
      const sender = tx.getSenderAddress()
      const acct = this.accounts.get(sender.toString())
      if (acct !== undefined) acct.nonce = tx.nonce + 1n
      const price = (tx as unknown as { maxFeePerGas: bigint }).maxFeePerGas
      return {
        txHash: tx.hash(),
        txIndex: i,
        txType: tx.type,
        from: sender.bytes,
        to: tx.to?.bytes,
        status: 1,
        cumulativeGasUsed: cumulative,
        gasUsed: 21_000n,
        effectiveGasPrice: bigAbs(price, 0n) > baseFee + 1_000_000_000n ? baseFee + 1_000_000_000n : price,
        contractAddress: undefined,
        logsBloom: new Uint8Array(256),
        logs,
      }
    })
    this.blocks.push(block)
    this.receipts.set(bytesToHex(block.hash()), receipts)
    const executed = { block, receipts }
    this.events.emit('head', executed)
    return executed
  }
}
