import { Block, createBlockHeader } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import { bytesToHex, createAddressFromString, createContractAddress, equalsBytes, hexToBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import t from 'tap'
import type { ChainSpec } from '../../../../genesis/index.ts'
import { orderedTrieRoot } from '../../../../runtime/block/orderedTrieRoot.ts'
import {
  BLOCK_ERROR,
  DEPOSIT_TX_TYPE,
  DepositTx,
  L1_INFO_DEPOSITOR,
  L2_ERROR,
  buildLinearBlock,
  chainParams,
  defaultLinearBuildOptions,
  executeBlock,
  l1InfoDepositTx,
  replayBlockTxs,
  txEncoding,
  userDepositSourceHash,
} from '../../../../runtime/index.ts'
import type { BuildResult } from '../../../../runtime/index.ts'
import { memoryRuntime } from '../../../fixtures/chain/memoryChain.ts'
import { ONE_OPEN, createTestSpec, signed1559, testAccounts } from '../../../fixtures/chain/testSpec.ts'
import { TEST_ROLLUP, testOrigin } from '../../../fixtures/l2/rollupSpec.ts'

const accounts = testAccounts(3)
const [alice, bob, carol] = accounts as [(typeof accounts)[0], (typeof accounts)[0], (typeof accounts)[0]]
// carol is not in the genesis: her OPEN arrives by deposit in the block that spends it
const plain = createTestSpec({ accounts: [alice, bob] })
const spec: ChainSpec = { ...plain, rollup: TEST_ROLLUP }
const origin = testOrigin(101n)

function userDeposit(i: bigint, fields: { from: string; to: string | undefined; mint: bigint; value: bigint; gas: bigint; data?: string }): DepositTx {
  return new DepositTx({
    sourceHash: userDepositSourceHash(origin.hash, i),
    from: createAddressFromString(fields.from),
    to: fields.to === undefined ? undefined : createAddressFromString(fields.to),
    mint: fields.mint,
    value: fields.value,
    gasLimit: fields.gas,
    isSystemTx: false,
    data: hexToBytes((fields.data ?? '0x') as `0x${string}`),
  })
}

async function buildRollupBlock(): Promise<{ built: BuildResult; deposits: DepositTx[]; signed: TypedTransaction[] }> {
  const { runtime, genesis } = await memoryRuntime(spec)
  const deposits = [
    l1InfoDepositTx(origin, 0n, TEST_ROLLUP),
    userDeposit(0n, { from: carol.hex, to: carol.hex, mint: 2n * ONE_OPEN, value: 0n, gas: 100_000n }),
    // value above balance + mint: a failed deposit, still included (gasUsed = its gas limit)
    userDeposit(1n, { from: bob.hex, to: alice.hex, mint: 1n, value: 10n ** 30n, gas: 60_000n }),
    // a creation: mem[0] = 0xfe, RETURN(0, 1)
    userDeposit(2n, { from: bob.hex, to: undefined, mint: 0n, value: 0n, gas: 200_000n, data: '0x60fe5f5360015ff3' }),
  ]
  const signed = [
    signed1559(runtime.common, alice, { nonce: 0n, to: bob.address, value: 5n }),
    // carol's own deposit bumped her nonce to 1
    signed1559(runtime.common, carol, { nonce: 1n, to: alice.address, value: ONE_OPEN }),
  ]
  const built = await buildLinearBlock(runtime, genesis.header, signed, { ...defaultLinearBuildOptions, timestamp: genesis.header.timestamp + 2n, deposits })
  return { built, deposits, signed }
}

/** `block` with other txs (tx root recomputed) and header fields, as a peer could send it. */
function tampered(block: Block, txs: readonly unknown[], header: Record<string, unknown> = {}): Block {
  const opts = { common: block.common, params: chainParams(spec) }
  const transactionsTrie = orderedTrieRoot(
    txs.map((tx) => txEncoding(tx as TypedTransaction)),
    keccak_256,
  )
  const h = createBlockHeader({ ...block.header.toJSON(), transactionsTrie, ...header }, opts)
  return new Block(h, txs as TypedTransaction[], [], [], opts)
}

t.test('a block with the L1-info deposit, user deposits and signed txs is re-executed to the same roots', async (t) => {
  const { built, deposits, signed } = await buildRollupBlock()
  const { block, receipts, rejected } = built
  t.same(
    rejected.map((r) => r.error.message),
    [],
    'no signed tx rejected',
  )
  t.same(
    block.transactions.map((tx) => tx.hash()),
    [...deposits, ...signed].map((tx) => tx.hash()),
    'deposits first, in order, then the pool txs',
  )
  t.equal(
    receipts.reduce((sum, r) => sum + r.gasUsed, 0n),
    block.header.gasUsed,
    'header gasUsed includes the deposits',
  )
  const [info, mint, failed, creation, transfer] = receipts
  t.equal(info!.txType, DEPOSIT_TX_TYPE)
  t.equal(bytesToHex(info!.from), L1_INFO_DEPOSITOR)
  t.equal(info!.status, 1)
  t.equal(info!.effectiveGasPrice, 0n)
  t.equal(info!.depositNonce, 0n)
  t.equal(info!.depositReceiptVersion, 1n)
  t.equal(mint!.status, 1)
  t.equal(failed!.status, 0, 'the failed deposit is included with status 0')
  t.equal(failed!.gasUsed, 60_000n, 'and uses its gas limit')
  t.equal(creation!.depositNonce, 1n, 'bob’s nonce was bumped by the failed deposit')
  t.equal(bytesToHex(creation!.contractAddress!), createContractAddress(bob.address, 1n).toString())
  t.equal(transfer!.txType, 2)
  t.equal(
    transfer!.cumulativeGasUsed,
    receipts.slice(0, 5).reduce((sum, r) => sum + r.gasUsed, 0n),
    'cumulative gas runs across deposits',
  )

  const { runtime: validator } = await memoryRuntime(spec)
  const executed = await executeBlock(validator, block)
  t.ok(equalsBytes(await validator.stateManager.getStateRoot(), block.header.stateRoot), 'same state root')
  t.same(executed.receipts, receipts, 'same receipts')

  const { runtime: tracer } = await memoryRuntime(spec)
  const position = await replayBlockTxs(tracer, block, 5)
  t.equal(position.blockGasUsed, transfer!.cumulativeGasUsed, 'replay over deposits reaches the same cumulative gas')
})

t.test('tampered rollup blocks are refused', async (t) => {
  const { built, deposits, signed } = await buildRollupBlock()
  const { block } = built
  const { runtime: validator } = await memoryRuntime(spec)
  const [info, ...user] = deposits
  const cases: [string, Block, string][] = [
    ['state root', tampered(block, block.transactions, { stateRoot: new Uint8Array(32).fill(1) }), BLOCK_ERROR.INVALID_EXECUTION],
    ['gas used', tampered(block, block.transactions, { gasUsed: block.header.gasUsed + 1n }), BLOCK_ERROR.INVALID_EXECUTION],
    ['a deposit after a signed tx', tampered(block, [info, ...user.slice(0, 2), signed[0], user[2], signed[1]]), L2_ERROR.INVALID_DEPOSITS],
    ['no L1-info deposit', tampered(block, [...user, ...signed]), L2_ERROR.INVALID_DEPOSITS],
    ['no deposits at all', tampered(block, signed), L2_ERROR.INVALID_DEPOSITS],
  ]
  for (const [name, bad, code] of cases) await t.rejects(executeBlock(validator, bad), { code }, name)
  await executeBlock(validator, block)
  t.ok(equalsBytes(await validator.stateManager.getStateRoot(), block.header.stateRoot), 'the refusals left the parent state: the real block still applies')
})

t.test('the builder enforces the deposit rules', async (t) => {
  const timestamp = plain.timestamp + 2n
  const rollup = await memoryRuntime(spec)
  await t.rejects(
    buildLinearBlock(rollup.runtime, rollup.genesis.header, [], { ...defaultLinearBuildOptions, timestamp }),
    { code: L2_ERROR.INVALID_DEPOSITS },
    'a rollup block needs its L1-info deposit',
  )
  const huge = userDeposit(9n, { from: bob.hex, to: alice.hex, mint: 0n, value: 0n, gas: spec.gasLimit })
  await t.rejects(
    buildLinearBlock(rollup.runtime, rollup.genesis.header, [], {
      ...defaultLinearBuildOptions,
      timestamp,
      deposits: [l1InfoDepositTx(origin, 0n, TEST_ROLLUP), huge],
    }),
    { code: L2_ERROR.INVALID_DEPOSITS },
    'a deposit the block gas cannot hold is an error, not a skip',
  )
  const standalone = await memoryRuntime(plain)
  await t.rejects(
    buildLinearBlock(standalone.runtime, standalone.genesis.header, [], {
      ...defaultLinearBuildOptions,
      timestamp,
      deposits: [l1InfoDepositTx(origin, 0n, TEST_ROLLUP)],
    }),
    { code: L2_ERROR.INVALID_DEPOSITS },
    'a chain without rollup refuses deposits',
  )
})
