import t from 'tap'
import { bytesToHex, hexToBytes } from '@ethereumjs/util'
import { concatHex, encodeAbiParameters, encodeEventTopics, keccak256, numberToHex, pad, parseAbiItem, toHex } from 'viem'
import type { Hex, Log } from 'viem'
import { getL2TransactionHashes, opaqueDataToDepositData } from 'viem/op-stack'
import { decodeDepositLog, isDepositLog, L2_ERROR, OpenLedgerError, TRANSACTION_DEPOSITED_TOPIC0 } from '../../../../runtime/index.ts'
import type { DepositLog } from '../../../../runtime/index.ts'

const EVENT = parseAbiItem('event TransactionDeposited(address indexed from, address indexed to, uint256 indexed version, bytes opaqueData)')
const PORTAL: Hex = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0'
const BLOCK_HASH: Hex = '0x5a5d1f1bde8a5e1cf4c4bd1f4a5e0f63f7f2c7a3a9e3e0c5d1f7e9b4a2c6d8e0'

type Shape = { name: string; from: Hex; to: Hex; mint: bigint; value: bigint; gas: bigint; isCreation: boolean; data: Hex; logIndex: number }

/** opaqueData v0: mint ‖ value ‖ gas (u64) ‖ isCreation (u8) ‖ data, packed. */
function opaque(s: Pick<Shape, 'mint' | 'value' | 'gas' | 'isCreation' | 'data'>): Hex {
  return concatHex([
    numberToHex(s.mint, { size: 32 }),
    numberToHex(s.value, { size: 32 }),
    numberToHex(s.gas, { size: 8 }),
    s.isCreation ? '0x01' : '0x00',
    s.data,
  ])
}

function viemLog(s: Shape): Log {
  const topics = encodeEventTopics({ abi: [EVENT], eventName: 'TransactionDeposited', args: { from: s.from, to: s.to, version: 0n } })
  return {
    address: PORTAL,
    topics: topics as [Hex, ...Hex[]],
    data: encodeAbiParameters([{ type: 'bytes' }], [opaque(s)]),
    blockHash: BLOCK_HASH,
    blockNumber: 7n,
    logIndex: s.logIndex,
    transactionHash: keccak256('0x01'),
    transactionIndex: 0,
    removed: false,
  }
}

function ours(log: Log): DepositLog {
  return {
    address: hexToBytes(log.address),
    topics: log.topics.map((x) => hexToBytes(x)),
    data: hexToBytes(log.data),
    logIndex: BigInt(log.logIndex!),
    blockHash: hexToBytes(log.blockHash!),
  }
}

// the shapes the probe saw (shared/specs/op-bridge.md §2.3, §8.2)
const SHAPES: Shape[] = [
  // depositERC20Transaction(user, 10e18, 0, 100000, false, 0x): 73-byte opaqueData, log 1 after the token's Transfer
  {
    name: 'OPEN deposit',
    from: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    to: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    mint: 10n ** 19n,
    value: 0n,
    gas: 100_000n,
    isCreation: false,
    data: '0x',
    logIndex: 1,
  },
  // SystemConfig.initialize -> portal.setGasPayingToken: depositor -> L1Block.setGasPayingToken
  {
    name: 'system gas-token deposit',
    from: '0xDeaDDEaDDeAdDeAdDEAdDEaddeAddEAdDEAd0001',
    to: '0x4200000000000000000000000000000000000015',
    mint: 0n,
    value: 0n,
    gas: 200_000n,
    isCreation: false,
    data: concatHex([
      '0x71cfaa3f',
      pad('0x1234', { size: 32 }),
      pad('0x12', { size: 32 }),
      pad(toHex('Open Token'), { dir: 'right' }),
      pad(toHex('OPEN'), { dir: 'right' }),
    ]),
    logIndex: 0,
  },
  // bridgeERC20To: from the aliased L1CrossDomainMessenger to 0x…07, 484 bytes of relayMessage
  {
    name: 'bridge relay',
    from: '0x1c2e1111000000000000000000000000000022c2',
    to: '0x4200000000000000000000000000000000000007',
    mint: 0n,
    value: 0n,
    gas: 491_822n,
    isCreation: false,
    data: concatHex(['0xd764ad0b', toHex(new Uint8Array(480).fill(0xab))]),
    logIndex: 3,
  },
  {
    name: 'creation',
    from: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
    to: '0x0000000000000000000000000000000000000000',
    mint: 5n,
    value: 2n,
    gas: 1_000_000n,
    isCreation: true,
    data: '0x6080604052',
    logIndex: 12,
  },
  {
    name: 'max fields',
    from: '0xffffffffffffffffffffffffffffffffffffffff',
    to: '0x0000000000000000000000000000000000000001',
    mint: 2n ** 256n - 1n,
    value: 2n ** 255n,
    gas: 2n ** 64n - 1n,
    isCreation: false,
    data: '0x00',
    logIndex: 255,
  },
]

