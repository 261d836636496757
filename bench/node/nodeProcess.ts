/**
 * Child-process entry for the JSON-RPC half of the block-production benchmark: runs our node
 * (createNode in --dev style, sequencer = dev account 0) on a given datadir and chain spec,
 * prints `READY <rpcUrl>` on stdout, and shuts down cleanly on SIGTERM.
 * With automine off, a `MINE` line on stdin builds blocks until the pool has no pending txs and
 * answers `MINED <blocks>`: the stand-in for anvil's evm_mine (our RPC has no such method).
 * Usage: node --import tsx bench/node/nodeProcess.ts <datadir> <specFile> <fast|noble> <automine|mine>
 */
import { createInterface } from 'node:readline'
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
})
node.start()
process.stdout.write(`READY ${node.rpcUrl}\n`)
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'MINE') return
  void (async () => {
    let blocks = 0
    await node.txpool.idle()
    while (node.txpool.status().pending > 0) {
      await node.sequencer!.buildNow()
      await node.txpool.idle()
      blocks++
    }
    process.stdout.write(`MINED ${blocks}\n`)
  })().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
})
process.once('SIGTERM', () => {
  node
    .close()
    .then(() => process.exit(0))
    .catch((err: unknown) => {
      console.error(err)
      process.exit(1)
    })
})
