import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeWorkload } from './workload.ts'
import { benchChainSpec } from './benchSpec.ts'
import { createChain } from '../../node/chain/index.ts'
import { createSequencer } from '../../node/sequencer/index.ts'
import { createTxPool } from '../../node/txpool/index.ts'
const kind = (process.argv[2] ?? 'eth') as 'eth' | 'erc20'
const w = makeWorkload(kind, { chainId: 1337n, txs: 2000, senders: 200 })
const spec = benchChainSpec(w)
const out: string[] = []
for (let r = 0; r < 3; r++) {
  const dir = await mkdtemp(join(tmpdir(), 'b-'))
  const chain = await createChain({ dataDir: dir, spec, crypto: 'fast' })
  const pool = await createTxPool({ chain, journalPath: join(dir, 'txpool.journal') })
  const seq = createSequencer({ chain, pool, automine: false, blockTime: 0 })
  let t = performance.now()
  for (const raw of w.raws) await pool.addRaw(raw)
  const ingest = performance.now() - t; t = performance.now()
  await seq.buildNow(); await pool.idle()
  const build = performance.now() - t
  out.push(`${ingest.toFixed(0)}/${build.toFixed(0)}`)
  await pool.close(); await chain.close(); await rm(dir, { recursive: true })
}
console.log(process.execArgv.filter((a) => a.includes('semi')).join(' ') || 'default', out.join(' '))
