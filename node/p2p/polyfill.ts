// Node 20 lacks Promise.withResolvers (it arrived in Node 22), and the libp2p 2.x stack calls it
// (it-queue, @libp2p/utils, yamux, abort-error): createLibp2p rejects at start without it
// (shared/specs/p2p.md §2). Every file of node/p2p that imports libp2p imports this file first, so it
// runs before any libp2p module evaluates. Remove it when the node requires Node 22.

/** The object Promise.withResolvers returns (ES2024). */
type Resolvers<T> = { promise: Promise<T>; resolve: (value: T | PromiseLike<T>) => void; reject: (reason?: unknown) => void }

const promise = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> }
if (typeof promise.withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>(): Resolvers<T> {
      let resolve!: Resolvers<T>['resolve']
      let reject!: Resolvers<T>['reject']
      const p = new Promise<T>((res, rej) => {
        resolve = res
        reject = rej
      })
      return { promise: p, resolve, reject }
    },
  })
}

/** True once Promise.withResolvers exists (natively or through this polyfill). */
export const hasPromiseWithResolvers = typeof promise.withResolvers === 'function'
