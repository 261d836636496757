import { createBlock } from '@ethereumjs/block'
import type { Block } from '@ethereumjs/block'
import type { Common, StateManagerInterface } from '@ethereumjs/common'
import { RLP } from '@ethereumjs/rlp'
import { Account, KECCAK256_RLP, bigIntToUnpaddedBytes, createAddressFromString, hexToBytes, setLengthLeft } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { tokenomicsBalances } from '../../genesis/index.ts'
import type { ChainSpec, GenesisAccount, Hex } from '../../genesis/index.ts'
import { moduleGenesisAccounts } from '../modules/runtimeModules.ts'
import { BLOCK_ERROR } from '../block/blockErrors.ts'
import { REQUEST_CONTRACT_ADDRESSES } from '../block/systemContracts.ts'
import { chainParams } from '../chainCommon.ts'
import { createStateManager } from '../vm/createStateManager.ts'
import { OpenLedgerError } from '../errors.ts'
import { L2_ERROR } from '../l2/l2Errors.ts'
import { rollupPredeployAlloc } from '../l2/predeploys/rollupPredeployAlloc.ts'

/**
 * Refuse specs this runtime cannot execute faithfully: code at an EIP-7685 request contract
 * (deposit, withdrawal and consolidation requests have no meaning on this L2, and the linear
 * builder does not reproduce them).
 */
export function assertGenesisSupported(spec: ChainSpec): void {
  for (const [address, account] of Object.entries(spec.alloc)) {
    if (account.code !== undefined && account.code !== '0x' && REQUEST_CONTRACT_ADDRESSES.includes(address.toLowerCase())) {
      throw new OpenLedgerError(BLOCK_ERROR.UNSUPPORTED_SYSTEM_CONTRACT, 'genesis installs an EIP-7685 request contract, which this chain does not support', {
        address,
      })
    }
  }
}

/**
 * Every genesis account of `spec`: its `alloc`, the liquid TGE balances of its `tokenomics` table
 * (tokenomicsBalances; alloc balances are 0 then), the runtime modules' accounts (the vesting
 * module holds the vesting amounts) and, on a rollup chain (`spec.rollup`), the OP Stack
 * predeploys and preinstalls ({@link rollupPredeployAlloc}). An `alloc` entry at a module or
 * predeploy address is refused (the runtime owns that account).
 */
export async function genesisAlloc(spec: ChainSpec): Promise<Record<Hex, GenesisAccount>> {
  const modules = moduleGenesisAccounts(spec)
  const predeploys = spec.rollup === undefined ? {} : await rollupPredeployAlloc(spec.rollup)
  const alloc: Record<Hex, GenesisAccount> = {}
  for (const [address, account] of Object.entries(spec.alloc)) {
    const key = address.toLowerCase() as Hex
    if (modules[key] !== undefined) {
      throw new OpenLedgerError(BLOCK_ERROR.UNSUPPORTED_SYSTEM_CONTRACT, 'genesis alloc has an account at a runtime module address', { address })
    }
    if (predeploys[key] !== undefined) {
      throw new OpenLedgerError(L2_ERROR.PREDEPLOY_ALLOC_CONFLICT, 'genesis alloc has an account at an OP predeploy address of this rollup chain', { address })
    }
    alloc[key] = account
  }
  Object.assign(alloc, modules, predeploys)
  // tokenomics OPEN may go to a module too (the ecosystem unlock to the governance timelock)
  if (spec.tokenomics !== undefined) {
    for (const [address, amount] of tokenomicsBalances(spec.tokenomics)) {
      const key = address.toLowerCase() as Hex
      const entry = alloc[key]
      alloc[key] = { ...entry, balance: (entry?.balance ?? 0n) + amount }
    }
  }
  return alloc
}

/**
 * Write the spec's `alloc` into `stateManager` (accounts in ascending address order, code,
 * storage) with the tokenomics balances, module accounts and predeploys ({@link genesisAlloc}), and return
 * the genesis state root. The trie writes reach the state
 * manager's node store when the root is computed.
 */
