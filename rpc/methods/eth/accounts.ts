import type { RpcMethod } from '../../types.ts'

/** eth_accounts: the dev accounts in --dev mode, otherwise an empty list. */
export const accounts: RpcMethod<'dev' | 'devAccounts'> = {
  name: 'eth_accounts',
  minParams: 0,
  maxParams: 0,
  handler: (ctx) => (ctx.dev && ctx.devAccounts.devSigner !== undefined ? ctx.devAccounts.devSigner.accounts() : []),
}
