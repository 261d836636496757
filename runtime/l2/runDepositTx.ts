import type { Block } from '@ethereumjs/block'
import type { EVMRunCallOpts, ExecResult, Log } from '@ethereumjs/evm'
import { Account, Address, bytesToUnprefixedHex, createContractAddress, hexToBytes } from '@ethereumjs/util'
import { Bloom } from '@ethereumjs/vm'
import type { RuntimeVm } from '../vm/createRuntimeVm.ts'
import type { DepositTx } from './depositTx.ts'

/** Why a deposit failed before the EVM ran (op-geth's consensus errors, which a deposit turns into a failed receipt). */
export const DEPOSIT_FAILURE = {
  INTRINSIC_GAS: 'intrinsic gas too low',
  FLOOR_DATA_GAS: 'insufficient gas for floor data gas cost',
  INSUFFICIENT_FUNDS: 'insufficient funds for transfer',
  MAX_INITCODE_SIZE: 'max initcode size exceeded',
} as const
/** One of {@link DEPOSIT_FAILURE}. */
export type DepositFailure = (typeof DEPOSIT_FAILURE)[keyof typeof DEPOSIT_FAILURE]

/**
 * What one executed deposit leaves for its block and receipt. The gas fields carry runTx's names so
 * the block loop reads a deposit's result and a signed tx's alike; for a deposit both are its gasUsed.
 */
export type DepositTxResult = {
  /** the consensus receipt fields (the deposit nonce and version are added by encodeDepositReceipt) */
  receipt: { status: 0 | 1; cumulativeBlockGasUsed: bigint; bitvector: Uint8Array; logs: Log[] }
  /** gas used (after the EIP-3529 refund cap, at least the EIP-7623 floor); the gasLimit on a non-EVM failure */
  totalGasSpent: bigint
  /** the same gas, taken from the block (deposits are not special in the block gas count) */
  blockGasSpent: bigint
  bloom: Bloom
  /** the address a creation deploys to (from `from` and depositNonce), even when the creation failed */
  createdAddress: Address | undefined
  /** the nonce of `from` before the deposit (after the mint) */
  depositNonce: bigint
  /** the EVM's outcome; undefined when the deposit failed before the EVM ran */
  execResult: ExecResult | undefined
  /** set when the deposit failed before the EVM ran */
  failure: DepositFailure | undefined
}

/**
 * Execute one deposit (type 0x7E) on a runtime VM against the block env `env`, with op-geth's
 * Regolith/Canyon semantics (OP specs deposits.md "Execution"; op-geth core/state_transition.go),
 * built from evm.runCall like runTx, without forking ethereumjs:
 *
 * - `mint` is credited to `from` first and kept whatever happens next;
 * - no fee, nonce or EOA checks; gas price 0 (GASPRICE reads 0, BASEFEE the block's base fee);
 *   nothing is charged, refunded in value, or credited to the coinbase or fee recipients;
 * - intrinsic gas and the EIP-7623 calldata floor are metered as for any Prague message
 *   (op-geth applies the floor check and floor charge to deposits too: its deposit early return
 *   comes after them); gasUsed = real gas after the EIP-3529 refund cap, at least the floor;
 * - CALLER = ORIGIN = from; the nonce of `from` is bumped before the call (a creation's address
 *   comes from the pre-bump nonce); EIP-2929 warm set, SELFDESTRUCT (EIP-6780) and EIP-161
 *   cleanup as runTx does them;
 * - EVM failure (revert, out of gas): status 0, the call's changes reverted, mint and nonce bump
 *   kept, gasUsed real;
 * - non-EVM failure (gas below intrinsic or floor, `from` cannot pay `value`, initcode too large):
 *   state back to just after the mint, nonce = previous + 1, status 0, gasUsed = gasLimit.
 *
 * `blockGasUsed` is the cumulative receipt gas of the block's earlier txs. An error of the state
 * store propagates (the deposit's changes reverted), like runTx's.
 *
 * @example
 * const r = await runDepositTx(runtime, env, deposit, 0n) // r.receipt.status, r.totalGasSpent
 */
export async function runDepositTx(runtime: RuntimeVm, env: Block, tx: DepositTx, blockGasUsed: bigint): Promise<DepositTxResult> {
  const { vm } = runtime
  const journal = vm.evm.journal
  const state = vm.stateManager
  // as runTx: start from empty warm sets, one checkpoint around the whole tx
  await journal.cleanup()
  await journal.checkpoint()
  try {
    const account = (await state.getAccount(tx.from)) ?? new Account()
    account.balance += tx.mint
    await journal.putAccount(tx.from, account)
    const depositNonce = account.nonce
    // op-geth's snapshot after the mint: a non-EVM failure reverts to here
    await journal.checkpoint()
    const gas = intrinsicGas(runtime, tx)
    const failure = precheck(runtime, tx, gas, account.balance)
    let outcome: Pick<DepositTxResult, 'execResult' | 'totalGasSpent'>
    if (failure === undefined) {
      try {
        outcome = await execute(runtime, env, tx, gas)
      } catch (err) {
        await journal.revert()
        throw err
      }
      await journal.commit()
    } else {
      await journal.revert()
      const after = (await state.getAccount(tx.from)) ?? new Account()
      after.nonce = depositNonce + 1n
      await journal.putAccount(tx.from, after)
      outcome = { execResult: undefined, totalGasSpent: tx.gasLimit }
    }
    // EIP-161: touched empty accounts are deleted at the end of the tx, inside its checkpoint
    await journal.cleanup()
    await journal.commit()
    const logs = outcome.execResult?.logs ?? []
    const bloom = logsBloom(runtime, logs)
    const status = failure === undefined && outcome.execResult?.exceptionError === undefined ? 1 : 0
    return {
      receipt: { status, cumulativeBlockGasUsed: blockGasUsed + outcome.totalGasSpent, bitvector: bloom.bitvector, logs },
      totalGasSpent: outcome.totalGasSpent,
      blockGasSpent: outcome.totalGasSpent,
      bloom,
      createdAddress: tx.to === undefined ? createContractAddress(tx.from, depositNonce) : undefined,
      depositNonce,
      execResult: outcome.execResult,
      failure,
    }
  } catch (err) {
    await journal.revert()
    throw err
  } finally {
    journal.cleanJournal()
    state.originalStorageCache.clear()
  }
}

