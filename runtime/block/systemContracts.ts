import type { BlockHeader } from '@ethereumjs/block'
import { Mainnet } from '@ethereumjs/common'
import { bigIntToBytes, createAddressFromString, setLengthLeft } from '@ethereumjs/util'
import type { Address } from '@ethereumjs/util'
import type { VM } from '@ethereumjs/vm'
import { OpenLedgerError } from '../errors.ts'
import { BLOCK_ERROR } from './blockErrors.ts'

/** EIP-4788 beacon roots contract. */
export const BEACON_ROOTS_ADDRESS = '0x000f3df6d732807ef1319fb7b8bb8522d0beac02'
/** EIP-2935 block hash history contract. */
export const HISTORY_STORAGE_ADDRESS = '0x0000f90827f1c53a10cb7a02335b175320002935'
/** EIP-7002 withdrawal request predeploy. */
export const WITHDRAWAL_REQUEST_ADDRESS = '0x00000961ef480eb55e80d19ad83579a64c007002'
/** EIP-7251 consolidation request predeploy. */
export const CONSOLIDATION_REQUEST_ADDRESS = '0x0000bbddc7ce488642fb579f8b00f3a590007251'
/** EIP-6110 deposit contract: ethereumjs falls back to Mainnet's when a chain names none. */
export const DEPOSIT_CONTRACT_ADDRESS = (Mainnet.depositContractAddress ?? '0x00000000219ab540356cbb839cbe05303d7705fa').toLowerCase()

/**
 * System contracts whose Prague block-level effects (EIP-7685 requests) the linear builder does
 * not reproduce: they must stay without code. An L2 has no beacon chain to serve these requests,
 * so the genesis may not install them; runBlock would otherwise produce non-empty requests.
 */
export const REQUEST_CONTRACT_ADDRESSES: readonly string[] = [DEPOSIT_CONTRACT_ADDRESS, WITHDRAWAL_REQUEST_ADDRESS, CONSOLIDATION_REQUEST_ADDRESS]

const beaconRoots = createAddressFromString(BEACON_ROOTS_ADDRESS)
const historyStorage = createAddressFromString(HISTORY_STORAGE_ADDRESS)
const requestContracts: Address[] = REQUEST_CONTRACT_ADDRESSES.map((a) => createAddressFromString(a))

/**
 * The pre-transaction system writes runBlock performs in Prague, done the same way for the
 * linear builder: EIP-4788 stores (timestamp, parentBeaconBlockRoot) and EIP-2935 stores the
 * parent hash, each only if its contract has code (exactly runBlock's rule).
 */
export async function applyPreBlockSystemWrites(vm: VM, header: BlockHeader): Promise<void> {
  if ((await vm.stateManager.getCode(beaconRoots)).length > 0) {
    const length = BigInt(vm.common.param('historicalRootsLength'))
    const index = header.timestamp % length
    const root = header.parentBeaconBlockRoot ?? new Uint8Array(32)
    await vm.stateManager.putStorage(beaconRoots, setLengthLeft(bigIntToBytes(index), 32), bigIntToBytes(header.timestamp))
    await vm.stateManager.putStorage(beaconRoots, setLengthLeft(bigIntToBytes(index + length), 32), root)
    await vm.evm.journal.cleanup()
  }
  if ((await vm.stateManager.getCode(historyStorage)).length > 0) {
    const window = BigInt(vm.common.param('historyServeWindow'))
    const key = setLengthLeft(bigIntToBytes((header.number - 1n) % window), 32)
    await vm.stateManager.putStorage(historyStorage, key, header.parentHash)
    await vm.evm.journal.cleanup()
  }
}

/** Throw BLOCK_ERROR_UNSUPPORTED_SYSTEM_CONTRACT if any request contract has code in the current state. */
export async function assertNoRequestContracts(vm: VM): Promise<void> {
  for (const address of requestContracts) {
    if ((await vm.stateManager.getCode(address)).length > 0) {
      throw new OpenLedgerError(BLOCK_ERROR.UNSUPPORTED_SYSTEM_CONTRACT, 'an EIP-7685 request contract has code; this chain does not support it', {
        address: address.toString(),
      })
    }
  }
}
