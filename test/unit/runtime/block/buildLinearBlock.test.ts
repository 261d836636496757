import t from 'tap'
import { createBlockFromBytesArray, createBlockFromRLP } from '@ethereumjs/block'
import type { Block } from '@ethereumjs/block'
import { RLP } from '@ethereumjs/rlp'
import { bigIntToUnpaddedBytes, bytesToBigInt, createAddressFromString, createContractAddress, equalsBytes } from '@ethereumjs/util'
import { BLOCK_ERROR, OpenLedgerError, TX_ERROR, buildLinearBlock, chainParams, defaultLinearBuildOptions, executeBlock } from '../../../../runtime/index.ts'
import { memoryRuntime } from '../../../fixtures/chain/memoryChain.ts'
import { PRIORITY_FEE_RECIPIENT, createTestSpec, hex, signed1559, testAccounts } from '../../../fixtures/chain/testSpec.ts'
import { TRANSFER_TOPIC, tokenDeployData, tokenTransferData } from '../../../fixtures/contracts/token.ts'

const accounts = testAccounts(6)
const [deployer, a1, a2, poor] = accounts as [(typeof accounts)[0], (typeof accounts)[0], (typeof accounts)[0], (typeof accounts)[0]]
const spec = createTestSpec({ accounts: accounts.slice(0, 3), extraAlloc: { [poor.hex]: { balance: 10n ** 12n } } })
const sink = createAddressFromString('0x' + '33'.repeat(20))

/** Build 3 blocks: transfers, a token deploy, token transfers, a reverting call and several invalid txs. */
async function buildChain(): Promise<{ blocks: Block[]; rejectedCodes: string[][] }> {
  const { runtime, reader, genesis } = await memoryRuntime(spec)
  const { common } = runtime
  const token = createContractAddress(deployer.address, 0n)
  const plan = [
    [
      signed1559(common, deployer, { nonce: 0n, to: undefined, data: tokenDeployData(1_000_000n), gasLimit: 1_000_000n }),
      signed1559(common, a1, { nonce: 0n, to: sink, value: 10n }),
      signed1559(common, a2, { nonce: 0n, to: sink, value: 20n }),
      signed1559(common, a1, { nonce: 5n, to: sink, value: 1n }), // nonce gap -> rejected
      signed1559(common, poor, { nonce: 0n, to: sink, value: 10n ** 18n }), // insufficient funds -> rejected
    ],
    [
      signed1559(common, deployer, { nonce: 1n, to: token, data: tokenTransferData(a1.address, 500n), gasLimit: 100_000n }),
      signed1559(common, deployer, { nonce: 2n, to: token, data: tokenTransferData(a2.address, 700n), gasLimit: 100_000n }),
      // a1 holds 500 tokens: transferring 501 reverts (status 0, gas still charged)
      signed1559(common, a1, { nonce: 1n, to: token, data: tokenTransferData(a2.address, 501n), gasLimit: 100_000n }),
      signed1559(common, a2, { nonce: 1n, to: sink, value: 1n, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n }), // fee cap below base fee
      signed1559(common, a2, { nonce: 1n, to: sink, value: 1n, gasLimit: spec.gasLimit }), // more gas than left
    ],
    [],
  ]
  const blocks: Block[] = []
  const rejectedCodes: string[][] = []
  let parent = genesis
  for (const [i, txs] of plan.entries()) {
    const result = await buildLinearBlock(runtime, parent.header, txs, { ...defaultLinearBuildOptions, timestamp: parent.header.timestamp + 2n })
    reader.add(result.block.header)
    blocks.push(result.block)
    rejectedCodes.push(result.rejected.map((r) => (r.error as OpenLedgerError).code))
    t.equal(result.receipts.length, result.block.transactions.length, `block ${i + 1}: one receipt per tx`)
    parent = result.block
  }
  return { blocks, rejectedCodes }
}

t.test('built blocks re-validate on a fresh VM from their RLP', async (t) => {
  const { blocks, rejectedCodes } = await buildChain()
  t.same(rejectedCodes, [[TX_ERROR.EXECUTION_INVALID, TX_ERROR.EXECUTION_INVALID], [TX_ERROR.EXECUTION_INVALID, TX_ERROR.BLOCK_GAS_EXCEEDED], []])
  t.same(
    blocks.map((b) => b.transactions.length),
    [3, 3, 0],
  )
  const { runtime: validator, reader } = await memoryRuntime(spec)
  for (const built of blocks) {
    const decoded = createBlockFromRLP(built.serialize(), { common: validator.common, params: chainParams(spec) })
    const executed = await executeBlock(validator, decoded)
    reader.add(decoded.header)
    const root = await validator.stateManager.getStateRoot()
    t.ok(equalsBytes(root, built.header.stateRoot), `block ${built.header.number}: same state root`)
    t.equal(executed.receipts.length, built.transactions.length, `block ${built.header.number}: receipts`)
  }
})

