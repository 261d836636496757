import type { Common, StateManagerInterface } from '@ethereumjs/common'
import { EVMError, Message } from '@ethereumjs/evm'
import type { EVM, Log } from '@ethereumjs/evm'
import {
  type Address,
  bigIntToBytes,
  bytesToBigInt,
  bytesToHex,
  createAddressFromString,
  ecrecover as utilEcrecover,
  hexToBytes,
  setLengthLeft,
} from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { AbiError, AbiEvent, AbiParameters } from 'ox'
import type { Hex } from '../../../genesis/index.ts'
import type { CompiledModule } from './compileModule.ts'
import { type GasMeter, MODULE_GAS, words } from './gas.ts'
import type { ModuleCallResult, ModuleContext, ModuleStorage } from './types.ts'

/** secp256k1 order / 2: signatures with a higher s are malleable copies (EIP-2; OZ ECDSA refuses them). */
export const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n
/** EVM call depth limit (stackLimit) */
const MAX_DEPTH = 1024
/** Solidity's revert reason type */
const ERROR_STRING = AbiError.from('error Error(string)') as AbiError.AbiError
/** events logged at another module's address (emitFrom), parsed once per signature */
const foreignEvents = new Map<string, AbiEvent.AbiEvent>()

/** A revert raised by module code: its ABI-encoded data goes back to the caller. */
export class ModuleRevert extends Error {
  readonly data: Uint8Array
  constructor(data: Uint8Array) {
    super('module reverted')
    this.name = 'ModuleRevert'
    this.data = data
  }
}

/**
 * Wraps an error of the state manager or a nested EVM call (I/O, a broken store): it is not a
 * property of the input, so it must abort the block like any state failure, never become a halt
 * that one node records and another does not.
 */
export class ModuleStateFailure extends Error {
  constructor(cause: unknown) {
    super('state access failed inside a runtime module', { cause })
    this.name = 'ModuleStateFailure'
  }
}

/** What {@link createModuleFrame} needs from the EVM's current frame. */
export type FrameInput = {
  evm: EVM
  message: Message
  module: CompiledModule
  gas: GasMeter
}

/** The EVM's per-run environment the modules read (protected in the typings, public in JS). */
type EvmRunEnv = { _block?: { header: { timestamp: bigint; number: bigint } }; _tx?: { origin: Address } }

async function guarded<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op()
  } catch (err) {
    throw new ModuleStateFailure(err)
  }
}

/** The module frame: a {@link ModuleContext} plus the logs it produced, in order. */
export type ModuleFrame = { ctx: ModuleContext; logs: Log[] }

