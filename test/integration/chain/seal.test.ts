// Block seals in node/chain: built blocks carry the sealer's seal in their batch, importBlock
// stores a given seal (also on a block stored unsealed), rewindTo deletes the removed blocks' seals.
import { join } from 'node:path'
import t from 'tap'
import { equalsBytes } from '@ethereumjs/util'
import { createChain } from '../../../node/chain/index.ts'
import { chainKeys } from '../../../node/chain/chainKeys.ts'
import { openDatabase, dbGet } from '../../../node/db/index.ts'
import { tempDir } from '../../fixtures/chain/tempDir.ts'
import { createTestSpec, signed1559, testAccounts } from '../../fixtures/chain/testSpec.ts'

const accounts = testAccounts(2, 'seal-test')
const spec = createTestSpec({ accounts })
const fakeSeal = (hash: Uint8Array): Uint8Array => new Uint8Array([...hash, ...hash, 1])

t.test('built blocks are sealed in their batch; import stores a given seal; rewind deletes seals', async (t) => {
  const dir = await tempDir(t)
  const sealed: string[] = []
  const producer = await createChain({
    dataDir: join(dir, 'producer'),
    spec,
    sealer: (hash) => {
      sealed.push(Buffer.from(hash).toString('hex'))
      return fakeSeal(hash)
    },
  })
  const blocks = []
  for (let b = 0; b < 3; b++) {
    const head = producer.head()
    const tx = signed1559(producer.common, accounts[0]!, { nonce: BigInt(b), to: accounts[1]!.address, value: 1n })
    blocks.push((await producer.buildBlock([tx], { timestamp: head.header.timestamp + 1n })).block)
  }
  t.equal(sealed.length, 3, 'the sealer ran once per built block')
  for (const [i, block] of blocks.entries()) t.same(await producer.getSeal(block.hash()), fakeSeal(block.hash()), `block ${i + 1} sealed`)
  t.equal(await producer.getSeal((await producer.getBlockByNumber(0n))!.hash()), undefined, 'genesis has no seal')
  t.equal(producer.decodeBlock(blocks[0]!.serialize()).hash().toString(), blocks[0]!.hash().toString(), 'decodeBlock with the chain options')

  await producer.rewindTo(blocks[0]!.hash())
  t.equal(await producer.getSeal(blocks[1]!.hash()), undefined, 'rewound block 2: seal gone')
  t.equal(await producer.getSeal(blocks[2]!.hash()), undefined, 'rewound block 3: seal gone')
  t.ok(await producer.getSeal(blocks[0]!.hash()), 'block 1 keeps its seal')
  await producer.close()

  const validator = await createChain({ dataDir: join(dir, 'validator'), spec })
  t.teardown(() => validator.close())
  await validator.importBlock(validator.decodeBlock(blocks[0]!.serialize()))
  t.equal(await validator.getSeal(blocks[0]!.hash()), undefined, 'imported without a seal: none stored')
  await validator.importBlock(validator.decodeBlock(blocks[0]!.serialize()), { seal: fakeSeal(blocks[0]!.hash()) })
  t.same(await validator.getSeal(blocks[0]!.hash()), fakeSeal(blocks[0]!.hash()), 'a known unsealed block gets the seal')
  await validator.importBlock(validator.decodeBlock(blocks[1]!.serialize()), { seal: fakeSeal(blocks[1]!.hash()) })
  t.same(await validator.getSeal(blocks[1]!.hash()), fakeSeal(blocks[1]!.hash()), 'imported with its seal')
})

t.test('a seal is in the same batch as its block: a failing sealer commits nothing', async (t) => {
  const dir = await tempDir(t)
  let fail = true
  const chain = await createChain({
    dataDir: dir,
    spec,
    sealer: (hash) => {
      if (fail) throw new Error('sealer down')
      return fakeSeal(hash)
    },
  })
  const tx = signed1559(chain.common, accounts[0]!, { nonce: 0n, to: accounts[1]!.address, value: 1n })
  await t.rejects(chain.buildBlock([tx], { timestamp: chain.head().header.timestamp + 1n }), /sealer down/)
  t.equal(chain.head().header.number, 0n, 'no block without its seal')
  fail = false
  const { block } = await chain.buildBlock([tx], { timestamp: chain.head().header.timestamp + 1n })
  await chain.close()
  // read the raw keys: block, head pointer and seal all landed
  const db = await openDatabase(join(dir, 'chaindata'))
  t.teardown(() => db.close())
  t.ok(equalsBytes((await dbGet(db, chainKeys.head))!, block.hash()), 'head moved')
  t.same(await dbGet(db, chainKeys.seal(block.hash())), fakeSeal(block.hash()), 'seal stored under g|hash')
})
