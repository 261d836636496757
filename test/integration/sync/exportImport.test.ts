// `openledger export` / `import` without the CLI: a sealed sequencer chain exported as
// concatenated block RLP and imported into fresh LevelDB datadirs through the sync pipeline.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex } from '@ethereumjs/util'
import type { OpenLedgerError } from '../../../runtime/index.ts'
import { SYNC_ERROR, exportBlocks, importBlocks } from '../../../node/sync/index.ts'
import { tempDir } from '../../fixtures/chain/tempDir.ts'
import { buildBlocks, sequencerChain, validatorChain } from './sealedChain.ts'

const BLOCKS = 40
const dir = await tempDir(t, 'openledger-export-')
const seq = await sequencerChain(dir)
t.teardown(() => seq.close())
await buildBlocks(seq, BLOCKS, 3)
const file = join(dir, 'blocks.rlp')
const exported = await exportBlocks({ chain: seq, file })
const bytes = await readFile(file)

/** Byte offsets of the file's items (each a block RLP), from their list headers. */
function offsets(data: Uint8Array): number[] {
  const out: number[] = []
  for (let at = 0; at < data.length; ) {
    out.push(at)
    const first = data[at]!
    const lengthBytes = first > 0xf7 ? first - 0xf7 : 0
    let length = first > 0xf7 ? 0 : first - 0xc0
    for (let i = 0; i < lengthBytes; i++) length = length * 256 + data[at + 1 + i]!
    at += 1 + lengthBytes + length
  }
  return out
}

async function failure(p: Promise<unknown>): Promise<OpenLedgerError> {
  try {
    await p
  } catch (err) {
    return err as OpenLedgerError
  }
  throw new Error('expected a failure')
}

t.test('export writes blocks 0..head as concatenated RLP', async (t) => {
  t.same(exported, { first: 0n, last: BigInt(BLOCKS), blocks: BLOCKS + 1, bytes: bytes.length })
  t.equal(offsets(bytes).length, BLOCKS + 1, 'one item per block, genesis included')
  t.equal(bytesToHex(bytes.subarray(0, offsets(bytes)[1])), bytesToHex((await seq.getBlockByNumber(0n))!.serialize()), 'genesis first, as stored')
  const part = join(dir, 'part.rlp')
  t.same(await exportBlocks({ chain: seq, file: part, first: 5n, last: 9n }), {
    first: 5n,
    last: 9n,
    blocks: 5,
    bytes: offsets(bytes)[10]! - offsets(bytes)[5]!,
  })
  for (const [first, last] of [
    [3n, 2n],
    [0n, BigInt(BLOCKS) + 1n],
  ] as const) {
    const err = await failure(exportBlocks({ chain: seq, file: part, first, last }))
    t.equal(err.code, SYNC_ERROR.INVALID_RANGE, `${first}..${last} refused`)
  }
})

t.test('import into a fresh datadir: same head and state root; a re-run skips everything', async (t) => {
  const chain = await validatorChain(dir, 'roundtrip')
  t.teardown(() => chain.close())
  const result = await importBlocks({ chain, files: [file] })
  t.same(result, { imported: BLOCKS, skipped: 1, txs: BLOCKS * 3, head: BigInt(BLOCKS), stopped: false })
  t.equal(bytesToHex(chain.head().hash()), bytesToHex(seq.head().hash()), 'same head hash')
  t.equal(bytesToHex(chain.head().header.stateRoot), bytesToHex(seq.head().header.stateRoot), 'same state root')
  t.equal(await chain.getSeal(chain.head().hash()), undefined, 'file blocks carry no seal')
  const again = await importBlocks({ chain, files: [file] })
  t.same(again, { imported: 0, skipped: BLOCKS + 1, txs: 0, head: BigInt(BLOCKS), stopped: false }, 'resumable: all known')
})

t.test('a corrupted block stops the import naming its number; the blocks before stay; a fixed file resumes', async (t) => {
  const at = offsets(bytes)
  const bad = 20
  const fields = RLP.decode(bytes.subarray(at[bad], at[bad + 1])) as unknown as [Uint8Array[], ...Uint8Array[]]
  const header = [...fields[0]]
  header[3] = new Uint8Array(32).fill(5) // state root
  const tampered = RLP.encode([header, ...fields.slice(1)])
  const corrupt = join(dir, 'corrupt.rlp')
  await writeFile(corrupt, Buffer.concat([bytes.subarray(0, at[bad]), tampered, bytes.subarray(at[bad + 1])]))
  const chain = await validatorChain(dir, 'corrupt')
  t.teardown(() => chain.close())
  const err = await failure(importBlocks({ chain, files: [corrupt] }))
  t.equal(err.code, SYNC_ERROR.INVALID_BLOCK)
  t.match(err.message, /^block 20 is invalid \(BLOCK_ERROR_INVALID_EXECUTION\)/)
  t.match(err.meta, { number: '20', reason: 'BLOCK_ERROR_INVALID_EXECUTION' })
  t.equal(chain.head().header.number, 19n, 'blocks 1..19 kept')
  const resumed = await importBlocks({ chain, files: [file] })
  t.match(resumed, { imported: BLOCKS - 19, skipped: 20 }, 'the good file resumes after 19')
  t.equal(bytesToHex(chain.head().header.stateRoot), bytesToHex(seq.head().header.stateRoot))
})

t.test('a truncated file and garbage name the item index and offset; two files import in order', async (t) => {
  const at = offsets(bytes)
  const truncated = join(dir, 'truncated.rlp')
  await writeFile(truncated, bytes.subarray(0, at[11]! + 10))
  const chain = await validatorChain(dir, 'truncated')
  t.teardown(() => chain.close())
  const err = await failure(importBlocks({ chain, files: [truncated] }))
  t.equal(err.code, SYNC_ERROR.MALFORMED_FILE)
  t.match(err.message, `${truncated}: the file ends inside block #11 at byte ${at[11]}`)
  t.equal(chain.head().header.number, 10n, 'blocks before the truncated one kept')
  const garbage = join(dir, 'garbage.rlp')
  await writeFile(garbage, Buffer.concat([bytes.subarray(at[11], at[12]), Buffer.from([0x01, 0x02, 0x03])]))
  const g = await failure(importBlocks({ chain, files: [garbage] }))
  t.match(g.message, `block #1 at byte ${at[12]! - at[11]!} is not an RLP list`)
  t.equal(chain.head().header.number, 11n, 'the good block before the garbage imported')
  const rest = join(dir, 'rest.rlp')
  await writeFile(rest, bytes.subarray(at[12]))
  const first = join(dir, 'first.rlp')
  await writeFile(first, bytes.subarray(0, at[12]))
  const both = await importBlocks({ chain, files: [first, rest] })
  t.match(both, { imported: BLOCKS - 11, skipped: 12, head: BigInt(BLOCKS) })
})

t.test('a block of another chain at a known height is refused', async (t) => {
  const other = await sequencerChain(dir, 'other-sequencer')
  t.teardown(() => other.close())
  // same spec, a different block 1 (another timestamp)
  await other.buildBlock([], { timestamp: other.head().header.timestamp + 7n })
  const otherFile = join(dir, 'other.rlp')
  await exportBlocks({ chain: other, file: otherFile, first: 1n, last: 1n })
  const chain = await validatorChain(dir, 'mixed')
  t.teardown(() => chain.close())
  await importBlocks({ chain, files: [file] })
  const err = await failure(importBlocks({ chain, files: [otherFile] }))
  t.equal(err.code, SYNC_ERROR.INVALID_BLOCK)
  t.match(err.message, 'block 1 (')
})
