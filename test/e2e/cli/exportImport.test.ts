// `openledger export` and `openledger import` through the real bin: a sealed chain built in this
// process is exported from its datadir, imported into a fresh one (same head and state root),
// a corrupted file stops with exit 1 naming the block, a datadir in use is refused.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex } from '@ethereumjs/util'
import { serializeChainSpec } from '../../../genesis/index.ts'
import { DATADIR_SPEC_FILE } from '../../../node/config/index.ts'
import { buildBlocks, sequencerChain, syncSpec, validatorChain } from '../../integration/sync/sealedChain.ts'
import { runToEnd, tempDir } from './cliProcess.ts'

const BLOCKS = 12
const dir = tempDir(t)
const seq = await sequencerChain(dir, 'source')
await buildBlocks(seq, BLOCKS, 2)
const head = { hash: bytesToHex(seq.head().hash()), stateRoot: bytesToHex(seq.head().header.stateRoot) }
await seq.close()
const specFile = join(dir, 'spec.json')
const specJson = `${JSON.stringify(serializeChainSpec(syncSpec), null, 2)}\n`
writeFileSync(specFile, specJson)
writeFileSync(join(dir, 'source', DATADIR_SPEC_FILE), specJson)
const file = join(dir, 'blocks.rlp')

t.test('export, then import into a fresh datadir: same head and state root', async (t) => {
  const exported = await runToEnd(t, ['export', file, '--datadir', join(dir, 'source'), '--log.level', 'warn'])
  t.equal(exported.code, 0, exported.err)
  t.match(exported.out, `exported blocks 0..${BLOCKS} (${BLOCKS + 1} blocks, `)
  const imported = await runToEnd(t, ['import', file, '--datadir', join(dir, 'fresh'), '--genesis', specFile, '--log.level', 'warn'])
  t.equal(imported.code, 0, imported.err)
  t.match(imported.out, `imported ${BLOCKS} blocks (${BLOCKS * 2} txs), skipped 1 already present; head ${BLOCKS} ${head.hash} state root ${head.stateRoot}`)
  const again = await runToEnd(t, ['import', file, '--datadir', join(dir, 'fresh'), '--log.level', 'warn'])
  t.equal(again.code, 0, again.err)
  t.match(again.out, `imported 0 blocks (0 txs), skipped ${BLOCKS + 1} already present; head ${BLOCKS} ${head.hash}`, 'a re-run resumes: nothing to do')
})

t.test('a corrupted block: exit 1 naming its number and reason, the blocks before kept', async (t) => {
  const bytes = readFileSync(file)
  // items: genesis, then blocks 1..; corrupt block 6's state root
  const items: Uint8Array[] = []
  for (let at = 0; at < bytes.length; ) {
    const lengthBytes = bytes[at]! - 0xf7
    let length = 0
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + bytes[at + 1 + i]!
    items.push(bytes.subarray(at, at + 1 + lengthBytes + length))
    at += 1 + lengthBytes + length
  }
  const fields = RLP.decode(items[6]!) as unknown as [Uint8Array[], ...Uint8Array[]]
  fields[0][3] = new Uint8Array(32).fill(1)
  items[6] = RLP.encode(fields as never)
  const corrupt = join(dir, 'corrupt.rlp')
  writeFileSync(corrupt, Buffer.concat(items))
  const datadir = join(dir, 'corrupt')
  const run = await runToEnd(t, ['import', corrupt, '--datadir', datadir, '--genesis', specFile, '--log.level', 'warn'])
  t.equal(run.code, 1)
  t.match(run.err, /^openledger: block 6 is invalid \(BLOCK_ERROR_INVALID_EXECUTION\)/)
  const chain = await validatorChain(dir, 'corrupt')
  t.equal(chain.head().header.number, 5n, 'blocks 1..5 kept')
  await chain.close()
})

t.test('a datadir in use and bad arguments are refused', async (t) => {
  const chain = await validatorChain(dir, 'fresh')
  const busy = await runToEnd(t, ['import', file, '--datadir', join(dir, 'fresh')])
  await chain.close()
  t.equal(busy.code, 1)
  t.match(busy.err, `openledger: datadir ${join(dir, 'fresh')} is in use by another process (stop the node first)`)
  const noFile = await runToEnd(t, ['import', join(dir, 'missing.rlp'), '--datadir', join(dir, 'fresh')])
  t.equal(noFile.code, 2)
  t.match(noFile.err, 'does not exist')
  const range = await runToEnd(t, ['export', join(dir, 'x.rlp'), '3', '1', '--datadir', join(dir, 'source')])
  t.equal(range.code, 1)
  t.match(range.err, `cannot export blocks 3..1: the chain has blocks 0..${BLOCKS}`)
  const part = await runToEnd(t, ['export', join(dir, 'one.rlp'), '1', '1', '--datadir', join(dir, 'source'), '--log.level', 'warn'])
  t.equal(part.code, 0, part.err)
  t.match(part.out, 'exported blocks 1..1 (1 blocks')
})
