import { makeWorkload } from './workload.ts'
import { benchChainSpec } from './benchSpec.ts'
import { runInProcess } from './inProcessRunner.ts'
for (const kind of ['eth', 'erc20'] as const) {
  const w = makeWorkload(kind, { chainId: 1337n, txs: 2000, senders: 200 })
  const spec = benchChainSpec(w)
  for (let i = 0; i < 2; i++) console.log(kind, await runInProcess(w, spec, { crypto: 'fast' }))
}
