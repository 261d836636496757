import t from 'tap'
import type { Test } from 'tap'
import { join } from 'node:path'
import { createBlockFromBytesArray, createBlockFromRLP } from '@ethereumjs/block'
import type { Block } from '@ethereumjs/block'
import { RLP } from '@ethereumjs/rlp'
import { createAddressFromString, createContractAddress, equalsBytes, setLengthLeft } from '@ethereumjs/util'
import type { TypedTransaction } from '@ethereumjs/tx'
import { CHAIN_ERROR, createChain } from '../../../node/chain/index.ts'
import { BLOCK_ERROR, OpenLedgerError, chainParams } from '../../../runtime/index.ts'
import type { Hex } from '../../../genesis/index.ts'
import { tempDir } from '../../fixtures/chain/tempDir.ts'
import { createTestSpec, signed1559, testAccounts } from '../../fixtures/chain/testSpec.ts'
import { TRANSFER_TOPIC, tokenDeployData, tokenTransferData } from '../../fixtures/contracts/token.ts'

const accounts = testAccounts(5, 'chain-test')
const [deployer, a1, a2] = accounts as [(typeof accounts)[0], (typeof accounts)[0], (typeof accounts)[0]]
// stores blockhash(number - 1) in slot 0: PUSH1 1, NUMBER, SUB, BLOCKHASH, PUSH1 0, SSTORE, STOP
const BLOCKHASH_PROBE: Hex = '0x000000000000000000000000000000000000b10c'
const spec = createTestSpec({ accounts, extraAlloc: { [BLOCKHASH_PROBE]: { balance: 0n, nonce: 1n, code: ('0x6001430340600055' + '00') as Hex } } })
const token = createContractAddress(deployer.address, 0n)
const probe = createAddressFromString(BLOCKHASH_PROBE)
const sink = createAddressFromString('0x' + '55'.repeat(20))

function expectCode(t: Test, err: unknown, code: string, name: string): void {
  t.ok(err instanceof OpenLedgerError, `${name}: typed error`)
  t.equal((err as OpenLedgerError).code, code, name)
}

function blockPlan(common: TypedTransaction['common'], b: number): TypedTransaction[] {
  if (b === 1) {
    return [
      signed1559(common, deployer, { nonce: 0n, to: undefined, data: tokenDeployData(10_000n), gasLimit: 1_000_000n }),
      signed1559(common, a1, { nonce: 0n, to: sink, value: 1000n }),
    ]
  }
  return [
    signed1559(common, deployer, {
      nonce: BigInt(b - 1),
      to: token,
      data: tokenTransferData(b % 2 === 0 ? a1.address : a2.address, BigInt(b)),
      gasLimit: 100_000n,
    }),
    signed1559(common, a2, { nonce: BigInt(b - 2), to: probe, gasLimit: 100_000n }),
    signed1559(common, a1, { nonce: BigInt(b - 1), to: sink, value: BigInt(b) }),
  ]
}

