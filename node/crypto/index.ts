export * from './createFastCrypto.ts'
