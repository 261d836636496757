export { createNodeRpcBackend, defaultNodeRpcBackendOptions } from './createNodeRpcBackend.ts'
export type { NodeRpcBackend, NodeRpcBackendOptions } from './createNodeRpcBackend.ts'
