/**
 * The block-production workload of shared/specs/ethereumjs.md §3.1: N EIP-1559 txs from S
 * funded senders, round-robin (nonces 0..N/S-1), max fee 10 gwei, tip 1 gwei, each to a distinct
 * new address; either plain value transfers (21,000 gas) or ERC-20 `transfer(newAddress, 1000+i)`
 * on a token whose balances are pre-set in genesis (a new storage slot per transfer).
 * Txs are signed once and reused by every run (signing is not part of the measurement).
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { Mainnet, createCustomCommon } from '@ethereumjs/common'
import type { Common } from '@ethereumjs/common'
import { createFeeMarket1559Tx } from '@ethereumjs/tx'
import { bigIntToBytes, bytesToHex, concatBytes, createAddressFromPrivateKey, hexToBytes, setLengthLeft } from '@ethereumjs/util'
import type { Hex } from '../../genesis/index.ts'
import { TOKEN } from '../../test/fixtures/contracts/contracts.ts'

/** Which workload. */
export type WorkloadKind = 'eth' | 'erc20'

/** A pre-signed workload and the state it needs. */
export type Workload = {
  kind: WorkloadKind
  chainId: bigint
  /** serialized signed txs, in submission order */
  raws: Uint8Array[]
  /** tx hashes, same order */
  hashes: Uint8Array[]
  senders: { key: Uint8Array; address: Hex }[]
  /** ERC-20 only: token address, runtime code and the storage that funds every sender */
  token?: { address: Hex; code: Hex; storage: Record<Hex, Hex> }
  /** wei every sender is funded with */
  senderBalance: bigint
}

const GWEI = 1_000_000_000n
/** 1e24 wei per sender, as in the spec's prototype */
export const SENDER_BALANCE = 10n ** 24n
/** gas of one ERC-20 transfer to a fresh holder is ~51.3k; 80k leaves headroom */
const ERC20_GAS_LIMIT = 80_000n
const TOKEN_ADDRESS: Hex = '0x00000000000000000000000000000000000e2c20'
const TRANSFER_SELECTOR = hexToBytes('0xa9059cbb')

/** Deterministic key of bench sender i. */
export function benchKey(i: number): Uint8Array {
  return keccak_256(new TextEncoder().encode(`openledger-bench-sender-${i}`))
}

/** Storage slot of balanceOf[holder] for a mapping at `slot` (Solidity layout). */
export function balanceSlotOf(holder: Hex, slot: number): Hex {
  return bytesToHex(keccak_256(concatBytes(setLengthLeft(hexToBytes(holder), 32), setLengthLeft(bigIntToBytes(BigInt(slot)), 32))))
}

/** The Common a bench signs with: Prague on `chainId`. */
export function benchCommon(chainId: bigint): Common {
  return createCustomCommon({ chainId: Number(chainId) }, Mainnet, { hardfork: 'prague' })
}

/** The call a bench tx makes; `to` undefined = contract creation. */
export type BenchCall = { to?: Uint8Array; value?: bigint; data?: Uint8Array; gasLimit: bigint }

/** Sign one bench tx: EIP-1559, max fee 10 gwei, tip 1 gwei. Returns its serialization and hash. */
export function signBenchTx(common: Common, key: Uint8Array, nonce: bigint, call: BenchCall): { raw: Uint8Array; hash: Uint8Array } {
  const tx = createFeeMarket1559Tx(
    {
      nonce,
      maxFeePerGas: 10n * GWEI,
      maxPriorityFeePerGas: GWEI,
      gasLimit: call.gasLimit,
      to: call.to,
      value: call.value ?? 0n,
      data: call.data ?? new Uint8Array(),
    },
    { common },
  ).sign(key)
  return { raw: tx.serialize(), hash: tx.hash() }
}

/** A fresh, never-funded recipient for tx i of the workload whose senders start at `offset`. */
function recipient(i: number, offset: number): Uint8Array {
  return setLengthLeft(bigIntToBytes(0x10_0000_0000n + BigInt(offset) * 1_000_000n + BigInt(i)), 20)
}

/**
 * Build and sign the workload. `senderOffset` picks a disjoint set of senders and recipients
 * (used for warm-up workloads that run on the same chain before the measured one).
 */
export function makeWorkload(kind: WorkloadKind, opts: { chainId: bigint; txs: number; senders: number; senderOffset?: number }): Workload {
  const offset = opts.senderOffset ?? 0
  const common = benchCommon(opts.chainId)
  const senders = Array.from({ length: opts.senders }, (_, i) => {
    const key = benchKey(offset + i)
    return { key, address: createAddressFromPrivateKey(key).toString() as Hex }
  })
  let token: Workload['token']
  if (kind === 'erc20') {
    // the tests' Token.sol (test/fixtures/contracts), placed in genesis with the senders' balances
    const storage: Record<Hex, Hex> = {}
    for (const s of senders) storage[balanceSlotOf(s.address, TOKEN.slots.balanceOf)] = bytesToHex(setLengthLeft(bigIntToBytes(10n ** 30n), 32))
    token = { address: TOKEN_ADDRESS, code: TOKEN.deployedBytecode, storage }
  }
  const raws: Uint8Array[] = []
  const hashes: Uint8Array[] = []
  for (let i = 0; i < opts.txs; i++) {
    const sender = senders[i % opts.senders]!
    const nonce = BigInt(Math.floor(i / opts.senders))
    const call: BenchCall =
      kind === 'erc20'
        ? {
            gasLimit: ERC20_GAS_LIMIT,
            to: hexToBytes(TOKEN_ADDRESS),
            data: concatBytes(TRANSFER_SELECTOR, setLengthLeft(recipient(i, offset), 32), setLengthLeft(bigIntToBytes(1000n + BigInt(i)), 32)),
          }
        : { gasLimit: 21_000n, to: recipient(i, offset), value: 1000n + BigInt(i) }
    const { raw, hash } = signBenchTx(common, sender.key, nonce, call)
    raws.push(raw)
    hashes.push(hash)
  }
  return { kind, chainId: opts.chainId, raws, hashes, senders, token, senderBalance: SENDER_BALANCE }
}
