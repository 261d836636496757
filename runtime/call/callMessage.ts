import { createBlock } from '@ethereumjs/block'
import type { Block } from '@ethereumjs/block'
import type { Common, StateManagerInterface } from '@ethereumjs/common'
import { createTx } from '@ethereumjs/tx'
import type { TypedTransaction, TypedTxData } from '@ethereumjs/tx'
import { Account, Address, bigIntToUnpaddedBytes, createAddressFromString } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { hasZeroFees } from './callPrecheck.ts'
import type { CallOptions, CallRequest, StateOverride } from './types.ts'

/**
 * EIP-2681: a tx nonce is below 2^64-1. A simulated message never checks its nonce (geth's
 * SkipNonceChecks: the sender's state nonce is what CREATE and the nonce bump use), so the value
 * given to the tx object only has to be constructible.
 */
const MAX_TX_NONCE = 2n ** 64n - 2n

/**
 * The unsigned tx that carries a simulated message through runTx: the request's fields, the fee
 * style it names (legacy / 2930 with gasPrice, 1559 otherwise, 7702 with an authorization list),
 * and the request's `from` as sender. `nonce` is the sender's state nonce (geth ignores a nonce in
 * a call request), or the request's in eth_simulateV1. The tx is unsigned: it reports the
 * request's sender and hashes as geth hashes an unsigned simulated tx. Throws what the tx constructor throws for a message no tx can carry; the
 * caller reports that as the call's failure.
 */
export function buildCallTx(common: Common, req: CallRequest, gasLimit: bigint, nonce: bigint): TypedTransaction {
  const accessList = req.accessList?.map((e) => [e.address, e.storageKeys] as [Uint8Array, Uint8Array[]])
  const data: TypedTxData = {
    nonce: nonce > MAX_TX_NONCE ? MAX_TX_NONCE : nonce,
    gasLimit,
    to: req.to,
    value: req.value ?? 0n,
    data: req.data ?? new Uint8Array(0),
  }
  if (req.gasPrice !== undefined) Object.assign(data, { type: accessList === undefined ? 0 : 1, gasPrice: req.gasPrice, accessList })
  else {
    const feeCap = req.maxFeePerGas ?? req.maxPriorityFeePerGas ?? 0n
    const tip = req.maxPriorityFeePerGas ?? 0n
    Object.assign(data, {
      type: req.authorizationList === undefined ? 2 : 4,
      maxFeePerGas: feeCap,
      // a tip above the fee cap is reported by the precheck in geth's words; the tx object must still build
      maxPriorityFeePerGas: tip > feeCap ? feeCap : tip,
      accessList: accessList ?? [],
    })
    if (req.authorizationList !== undefined) {
      Object.assign(data, {
        authorizationList: req.authorizationList.map((a) => [
          bigIntToUnpaddedBytes(a.chainId),
          a.address,
          bigIntToUnpaddedBytes(a.nonce),
          bigIntToUnpaddedBytes(a.yParity),
          bigIntToUnpaddedBytes(a.r),
          bigIntToUnpaddedBytes(a.s),
        ]),
      })
    }
  }
  // the EIP-3860 init code limit is checked by callPrecheck, in geth's order and words
  const tx = createTx(data, { common, freeze: false, allowUnlimitedInitCodeSize: true })
  const from = new Address(req.from ?? new Uint8Array(20))
  // an unsigned message: the sender is whoever the request names (as ethereumjs' own client does),
  // and its hash that of its encoding with zero signature values (geth's simulated tx hashes)
  tx.getSenderAddress = () => from
  const keccak = common.customCrypto.keccak256 ?? keccak_256
  tx.hash = () => keccak(tx.serialize())
  return tx
}

/** The env block of a call: the header `base` with block overrides; base fee 0 when the call names no (or zero) fees (geth's NoBaseFee). */
export function callEnvBlock(common: Common, base: Block, req: CallRequest, opts: Pick<CallOptions, 'blockOverrides'>): Block {
  const h = base.header
  const o = opts.blockOverrides ?? {}
  const noFees = hasZeroFees(req)
  return createBlock(
    {
      header: {
        ...h.toJSON(),
        number: o.number ?? h.number,
        timestamp: o.time ?? h.timestamp,
        gasLimit: o.gasLimit ?? h.gasLimit,
        coinbase: o.coinbase ?? h.coinbase.bytes,
        mixHash: o.random ?? h.mixHash,
        baseFeePerGas: noFees ? 0n : (o.baseFee ?? h.baseFeePerGas),
      },
    },
    { common, skipConsensusFormatValidation: true },
  )
}

/** Apply geth state overrides (balance, nonce, code, whole storage or single slots) to `sm`. */
export async function applyStateOverrides(sm: StateManagerInterface, overrides: ReadonlyMap<string, StateOverride> | undefined): Promise<void> {
  if (overrides === undefined) return
  for (const [hex, ov] of overrides) {
    const address = createAddressFromString(hex)
    const account = (await sm.getAccount(address)) ?? new Account()
    if (ov.balance !== undefined) account.balance = ov.balance
    if (ov.nonce !== undefined) account.nonce = ov.nonce
    await sm.putAccount(address, account)
    if (ov.code !== undefined) await sm.putCode(address, ov.code)
    if (ov.state !== undefined) {
      await sm.clearStorage(address)
      for (const [slot, value] of ov.state) await sm.putStorage(address, slot, value)
    }
    if (ov.stateDiff !== undefined) for (const [slot, value] of ov.stateDiff) await sm.putStorage(address, slot, value)
  }
}
