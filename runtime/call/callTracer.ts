import type { EVM, EVMResult, Message } from '@ethereumjs/evm'
import { bigIntToHex, bytesToHex } from '@ethereumjs/util'
import { gethHaltMessage } from './haltMessage.ts'
import { logHooks, wrapOpcodes } from './opcodeHooks.ts'
import { decodeRevertReason } from './revertReason.ts'
import type { CallFrame, CallLog } from './types.ts'

const toHex = bytesToHex
const toQuantity = (v: bigint | number): string => bigIntToHex(BigInt(v))

/** Frame types by the opcode that opened them (geth labels frames by the opcode executed). */
const FRAME_OPCODES: ReadonlyMap<number, string> = new Map([
  [0xf0, 'CREATE'],
  [0xf1, 'CALL'],
  [0xf2, 'CALLCODE'],
  [0xf4, 'DELEGATECALL'],
  [0xf5, 'CREATE2'],
  [0xfa, 'STATICCALL'],
])

type OpenFrame = { frame: CallFrame; logsAtEntry: number }

function topicHex(topic: bigint): string {
  return '0x' + topic.toString(16).padStart(64, '0')
}

/** Fallback label when no instrumented opcode announced the frame (a top-level message). */
function messageType(msg: Message): string {
  if (msg.to === undefined) return msg.salt !== undefined ? 'CREATE2' : 'CREATE'
  if (msg.delegatecall) return 'DELEGATECALL'
  return 'CALL'
}

/**
 * geth's callTracer over an ethereumjs EVM. `beforeMessage` opens a frame and `afterMessage`
 * closes it with gas used, output and error. Frames are labelled by the opcode that actually
 * ran (a STATICCALL from inside a static frame is a STATICCALL, a CALL there is a CALL with value
 * 0): the tracer wraps the call, create and LOG handlers of this (private, per-trace) EVM's opcode
 * table, which also lets it record each frame's logs with geth's index and position. Logs of a
 * frame that fails are dropped with those of its sub-frames, as geth's clearFailedLogs does.
 * The top frame's gas figures are replaced with the tx's by {@link CallTracer.finish}.
 */
export class CallTracer {
  private readonly stack: OpenFrame[] = []
  private root: CallFrame | undefined
  private readonly evm: EVM
  /** type announced by the opcode handler now running, consumed by the message it starts */
  private announced: string | undefined
  /** block-level index of the next log; a failed frame rewinds it (its logs are reverted) */
  private logIndex: number
  private restore: () => void = () => {}
  private readonly onBefore = (msg: Message): void => this.before(msg)
  private readonly onAfter = (res: EVMResult): void => this.after(res)

  /** `firstLogIndex`: logs of the block's earlier txs (0 for a simulated call). */
  constructor(evm: EVM, firstLogIndex = 0) {
    this.evm = evm
    this.logIndex = firstLogIndex
    evm.events.on('beforeMessage', this.onBefore)
    evm.events.on('afterMessage', this.onAfter)
    this.instrument()
  }

  private instrument(): void {
    const hooks = logHooks((address, topics, data) => this.log(address, topics, data))
    for (const [code, type] of FRAME_OPCODES) {
      hooks.set(code, (original) => (runState, common) => {
        this.announced = type
        return original(runState, common)
      })
    }
    this.restore = wrapOpcodes(this.evm, hooks)
  }

  private log(address: Uint8Array, topics: bigint[], data: Uint8Array): void {
    const open = this.stack[this.stack.length - 1]
    if (open === undefined) return
    const f = open.frame
    const entry: CallLog = {
      address: toHex(address),
      topics: topics.map(topicHex),
      data: toHex(data),
      index: toQuantity(this.logIndex++),
      position: toQuantity(f.calls?.length ?? 0),
    }
    if (f.logs === undefined) f.logs = []
    f.logs.push(entry)
  }

  private before(msg: Message): void {
    const parent = this.stack[this.stack.length - 1]
    const type = parent === undefined ? messageType(msg) : (this.announced ?? messageType(msg))
    this.announced = undefined
    // DELEGATECALL and CALLCODE run the code of another account in the caller's context: geth
    // shows the executing contract as `from` and the code's account as `to`
    const from = type === 'DELEGATECALL' && msg.to !== undefined ? msg.to.bytes : msg.caller.bytes
    const frame: CallFrame = {
      type,
      from: toHex(from),
      gas: toQuantity(msg.gasLimit),
      gasUsed: '0x0',
      input: toHex(msg.data),
    }
    if (msg.to !== undefined) frame.to = toHex(type === 'DELEGATECALL' || type === 'CALLCODE' ? msg.codeAddress.bytes : msg.to.bytes)
    // a STATICCALL carries no value; a DELEGATECALL shows the value it inherits (geth)
    if (type !== 'STATICCALL') frame.value = toQuantity(msg.value)
    if (parent === undefined) this.root = frame
    else if (parent.frame.calls === undefined) parent.frame.calls = [frame]
    else parent.frame.calls.push(frame)
    this.stack.push({ frame, logsAtEntry: this.logIndex })
  }

  private after(res: EVMResult): void {
    const open = this.stack.pop()
    if (open === undefined) return
    const f = open.frame
    const ex = res.execResult
    f.gasUsed = toQuantity(ex.executionGasUsed)
    const err = ex.exceptionError
    if (err === undefined) {
      if (res.createdAddress !== undefined && f.to === undefined) f.to = toHex(res.createdAddress.bytes)
      f.output = toHex(ex.returnValue)
      return
    }
    // the frame's state changes, logs included, are reverted: drop its logs and its sub-frames'
    dropLogs(f)
    this.logIndex = open.logsAtEntry
    if (err.error === 'revert') {
      f.error = 'execution reverted'
      if (ex.returnValue.length > 0) f.output = toHex(ex.returnValue)
      const reason = decodeRevertReason(ex.returnValue)
      if (reason !== undefined) f.revertReason = reason
    } else {
      f.error = gethHaltMessage(err.error)
    }
  }

  /** Stop listening and restore the opcode table; returns the root frame with tx-level gas (limit and total used). */
  finish(txGasLimit: bigint, txGasUsed: bigint): CallFrame | undefined {
    this.evm.events.off('beforeMessage', this.onBefore)
    this.evm.events.off('afterMessage', this.onAfter)
    this.restore()
    this.restore = () => {}
    if (this.root !== undefined) {
      this.root.gas = toQuantity(txGasLimit)
      this.root.gasUsed = toQuantity(txGasUsed)
    }
    return this.root
  }
}

function dropLogs(frame: CallFrame): void {
  delete frame.logs
  for (const c of frame.calls ?? []) dropLogs(c)
}
