import { Abi } from 'ox'
import { BASE_ERRORS, BASE_FUNCTIONS, signaturesOf } from '../framework/compileModule.ts'

/**
 * The vesting module's ABI (IVesting.sol), human-readable, with the handler each function maps to.
 * test/unit/runtime/modules/vesting checks it against the compiled Solidity interface.
 */
export const VESTING_FUNCTIONS = [
  ['function scheduleCount() view returns (uint256)', 'scheduleCount'],
  [
    'function getSchedule(uint256 id) view returns (address beneficiary, uint256 amount, uint256 released, uint64 start, uint64 cliff, uint64 duration, bool revocable, bool revoked, bytes32 bucket)',
    'getSchedule',
  ],
  ['function schedulesOf(address beneficiary) view returns (uint256[])', 'schedulesOf'],
  ['function vestedAmount(uint256 id, uint64 timestamp) view returns (uint256)', 'vestedAmount'],
  ['function vestedAmountOf(address beneficiary, uint64 timestamp) view returns (uint256)', 'vestedAmountOf'],
  ['function releasable(uint256 id) view returns (uint256)', 'releasable'],
  ['function releasableOf(address beneficiary) view returns (uint256)', 'releasableOf'],
  ['function lockedOf(address beneficiary) view returns (uint256)', 'lockedOf'],
  ['function totals() view returns (uint256 scheduled, uint256 released, uint256 unvested)', 'totals'],
  ['function release(uint256 id) returns (uint256)', 'release'],
  ['function release() returns (uint256)', 'releaseAll'],
  ['function releaseAll() returns (uint256)', 'releaseAll'],
  [
    'function createSchedule(address beneficiary, uint64 start, uint64 cliff, uint64 duration, bool revocable, bytes32 bucket) payable returns (uint256 id)',
    'createSchedule',
  ],
  ['function revoke(uint256 id) returns (uint256 refunded)', 'revoke'],
] as const

export const VESTING_EVENTS = [
  'event ScheduleCreated(uint256 indexed id, address indexed beneficiary, bytes32 indexed bucket, uint256 amount, uint64 start, uint64 cliff, uint64 duration, bool revocable)',
  'event Released(uint256 indexed id, address indexed beneficiary, uint256 amount)',
  'event Revoked(uint256 indexed id, address indexed beneficiary, uint256 refunded, uint256 vested)',
] as const

export const VESTING_ERRORS = [
  'error VestingUnauthorized(address caller)',
  'error VestingUnknownSchedule(uint256 id)',
  'error VestingNotRevocable(uint256 id)',
  'error VestingAlreadyRevoked(uint256 id)',
  'error VestingNothingToRelease()',
  'error VestingInvalidSchedule()',
  'error VestingTransferFailed(address to, uint256 amount)',
] as const

/**
 * The vesting module's full JSON ABI, as `compileModule` builds it (own functions, the base
 * functions every module answers, events, base errors, own errors): typed `as const` for viem and ox.
 *
 * @example
 * ```ts
 * import { MODULE_ADDRESSES, vestingAbi } from './runtime/index.ts'
 * const locked = await client.readContract({ address: MODULE_ADDRESSES.vesting, abi: vestingAbi, functionName: 'lockedOf', args: [account] })
 * ```
 */
export const vestingAbi = Abi.from([...signaturesOf(VESTING_FUNCTIONS), ...BASE_FUNCTIONS, ...VESTING_EVENTS, ...BASE_ERRORS, ...VESTING_ERRORS])