t.test('LevelDB chain: build, re-validate on a fresh node, indexes, restart, genesis check', async (t) => {
  const dir = await tempDir(t)
  let producer = await createChain({ dataDir: join(dir, 'producer'), spec })
  const validator = await createChain({ dataDir: join(dir, 'validator'), spec, crypto: 'noble' })
  t.teardown(() => validator.close())
  const built: Block[] = []
  for (let b = 1; b <= 6; b++) {
    const result = await producer.buildBlock(blockPlan(producer.common, b), { timestamp: spec.timestamp + BigInt(b) * 2n })
    t.equal(result.rejected.length, 0, `block ${b}: nothing rejected`)
    built.push(result.block)
  }
  t.equal(producer.head().header.number, 6n)

  // tampered block: rejected, validator head and state untouched
  const first = built[0] as Block
  const raw = RLP.decode(first.serialize()) as unknown as [Uint8Array[], ...unknown[]]
  const badHeader = [...raw[0]]
  badHeader[3] = new Uint8Array(32).fill(7)
  const tampered = createBlockFromBytesArray([badHeader, ...raw.slice(1)] as never, { common: validator.common, params: chainParams(spec) })
  try {
    await validator.importBlock(tampered)
    t.fail('tampered block imported')
  } catch (err) {
    expectCode(t, err, BLOCK_ERROR.INVALID_EXECUTION, 'tampered state root')
  }
  t.equal(validator.head().header.number, 0n, 'validator head unchanged')
  try {
    await validator.importBlock(createBlockFromRLP((built[1] as Block).serialize(), { common: validator.common, params: chainParams(spec) }))
    t.fail('gap imported')
  } catch (err) {
    expectCode(t, err, CHAIN_ERROR.NOT_HEAD_CHILD, 'block 2 before block 1')
  }

  for (const block of built) {
    const imported = await validator.importBlock(createBlockFromRLP(block.serialize(), { common: validator.common, params: chainParams(spec) }))
    const n = block.header.number
    t.ok(equalsBytes(imported.block.hash(), block.hash()), `block ${n}: same hash`)
    t.same(imported.receipts, await producer.getReceipts(block.hash()), `block ${n}: same receipts`)
  }
  t.ok(equalsBytes(validator.head().header.stateRoot, producer.head().header.stateRoot), 'same head state root')
  const again = await validator.importBlock(createBlockFromRLP((built[5] as Block).serialize(), { common: validator.common, params: chainParams(spec) }))
  t.ok(equalsBytes(again.block.hash(), (built[5] as Block).hash()), 'importing a known block is idempotent')

  // BLOCKHASH through the ChainReader port
  const state5 = await producer.stateAt(5n)
  const stored = await state5.getStorage(probe, setLengthLeft(new Uint8Array([0]), 32))
  t.ok(equalsBytes(setLengthLeft(stored, 32), (built[3] as Block).hash()), 'BLOCKHASH(number - 1) is the parent hash')

  // lookups
  for (const block of built) {
    const n = block.header.number
    t.ok(equalsBytes((await producer.getBlockByNumber(n))?.hash() ?? new Uint8Array(), block.hash()), `block ${n} by number`)
    t.equal((await producer.getBlockByHash(block.hash()))?.transactions.length, block.transactions.length, `block ${n} by hash`)
    for (const [i, tx] of block.transactions.entries()) {
      const loc = await producer.getTxLocation(tx.hash())
      t.same(loc, { blockHash: block.hash(), blockNumber: n, index: i }, `block ${n} tx ${i} location`)
    }
  }
  t.equal(await producer.getBlockByNumber(7n), undefined, 'no block 7')

  // logs: by address (index), by topic (bloom scan), by address + topic
  const transfers = await producer.getLogs({ fromBlock: 0n, toBlock: 6n, addresses: [token.bytes] })
  t.equal(transfers.length, 6, 'one mint + five transfers')
  t.same(
    transfers.map((l) => l.blockNumber),
    [1n, 2n, 3n, 4n, 5n, 6n],
    'in block order',
  )
  const byTopic = await producer.getLogs({ fromBlock: 0n, toBlock: 6n, topics: [TRANSFER_TOPIC] })
  t.same(byTopic, transfers, 'bloom scan finds the same logs')
  const toA2 = await producer.getLogs({
    fromBlock: 2n,
    toBlock: 6n,
    addresses: [token.bytes],
    topics: [TRANSFER_TOPIC, null, setLengthLeft(a2.address.bytes, 32)],
  })
  t.same(
    toA2.map((l) => l.blockNumber),
    [3n, 5n],
    'topic position filter',
  )
  t.same(await producer.getLogs({ fromBlock: 4n, toBlock: 3n }), [], 'empty range')
  const first5 = transfers[1]
  const receipts2 = await producer.getReceipts((built[1] as Block).hash())
  t.same(first5?.txHash, receipts2?.[0]?.txHash, 'log carries its tx hash')

  try {
    await producer.stateAt(99n)
    t.fail('stateAt beyond head')
  } catch (err) {
    expectCode(t, err, CHAIN_ERROR.UNKNOWN_BLOCK, 'stateAt(99)')
  }

  // restart resumes at the head and keeps producing
  const headHash = producer.head().hash()
  await producer.close()
  producer = await createChain({ dataDir: join(dir, 'producer'), spec })
  t.ok(equalsBytes(producer.head().hash(), headHash), 'reopened at the same head')
  const b7 = await producer.buildBlock(blockPlan(producer.common, 7), { timestamp: spec.timestamp + 14n })
  t.equal(b7.block.header.number, 7n)
  t.equal(b7.rejected.length, 0, 'nonces continue from the persisted state')
  await validator.importBlock(createBlockFromRLP(b7.block.serialize(), { common: validator.common, params: chainParams(spec) }))
  t.ok(equalsBytes(validator.head().header.stateRoot, b7.block.header.stateRoot), 'block 7 re-validates')
  await producer.close()

  // a datadir made with another genesis / spec is refused
  const variants = [
    ['alloc', createTestSpec({ accounts: accounts.slice(1) })],
    ['chain id', { ...spec, chainId: 7n }],
    ['fee recipient', { ...spec, feeRecipients: { ...spec.feeRecipients, baseFee: '0x00000000000000000000000000000000000000ff' as Hex } }],
  ] as const
  for (const [name, other] of variants) {
    try {
      const c = await createChain({ dataDir: join(dir, 'producer'), spec: other })
      await c.close()
      t.fail(`${name}: opened`)
    } catch (err) {
      expectCode(t, err, CHAIN_ERROR.GENESIS_MISMATCH, `different ${name}`)
    }
  }
  const reopened = await createChain({ dataDir: join(dir, 'producer'), spec })
  t.equal(reopened.head().header.number, 7n, 'the right spec still opens it')
  await reopened.close()
})

t.test('archive views are private; undefined options keep their defaults', async (t) => {
  const dir = await tempDir(t)
  const chain = await createChain({ dataDir: join(dir, 'node'), spec, crypto: undefined, logger: undefined })
  t.teardown(() => chain.close())
  t.ok(chain.common.customCrypto.ecrecover !== undefined, 'crypto: undefined still selects the fast crypto')
  await chain.buildBlock([signed1559(chain.common, a1, { nonce: 0n, to: sink, value: 5n })], { timestamp: spec.timestamp + 1n })
  const view = await chain.stateAt(1n)
  const { Account } = await import('@ethereumjs/util')
  await view.putAccount(sink, new Account(0n, 10n ** 30n))
  const viewRoot = await view.getStateRoot()
  t.notOk(equalsBytes(viewRoot, chain.head().header.stateRoot), 'the view computed its own root')
  t.equal((await (await chain.stateAt(1n)).getAccount(sink))?.balance, 5n, 'a fresh view sees the committed state')
  const next = await chain.buildBlock([signed1559(chain.common, a1, { nonce: 1n, to: sink, value: 5n })], { timestamp: spec.timestamp + 2n })
  t.equal((await (await chain.stateAt(2n)).getAccount(sink))?.balance, 10n, 'the chain never saw the view write')
  t.equal(next.block.header.number, 2n)
})
