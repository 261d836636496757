import type { EVM, EVMResult, Message } from '@ethereumjs/evm'
import type { Address } from '@ethereumjs/util'
import { decodeRevertReason, toHex, toQuantity } from '../../rpc/index.ts'
import type { CallFrame } from '../../rpc/index.ts'

type OpenFrame = { frame: CallFrame; isStatic: boolean }

function frameType(msg: Message, parentStatic: boolean): string {
  if (msg.to === undefined) return msg.salt !== undefined ? 'CREATE2' : 'CREATE'
  if (msg.delegatecall) return 'DELEGATECALL'
  if (msg.isStatic && !parentStatic) return 'STATICCALL'
  const codeAddress = (msg as unknown as { _codeAddress?: Address })._codeAddress
  if (codeAddress !== undefined && !codeAddress.equals(msg.to) && msg.depth > 0) return 'CALLCODE'
  return 'CALL'
}

/**
 * geth's callTracer over ethereumjs EVM message events: `beforeMessage` opens a frame,
 * `afterMessage` closes it with gas used, output and error. The top frame's gas figures are
 * replaced with the tx's (intrinsic gas included) by {@link CallTracer.finish}, as geth reports them.
 */
export class CallTracer {
  private readonly stack: OpenFrame[] = []
  private root: CallFrame | undefined
  private readonly evm: EVM
  private readonly onBefore = (msg: Message): void => this.before(msg)
  private readonly onAfter = (res: EVMResult): void => this.after(res)

  constructor(evm: EVM) {
    this.evm = evm
    evm.events.on('beforeMessage', this.onBefore)
    evm.events.on('afterMessage', this.onAfter)
  }

  private before(msg: Message): void {
    const parent = this.stack[this.stack.length - 1]
    const type = frameType(msg, parent?.isStatic ?? false)
    const frame: CallFrame = {
      type,
      from: toHex(msg.caller.bytes),
      gas: toQuantity(msg.gasLimit),
      gasUsed: '0x0',
      input: toHex(msg.data),
    }
    if (msg.to !== undefined) frame.to = toHex(msg.to.bytes)
    if (type !== 'STATICCALL' && type !== 'DELEGATECALL') frame.value = toQuantity(msg.value)
    if (parent !== undefined) (parent.frame.calls ??= []).push(frame)
    else this.root = frame
    this.stack.push({ frame, isStatic: msg.isStatic })
  }

  private after(res: EVMResult): void {
    const open = this.stack.pop()
    if (open === undefined) return
    const f = open.frame
    const ex = res.execResult
    f.gasUsed = toQuantity(ex.executionGasUsed)
    if (res.createdAddress !== undefined && f.to === undefined) f.to = toHex(res.createdAddress.bytes)
    const err = ex.exceptionError
    if (err !== undefined) {
      if (err.error === 'revert') {
        f.error = 'execution reverted'
        if (ex.returnValue.length > 0) f.output = toHex(ex.returnValue)
        const reason = decodeRevertReason(ex.returnValue)
        if (reason !== undefined) f.revertReason = reason
      } else {
        f.error = err.error
      }
    } else {
      f.output = toHex(ex.returnValue)
    }
  }

  /** Stop listening; returns the root frame with tx-level gas (limit and total used). */
  finish(txGasLimit: bigint, txGasUsed: bigint): CallFrame | undefined {
    this.evm.events.off('beforeMessage', this.onBefore)
    this.evm.events.off('afterMessage', this.onAfter)
    if (this.root !== undefined) {
      this.root.gas = toQuantity(txGasLimit)
      this.root.gasUsed = toQuantity(txGasUsed)
    }
    return this.root
  }
}
