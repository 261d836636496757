export { createNodeRpcBackend, defaultNodeRpcBackendOptions } from './createNodeRpcBackend.ts'
export type { NodeRpcBackend, NodeRpcBackendOptions } from './createNodeRpcBackend.ts'
export { createRollupNode } from './rollupNode.ts'
export type { RollupL1View, RollupNodeOptions } from './rollupNode.ts'
