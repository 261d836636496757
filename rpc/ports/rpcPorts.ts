import type { BlockProducer } from './blockProducer.ts'
import type { BlockReader } from './blockReader.ts'
import type { CallSimulator } from './callSimulator.ts'
import type { ChainEvents } from './chainEvents.ts'
import type { ChainInfo } from './chainInfo.ts'
import type { DevControl } from './devControl.ts'
import type { DevAccounts } from './devAccounts.ts'
import type { NetworkStatus } from './networkStatus.ts'
import type { PoolReader } from './poolReader.ts'
import type { RollupInfo } from './rollupInfo.ts'
import type { StateReader } from './stateReader.ts'
import type { TxSubmitter } from './txSubmitter.ts'

/**
 * The node's roles as RPC method contexts name them (STYLE §1: rpc/ declares, node/rpc
 * implements). A method's context lists only the ports it uses (see RpcMethod in types.ts).
 */
export type RpcPorts = {
  readonly blocks: BlockReader
  readonly state: StateReader
  readonly calls: CallSimulator
  readonly txs: TxSubmitter
  readonly pool: PoolReader
  readonly chainInfo: ChainInfo
  readonly devAccounts: DevAccounts
  readonly producer: BlockProducer
  readonly control: DevControl
  readonly network: NetworkStatus
  readonly events: ChainEvents
  readonly rollup: RollupInfo
}

/** Every port in one object: what node/rpc builds and createRpcServer takes. */
export type RpcBackend = BlockReader &
  StateReader &
  CallSimulator &
  TxSubmitter &
  PoolReader &
  ChainInfo &
  DevAccounts &
  BlockProducer &
  DevControl &
  NetworkStatus &
  ChainEvents &
  RollupInfo

/** The named ports of a backend that implements them all. */
export function portsOf(backend: RpcBackend): RpcPorts {
  return {
    blocks: backend,
    state: backend,
    calls: backend,
    txs: backend,
    pool: backend,
    chainInfo: backend,
    devAccounts: backend,
    producer: backend,
    control: backend,
    network: backend,
    events: backend,
    rollup: backend,
  }
}