/** Intrinsic gas and the EIP-7623 floor of a deposit, as for any Prague message without an access list. */
type DepositGas = { intrinsic: bigint; floor: bigint }

function intrinsicGas(runtime: RuntimeVm, tx: DepositTx): DepositGas {
  const { common } = runtime
  let zero = 0n
  for (const byte of tx.data) if (byte === 0) zero++
  const nonZero = BigInt(tx.data.length) - zero
  let intrinsic = common.param('txGas') + zero * common.param('txDataZeroGas') + nonZero * common.param('txDataNonZeroGas')
  if (tx.to === undefined) {
    intrinsic += common.param('txCreationGas')
    // EIP-3860: 2 gas per 32-byte word of initcode
    if (common.isActivatedEIP(3860)) intrinsic += ((BigInt(tx.data.length) + 31n) / 32n) * common.param('initCodeWordGas')
  }
  // EIP-7623: 21,000 + 10 per token, a zero byte one token, any other four
  const floor = common.isActivatedEIP(7623) ? common.param('txGas') + (zero + nonZero * 4n) * common.param('totalCostFloorPerToken') : 0n
  return { intrinsic, floor }
}

// op-geth's order: intrinsic gas, the calldata floor, the value transfer, the initcode size.
function precheck(runtime: RuntimeVm, tx: DepositTx, gas: DepositGas, balance: bigint): DepositFailure | undefined {
  const { common } = runtime
  if (tx.gasLimit < gas.intrinsic) return DEPOSIT_FAILURE.INTRINSIC_GAS
  if (tx.gasLimit < gas.floor) return DEPOSIT_FAILURE.FLOOR_DATA_GAS
  if (tx.value > balance) return DEPOSIT_FAILURE.INSUFFICIENT_FUNDS
  if (tx.to === undefined && common.isActivatedEIP(3860) && BigInt(tx.data.length) > common.param('maxInitCodeSize')) return DEPOSIT_FAILURE.MAX_INITCODE_SIZE
  return undefined
}

async function execute(runtime: RuntimeVm, env: Block, tx: DepositTx, gas: DepositGas): Promise<Pick<DepositTxResult, 'execResult' | 'totalGasSpent'>> {
  const { vm, common } = runtime
  const evm = vm.evm
  const journal = evm.journal
  if (common.isActivatedEIP(2929)) {
    // runTx's warm set: every precompile (our runtime modules included), the sender, the target, the coinbase (EIP-3651)
    for (const [address] of evm.precompiles.entries()) journal.addAlwaysWarmAddress(address)
    journal.addAlwaysWarmAddress(tx.from.toString())
    if (tx.to !== undefined) journal.addAlwaysWarmAddress(bytesToUnprefixedHex(tx.to.bytes))
    if (common.isActivatedEIP(3651)) journal.addAlwaysWarmAddress(bytesToUnprefixedHex(env.header.coinbase.bytes))
  }
  // the nonce bump precedes the call; runCall derives a creation's address from nonce - 1
  const sender = (await vm.stateManager.getAccount(tx.from)) ?? new Account()
  sender.nonce += 1n
  await journal.putAccount(tx.from, sender)
  const opts: EVMRunCallOpts = {
    block: env as unknown as EVMRunCallOpts['block'],
    gasPrice: 0n,
    caller: tx.from,
    origin: tx.from,
    gasLimit: tx.gasLimit - gas.intrinsic,
    to: tx.to,
    value: tx.value,
    data: tx.data,
    skipNonceIncrement: true,
  }
  const result = await evm.runCall(opts)
  const exec = result.execResult
  let used = gas.intrinsic + exec.executionGasUsed
  const refund = exec.gasRefund ?? 0n
  const maxRefund = used / common.param('maxRefundQuotient')
  used -= refund < maxRefund ? refund : maxRefund
  if (used < gas.floor) used = gas.floor
  await destroyCreatedSelfdestructs(runtime, exec)
  return { execResult: exec, totalGasSpent: used }
}

// runTx's SELFDESTRUCT finalization: EIP-6780 deletes only contracts created in the same tx, in
// address order (the fee hook's deleteAccount wrapper moves any balance left to the base-fee recipient).
async function destroyCreatedSelfdestructs(runtime: RuntimeVm, exec: ExecResult): Promise<void> {
  if (exec.selfdestruct === undefined) return
  const addresses = [...exec.selfdestruct.keys()].sort()
  for (const hex of addresses) {
    if (runtime.common.isActivatedEIP(6780) && !exec.createdAddresses?.has(hex)) continue
    await runtime.vm.evm.journal.deleteAccount(new Address(hexToBytes(hex as `0x${string}`)))
  }
}

function logsBloom(runtime: RuntimeVm, logs: readonly Log[]): Bloom {
  const bloom = new Bloom(undefined, runtime.common)
  for (const [address, topics] of logs) {
    bloom.add(address)
    for (const topic of topics) bloom.add(topic)
  }
  return bloom
}
