export * from './createFastCrypto.ts'
export * from './cryptoErrors.ts'
