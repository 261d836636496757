/**
 * Child-process entry for the JSON-RPC half of the block-production benchmark: runs our node
 * (createNode in --dev style, sequencer = dev account 0) on a given datadir and chain spec,
 * prints `READY <rpcUrl>` on stdout, and shuts down cleanly on SIGTERM.
 * With automine off, blocks come from evm_mine over JSON-RPC, as on anvil --no-mining.
 * Usage: node --import tsx bench/node/nodeProcess.ts <datadir> <specFile> <fast|noble> <automine|mine>
 */
import { createNode } from '../../node/index.ts'

const [datadir, specFile, crypto, mode] = process.argv.slice(2)
if (datadir === undefined || specFile === undefined || (crypto !== 'fast' && crypto !== 'noble') || (mode !== 'automine' && mode !== 'mine')) {
  console.error('usage: nodeProcess.ts <datadir> <specFile> <fast|noble> <automine|mine>')
  process.exit(2)
}
const node = await createNode({
  datadir,
  genesis: specFile,
  dev: true,
  automine: mode === 'automine',
  // no interval blocks: only the trigger under test produces blocks
  blockTime: 0,
  rpcPort: 0,
  metrics: false,
  logLevel: 'error',
  crypto,
  ...(process.env.BENCH_CALL_WORKERS === undefined ? {} : { rpcCallWorkers: Number(process.env.BENCH_CALL_WORKERS) }),
})
node.start()
process.stdout.write(`READY ${node.rpcUrl}\n`)
process.once('SIGTERM', () => {
  node
    .close()
    .then(() => process.exit(0))
    .catch((err: unknown) => {
      console.error(err)
      process.exit(1)
    })
})
