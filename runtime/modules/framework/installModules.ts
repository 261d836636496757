import { EVMError } from '@ethereumjs/evm'
import type { CustomPrecompile, EVM, ExecResult, Message, PrecompileInput } from '@ethereumjs/evm'
import { bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util'
import { AbiFunction } from 'ox'
import type { CompiledFunction, CompiledModule } from './compileModule.ts'
import { GasMeter, MODULE_GAS, ModuleOutOfGas, words } from './gas.ts'
import { ModuleRevert, ModuleStateFailure, createModuleFrame } from './moduleFrame.ts'

/** The message each module frame runs for, per EVM (set by the `_executeCall` wrapper). */
const currentMessage = new WeakMap<EVM, Message>()

type ExecuteCall = (message: Message) => Promise<unknown>

/**
 * Give the modules their frame: ethereumjs calls a precompile with (data, gasLimit) only, so
 * wrap the EVM's `_executeCall` (the one place every CALL-family message is run, precompile or
 * not) to remember the message whose code address is a module. It is read synchronously by
 * the module's precompile before any nested message can start on this EVM.
 */
export function installModuleFrames(evm: EVM, modules: readonly CompiledModule[]): void {
  if (modules.length === 0) return
  const addresses = new Set(modules.map((m) => m.address))
  const target = evm as unknown as { _executeCall: ExecuteCall }
  const executeCall = target._executeCall.bind(evm)
  target._executeCall = (message: Message) => {
    const code = message.codeAddress
    if (addresses.has(code.toString())) currentMessage.set(evm, message)
    return executeCall(message)
  }
}

/** Precompile entries for the VM's `customPrecompiles`, one per module. */
export function modulePrecompiles(modules: readonly CompiledModule[]): CustomPrecompile[] {
  return modules.map((module) => ({
    address: createAddressFromString(module.address),
    function: (input: PrecompileInput) => runModule(module, input),
  }))
}

const halt = (gasLimit: bigint, error: string): ExecResult => ({
  executionGasUsed: gasLimit,
  returnValue: new Uint8Array(0),
  exceptionError: new EVMError(error as never),
})

/**
 * One call of a module: dispatch by selector, enforce payable / static / delegatecall rules,
 * decode strictly (non-canonical ABI data is malformed), run, encode the result. Reverts carry
 * ABI-encoded custom errors; running out of gas halts like the EVM; an error of the state store
 * propagates (it must abort the block, not become a result); any other JS error in module code
 * halts the frame with all its gas, so bad input can never abort a block.
 */
export async function runModule(module: CompiledModule, input: PrecompileInput): Promise<ExecResult> {
  const evm = input._EVM as EVM
  const message = currentMessage.get(evm)
  if (message === undefined || message.codeAddress.toString() !== module.address) {
    return halt(input.gasLimit, EVMError.errorMessages.INTERNAL_ERROR)
  }
  const gas = new GasMeter(input.gasLimit)
  const { ctx, logs } = createModuleFrame({ evm, message, module, gas })
  try {
    gas.use(MODULE_GAS.dispatch + MODULE_GAS.copyWord * words(input.data.length))
    if (message.delegatecall || message.to === undefined || message.to.toString() !== module.address) ctx.revert('DelegateCallNotAllowed')
    const returnValue = await dispatch(module, ctx, input.data)
    gas.use(MODULE_GAS.copyWord * words(returnValue.length))
    return { executionGasUsed: gas.used, returnValue, logs }
  } catch (err) {
    if (err instanceof ModuleRevert) {
      return { executionGasUsed: gas.used, returnValue: err.data, exceptionError: new EVMError(EVMError.errorMessages.REVERT) }
    }
    if (err instanceof ModuleOutOfGas) return halt(input.gasLimit, EVMError.errorMessages.OUT_OF_GAS)
    if (err instanceof ModuleStateFailure) throw err.cause
    return halt(input.gasLimit, EVMError.errorMessages.INTERNAL_ERROR)
  }
}

type Ctx = ReturnType<typeof createModuleFrame>['ctx']

async function dispatch(module: CompiledModule, ctx: Ctx, data: Uint8Array): Promise<Uint8Array> {
  if (data.length === 0) {
    const receive = module.definition.receive
    if (receive === undefined) ctx.revert('UnknownSelector', ['0x00000000'])
    await receive(ctx)
    return new Uint8Array(0)
  }
  if (data.length < 4) ctx.revert('MalformedCalldata')
  const selector = bytesToHex(data.subarray(0, 4))
  const fn = module.functions.get(selector)
  if (fn === undefined) return ctx.revert('UnknownSelector', [selector])
  if (!fn.payable && ctx.value > 0n) ctx.revert('NonPayable')
  if (!fn.view && ctx.isStatic) ctx.revert('StaticCallViolation')
  const args = decodeStrict(fn, data, ctx)
  const out = await fn.handler(ctx, args)
  if (fn.abi.outputs.length === 0) return new Uint8Array(0)
  return hexToBytes(AbiFunction.encodeResult(fn.abi, out as never))
}

/**
 * Decode calldata as Solidity's ABI coder v2 would accept it, but refuse anything a re-encoding
 * does not reproduce byte for byte (dirty high bits, non-canonical offsets, short data): such
 * input never comes from a real encoder and must not be given a meaning.
 */
function decodeStrict(fn: CompiledFunction, data: Uint8Array, ctx: Ctx): readonly unknown[] {
  let args: readonly unknown[]
  let encoded: string
  const hex = bytesToHex(data)
  try {
    args = fn.abi.inputs.length === 0 ? [] : (AbiFunction.decodeData(fn.abi, hex as `0x${string}`) as readonly unknown[])
    encoded = AbiFunction.encodeData(fn.abi, args as never)
  } catch {
    return ctx.revert('MalformedCalldata')
  }
  // trailing bytes after the arguments are ignored, as Solidity does
  if (hex.slice(0, encoded.length).toLowerCase() !== encoded.toLowerCase()) ctx.revert('MalformedCalldata')
  return args
}