/** Build the context one module call runs against (see ModuleContext for the gas of each method). */
export function createModuleFrame({ evm, message, module, gas }: FrameInput): ModuleFrame {
  const common: Common = evm.common
  const sm: StateManagerInterface = evm.stateManager
  const journal = evm.journal
  const selfAddress = message.to as Address
  const self = module.address
  const env = evm as unknown as EvmRunEnv
  const header = env._block?.header
  const keccak = common.customCrypto.keccak256 ?? keccak_256
  const recover = common.customCrypto.ecrecover ?? utilEcrecover
  const logs: Log[] = []

  const slotKey = (slot: bigint) => setLengthLeft(bigIntToBytes(slot), 32)
  const storage = (account: Address): ModuleStorage => {
    const warmSlot = (key: Uint8Array): bigint => {
      if (journal.isWarmedStorage(account.bytes, key)) return MODULE_GAS.warmAccess
      journal.addWarmedStorage(account.bytes, key)
      return MODULE_GAS.coldSload
    }
    return {
      async sload(slot) {
        const key = slotKey(slot)
        gas.use(warmSlot(key))
        return bytesToBigInt(await guarded(() => sm.getStorage(account, key)))
      },
      async sstore(slot, value) {
        if (message.isStatic) throw new ModuleRevert(revertData('StaticCallViolation', []))
        if (gas.left <= MODULE_GAS.sstoreSentry) gas.use(gas.left + 1n)
        const key = slotKey(slot)
        const cold = warmSlot(key) === MODULE_GAS.coldSload ? MODULE_GAS.coldSload : 0n
        const current = bytesToBigInt(await guarded(() => sm.getStorage(account, key)))
        const original = bytesToBigInt(await guarded(() => sm.originalStorageCache.get(account, key)))
        gas.use(cold + sstoreCost(original, current, value))
        message.gasRefund += sstoreRefund(original, current, value)
        await guarded(() => sm.putStorage(account, key, setLengthLeft(bigIntToBytes(value), 32)))
      },
    }
  }
  const own = storage(selfAddress)
  const warmAccount = (address: Address): bigint => {
    if (journal.isWarmedAddress(address.bytes)) return MODULE_GAS.warmAccess
    journal.addWarmedAddress(address.bytes)
    return MODULE_GAS.coldAccount
  }
  const revertData = (name: string, args: readonly unknown[]): Uint8Array => {
    const error = module.errors.get(name)
    if (error === undefined) throw new Error(`module ${module.definition.name}: unknown error ${name}`)
    return hexToBytes(AbiError.encode(error, args as never))
  }

  const log = (address: Uint8Array, event: AbiEvent.AbiEvent, args: Record<string, unknown>) => {
    const { topics } = AbiEvent.encode(event, args as never)
    const dataParams = event.inputs.filter((p) => p.indexed !== true)
    const data =
      dataParams.length === 0 ? new Uint8Array(0) : hexToBytes(AbiParameters.encode(dataParams, dataParams.map((p) => args[p.name as string]) as never))
    gas.use(MODULE_GAS.log + MODULE_GAS.logTopic * BigInt(topics.length) + MODULE_GAS.logDataByte * BigInt(data.length))
    logs.push([address, topics.map((t) => hexToBytes(t as Hex)), data])
  }

  const nestedCall = async (to: Hex, value: bigint, data: Uint8Array, isStatic: boolean): Promise<ModuleCallResult> => {
    if (message.isStatic && value > 0n) throw new ModuleRevert(revertData('StaticCallViolation', []))
    const target = createAddressFromString(to)
    let cost = warmAccount(target)
    if (value > 0n) {
      cost += MODULE_GAS.callValue
      const account = await guarded(() => sm.getAccount(target))
      if (account === undefined || account.isEmpty()) cost += MODULE_GAS.newAccount
    }
    gas.use(cost)
    const forwarded = gas.left - gas.left / 64n
    const balance = (await guarded(() => sm.getAccount(selfAddress)))?.balance ?? 0n
    if (message.depth >= MAX_DEPTH || balance < value) return { success: false, returnData: new Uint8Array(0) }
    const child = new Message({
      caller: selfAddress,
      to: target,
      value,
      data,
      gasLimit: forwarded + (value > 0n ? MODULE_GAS.callStipend : 0n),
      depth: message.depth + 1,
      isStatic,
      selfdestruct: new Map(message.selfdestruct),
      createdAddresses: new Set(message.createdAddresses),
      gasRefund: message.gasRefund,
    })
    const result = await guarded(() => evm.runCall({ message: child }))
    const exec = result.execResult
    gas.use(exec.executionGasUsed > forwarded ? forwarded : exec.executionGasUsed)
    const success = exec.exceptionError === undefined
    if (success) {
      logs.push(...(exec.logs ?? []))
      message.gasRefund = exec.gasRefund ?? message.gasRefund
      for (const [k, v] of child.selfdestruct ?? []) message.selfdestruct?.set(k, v)
      for (const a of child.createdAddresses ?? []) message.createdAddresses?.add(a)
    }
    const reverted = exec.exceptionError?.error === EVMError.errorMessages.REVERT
    return { success, returnData: success || reverted ? exec.returnValue : new Uint8Array(0) }
  }

  const ctx: ModuleContext = {
    self,
    caller: message.caller.toString() as Hex,
    origin: (env._tx?.origin ?? message.caller).toString() as Hex,
    value: message.value,
    calldata: message.data,
    isStatic: message.isStatic,
    depth: message.depth,
    timestamp: header?.timestamp ?? 0n,
    blockNumber: header?.number ?? 0n,
    chainId: common.chainId(),

    sload: own.sload,
    sstore: own.sstore,

    storageOf(address) {
      return storage(createAddressFromString(address))
    },

    async balanceOf(address) {
      const a = createAddressFromString(address)
      gas.use(warmAccount(a))
      return (await guarded(() => sm.getAccount(a)))?.balance ?? 0n
    },

    emit(name, args) {
      const event = module.events.get(name)
      if (event === undefined) throw new Error(`module ${module.definition.name}: unknown event ${name}`)
      log(selfAddress.bytes, event, args)
    },

    emitFrom(address, signature, args) {
      let event = foreignEvents.get(signature)
      if (event === undefined) {
        event = AbiEvent.from(signature as string) as AbiEvent.AbiEvent
        foreignEvents.set(signature, event)
      }
      log(createAddressFromString(address).bytes, event, args)
    },

    call(to, value, data) {
      return nestedCall(to, value, data, message.isStatic)
    },

    staticcall(to, data) {
      return nestedCall(to, 0n, data, true)
    },

    keccak(data) {
      gas.use(MODULE_GAS.keccak + MODULE_GAS.keccakWord * words(data.length))
      return keccak(data)
    },

    ecrecover(digest, v, r, s) {
      gas.use(MODULE_GAS.ecrecover)
      if ((v !== 27 && v !== 28) || r === 0n || s === 0n || s > HALF_N || r >= 2n ** 256n) return undefined
      try {
        const publicKey = recover(digest, BigInt(v), setLengthLeft(bigIntToBytes(r), 32), setLengthLeft(bigIntToBytes(s), 32))
        return bytesToHex(keccak(publicKey).subarray(12)) as Hex
      } catch {
        return undefined
      }
    },

    useGas(amount) {
      gas.use(amount)
    },

    revert(name, args = []) {
      throw new ModuleRevert(revertData(name, args))
    },

    revertWith(text) {
      throw new ModuleRevert(hexToBytes(AbiError.encode(ERROR_STRING, [text])))
    },

    revertRaw(data) {
      throw new ModuleRevert(data)
    },
  }
  return { ctx, logs }
}

/** EIP-2200 with EIP-2929 / 3529 prices (the cold surcharge is added by the caller). */
export function sstoreCost(original: bigint, current: bigint, value: bigint): bigint {
  if (current === value) return MODULE_GAS.warmAccess
  if (original === current) return original === 0n ? MODULE_GAS.sstoreSet : MODULE_GAS.sstoreReset
  return MODULE_GAS.warmAccess
}

/** EIP-2200 / 3529 refund delta of one SSTORE (may be negative). */
export function sstoreRefund(original: bigint, current: bigint, value: bigint): bigint {
  if (current === value) return 0n
  if (original === current) return original !== 0n && value === 0n ? MODULE_GAS.sstoreClearRefund : 0n
  let refund = 0n
  if (original !== 0n) {
    if (current === 0n) refund -= MODULE_GAS.sstoreClearRefund
    else if (value === 0n) refund += MODULE_GAS.sstoreClearRefund
  }
  if (original === value) refund += original === 0n ? MODULE_GAS.sstoreSet - MODULE_GAS.warmAccess : MODULE_GAS.sstoreReset - MODULE_GAS.warmAccess
  return refund
}
