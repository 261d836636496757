import type { RpcMethod } from '../../types.ts'

/**
 * openledger_getModules: the runtime modules this chain runs, each reached as a precompile at a
 * fixed address with a Solidity interface (also documented in README.md), in address order.
 * Example: [] -> [{ "name": "vesting", "address": "0x4f50454e…1001", "interfaceName": "IVesting",
 * "interfaceId": "0x…", "version": "1.0.0" }, ...]; [] on a chain without modules.
 */
export const getModules: RpcMethod<'chainInfo'> = {
  name: 'openledger_getModules',
  minParams: 0,
  maxParams: 0,
  handler: (ctx) =>
    ctx.chainInfo.modules.map((m) => ({ name: m.name, address: m.address, interfaceName: m.interfaceName, interfaceId: m.interfaceId, version: m.version })),
}
