import type { RpcMethod } from '../../types.ts'

/** The namespaces this server serves, with geth's "1.0" versions. */
const MODULES = {
  anvil: '1.0',
  debug: '1.0',
  eth: '1.0',
  evm: '1.0',
  hardhat: '1.0',
  net: '1.0',
  openledger: '1.0',
  personal: '1.0',
  rpc: '1.0',
  txpool: '1.0',
  web3: '1.0',
}
/** With `optimism` (op-node's node API), served on rollup chains only; names in order as above. */
const ROLLUP_MODULES = Object.fromEntries(Object.entries({ ...MODULES, optimism: '1.0' }).sort(([a], [b]) => a.localeCompare(b)))

/**
 * rpc_modules: served API namespaces (geth); `optimism` on a rollup chain only.
 * Example: -> { "eth": "1.0", "net": "1.0", ... }.
 */
export const modules: RpcMethod<'rollup'> = {
  name: 'rpc_modules',
  minParams: 0,
  maxParams: 0,
  handler: (ctx) => (ctx.rollup.rollupNode === undefined ? MODULES : ROLLUP_MODULES),
}
