import { makeWorkload } from './workload.ts'
import { benchChainSpec } from './benchSpec.ts'
import { runNodeRpc } from './nodeRpcRunner.ts'
const w = makeWorkload('eth', { chainId: 1337n, txs: 2000, senders: 200 })
const warmup = makeWorkload('eth', { chainId: 1337n, txs: 400, senders: 40, senderOffset: 10_000 })
const spec = benchChainSpec(w, warmup)
console.log(await runNodeRpc(w, spec, { crypto: 'fast', mode: 'mine', warmup }))
