import { Common, type Hardfork, Mainnet } from '@ethereumjs/common'
import { createEVM } from '@ethereumjs/evm'
import type { InterpreterStep } from '@ethereumjs/evm'
import { SimpleStateManager } from '@ethereumjs/statemanager'
import { bytesToBigInt, bytesToHex, createAddressFromString, hexToBytes, setLengthLeft } from '@ethereumjs/util'
import type { GenesisAccount, Hex } from '../../../genesis/index.ts'
import { CHAIN_HARDFORK } from '../../chainCommon.ts'
import { OpenLedgerError } from '../../errors.ts'
import { L2_ERROR } from '../l2Errors.ts'

/** Code and storage a constructor left behind. */
export type DeployedContract = { code: Hex; storage: Record<Hex, Hex> }

/**
 * A throwaway in-memory EVM in which a genesis is assembled by running the contracts' own
 * constructors and initializers, then read back as alloc entries. Nothing of it reaches a chain:
 * only the accounts asked for with {@link GenesisSandbox.accounts} are kept.
 */
export type GenesisSandbox = {
  /** run `creationCode` (constructor arguments appended) and return the code and storage it left */
  deploy(creationCode: Hex): Promise<DeployedContract>
  /** install code at `address` as a genesis would (nonce unchanged) */
  setCode(address: Hex, code: Hex): Promise<void>
  /** write one storage word, as a genesis would */
  setStorage(address: Hex, slot: Hex, value: Hex): Promise<void>
  /** a call from `from`; a revert or halt throws PREDEPLOY_BUILD_FAILED naming `what` */
  call(from: Hex, to: Hex, data: Hex, what: string): Promise<void>
  /** the accounts at `addresses` as alloc entries: code, non-zero storage (slots sorted), nonce when non-zero */
  accounts(addresses: readonly Hex[]): Promise<Record<Hex, GenesisAccount>>
}

// ample for any one constructor or initializer here (the largest, L2StandardBridge's creation, stays under 3 Mgas)
const SANDBOX_GAS = 30_000_000n

function word(value: bigint): Hex {
  return `0x${value.toString(16).padStart(64, '0')}`
}

/**
 * A fresh sandbox: the chain's EVM rules (Prague) on a SimpleStateManager, with an EVM step hook
 * that records every SSTORE key per storage context, since a plain state manager cannot list an
 * account's slots. It is not the chain's VM (createRuntimeVm): no chain, fees or runtime modules
 * take part in building these accounts, only the EVM semantics of the contracts' code.
 */
export async function createGenesisSandbox(): Promise<GenesisSandbox> {
  const common = new Common({ chain: Mainnet, hardfork: CHAIN_HARDFORK as Hardfork })
  const stateManager = new SimpleStateManager({ common })
  const evm = await createEVM({ common, stateManager })
  const slots = new Map<string, Set<Hex>>()
  const record = (address: string, slot: bigint) => {
    const key = address.toLowerCase()
    const set = slots.get(key) ?? new Set<Hex>()
    slots.set(key, set)
    set.add(word(slot))
  }
  evm.events.on('step', (step: InterpreterStep) => {
    if (step.opcode.name === 'SSTORE') record(step.address.toString(), step.stack[step.stack.length - 1]!)
  })

  const storageOf = async (address: string): Promise<Record<Hex, Hex>> => {
    const out: Record<Hex, Hex> = {}
    const at = createAddressFromString(address)
    for (const slot of [...(slots.get(address.toLowerCase()) ?? [])].sort()) {
      const value = bytesToBigInt(await stateManager.getStorage(at, hexToBytes(slot)))
      if (value !== 0n) out[slot] = word(value)
    }
    return out
  }

  return {
    async deploy(creationCode) {
      const result = await evm.runCall({ data: hexToBytes(creationCode), gasLimit: SANDBOX_GAS })
      const created = result.createdAddress
      if (result.execResult.exceptionError !== undefined || created === undefined) {
        throw new OpenLedgerError(L2_ERROR.PREDEPLOY_BUILD_FAILED, `genesis sandbox: constructor failed (${result.execResult.exceptionError?.error})`, {})
      }
      return { code: bytesToHex(await stateManager.getCode(created)) as Hex, storage: await storageOf(created.toString()) }
    },
    async setCode(address, code) {
      await stateManager.putCode(createAddressFromString(address), hexToBytes(code))
    },
    async setStorage(address, slot, value) {
      await stateManager.putStorage(createAddressFromString(address), setLengthLeft(hexToBytes(slot), 32), setLengthLeft(hexToBytes(value), 32))
      record(address, BigInt(slot))
    },
    async call(from, to, data, what) {
      const result = await evm.runCall({
        caller: createAddressFromString(from),
        origin: createAddressFromString(from),
        to: createAddressFromString(to),
        data: hexToBytes(data),
        gasLimit: SANDBOX_GAS,
      })
      const error = result.execResult.exceptionError
      if (error !== undefined) {
        throw new OpenLedgerError(L2_ERROR.PREDEPLOY_BUILD_FAILED, `genesis sandbox: ${what} failed (${error.error})`, {
          to,
          returnData: bytesToHex(result.execResult.returnValue),
        })
      }
    },
    async accounts(addresses) {
      const out: Record<Hex, GenesisAccount> = {}
      for (const address of [...addresses].map((a) => a.toLowerCase() as Hex).sort()) {
        const at = createAddressFromString(address)
        const account = await stateManager.getAccount(at)
        const entry: GenesisAccount = { balance: account?.balance ?? 0n }
        if (account !== undefined && account.nonce !== 0n) entry.nonce = account.nonce
        const code = await stateManager.getCode(at)
        if (code.length > 0) entry.code = bytesToHex(code) as Hex
        const storage = await storageOf(address)
        if (Object.keys(storage).length > 0) entry.storage = storage
        out[address] = entry
      }
      return out
    },
  }
}
