export type * from './types.ts'
export * from './chainErrors.ts'
export * from './createChain.ts'
export { DEV_BALANCES_EXTRA_DATA } from './devBalances.ts'
