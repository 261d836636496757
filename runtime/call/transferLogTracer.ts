import type { EVM, EVMResult, Message } from '@ethereumjs/evm'
import { Address, bigIntToBytes, hexToBytes, setLengthLeft } from '@ethereumjs/util'
import { logHooks, wrapOpcodes } from './opcodeHooks.ts'
import type { OpWrapper } from './opcodeHooks.ts'

/** ERC-7528's address for the native asset: the emitter of the transfer logs. */
export const NATIVE_TRANSFER_ADDRESS = hexToBytes('0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee')
/** keccak256("Transfer(address,address,uint256)"), the ERC-20 Transfer event. */
export const TRANSFER_TOPIC = hexToBytes('0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef')

const SELFDESTRUCT = 0xff

/** A log as the tracer records it (positions are assigned by its block). */
export type TracedLog = { address: Uint8Array; topics: Uint8Array[]; data: Uint8Array }

/** An open call frame: its logs so far, and the transfer into a creation whose address is known at its end. */
type Frame = { logs: TracedLog[]; creation?: TracedLog }

const word = (value: bigint): Uint8Array => setLengthLeft(bigIntToBytes(value), 32)
const addressTopic = (address: Uint8Array): Uint8Array => setLengthLeft(address, 32)

/**
 * The logs of one message as eth_simulateV1 reports them with traceTransfers (geth's simulate
 * tracer, internal/ethapi/logtracer.go): contract logs and every native value transfer, in
 * execution order. A transfer is an ERC-20 Transfer(from, to, value) log emitted by
 * {@link NATIVE_TRANSFER_ADDRESS}: the tx value, each CALL / CREATE carrying value (not
 * DELEGATECALL or CALLCODE, which move nothing) and a SELFDESTRUCT's balance. Gas payments and
 * state overrides are not transfers. A frame that fails takes its logs and its sub-frames' with
 * it. The tracer instruments the (private) EVM's LOG and SELFDESTRUCT handlers and listens to
 * its message events until {@link TransferLogTracer.finish}.
 */
export class TransferLogTracer {
  readonly #evm: EVM
  readonly #restore: () => void
  #frames: Frame[] = []
  #logs: TracedLog[] = []
  readonly #onBefore = (msg: Message): void => this.#before(msg)
  readonly #onAfter = (res: EVMResult): void => this.#after(res)

  constructor(evm: EVM) {
    this.#evm = evm
    const hooks = logHooks((address, topics, data) => this.#record({ address, topics: topics.map(word), data }))
    hooks.set(SELFDESTRUCT, this.#selfdestructHook())
    this.#restore = wrapOpcodes(evm, hooks)
    evm.events.on('beforeMessage', this.#onBefore)
    evm.events.on('afterMessage', this.#onAfter)
  }

  /** Forget the previous message: call before each one. */
  start(): void {
    this.#frames = []
    this.#logs = []
  }

  /** The logs of the message run since {@link start} (none when it failed). */
  logs(): TracedLog[] {
    return this.#logs
  }

  /** Stop listening and put the EVM's handlers back. */
  finish(): void {
    this.#evm.events.off('beforeMessage', this.#onBefore)
    this.#evm.events.off('afterMessage', this.#onAfter)
    this.#restore()
  }

  #record(log: TracedLog): void {
    this.#frames[this.#frames.length - 1]?.logs.push(log)
  }

  #transfer(from: Uint8Array, to: Uint8Array, value: bigint): TracedLog {
    return { address: NATIVE_TRANSFER_ADDRESS, topics: [TRANSFER_TOPIC, addressTopic(from), addressTopic(to)], data: word(value) }
  }

  #before(msg: Message): void {
    const frame: Frame = { logs: [] }
    this.#frames.push(frame)
    // CALLCODE runs another account's code in the caller's own account: `to` is the caller and
    // the code address differs (a CALLCODE of one's own code reads as a self-transfer)
    const moves = msg.value > 0n && !msg.delegatecall && (msg.to === undefined || msg.codeAddress.equals(msg.to))
    if (!moves) return
    // a creation's address is known when it ends; its transfer keeps its place in the order
    const transfer = this.#transfer(msg.caller.bytes, msg.to?.bytes ?? new Uint8Array(20), msg.value)
    if (msg.to === undefined) frame.creation = transfer
    frame.logs.push(transfer)
  }

  #after(res: EVMResult): void {
    const frame = this.#frames.pop()
    if (frame === undefined) return
    if (res.execResult.exceptionError !== undefined) return
    if (frame.creation !== undefined && res.createdAddress !== undefined) frame.creation.topics[2] = addressTopic(res.createdAddress.bytes)
    const parent = this.#frames[this.#frames.length - 1]
    if (parent === undefined) this.#logs = frame.logs
    else parent.logs.push(...frame.logs)
  }

  /** SELFDESTRUCT moves the contract's whole balance to the beneficiary (geth traces it as a frame of its own). */
  #selfdestructHook(): OpWrapper {
    return (original) => async (runState, common) => {
      const [beneficiary] = runState.stack.peek(1)
      const self = runState.env.address.bytes
      const balance = (await runState.stateManager.getAccount(new Address(self)))?.balance ?? 0n
      if (balance > 0n && beneficiary !== undefined) this.#record(this.#transfer(self, setLengthLeft(bigIntToBytes(beneficiary), 20), balance))
      return original(runState, common)
    }
  }
}