export async function writeGenesisState(stateManager: StateManagerInterface, spec: ChainSpec): Promise<Uint8Array> {
  assertGenesisSupported(spec)
  const alloc = await genesisAlloc(spec)
  const addresses = Object.keys(alloc).sort()
  for (const hex of addresses) {
    const entry = alloc[hex as keyof typeof alloc]
    if (entry === undefined) continue
    const address = createAddressFromString(hex)
    await stateManager.putAccount(address, new Account(entry.nonce ?? 0n, entry.balance))
    if (entry.code !== undefined && entry.code !== '0x') {
      await stateManager.putCode(address, hexToBytes(entry.code))
    }
    for (const slot of Object.keys(entry.storage ?? {}).sort()) {
      const value = hexToBytes((entry.storage as Record<string, `0x${string}`>)[slot] as `0x${string}`)
      await stateManager.putStorage(address, setLengthLeft(hexToBytes(slot as `0x${string}`), 32), value)
    }
  }
  return stateManager.getStateRoot()
}

/** The sha256 of no requests: requestsHash of every block (EIP-7685 with all request lists empty). */
export function emptyRequestsHash(common: Common): Uint8Array {
  return (common.customCrypto.sha256 ?? sha256)(new Uint8Array(0))
}

/**
 * The genesis block for `spec` with the given genesis state root: number 0, the spec's gas
 * limit, timestamp, extra data and initial base fee, and the constant post-merge fields.
 */
export function createGenesisBlock(spec: ChainSpec, common: Common, stateRoot: Uint8Array): Block {
  return createBlock(
    {
      header: {
        number: 0n,
        parentHash: new Uint8Array(32),
        coinbase: createAddressFromString(spec.feeRecipients.priorityFee),
        stateRoot,
        gasLimit: spec.gasLimit,
        gasUsed: 0n,
        timestamp: spec.timestamp,
        extraData: hexToBytes(spec.extraData),
        baseFeePerGas: spec.baseFee.initial,
        difficulty: 0n,
        nonce: new Uint8Array(8),
        mixHash: new Uint8Array(32),
        withdrawalsRoot: KECCAK256_RLP,
        blobGasUsed: 0n,
        excessBlobGas: 0n,
        parentBeaconBlockRoot: new Uint8Array(32),
        requestsHash: emptyRequestsHash(common),
      },
    },
    { common, params: chainParams(spec) },
  )
}

/**
 * The genesis block of `spec`, its state written to a throwaway in-memory trie: what a datadir's
 * genesis must equal, and the hash an op-node rollup.json names (`genesis.l2.hash`).
 */
export async function computeGenesisBlock(spec: ChainSpec, common: Common): Promise<Block> {
  const stateRoot = await writeGenesisState(createStateManager({ common, trieCacheSize: 0 }), spec)
  return createGenesisBlock(spec, common, stateRoot)
}

/**
 * The identity of a chain a datadir belongs to: keccak-256 over the genesis hash and the
 * consensus parameters the genesis header does not commit to (chain id, base fee rules, fee
 * recipients). Two specs with equal identity execute identically.
 */
export function chainIdentity(spec: ChainSpec, genesisHash: Uint8Array): Uint8Array {
  return keccak_256(
    RLP.encode([
      genesisHash,
      bigIntToUnpaddedBytes(spec.chainId),
      bigIntToUnpaddedBytes(spec.gasLimit),
      bigIntToUnpaddedBytes(spec.baseFee.initial),
      bigIntToUnpaddedBytes(spec.baseFee.maxChangeDenominator),
      bigIntToUnpaddedBytes(spec.baseFee.elasticityMultiplier),
      hexToBytes(spec.feeRecipients.baseFee),
      hexToBytes(spec.feeRecipients.priorityFee),
    ]),
  )
}
