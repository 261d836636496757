import type { RpcMethod } from '../../types.ts'

/** net_listening: true while the node accepts connections. */
export const listening: RpcMethod<never> = {
  name: 'net_listening',
  minParams: 0,
  maxParams: 0,
  handler: () => true,
}
