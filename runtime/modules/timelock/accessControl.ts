import { Hash, Hex as OxHex } from 'ox'
import type { Hex } from '../../../genesis/index.ts'
import type { ModuleContext, ModuleFunction } from '../framework/types.ts'
import { toBytes32 } from '../framework/words.ts'
import { roleSlot } from './timelockStorage.ts'

const roleId = (name: string): Hex => Hash.keccak256(OxHex.fromString(name))

/** TimelockController's roles (AccessControl's DEFAULT_ADMIN_ROLE is 0x00). */
export const TIMELOCK_ROLES = {
  DEFAULT_ADMIN_ROLE: toBytes32(0n),
  PROPOSER_ROLE: roleId('PROPOSER_ROLE'),
  EXECUTOR_ROLE: roleId('EXECUTOR_ROLE'),
  CANCELLER_ROLE: roleId('CANCELLER_ROLE'),
} as const

export async function hasRole(ctx: ModuleContext, role: Hex, account: Hex): Promise<boolean> {
  return (await ctx.sload(roleSlot(ctx, BigInt(role), account))) !== 0n
}

/** AccessControl `_checkRole(role, msg.sender)`. */
export async function onlyRole(ctx: ModuleContext, role: Hex): Promise<void> {
  if (!(await hasRole(ctx, role, ctx.caller))) ctx.revert('AccessControlUnauthorizedAccount', [ctx.caller, role])
}

/** AccessControl `_grantRole` / `_revokeRole`: change the role and log it if it changed. */
async function setRole(ctx: ModuleContext, role: Hex, account: Hex, granted: boolean): Promise<void> {
  if ((await hasRole(ctx, role, account)) === granted) return
  await ctx.sstore(roleSlot(ctx, BigInt(role), account), granted ? 1n : 0n)
  ctx.emit(granted ? 'RoleGranted' : 'RoleRevoked', { role, account, sender: ctx.caller })
}

/**
 * IAccessControl over the timelock's roles. Every role's admin is DEFAULT_ADMIN_ROLE (no
 * `_setRoleAdmin` is reachable), held only by the timelock itself: roles change only through
 * an operation the governor scheduled, i.e. a passed proposal.
 */
export const ACCESS_CONTROL_FUNCTIONS: readonly ModuleFunction[] = [
  ...Object.entries(TIMELOCK_ROLES).map(([name, id]) => ({ abi: `function ${name}() view returns (bytes32)`, handler: async () => id })),
  {
    abi: 'function hasRole(bytes32 role, address account) view returns (bool)',
    handler: async (ctx, [role, account]) => hasRole(ctx, role as Hex, account as Hex),
  },
  { abi: 'function getRoleAdmin(bytes32 role) view returns (bytes32)', handler: async () => TIMELOCK_ROLES.DEFAULT_ADMIN_ROLE },
  {
    abi: 'function grantRole(bytes32 role, address account)',
    handler: async (ctx, [role, account]) => {
      await onlyRole(ctx, TIMELOCK_ROLES.DEFAULT_ADMIN_ROLE)
      await setRole(ctx, role as Hex, account as Hex, true)
    },
  },
  {
    abi: 'function revokeRole(bytes32 role, address account)',
    handler: async (ctx, [role, account]) => {
      await onlyRole(ctx, TIMELOCK_ROLES.DEFAULT_ADMIN_ROLE)
      await setRole(ctx, role as Hex, account as Hex, false)
    },
  },
  {
    abi: 'function renounceRole(bytes32 role, address callerConfirmation)',
    handler: async (ctx, [role, confirmation]) => {
      if (confirmation !== ctx.caller) ctx.revert('AccessControlBadConfirmation')
      await setRole(ctx, role as Hex, ctx.caller, false)
    },
  },
]