t.test('TRANSACTION_DEPOSITED_TOPIC0 is the event signature hash', async (t) => {
  t.equal(TRANSACTION_DEPOSITED_TOPIC0, keccak256(toHex('TransactionDeposited(address,address,uint256,bytes)')))
})

t.test('decodes the probe shapes as viem op-stack does', async (t) => {
  for (const shape of SHAPES) {
    const log = viemLog(shape)
    const tx = decodeDepositLog(ours(log), hexToBytes(PORTAL))
    const expected = opaqueDataToDepositData(opaque(shape))
    t.equal(tx.from.toString(), shape.from.toLowerCase(), `${shape.name}: from = topic1`)
    t.equal(tx.to?.toString(), shape.isCreation ? undefined : shape.to.toLowerCase(), `${shape.name}: to`)
    t.equal(tx.mint, expected.mint, `${shape.name}: mint`)
    t.equal(tx.value, expected.value, `${shape.name}: value`)
    t.equal(tx.gasLimit, expected.gas, `${shape.name}: gas`)
    t.equal(bytesToHex(tx.data), expected.data, `${shape.name}: data`)
    t.equal(tx.isSystemTx, false, `${shape.name}: not a system tx`)
    t.same(getL2TransactionHashes({ logs: [log] }), [bytesToHex(tx.hash())], `${shape.name}: viem's L2 hash`)
  }
})

t.test('the 73-byte OPEN deposit has its opaqueData in 3 padded words', async (t) => {
  const log = viemLog(SHAPES[0]!)
  t.equal(hexToBytes(log.data).length, 64 + 96)
  t.equal(decodeDepositLog(ours(log), hexToBytes(PORTAL)).data.length, 0)
})

t.test('sourceHash uses the block hash and the block-wide log index', async (t) => {
  const a = decodeDepositLog(ours(viemLog({ ...SHAPES[0]!, logIndex: 1 })), hexToBytes(PORTAL))
  const b = decodeDepositLog(ours(viemLog({ ...SHAPES[0]!, logIndex: 2 })), hexToBytes(PORTAL))
  t.not(bytesToHex(a.sourceHash), bytesToHex(b.sourceHash))
  const inner = keccak256(concatHex([BLOCK_HASH, numberToHex(1, { size: 32 })]))
  t.equal(bytesToHex(a.sourceHash), keccak256(concatHex([numberToHex(0, { size: 32 }), inner])), 'domain 0')
})

t.test('isDepositLog: the portal address and topic0', async (t) => {
  const log = ours(viemLog(SHAPES[0]!))
  t.ok(isDepositLog(log, hexToBytes(PORTAL)))
  t.notOk(isDepositLog(log, new Uint8Array(20)), 'another contract')
  t.notOk(isDepositLog({ ...log, topics: [new Uint8Array(32)] }, hexToBytes(PORTAL)), 'another event')
  t.notOk(isDepositLog({ ...log, topics: [] }, hexToBytes(PORTAL)), 'anonymous log')
})

