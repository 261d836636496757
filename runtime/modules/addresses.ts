import type { Hex } from '../../genesis/index.ts'

/**
 * The fixed addresses of the runtime modules ("OPEN" = 0x4f50454e, then the module number).
 * Documented in README.md; `openledger_getModules` lists the ones a chain runs.
 */
export const MODULE_ADDRESSES = {
  chainParams: '0x4f50454e00000000000000000000000000001000',
  vesting: '0x4f50454e00000000000000000000000000001001',
  gopen: '0x4f50454e00000000000000000000000000001002',
  governor: '0x4f50454e00000000000000000000000000001003',
  timelock: '0x4f50454e00000000000000000000000000001004',
} as const satisfies Record<string, Hex>

/**
 * Code placed at every module account: one INVALID byte. It never runs (the precompile answers
 * first); it makes EXTCODESIZE > 0, so Solidity's high-level calls to a module pass their
 * contract-existence check, and with nonce 1 the account is never EIP-161-empty (an empty
 * precompile account is deleted at the end of a tx, storage and all).
 */
export const MODULE_ACCOUNT_CODE: Hex = '0xfe'
