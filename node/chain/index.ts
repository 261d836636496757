export type * from './types.ts'
export * from './chainErrors.ts'
export * from './createChain.ts'
