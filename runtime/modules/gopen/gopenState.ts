import type { Hex } from '../../../genesis/index.ts'
import { MODULE_ADDRESSES } from '../addresses.ts'
import { addressWord, mappingSlot, wordAddress } from '../framework/slots.ts'
import type { ModuleContext } from '../framework/types.ts'
import { type Trace208, openTrace } from '../framework/trace208.ts'

/**
 * GOPEN's storage, the slots OpenZeppelin 5's ERC20 + ERC20Permit + ERC20Votes contract uses
 * (solc's storage layout of that composition): tools that read it as that contract read it
 * right. Slots 3-6 (name, symbol, EIP-712 fallback strings) stay empty: those are constants.
 */
export const GOPEN_SLOTS = {
  /** mapping(address => uint256) */
  balances: 0n,
  /** mapping(address owner => mapping(address spender => uint256)) */
  allowances: 1n,
  totalSupply: 2n,
  /** mapping(address => uint256), EIP-2612 and delegateBySig */
  nonces: 7n,
  /**
   * mapping(address => word): the delegatee in the low 160 bits (as Solidity stores an
   * address) and the account's locked voting units in the high 96, so a delegation reads one
   * slot for both, as OZ's reads one for the delegatee
   */
  accounts: 8n,
  /** mapping(address delegatee => Checkpoints.Trace208) */
  delegateCheckpoints: 9n,
  /** Checkpoints.Trace208: the total voting supply (GOPEN supply + all locked units) */
  totalCheckpoints: 10n,
} as const

const DELEGATE_VOTES_CHANGED = 'event DelegateVotesChanged(address indexed delegate, uint256 previousVotes, uint256 newVotes)'

/** ERC20Votes' cap: checkpoint values are uint208. */
export const MAX_VOTING_SUPPLY = (1n << 208n) - 1n
/** Locked units per account fit the 96 bits beside the delegatee (2^96 wei > 79e9 OPEN; the supply is 1e9). */
export const MAX_LOCKED_UNITS = (1n << 96n) - 1n
export const ZERO_ADDRESS: Hex = '0x0000000000000000000000000000000000000000'
const ADDRESS_BITS = 160n
const MAX_UINT256 = (1n << 256n) - 1n

/** ERC-6372 clock: uint48(block.timestamp). */
export const clockOf = (ctx: Pick<ModuleContext, 'timestamp'>): bigint => ctx.timestamp & ((1n << 48n) - 1n)

/** The account word of slot 8: delegatee and locked units. */
export function accountWord(delegatee: Hex, locked: bigint): bigint {
  return (locked << ADDRESS_BITS) | addressWord(delegatee)
}

/**
 * GOPEN's state rules (OpenZeppelin 5's ERC20 `_update` / `_approve` / `_spendAllowance`,
 * Votes' `_delegate` / `_moveDelegateVotes`, Nonces) over GOPEN's storage, for GOPEN's own
 * handlers and for other modules (vesting moving locked units). Reverts use GOPEN's errors;
 * DelegateVotesChanged is logged at GOPEN's address whichever module moves the votes.
 */