t.test('receipts carry status, gas, contract address and block-wide log indexes', async (t) => {
  const { runtime, reader, genesis } = await memoryRuntime(spec)
  const { common } = runtime
  const token = createContractAddress(deployer.address, 0n)
  const b1 = await buildLinearBlock(
    runtime,
    genesis.header,
    [signed1559(common, deployer, { nonce: 0n, to: undefined, data: tokenDeployData(1000n), gasLimit: 1_000_000n })],
    {
      ...defaultLinearBuildOptions,
      timestamp: genesis.header.timestamp + 1n,
    },
  )
  reader.add(b1.block.header)
  const deploy = b1.receipts[0]
  t.ok(deploy !== undefined && deploy.contractAddress !== undefined && equalsBytes(deploy.contractAddress, token.bytes), 'contract address')
  t.equal(deploy?.logs[0]?.logIndex, 0)
  const txs = [
    signed1559(common, deployer, { nonce: 1n, to: token, data: tokenTransferData(a1.address, 5n), gasLimit: 100_000n }),
    signed1559(common, deployer, { nonce: 2n, to: token, data: tokenTransferData(a2.address, 5000n), gasLimit: 100_000n }),
    signed1559(common, deployer, { nonce: 3n, to: token, data: tokenTransferData(a2.address, 6n), gasLimit: 100_000n }),
  ]
  const b2 = await buildLinearBlock(runtime, b1.block.header, txs, { ...defaultLinearBuildOptions, timestamp: b1.block.header.timestamp + 1n })
  const [ok1, reverted, ok2] = b2.receipts
  t.equal(ok1?.status, 1)
  t.equal(reverted?.status, 0, 'transfer above balance reverts')
  t.equal(reverted?.logs.length, 0)
  t.equal(ok2?.status, 1)
  t.same([ok1?.logs[0]?.logIndex, ok2?.logs[0]?.logIndex], [0, 1], 'log indexes count across the block')
  t.ok(ok1 !== undefined && equalsBytes(ok1.logs[0]?.topics[0] ?? new Uint8Array(), TRANSFER_TOPIC), 'Transfer topic')
  let cumulative = 0n
  for (const r of b2.receipts) {
    cumulative += r.gasUsed
    t.equal(r.cumulativeGasUsed, cumulative, `tx ${r.txIndex} cumulative gas`)
    t.equal(r.effectiveGasPrice, (b2.block.header.baseFeePerGas ?? 0n) + 1_000_000_000n, `tx ${r.txIndex} effective gas price`)
  }
  t.equal(b2.block.header.gasUsed, cumulative)
})

/** Re-encode a block with header field `index` replaced. */
function tamper(block: Block, index: number, value: Uint8Array): Block {
  const raw = RLP.decode(block.serialize()) as unknown as [Uint8Array[], ...unknown[]]
  const header = [...raw[0]]
  header[index] = value
  return createBlockFromBytesArray([header, ...raw.slice(1)] as never, { common: block.common, params: chainParams(spec) })
}

t.test('tampered blocks are rejected with typed errors', async (t) => {
  const { blocks } = await buildChain()
  const good = blocks[0] as Block
  const h = good.header
  const cases: [string, Block, string][] = [
    ['state root', tamper(good, 3, new Uint8Array(32).fill(9)), BLOCK_ERROR.INVALID_EXECUTION],
    ['receipt root', tamper(good, 5, new Uint8Array(32).fill(9)), BLOCK_ERROR.INVALID_EXECUTION],
    ['gas used', tamper(good, 10, bigIntToUnpaddedBytes(h.gasUsed + 1n)), BLOCK_ERROR.INVALID_EXECUTION],
    ['coinbase', tamper(good, 2, createAddressFromString('0x' + '44'.repeat(20)).bytes), BLOCK_ERROR.INVALID_COINBASE],
    ['base fee', tamper(good, 15, bigIntToUnpaddedBytes((h.baseFeePerGas ?? 0n) + 1n)), BLOCK_ERROR.INVALID_BASE_FEE],
    ['gas limit', tamper(good, 9, bigIntToUnpaddedBytes(h.gasLimit - 1n)), BLOCK_ERROR.INVALID_GAS_LIMIT],
    ['timestamp', tamper(good, 11, bigIntToUnpaddedBytes(spec.timestamp)), BLOCK_ERROR.INVALID_TIMESTAMP],
    ['number', tamper(good, 8, bigIntToUnpaddedBytes(2n)), BLOCK_ERROR.INVALID_NUMBER],
    ['parent', tamper(good, 0, new Uint8Array(32).fill(1)), BLOCK_ERROR.UNKNOWN_PARENT],
    ['mixHash', tamper(good, 13, new Uint8Array(32).fill(1)), BLOCK_ERROR.INVALID_HEADER],
    ['tx trie', tamper(good, 4, new Uint8Array(32).fill(9)), BLOCK_ERROR.INVALID_BODY],
  ]
  for (const [name, block, code] of cases) {
    const { runtime } = await memoryRuntime(spec)
    const before = await runtime.stateManager.getStateRoot()
    try {
      await executeBlock(runtime, block)
      t.fail(`${name}: accepted`)
    } catch (err) {
      t.ok(err instanceof OpenLedgerError, `${name}: typed`)
      t.equal((err as OpenLedgerError).code, code, name)
    }
    t.ok(equalsBytes(await runtime.stateManager.getStateRoot(), before), `${name}: state unchanged`)
  }
  t.equal(PRIORITY_FEE_RECIPIENT, spec.feeRecipients.priorityFee)
  t.equal(bytesToBigInt(h.coinbase.bytes), BigInt(PRIORITY_FEE_RECIPIENT), 'built block pays tips to the priority fee recipient')
  t.ok(hex(h.hash()).startsWith('0x'))
})
