import { AbiFunction, TypedData } from 'ox'
import type { ChainSpec, Hex } from '../../../genesis/index.ts'
import { MODULE_ADDRESSES } from '../addresses.ts'
import type { ModuleContext, ModuleFunction, RuntimeModuleDefinition } from '../framework/types.ts'
import { GOPEN_ERRORS, GOPEN_EVENTS, gopenFunctionsAbi } from './gopenAbi.ts'
import { ZERO_ADDRESS, clockOf, gopenState } from './gopenState.ts'
import { typedDataSigner } from './typedDataSigner.ts'

/** ERC-20 name, also the EIP-712 domain name (OZ ERC20Permit(name)). */
export const GOPEN_NAME = 'GOpen'
export const GOPEN_SYMBOL = 'GOPEN'
const EIP712_VERSION = '1'
/** EIP-5267 fields bitmap: name, version, chainId, verifyingContract */
const EIP712_FIELDS: Hex = '0x0f'
const ZERO_BYTES32: Hex = `0x${'0'.repeat(64)}`
/** Panic code of an out-of-bounds array read (Solidity) */
const PANIC_ARRAY_BOUNDS = 0x32n
/** OpenLedger GOPEN's revert text when the native payout of `withdraw` fails */
const WITHDRAW_FAILED = 'Failed to send native currency'