export function gopenState(ctx: ModuleContext) {
  const storage = ctx.storageOf(MODULE_ADDRESSES.gopen)
  const own = ctx.self === MODULE_ADDRESSES.gopen
  // GOPEN's own handlers log through its ABI; another module (vesting) logs GOPEN's vote events at GOPEN's address
  const emit = (event: string, args: Record<string, unknown>) => {
    if (own) ctx.emit(event, args)
    else if (event === 'DelegateVotesChanged') ctx.emitFrom(MODULE_ADDRESSES.gopen, DELEGATE_VOTES_CHANGED, args)
  }
  const slot = (base: bigint, ...keys: Hex[]) => mappingSlot(ctx, base, ...keys.map(addressWord))
  const total = openTrace(ctx, storage, GOPEN_SLOTS.totalCheckpoints)
  const traceOf = (account: Hex): Trace208 => openTrace(ctx, storage, slot(GOPEN_SLOTS.delegateCheckpoints, account))

  const readAccount = async (account: Hex) => {
    const key = slot(GOPEN_SLOTS.accounts, account)
    const word = await storage.sload(key)
    return { key, delegatee: wordAddress(word), locked: word >> ADDRESS_BITS }
  }
  const balanceOf = (account: Hex) => storage.sload(slot(GOPEN_SLOTS.balances, account))
  const delegates = async (account: Hex): Promise<Hex> => (account === ZERO_ADDRESS ? ZERO_ADDRESS : (await readAccount(account)).delegatee)

  /** OZ Votes `_push` on the total supply trace; an increase past uint208 reverts as ERC20Votes' mint does. */
  const pushTotal = (delta: bigint) =>
    total.push(clockOf(ctx), (latest) => {
      const next = latest + delta
      if (next > MAX_VOTING_SUPPLY) ctx.revert('ERC20ExceededSafeSupply', [next, MAX_VOTING_SUPPLY])
      if (next < 0n) throw new RangeError('total voting supply below zero')
      return next
    })

  /** OZ Votes `_moveDelegateVotes`: `amount` from delegate `from` to delegate `to` (0 = nobody). */
  const moveDelegateVotes = async (from: Hex, to: Hex, amount: bigint) => {
    if (from === to || amount === 0n) return
    if (from !== ZERO_ADDRESS) {
      const [previousVotes, newVotes] = await traceOf(from).push(clockOf(ctx), (v) => {
        if (v < amount) throw new RangeError(`delegate ${from} has fewer votes than it gives up`)
        return v - amount
      })
      emit('DelegateVotesChanged', { delegate: from, previousVotes, newVotes })
    }
    if (to !== ZERO_ADDRESS) {
      const [previousVotes, newVotes] = await traceOf(to).push(clockOf(ctx), (v) => v + amount)
      emit('DelegateVotesChanged', { delegate: to, previousVotes, newVotes })
    }
  }

  /** OZ ERC20 `_approve` (with ERC20InvalidApprover / ERC20InvalidSpender). */
  const approve = async (owner: Hex, spender: Hex, value: bigint, emitEvent: boolean, key?: bigint) => {
    if (owner === ZERO_ADDRESS) ctx.revert('ERC20InvalidApprover', [ZERO_ADDRESS])
    if (spender === ZERO_ADDRESS) ctx.revert('ERC20InvalidSpender', [ZERO_ADDRESS])
    await storage.sstore(key ?? slot(GOPEN_SLOTS.allowances, owner, spender), value)
    if (emitEvent) emit('Approval', { owner, spender, value })
  }

  /** OZ ERC20Votes `_update`: move (mint from 0, burn to 0) balances and supply, then their votes. */
  const update = async (from: Hex, to: Hex, value: bigint) => {
    if (from === ZERO_ADDRESS) {
      await storage.sstore(GOPEN_SLOTS.totalSupply, (await storage.sload(GOPEN_SLOTS.totalSupply)) + value)
    } else {
      const key = slot(GOPEN_SLOTS.balances, from)
      const balance = await storage.sload(key)
      if (balance < value) ctx.revert('ERC20InsufficientBalance', [from, balance, value])
      await storage.sstore(key, balance - value)
    }
    if (to === ZERO_ADDRESS) {
      await storage.sstore(GOPEN_SLOTS.totalSupply, (await storage.sload(GOPEN_SLOTS.totalSupply)) - value)
    } else {
      const key = slot(GOPEN_SLOTS.balances, to)
      await storage.sstore(key, (await storage.sload(key)) + value)
    }
    emit('Transfer', { from, to, value })
    if (from === ZERO_ADDRESS) await pushTotal(value)
    if (to === ZERO_ADDRESS) await pushTotal(-value)
    await moveDelegateVotes(await delegates(from), await delegates(to), value)
  }

  return {
    balanceOf,
    delegates,
    update,
    approve,
    totalSupply: () => storage.sload(GOPEN_SLOTS.totalSupply),
    allowance: (owner: Hex, spender: Hex) => storage.sload(slot(GOPEN_SLOTS.allowances, owner, spender)),
    nonces: (owner: Hex) => storage.sload(slot(GOPEN_SLOTS.nonces, owner)),
    lockedUnits: async (account: Hex) => (await readAccount(account)).locked,
    votes: (account: Hex) => traceOf(account).latest(),
    pastVotes: (account: Hex, timepoint: bigint) => traceOf(account).upperLookupRecent(timepoint),
    pastTotalSupply: (timepoint: bigint) => total.upperLookupRecent(timepoint),
    numCheckpoints: (account: Hex) => traceOf(account).length(),
    checkpointAt: (account: Hex, pos: bigint) => traceOf(account).at(pos),

    /** OZ ERC20 `_transfer`: `_update` with ERC20InvalidSender / ERC20InvalidReceiver. */
    async transfer(from: Hex, to: Hex, value: bigint) {
      if (from === ZERO_ADDRESS) ctx.revert('ERC20InvalidSender', [ZERO_ADDRESS])
      if (to === ZERO_ADDRESS) ctx.revert('ERC20InvalidReceiver', [ZERO_ADDRESS])
      await update(from, to, value)
    },

    /** OZ ERC20 `_spendAllowance`: an unlimited (max uint256) allowance is never decremented. */
    async spendAllowance(owner: Hex, spender: Hex, value: bigint) {
      const key = slot(GOPEN_SLOTS.allowances, owner, spender)
      const current = await storage.sload(key)
      if (current === MAX_UINT256) return
      if (current < value) ctx.revert('ERC20InsufficientAllowance', [spender, current, value])
      await approve(owner, spender, current - value, false, key)
    },

    /** OZ Nonces `_useNonce`: the current nonce, then increment it. */
    async useNonce(owner: Hex) {
      const key = slot(GOPEN_SLOTS.nonces, owner)
      const nonce = await storage.sload(key)
      await storage.sstore(key, nonce + 1n)
      return nonce
    },

    /** OZ Votes `_delegate`: all of the account's voting units (balance + locked) follow it. */
    async delegate(account: Hex, delegatee: Hex) {
      const { key, delegatee: old, locked } = await readAccount(account)
      await storage.sstore(key, accountWord(delegatee, locked))
      emit('DelegateChanged', { delegator: account, fromDelegate: old, toDelegate: delegatee })
      await moveDelegateVotes(old, delegatee, (await balanceOf(account)) + locked)
    },

    /** Add `delta` (negative: remove) locked units to `account`: its delegate's votes and the total voting supply follow. */
    async adjustLocked(account: Hex, delta: bigint) {
      if (delta === 0n) return
      const { key, delegatee, locked } = await readAccount(account)
      const next = locked + delta
      if (next < 0n || next > MAX_LOCKED_UNITS) throw new RangeError(`locked voting units of ${account} out of range: ${locked} + ${delta}`)
      await storage.sstore(key, accountWord(delegatee, next))
      await pushTotal(delta)
      if (delta > 0n) await moveDelegateVotes(ZERO_ADDRESS, delegatee, delta)
      else await moveDelegateVotes(delegatee, ZERO_ADDRESS, -delta)
    },
  }
}

/** The state operations of {@link gopenState}. */
export type GopenState = ReturnType<typeof gopenState>
