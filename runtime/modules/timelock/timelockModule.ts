import { keccak_256 } from '@noble/hashes/sha3.js'
import type { ChainSpec, Hex } from '../../../genesis/index.ts'
import { MODULE_ADDRESSES } from '../addresses.ts'
import { IERC1155_RECEIVER_INTERFACE_ID, tokenReceiverFunctions } from '../framework/tokenReceivers.ts'
import type { RuntimeModuleDefinition } from '../framework/types.ts'
import { ACCESS_CONTROL_FUNCTIONS, TIMELOCK_ROLES } from './accessControl.ts'
import { TIMELOCK_FUNCTIONS } from './timelockFunctions.ts'
import { roleSlot, TIMELOCK_SLOTS } from './timelockStorage.ts'

/** type(IAccessControl).interfaceId (checked against solc in the tests). */
export const IACCESS_CONTROL_INTERFACE_ID = '0x7965db0b'
/** type(ITimelock).interfaceId: the functions ITimelock.sol itself declares (solc excludes inherited ones). */
export const ITIMELOCK_INTERFACE_ID = '0x7a31ba51'

const EVENTS = [
  'event CallScheduled(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data, bytes32 predecessor, uint256 delay)',
  'event CallExecuted(bytes32 indexed id, uint256 indexed index, address target, uint256 value, bytes data)',
  'event CallSalt(bytes32 indexed id, bytes32 salt)',
  'event Cancelled(bytes32 indexed id)',
  'event MinDelayChange(uint256 oldDuration, uint256 newDuration)',
  'event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole)',
  'event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)',
  'event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)',
] as const

const ERRORS = [
  'error TimelockInvalidOperationLength(uint256 targets, uint256 payloads, uint256 values)',
  'error TimelockInsufficientDelay(uint256 delay, uint256 minDelay)',
  'error TimelockUnexpectedOperationState(bytes32 operationId, bytes32 expectedStates)',
  'error TimelockUnexecutedPredecessor(bytes32 predecessorId)',
  'error TimelockUnauthorizedCaller(address caller)',
  'error AccessControlUnauthorizedAccount(address account, bytes32 neededRole)',
  'error AccessControlBadConfirmation()',
  'error FailedCall()',
] as const

/**
 * The timelock module: OpenZeppelin 5.7 TimelockController in TypeScript, the governance
 * executor and treasury. At genesis the governor holds PROPOSER, EXECUTOR and CANCELLER and
 * only the timelock itself holds DEFAULT_ADMIN (no admin account: roles and the delay change
 * only through proposals); the minimum delay is `spec.governance.timelockDelay` and its OPEN
 * balance `spec.governance.treasury` (default 0). It accepts OPEN (receive) and NFTs.
 *
 * @example
 * const timelock = timelockModule(spec) // FACTORIES does this for every spec with `governance`
 */
export function timelockModule(spec: ChainSpec): RuntimeModuleDefinition {
  const self: Hex = MODULE_ADDRESSES.timelock
  return {
    name: 'timelock',
    address: self,
    version: '1.0.0',
    interfaceName: 'ITimelock',
    functions: [...TIMELOCK_FUNCTIONS, ...ACCESS_CONTROL_FUNCTIONS, ...tokenReceiverFunctions()],
    events: EVENTS,
    errors: ERRORS,
    supportedInterfaces: [IACCESS_CONTROL_INTERFACE_ID, ITIMELOCK_INTERFACE_ID, IERC1155_RECEIVER_INTERFACE_ID],
    genesis: () => {
      const g = spec.governance
      if (g === undefined) return { balance: 0n, storage: [] }
      const ctx = { keccak: keccak_256 }
      const governor = MODULE_ADDRESSES.governor
      const role = (r: Hex, account: Hex): [bigint, bigint] => [roleSlot(ctx, BigInt(r), account), 1n]
      return {
        balance: g.treasury ?? 0n,
        storage: [
          [TIMELOCK_SLOTS.minDelay, g.timelockDelay],
          role(TIMELOCK_ROLES.DEFAULT_ADMIN_ROLE, self),
          role(TIMELOCK_ROLES.PROPOSER_ROLE, governor),
          role(TIMELOCK_ROLES.EXECUTOR_ROLE, governor),
          role(TIMELOCK_ROLES.CANCELLER_ROLE, governor),
        ],
      }
    },
    receive: async () => {},
  }
}
