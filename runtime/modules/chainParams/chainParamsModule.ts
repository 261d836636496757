import type { ChainSpec, Hex } from '../../../genesis/index.ts'
import { MODULE_ADDRESSES } from '../addresses.ts'
import { addressWord, wordAddress } from '../framework/slots.ts'
import type { ModuleContext, RuntimeModuleDefinition } from '../framework/types.ts'
import { textToBytes32 } from '../framework/words.ts'
import { CHAIN_PARAM_NAMES, FULL_SHARE_BPS, paramSlots, specParamWords, valueAt } from './blockParams.ts'
import type { ChainParamName } from './blockParams.ts'
import { CHAIN_PARAMS_ERRORS, CHAIN_PARAMS_EVENTS, CHAIN_PARAMS_FUNCTIONS } from './chainParamsAbi.ts'

const MAX_GAS_LIMIT = (1n << 63n) - 1n
const MIN_GAS_LIMIT = 21_000n
const ZERO = '0x0000000000000000000000000000000000000000'

/** The parameter value in force for block `number` (metered reads). */
async function read(ctx: ModuleContext, name: ChainParamName, number: bigint): Promise<bigint> {
  const s = paramSlots(name)
  return valueAt(await ctx.sload(s.current), await ctx.sload(s.pending), await ctx.sload(s.from), number)
}

/**
 * Schedule `value` for block.number + 1: promote a pending value that is already in force, then
 * store the new one as pending. The current block keeps its parameters, so every node derives
 * the same header rules and fee credit for it.
 */
async function schedule(ctx: ModuleContext, name: ChainParamName, value: bigint): Promise<void> {
  const s = paramSlots(name)
  const from = await ctx.sload(s.from)
  if (from !== 0n && ctx.blockNumber >= from) await ctx.sstore(s.current, await ctx.sload(s.pending))
  const next = ctx.blockNumber + 1n
  await ctx.sstore(s.pending, value)
  await ctx.sstore(s.from, next)
  ctx.emit('ChainParameterChanged', { name: textToBytes32(name), value, fromBlock: next })
}

const all = async (ctx: ModuleContext, number: bigint) => {
  const w = {} as Record<ChainParamName, bigint>
  for (const name of CHAIN_PARAM_NAMES) w[name] = await read(ctx, name, number)
  return [w.gasLimit, w.maxChangeDenominator, w.elasticityMultiplier, wordAddress(w.baseFeeRecipient), wordAddress(w.priorityFeeRecipient), w.baseFeeShareBps]
}

/**
 * Governed chain parameters: the block gas limit, the EIP-1559 base-fee parameters, the fee
 * recipients and the base-fee split, in module state that the runtime reads every block
 * (readBlockParams). Only the governance timelock changes them, effective from the next block.
 */
export function chainParamsModule(spec: ChainSpec): RuntimeModuleDefinition {
  const onlyGovernance = (ctx: ModuleContext) => {
    if (ctx.caller !== MODULE_ADDRESSES.timelock) ctx.revert('ChainParamsUnauthorized', [ctx.caller])
  }
  const invalid = (ctx: ModuleContext, name: ChainParamName, value: bigint) => ctx.revert('ChainParamsInvalidValue', [textToBytes32(name), value])
  const handlers: Record<(typeof CHAIN_PARAMS_FUNCTIONS)[number][1], (ctx: ModuleContext, args: readonly unknown[]) => Promise<unknown>> = {
    blockParams: (ctx) => all(ctx, ctx.blockNumber),
    nextBlockParams: (ctx) => all(ctx, ctx.blockNumber + 1n),
    setGasLimit: async (ctx, [value]) => {
      onlyGovernance(ctx)
      const v = value as bigint
      const elasticity = await read(ctx, 'elasticityMultiplier', ctx.blockNumber + 1n)
      if (v < MIN_GAS_LIMIT || v > MAX_GAS_LIMIT || v < elasticity) invalid(ctx, 'gasLimit', v)
      await schedule(ctx, 'gasLimit', v)
    },
    setBaseFeeParams: async (ctx, [denominator, elasticity]) => {
      onlyGovernance(ctx)
      const [d, e] = [denominator as bigint, elasticity as bigint]
      if (d === 0n) invalid(ctx, 'maxChangeDenominator', d)
      if (e === 0n || e > (await read(ctx, 'gasLimit', ctx.blockNumber + 1n))) invalid(ctx, 'elasticityMultiplier', e)
      await schedule(ctx, 'maxChangeDenominator', d)
      await schedule(ctx, 'elasticityMultiplier', e)
    },
    setFeeRecipients: async (ctx, [baseFee, priorityFee]) => {
      onlyGovernance(ctx)
      if (baseFee === ZERO) invalid(ctx, 'baseFeeRecipient', 0n)
      if (priorityFee === ZERO) invalid(ctx, 'priorityFeeRecipient', 0n)
      await schedule(ctx, 'baseFeeRecipient', addressWord(baseFee as Hex))
      await schedule(ctx, 'priorityFeeRecipient', addressWord(priorityFee as Hex))
    },
    setBaseFeeShare: async (ctx, [bps]) => {
      onlyGovernance(ctx)
      const v = BigInt(bps as number) // ox decodes uints of up to 48 bits as numbers
      if (v > FULL_SHARE_BPS) invalid(ctx, 'baseFeeShareBps', v)
      await schedule(ctx, 'baseFeeShareBps', v)
    },
  }
  return {
    name: 'chainParams',
    address: MODULE_ADDRESSES.chainParams,
    version: '1.0.0',
    interfaceName: 'IChainParams',
    events: CHAIN_PARAMS_EVENTS,
    errors: CHAIN_PARAMS_ERRORS,
    functions: CHAIN_PARAMS_FUNCTIONS.map(([abi, name]) => ({ abi, handler: handlers[name] })),
    genesis: () => {
      const words = specParamWords(spec)
      return { balance: 0n, storage: CHAIN_PARAM_NAMES.map((name) => [paramSlots(name).current, words[name]] as const) }
    },
  }
}
