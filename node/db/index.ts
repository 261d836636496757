export * from './openDatabase.ts'
export * from './nodeCache.ts'
export * from './stateDb.ts'
