import t from 'tap'
import { Block, createBlockFromRLP, createBlockHeader } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import { RLP } from '@ethereumjs/rlp'
import { concatBytes, createAddressFromString, equalsBytes } from '@ethereumjs/util'
import { DepositTx, L2_ERROR, chainParams, createChainCommon, decodeBlock, encodeBlock, isDepositTx, userDepositSourceHash } from '../../../../runtime/index.ts'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { createTestSpec, signed1559, testAccounts } from '../../../fixtures/chain/testSpec.ts'

const [alice] = testAccounts(1)
const spec = createTestSpec({ accounts: [alice!] })
const common = createChainCommon(spec)
const opts = { common, params: chainParams(spec) }

const deposit = (logIndex: bigint, mint: bigint) =>
  new DepositTx({
    sourceHash: userDepositSourceHash(new Uint8Array(32).fill(9), logIndex),
    from: createAddressFromString(`0x${'11'.repeat(20)}`),
    to: createAddressFromString(`0x${'22'.repeat(20)}`),
    mint,
    value: 0n,
    gasLimit: 100_000n,
    isSystemTx: false,
    data: Uint8Array.of(1, 2, 3),
  })

function blockWith(txs: unknown[]): Block {
  const header = createBlockHeader({ number: 1n, gasLimit: spec.gasLimit, timestamp: 1n, baseFeePerGas: 7n }, opts)
  // the Block constructor keeps tx objects as given (a DepositTx answers what Block reads of a tx)
  return new Block(header, txs as TypedTransaction[], [], [], opts)
}

t.test('deposits round-trip through the block encoding at their positions, beside signed txs', async (t) => {
  const signed = signed1559(common, alice!, { nonce: 0n, to: createAddressFromString(`0x${'33'.repeat(20)}`), value: 1n })
  const d0 = deposit(0n, 5n)
  const d1 = deposit(1n, 0n)
  const block = blockWith([d0, d1, signed])
  const raw = encodeBlock(block)
  t.ok(equalsBytes(raw, block.serialize()), 'encodeBlock = Block.serialize with deposits')
  const back = decodeBlock(raw, opts)
  t.equal(back.transactions.length, 3)
  t.ok(isDepositTx(back.transactions[0]) && isDepositTx(back.transactions[1]), 'first two are deposits')
  t.notOk(isDepositTx(back.transactions[2]), 'third is the signed tx')
  t.ok(equalsBytes(back.transactions[0]!.hash(), d0.hash()) && equalsBytes(back.transactions[1]!.hash(), d1.hash()), 'deposit hashes kept')
  t.ok(equalsBytes(back.transactions[2]!.hash(), signed.hash()), 'signed tx kept')
  t.ok(equalsBytes(back.hash(), block.hash()), 'same block hash')
  t.ok(equalsBytes(encodeBlock(back), raw), 're-encodes to the same bytes')
})

t.test('decoded blocks are frozen as ethereumjs freezes them; getSenderAddress answers from the sender cache', async (t) => {
  const fast = createChainCommon(spec, { customCrypto: { keccak256: (data: Uint8Array) => keccak_256(data) } })
  const signed = signed1559(common, alice!, { nonce: 0n, to: createAddressFromString(`0x${'33'.repeat(20)}`), value: 1n })
  const raw = encodeBlock(blockWith([deposit(0n, 5n), signed]))
  const back = decodeBlock(raw, { common: fast, params: chainParams(spec) })
  t.ok(Object.isFrozen(back) && Object.isFrozen(back.header), 'block and header frozen')
  const tx = back.transactions[1]!
  t.ok(Object.isFrozen(tx), 'signed tx frozen (its hash and sender key cached by ethereumjs)')
  t.ok(Object.hasOwn(tx, 'getSenderAddress'), 'its own getSenderAddress')
  t.ok(tx.getSenderAddress().equals(alice!.address), 'the signer')
  t.equal(tx.getSenderAddress(), tx.getSenderAddress(), 'one cached Address')
  t.ok(equalsBytes(back.hash(), blockWith([deposit(0n, 5n), signed]).hash()), 'same block hash')
  const plain = decodeBlock(raw, opts)
  t.notOk(Object.hasOwn(plain.transactions[1]!, 'getSenderAddress'), 'a Common without fast keccak: ethereumjs getSenderAddress')
  t.ok(Object.isFrozen(plain.transactions[1]!), 'still frozen')
  const open = decodeBlock(raw, { ...opts, freeze: false })
  t.notOk(Object.isFrozen(open) || Object.isFrozen(open.transactions[1]!), 'freeze: false is respected')
})

t.test('a block without deposits decodes as ethereumjs does; a damaged deposit is refused', async (t) => {
  const signed = signed1559(common, alice!, { nonce: 0n, to: createAddressFromString(`0x${'33'.repeat(20)}`), value: 1n })
  const plain = blockWith([signed])
  t.ok(equalsBytes(decodeBlock(plain.serialize(), opts).hash(), createBlockFromRLP(plain.serialize(), opts).hash()))
  // a 0x7E body entry with 7 fields instead of 8, inside a well-formed block
  const fields = deposit(0n, 1n).raw().slice(0, 7)
  const sevenFields = concatBytes(Uint8Array.of(0x7e), RLP.encode(fields))
  const raw = RLP.encode([plain.header.raw(), [sevenFields], [], []])
  t.throws(() => decodeBlock(raw, opts), { code: L2_ERROR.MALFORMED_DEPOSIT }, 'a malformed deposit in a block is refused by code')
})