t.test('refuses every malformed variant, naming the reason', async (t) => {
  const good = ours(viemLog(SHAPES[0]!))
  const word = (n: bigint): Uint8Array => hexToBytes(numberToHex(n, { size: 32 }))
  const withData = (header: [bigint, bigint], body: Uint8Array): DepositLog => ({
    ...good,
    data: new Uint8Array([...word(header[0]), ...word(header[1]), ...body]),
  })
  const body73 = good.data.subarray(64)
  const cases: [string, DepositLog, RegExp][] = [
    ['other address', { ...good, address: new Uint8Array(20).fill(1) }, /not emitted by the deposit contract/],
    ['3 topics', { ...good, topics: good.topics.slice(0, 3) }, /expected 4 topics, got 3/],
    ['5 topics', { ...good, topics: [...good.topics, new Uint8Array(32)] }, /expected 4 topics, got 5/],
    ['short topic', { ...good, topics: [good.topics[0]!, good.topics[1]!.subarray(1), good.topics[2]!, good.topics[3]!] }, /topic is not 32 bytes/],
    ['other topic0', { ...good, topics: [new Uint8Array(32), ...good.topics.slice(1)] }, /topic0 is not TransactionDeposited/],
    ['short block hash', { ...good, blockHash: new Uint8Array(31) }, /block hash/],
    ['data < 64 bytes', { ...good, data: good.data.subarray(0, 32) }, /no bytes header/],
    ['data not a multiple of 32', { ...good, data: good.data.subarray(0, good.data.length - 1) }, /not a multiple of 32/],
    ['offset 0', withData([0n, 73n], body73), /offset is 0, expected 32/],
    ['offset 64', withData([64n, 73n], body73), /offset is 64/],
    ['offset > 2^64', withData([2n ** 200n, 73n], body73), /offset is/],
    ['length past the data', withData([32n, 97n], body73), /length 97 exceeds the 96 bytes/],
    ['huge length', withData([32n, 2n ** 255n], body73), /exceeds/],
    ['extra padding word', withData([32n, 73n], new Uint8Array([...body73, ...new Uint8Array(32)])), /more than 31 bytes of padding/],
    ['length 64 in 96 bytes', withData([32n, 64n], body73), /more than 31 bytes of padding/],
    ['version 1', { ...good, topics: [...good.topics.slice(0, 3), word(1n)] }, /unsupported deposit version 1/],
    ['opaqueData 72 bytes', withData([32n, 72n], body73), /opaqueData v0 of 72 bytes, at least 73/],
    ['empty opaqueData', withData([32n, 0n], new Uint8Array(0)), /opaqueData v0 of 0 bytes/],
  ]
  for (const [name, log, reason] of cases) {
    let caught: unknown
    try {
      decodeDepositLog(log, hexToBytes(PORTAL))
    } catch (err) {
      caught = err
    }
    t.ok(caught instanceof OpenLedgerError && caught.code === L2_ERROR.MALFORMED_DEPOSIT_LOG, `${name}: MALFORMED_DEPOSIT_LOG`)
    t.match((caught as OpenLedgerError).message, reason, `${name}: reason`)
    t.equal(typeof (caught as OpenLedgerError).meta.reason, 'string', `${name}: meta.reason`)
  }
})

t.test('non-zero padding bytes and a non-1 isCreation byte are read as op-node reads them', async (t) => {
  const good = ours(viemLog(SHAPES[0]!))
  const data = good.data.slice()
  data[data.length - 1] = 0xff // padding after the 73 bytes
  t.equal(decodeDepositLog({ ...good, data }, hexToBytes(PORTAL)).to?.toString(), SHAPES[0]!.to.toLowerCase(), 'padding value ignored')
  const creation = good.data.slice()
  creation[64 + 72] = 2 // op-node: any non-zero byte is a creation
  t.equal(decodeDepositLog({ ...good, data: creation }, hexToBytes(PORTAL)).to, undefined)
})
