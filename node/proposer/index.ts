export * from './proposer.ts'
export * from './proposerErrors.ts'
export { chainOutputSource } from './chainOutputSource.ts'