/** GOPEN's EIP-712 message types: OZ ERC20Permit's Permit and Votes' Delegation. */
export const GOPEN_EIP712_TYPES = {
  Permit: [
    { name: 'owner', type: 'address' },
    { name: 'spender', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
  Delegation: [
    { name: 'delegatee', type: 'address' },
    { name: 'nonce', type: 'uint256' },
    { name: 'expiry', type: 'uint256' },
  ],
} as const
const PERMIT_TYPES = { Permit: GOPEN_EIP712_TYPES.Permit }
const DELEGATION_TYPES = { Delegation: GOPEN_EIP712_TYPES.Delegation }

type Handler = ModuleFunction['handler']
type FunctionName = AbiFunction.Name<typeof gopenFunctionsAbi>

/** ox decodes addresses checksummed; the state keys and compares them lowercase, as ctx.caller is. */
const address = (value: unknown): Hex => (value as string).toLowerCase() as Hex
const domainOf = (ctx: ModuleContext): TypedData.Domain => ({ name: GOPEN_NAME, version: EIP712_VERSION, chainId: ctx.chainId, verifyingContract: ctx.self })

/** OZ Votes `_validateTimepoint`: only past timepoints have settled checkpoints. */
function pastTimepoint(ctx: ModuleContext, timepoint: unknown): bigint {
  const clock = clockOf(ctx)
  if ((timepoint as bigint) >= clock) ctx.revert('ERC5805FutureLookup', [timepoint, clock])
  return timepoint as bigint
}

const deposit: Handler = async (ctx) => {
  if (ctx.value === 0n) ctx.revert('ZeroValueNotAllowed')
  await gopenState(ctx).update(ZERO_ADDRESS, ctx.caller, ctx.value)
  ctx.emit('Deposit', { dst: ctx.caller, wad: ctx.value })
}

const HANDLERS: Record<FunctionName, Handler> = {
  name: async () => GOPEN_NAME,
  symbol: async () => GOPEN_SYMBOL,
  decimals: async () => 18,
  totalSupply: (ctx) => gopenState(ctx).totalSupply(),
  balanceOf: (ctx, [account]) => gopenState(ctx).balanceOf(address(account)),
  allowance: (ctx, [owner, spender]) => gopenState(ctx).allowance(address(owner), address(spender)),
  transfer: async (ctx, [to, value]) => {
    await gopenState(ctx).transfer(ctx.caller, address(to), value as bigint)
    return true
  },
  approve: async (ctx, [spender, value]) => {
    await gopenState(ctx).approve(ctx.caller, address(spender), value as bigint, true)
    return true
  },
  transferFrom: async (ctx, [from, to, value]) => {
    const state = gopenState(ctx)
    await state.spendAllowance(address(from), ctx.caller, value as bigint)
    await state.transfer(address(from), address(to), value as bigint)
    return true
  },

  permit: async (ctx, [ownerArg, spender, value, deadline, v, r, s]) => {
    if (ctx.timestamp > (deadline as bigint)) ctx.revert('ERC2612ExpiredSignature', [deadline])
    const owner = address(ownerArg)
    const state = gopenState(ctx)
    const nonce = await state.useNonce(owner)
    const message = { owner, spender, value, nonce, deadline }
    const signer = typedDataSigner(ctx, { domain: domainOf(ctx), types: PERMIT_TYPES, primaryType: 'Permit', message }, v as number, r as Hex, s as Hex)
    if (signer !== owner) ctx.revert('ERC2612InvalidSigner', [signer, owner])
    await state.approve(owner, address(spender), value as bigint, true)
  },
  nonces: (ctx, [owner]) => gopenState(ctx).nonces(address(owner)),
  // OZ keeps the separator in an immutable: no storage read
  DOMAIN_SEPARATOR: async (ctx) => TypedData.domainSeparator(domainOf(ctx)),
  eip712Domain: async (ctx) => [EIP712_FIELDS, GOPEN_NAME, EIP712_VERSION, ctx.chainId, ctx.self, ZERO_BYTES32, []],

  clock: async (ctx) => clockOf(ctx),
  CLOCK_MODE: async () => 'mode=timestamp',
  getVotes: (ctx, [account]) => gopenState(ctx).votes(address(account)),
  getPastVotes: (ctx, [account, timepoint]) => gopenState(ctx).pastVotes(address(account), pastTimepoint(ctx, timepoint)),
  getPastTotalSupply: (ctx, [timepoint]) => gopenState(ctx).pastTotalSupply(pastTimepoint(ctx, timepoint)),
  delegates: (ctx, [account]) => gopenState(ctx).delegates(address(account)),
  delegate: (ctx, [delegatee]) => gopenState(ctx).delegate(ctx.caller, address(delegatee)),
  delegateBySig: async (ctx, [delegateeArg, nonce, expiry, v, r, s]) => {
    if (ctx.timestamp > (expiry as bigint)) ctx.revert('VotesExpiredSignature', [expiry])
    const delegatee = address(delegateeArg)
    const message = { delegatee, nonce, expiry }
    const request = { domain: domainOf(ctx), types: DELEGATION_TYPES, primaryType: 'Delegation', message }
    const signer = typedDataSigner(ctx, request, v as number, r as Hex, s as Hex)
    const state = gopenState(ctx)
    const current = await state.useNonce(signer)
    if (current !== nonce) ctx.revert('InvalidAccountNonce', [signer, current])
    await state.delegate(signer, delegatee)
  },
  numCheckpoints: (ctx, [account]) => gopenState(ctx).numCheckpoints(address(account)),
  checkpoints: async (ctx, [account, pos]) => {
    const state = gopenState(ctx)
    if (BigInt(pos as number) >= (await state.numCheckpoints(address(account)))) ctx.revert('Panic', [PANIC_ARRAY_BOUNDS])
    return state.checkpointAt(address(account), BigInt(pos as number))
  },

  deposit,
  withdraw: async (ctx, [wad]) => {
    if (wad === 0n) ctx.revert('ZeroValueNotAllowed')
    await gopenState(ctx).update(ctx.caller, ZERO_ADDRESS, wad as bigint)
    // state first, then the payout with all but 1/64 of the gas, as OpenLedger's GOPEN (audit finding OPE-1: call, not transfer)
    const { success } = await ctx.call(ctx.caller, wad as bigint, new Uint8Array(0))
    if (!success) ctx.revertWith(WITHDRAW_FAILED)
    ctx.emit('Withdrawal', { src: ctx.caller, wad })
  },
  lockedVotingUnitsOf: (ctx, [account]) => gopenState(ctx).lockedUnits(address(account)),
}

/**
 * GOPEN: native OPEN wrapped 1:1 into an OpenZeppelin 5 ERC20 + ERC20Permit + ERC20Votes token
 * with the timestamp clock (IGOPEN.sol), whose voting units also count the OPEN each account
 * has locked in vesting (see adjustLockedVotingUnits). Plain value transfers deposit.
 *
 * @example
 * ```ts
 * const modules = [gopenModule(spec)] // runtimeModules(spec) lists it for a spec with `governance`
 * ```
 */
export function gopenModule(_spec: ChainSpec): RuntimeModuleDefinition {
  return {
    name: 'gopen',
    address: MODULE_ADDRESSES.gopen,
    version: '1.0.0',
    interfaceName: 'IGOPEN',
    functions: gopenFunctionsAbi.map((item) => ({ abi: AbiFunction.format(item), handler: HANDLERS[item.name] })),
    events: GOPEN_EVENTS,
    errors: GOPEN_ERRORS,
    receive: (ctx) => deposit(ctx, []).then(() => undefined),
  }
}
