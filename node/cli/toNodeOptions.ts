import type { RpcLimits } from '../../rpc/index.ts'
import type { NodeOptions, NodeRole } from '../node.ts'
import type { LogFormat, LogLevel } from '../logger.ts'
import type { CliValues } from './parseCli.ts'

/** Map parsed flag values (by flag name) to createNode options; unset flags stay unset (module defaults apply). */
export function toNodeOptions(values: CliValues): Partial<NodeOptions> {
  const out: Partial<NodeOptions> = {}
  const str = (name: string): string | undefined => values[name] as string | undefined
  if (values.datadir !== undefined) out.datadir = str('datadir')
  if (values.genesis !== undefined) out.genesis = str('genesis')
  if (values.dev !== undefined) out.dev = values.dev as boolean
  if (values['dev.automine'] !== undefined) out.automine = values['dev.automine'] as boolean
  if (values['rpc.addr'] !== undefined) out.rpcAddr = str('rpc.addr')!
  if (values['rpc.port'] !== undefined) out.rpcPort = values['rpc.port'] as number
  if (values['rpc.cors'] !== undefined) out.rpcCors = values['rpc.cors'] as string[]
  if (values['rpc.call-workers'] !== undefined) out.rpcCallWorkers = values['rpc.call-workers'] as number
  const limits: Partial<RpcLimits> = {}
  const int = (name: string): number | undefined => values[name] as number | undefined
  const big = (name: string): bigint | undefined => (values[name] === undefined ? undefined : BigInt(values[name] as number))
  const given: Partial<RpcLimits> = {
    maxBodyBytes: int('rpc.body.limit'),
    maxBatchSize: int('rpc.batch-request-limit'),
    maxLogsBlockRange: big('rpc.logs.range'),
    maxLogsResults: int('rpc.logs.limit'),
    maxSubscriptionsPerConnection: int('rpc.ws.subscriptions'),
    maxFilters: int('rpc.filters.limit'),
    requestTimeoutMs: int('rpc.evmtimeout'),
    gasCap: big('rpc.gascap'),
  }
  for (const [key, value] of Object.entries(given)) if (value !== undefined) (limits as Record<string, unknown>)[key] = value
  if (Object.keys(limits).length > 0) out.rpcLimits = limits
  if (values['block.time'] !== undefined) out.blockTime = values['block.time'] as number
  if (values.role !== undefined) out.role = values.role as NodeRole
  if (values['p2p.enabled'] !== undefined) out.p2pEnabled = values['p2p.enabled'] as boolean
  if (values['p2p.addr'] !== undefined) out.p2pAddr = str('p2p.addr')!
  if (values['p2p.port'] !== undefined) out.p2pPort = values['p2p.port'] as number
  if (values['p2p.bootnodes'] !== undefined) out.p2pBootnodes = values['p2p.bootnodes'] as string[]
  if (values['p2p.maxpeers'] !== undefined) out.p2pMaxPeers = values['p2p.maxpeers'] as number
  if (values['sequencer.key'] !== undefined) out.sequencerKey = str('sequencer.key')
  if (values['sequencer.keystore'] !== undefined) out.sequencerKeystore = str('sequencer.keystore')
  if (values['sequencer.password'] !== undefined) out.sequencerPasswordFile = str('sequencer.password')
  if (values['dev.l1'] !== undefined) out.devL1 = values['dev.l1'] as boolean
  if (values['l1.rpc'] !== undefined) out.l1Rpc = str('l1.rpc')
  if (values['l1.confirmations'] !== undefined) out.l1Confirmations = values['l1.confirmations'] as number
  if (values['l1.poll-interval'] !== undefined) out.l1PollIntervalMs = values['l1.poll-interval'] as number
  if (values['proposer.key'] !== undefined) out.proposerKey = str('proposer.key')
  if (values['proposer.keystore'] !== undefined) out.proposerKeystore = str('proposer.keystore')
  if (values['proposer.password'] !== undefined) out.proposerPasswordFile = str('proposer.password')
  if (values['proposer.interval'] !== undefined) out.proposerIntervalMs = values['proposer.interval'] as number
  if (values.metrics !== undefined) out.metrics = values.metrics as boolean
  if (values['log.level'] !== undefined) out.logLevel = values['log.level'] as LogLevel
  if (values['log.format'] !== undefined) out.logFormat = values['log.format'] as LogFormat
  return out
}
