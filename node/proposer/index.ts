export * from './proposer.ts'
export * from './proposerErrors.ts'
