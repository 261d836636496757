// eth_simulateV1 through the RPC server on a real chain (LevelDB): geth's result shape, defaults,
// error codes and messages, parameter validation, and viem's simulateBlocks against the node.
import { bigIntToBytes, bytesToHex, generateAddress } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import t from 'tap'
import { createPublicClient, defineChain, http } from 'viem'
import type { Hex } from 'viem'
import { calcNextBaseFee } from '../../../../../runtime/index.ts'
import { startNodeHarness } from '../../../../fixtures/rpc/nodeHarness.ts'
import { createTestSpec, testAccounts } from '../../../../fixtures/chain/testSpec.ts'
import { TOKEN_RUNTIME, tokenBalanceOfData, tokenBalanceSlot, tokenDeployData, tokenTransferData } from '../../../../fixtures/contracts/token.ts'

const strip = (hex: string): Hex => hex.replaceAll(' ', '') as Hex
// returns NUMBER, TIMESTAMP, BASEFEE, COINBASE as four words
const ENV_READER = '0x0000000000000000000000000000000000000e4f'
const ENV_CODE = strip('0x43 6000 52 42 6020 52 48 6040 52 41 6060 52 6080 6000 f3')
// returns BALANCE(calldata[0..32])
const BALANCE_READER = '0x000000000000000000000000000000000000ba1a'
const BALANCE_CODE = strip('0x6000 35 31 6000 52 6020 6000 f3')
// LOG1(topic 0x01) then CALL(gas, calldata address, CALLVALUE) with no data
const FORWARDER = '0x00000000000000000000000000000000000000f0'
const FORWARDER_CODE = strip('0x6001 6000 6000 a1 6000 6000 6000 6000 34 6000 35 5a f1 00')
// an infinite loop: runs out of gas
const SPINNER = '0x0000000000000000000000000000000000005b1e'
const SPINNER_CODE = strip('0x5b 6000 56')

const accounts = testAccounts(2, 'simulate-v1')
const [alice, bob] = accounts as [(typeof accounts)[0], (typeof accounts)[0]]
const spec = createTestSpec({
  accounts,
  extraAlloc: {
    [ENV_READER]: { balance: 0n, code: ENV_CODE },
    [BALANCE_READER]: { balance: 0n, code: BALANCE_CODE },
    [FORWARDER]: { balance: 0n, code: FORWARDER_CODE },
    [SPINNER]: { balance: 0n, code: SPINNER_CODE },
  },
})
const node = await startNodeHarness({ spec, dev: false })
t.teardown(() => node.close())
const { chain, rpc, url } = node
const stranger = '0x00000000000000000000000000000000005ce4e1'
const word = (hex: string, i = 0): bigint => BigInt('0x' + hex.slice(2 + 64 * i, 2 + 64 * (i + 1)))
const pad = (address: string): string => '0x' + address.slice(2).toLowerCase().padStart(64, '0')
const q = (v: bigint): string => '0x' + v.toString(16)
type SimBlock = Record<string, any> & { calls: Record<string, any>[] }

async function simulate(payload: Record<string, unknown>, block: unknown = 'latest'): Promise<SimBlock[]> {
  const answer = await rpc('eth_simulateV1', [payload, block])
  if (answer.error !== undefined) throw new Error(`unexpected error ${answer.error.code}: ${answer.error.message}`)
  return answer.result
}

async function refusal(payload: unknown, params: unknown[] = ['latest']) {
  const answer = await rpc('eth_simulateV1', [payload, ...params])
  return answer.error ?? { code: 0, message: 'no error' }
}

t.test('a transfer then a balance read in a later block; blocks shaped as eth_getBlockByNumber and chained', async (t) => {
  const head = await rpc('eth_getBlockByNumber', ['latest', false])
  const blocks = await simulate({
    blockStateCalls: [{ calls: [{ from: alice.hex, to: stranger, value: '0x4d2' }] }, { calls: [{ to: BALANCE_READER, input: pad(stranger) }] }],
  })
  t.equal(blocks.length, 2)
  const [one, two] = blocks as [SimBlock, SimBlock]
  t.equal(word(two.calls[0]!.returnData), 1234n, 'block 2 sees the transfer of block 1')
  t.same(one.calls[0], { returnData: '0x', logs: [], gasUsed: '0x5208', maxUsedGas: '0x5208', status: '0x1' })
  t.equal(one.parentHash, head.result.hash, 'block 1 builds on latest')
  t.equal(two.parentHash, one.hash, 'block 2 on block 1')
  t.equal(one.number, q(BigInt(head.result.number) + 1n))
  t.equal(one.timestamp, q(BigInt(head.result.timestamp) + 12n))
  t.equal(one.miner, head.result.miner)
  t.equal(one.gasLimit, head.result.gasLimit)
  t.equal(one.baseFeePerGas, '0x0')
  t.equal(one.gasUsed, '0x5208')
  for (const key of ['stateRoot', 'transactionsRoot', 'receiptsRoot', 'logsBloom', 'withdrawalsRoot', 'size', 'uncles', 'withdrawals', 'requestsHash']) {
    t.ok(key in one, `block field ${key}`)
  }
  t.equal(one.transactions.length, 1)
  t.match(one.transactions[0], /^0x[0-9a-f]{64}$/, 'transactions as hashes by default')
  t.equal((await rpc('eth_getBalance', [stranger, 'latest'])).result, '0x0', 'nothing reached the chain')
})

t.test('a token deployed in block 1, transferred in block 2, read in block 3; a revert with reason', async (t) => {
  const token = bytesToHex(generateAddress(alice.address.bytes, bigIntToBytes(0n)))
  const blocks = await simulate({
    blockStateCalls: [
      { calls: [{ from: alice.hex, input: bytesToHex(tokenDeployData(1000n)) }] },
      { calls: [{ from: alice.hex, to: token, input: bytesToHex(tokenTransferData(bob.address, 10n)) }] },
      {
        calls: [
          { to: token, input: bytesToHex(tokenBalanceOfData(bob.address)) },
          { from: bob.hex, to: token, input: bytesToHex(tokenTransferData(alice.address, 11n)) },
        ],
      },
    ],
  })
  t.equal(blocks[0]!.calls[0]!.status, '0x1', 'deployed')
  const transfer = blocks[1]!.calls[0]!
  t.equal(transfer.logs.length, 1, 'the Transfer event')
  const log = transfer.logs[0]
  t.equal(log.address, token)
  t.equal(log.blockHash, blocks[1]!.hash)
  t.equal(log.blockNumber, blocks[1]!.number)
  t.equal(log.blockTimestamp, blocks[1]!.timestamp)
  t.equal(log.transactionHash, blocks[1]!.transactions[0])
  t.equal(log.transactionIndex, '0x0')
  t.equal(log.logIndex, '0x0')
  t.equal(log.removed, false)
  t.equal(word(blocks[2]!.calls[0]!.returnData), 10n, 'balanceOf(bob) after the transfer')
  const reverted = blocks[2]!.calls[1]!
  t.equal(reverted.status, '0x0')
  t.equal(reverted.error.code, 3)
  // Token.sol reverts with the custom error InsufficientBalance(available, required): geth's bare message plus the data
  t.equal(reverted.error.message, 'execution reverted')
  t.equal(reverted.error.data, reverted.returnData)
  t.match(reverted.error.data, /^0xcf479181/)
  t.same(reverted.logs, [])
})

t.test('a halt other than revert is -32015 with geth’s reason', async (t) => {
  const [block] = await simulate({ blockStateCalls: [{ calls: [{ to: SPINNER, gas: '0x186a0' }] }] })
  t.same(block!.calls[0]!.error, { code: -32015, message: 'out of gas' })
  t.equal(block!.calls[0]!.gasUsed, '0x186a0')
})

t.test('block overrides are what NUMBER, TIMESTAMP, BASEFEE and COINBASE read, and what the block shows', async (t) => {
  const head = chain.head().header
  const feeRecipient = '0x00000000000000000000000000000000000fee01'
  const overrides = { number: q(head.number + 3n), time: q(head.timestamp + 100n), baseFeePerGas: '0x7', feeRecipient, prevRandao: pad('0x01') }
  const blocks = await simulate({ blockStateCalls: [{ blockOverrides: overrides, calls: [{ to: ENV_READER }] }] })
  t.equal(blocks.length, 3, 'two empty blocks fill the gap')
  t.same(
    blocks.map((b) => b.calls.length),
    [0, 0, 1],
  )
  t.same(
    blocks.map((b) => b.timestamp),
    [q(head.timestamp + 12n), q(head.timestamp + 24n), overrides.time],
  )
  const last = blocks[2]!
  const env = last.calls[0]!.returnData
  t.equal(word(env, 0), head.number + 3n, 'NUMBER')
  t.equal(word(env, 1), head.timestamp + 100n, 'TIMESTAMP')
  t.equal(word(env, 2), 7n, 'BASEFEE')
  t.equal(pad(q(word(env, 3))), pad(feeRecipient), 'COINBASE')
  t.equal(last.miner, feeRecipient)
  t.equal(last.baseFeePerGas, '0x7')
  t.equal(last.mixHash, overrides.prevRandao)
  t.equal(blocks[1]!.hash, last.parentHash, 'gap blocks chain too')
})

t.test('state overrides per block; returnFullTransactions; geth’s tx hashes and senders', async (t) => {
  const code = { [BALANCE_READER]: { code: ENV_CODE } }
  const blocks = await simulate({
    blockStateCalls: [
      { stateOverrides: { [stranger]: { balance: '0x64' } }, calls: [{ to: BALANCE_READER, input: pad(stranger) }] },
      { stateOverrides: code, calls: [{ from: stranger, to: BALANCE_READER, gas: '0x186a0' }] },
    ],
    returnFullTransactions: true,
  })
  t.equal(word(blocks[0]!.calls[0]!.returnData), 100n, 'the balance override')
  t.equal(word(blocks[1]!.calls[0]!.returnData, 0), BigInt(blocks[1]!.number), 'the code override of block 2 runs')
  const tx = blocks[1]!.transactions[0]
  t.equal(tx.from, stranger, 'from: the request sender')
  t.equal(tx.blockHash, blocks[1]!.hash)
  t.equal(tx.blockNumber, blocks[1]!.number)
  t.equal(tx.transactionIndex, '0x0')
  t.equal(tx.type, '0x2', 'a call without gasPrice is an EIP-1559 tx (geth)')
  t.equal(tx.nonce, '0x0')
  t.equal(tx.chainId, q(spec.chainId))
  t.same([tx.v, tx.r, tx.s], ['0x0', '0x0', '0x0'], 'unsigned')
  t.match(tx.hash, /^0x[0-9a-f]{64}$/)
  const hashes = await simulate({ blockStateCalls: [{}, { stateOverrides: code, calls: [{ from: stranger, to: BALANCE_READER, gas: '0x186a0' }] }] })
  t.equal(hashes[1]!.transactions[0], tx.hash, 'the same call hashes the same without full transactions')
})

t.test('validation: base fee from the parent; refusals with geth’s codes', async (t) => {
  const head = chain.head().header
  const from = alice.hex
  const [ok] = await simulate({ blockStateCalls: [{ calls: [{ from, to: stranger, maxFeePerGas: '0x2540be400' }] }], validation: true })
  t.equal(ok!.baseFeePerGas, q(calcNextBaseFee(head, spec.baseFee)))
  const cases: [string, Record<string, unknown>, number, RegExp][] = [
    [
      'fee cap below the base fee',
      {},
      -38012,
      /^err: max fee per gas less than block base fee: address 0x[0-9a-fA-F]{40}, maxFeePerGas: 0, baseFee: \d+ \(supplied gas \d+\)$/,
    ],
    ['nonce too low', { nonce: '0x0', baseFee: true }, -38010, /^err: nonce too low: address 0x[0-9a-fA-F]{40}, tx: 0 state: 1/],
    ['nonce too high', { nonce: '0x9', baseFee: true }, -38011, /^err: nonce too high: .* tx: 9 state: 0/],
    ['intrinsic gas', { gas: '0x5207', baseFee: true }, -38013, /^err: intrinsic gas too low: have 20999, want 21000 \(supplied gas 20999\)$/],
    [
      'insufficient funds',
      { from: stranger, value: '0x1', baseFee: true },
      -38014,
      /^err: insufficient funds for gas \* price \+ value: address .* have 0 want 1/,
    ],
    ['tip above fee cap', { maxFeePerGas: '0x1', maxPriorityFeePerGas: '0x2', baseFee: true }, -32602, /max priority fee per gas higher than max fee per gas/],
  ]
  for (const [name, { baseFee, ...fields }, code, message] of cases) {
    const blockOverrides = baseFee === true ? { baseFeePerGas: '0x0' } : undefined
    // "nonce too low": a first call takes nonce 0, the second names it again
    const calls =
      name === 'nonce too low'
        ? [
            { from, to: stranger },
            { from, to: stranger, ...fields },
          ]
        : [{ from, to: stranger, ...fields }]
    const error = await refusal({ blockStateCalls: [{ blockOverrides, calls }], validation: true })
    t.equal(error.code, code, `${name}: code`)
    t.match(error.message, message, `${name}: message`)
  }
  const unvalidated = await simulate({ blockStateCalls: [{ calls: [{ from, to: stranger, nonce: '0x9' }] }] })
  t.equal(unvalidated[0]!.calls[0]!.status, '0x1', 'without validation the nonce is not checked')
})

t.test('the block gas limit holds across its calls (-38015)', async (t) => {
  const calls = [
    { to: stranger, gas: '0x7530' },
    { to: stranger, gas: '0x7530' },
  ]
  const error = await refusal({ blockStateCalls: [{ blockOverrides: { gasLimit: '0xc350' }, calls }] })
  t.equal(error.code, -38015)
  t.equal(error.message, 'block gas limit reached: remaining: 29000, required: 30000')
})

t.test('traceTransfers: value transfers as Transfer logs of 0xEeee…EEeE in execution order', async (t) => {
  const call = { from: alice.hex, to: FORWARDER, value: '0x1f4', input: pad(bob.hex) }
  const [block] = await simulate({ blockStateCalls: [{ calls: [call] }], traceTransfers: true })
  const logs = block!.calls[0]!.logs
  const transfer = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef'
  t.same(
    logs.map((l: Record<string, any>) => [l.address, l.topics, l.data, l.logIndex]),
    [
      ['0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee', [transfer, pad(alice.hex), pad(FORWARDER)], pad('0x1f4'), '0x0'],
      [FORWARDER, [pad('0x01')], '0x', '0x1'],
      ['0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee', [transfer, pad(FORWARDER), pad(bob.hex)], pad('0x1f4'), '0x2'],
    ],
  )
  const [plain] = await simulate({ blockStateCalls: [{ calls: [call] }] })
  t.equal(plain!.calls[0]!.logs.length, 1, 'by default only the contract log')
  t.equal(plain!.logsBloom, block!.logsBloom, 'transfer logs are not in the bloom')
})

t.test('number and time ordering (-38020, -38021) and the 256-block limit (-38026)', async (t) => {
  const head = chain.head().header
  const number = await refusal({ blockStateCalls: [{ blockOverrides: { number: q(head.number + 2n) } }, { blockOverrides: { number: q(head.number + 2n) } }] })
  t.same(number, { code: -38020, message: `block numbers must be in order: ${head.number + 2n} <= ${head.number + 2n}` })
  const time = await refusal({
    blockStateCalls: [{ blockOverrides: { time: q(head.timestamp + 50n) } }, { blockOverrides: { time: q(head.timestamp + 40n) } }],
  })
  t.same(time, { code: -38021, message: `block timestamps must be in order: ${head.timestamp + 40n} <= ${head.timestamp + 50n}` })
  const far = await refusal({ blockStateCalls: [{ blockOverrides: { number: q(head.number + 257n) } }] })
  t.same(far, { code: -38026, message: 'too many blocks' })
  const many = await refusal({ blockStateCalls: Array.from({ length: 257 }, () => ({})) })
  t.same(many, { code: -38026, message: 'too many blocks' })
  const max = await simulate({ blockStateCalls: [{ blockOverrides: { number: q(head.number + 256n) } }] })
  t.equal(max.length, 256)
})

t.test('bad input is -32602 with a clear message, never -32603', async (t) => {
  const bad: [string, unknown, RegExp][] = [
    ['no blocks', { blockStateCalls: [] }, /^empty input$/],
    ['no payload fields', {}, /^empty input$/],
    ['payload not an object', 5, /^invalid argument 0: json: cannot unmarshal number/],
    [
      'blockStateCalls not an array',
      { blockStateCalls: {} },
      /^invalid argument 0: json: cannot unmarshal object into Go struct field simOpts\.blockStateCalls/,
    ],
    ['a block not an object', { blockStateCalls: [7] }, /^invalid argument 0: json: cannot unmarshal number/],
    ['calls not an array', { blockStateCalls: [{ calls: 'x' }] }, /^invalid argument 0: json: cannot unmarshal string/],
    ['a bad call', { blockStateCalls: [{ calls: [{ to: '0x12' }] }] }, /^invalid argument 0: hex string has length 2, want 40/],
    ['validation not a bool', { blockStateCalls: [{}], validation: 'yes' }, /^invalid argument 0: json: cannot unmarshal string into Go value of type bool$/],
    ['unknown block override', { blockStateCalls: [{ blockOverrides: { colour: '0x1' } }] }, /unknown field "colour"/],
    [
      'a bad withdrawal',
      { blockStateCalls: [{ blockOverrides: { withdrawals: [{ index: '0x0' }] } }] },
      /missing required field 'validatorIndex' for Withdrawal/,
    ],
    [
      'a moved precompile',
      { blockStateCalls: [{ stateOverrides: { [stranger]: { movePrecompileToAddress: ENV_READER } } }] },
      /movePrecompileToAddress is not supported/,
    ],
  ]
  for (const [name, payload, message] of bad) {
    const error = await refusal(payload)
    t.equal(error.code, -32602, `${name}: -32602`)
    t.match(error.message, message, `${name}: message`)
  }
  const block = await refusal({ blockStateCalls: [{}] }, ['0xffff'])
  t.equal(block.code, -32001, 'a block beyond the head: not found')
  const chainId = await refusal({ blockStateCalls: [{ calls: [{ to: stranger, chainId: '0x5' }] }] })
  t.same(chainId, { code: -32000, message: "chainId does not match node's (have=5, want=1337)" })
})

t.test('extreme but well-formed overrides are answered, never with -32603', async (t) => {
  const max256 = '0x' + 'f'.repeat(64)
  const cases: [string, Record<string, unknown>][] = [
    ['gas limit 0, no calls', { blockStateCalls: [{ blockOverrides: { gasLimit: '0x0' } }] }],
    ['gas limit 0 with a call', { blockStateCalls: [{ blockOverrides: { gasLimit: '0x0' }, calls: [{ to: stranger }] }] }],
    ['the largest base fee', { blockStateCalls: [{ blockOverrides: { baseFeePerGas: max256 }, calls: [{ to: ENV_READER }] }] }],
    [
      'the largest base fee, a fee-paying call',
      { blockStateCalls: [{ blockOverrides: { baseFeePerGas: max256 }, calls: [{ to: ENV_READER, maxFeePerGas: '0x1' }] }] },
    ],
    ['the largest time', { blockStateCalls: [{ blockOverrides: { time: '0xffffffffffffffff' }, calls: [{ to: ENV_READER }] }] }],
    [
      'the largest balance and nonce',
      {
        blockStateCalls: [
          { stateOverrides: { [stranger]: { balance: max256, nonce: '0xffffffffffffffff' } }, calls: [{ from: stranger, to: bob.hex, value: max256 }] },
        ],
      },
    ],
    ['a zero-gas call', { blockStateCalls: [{ calls: [{ to: stranger, gas: '0x0' }] }] }],
    ['a creation with no code', { blockStateCalls: [{ calls: [{ from: alice.hex }] }] }],
  ]
  for (const [name, payload] of cases) {
    const answer = await rpc('eth_simulateV1', [payload, 'latest'])
    t.not(answer.error?.code, -32603, `${name}: ${JSON.stringify(answer.error ?? 'ok')}`)
  }
})

t.test("viem's simulateBlocks against the node", async (t) => {
  const viemChain = defineChain({
    id: 1337,
    name: 'test',
    nativeCurrency: { name: 'Open', symbol: 'OPEN', decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  })
  const client = createPublicClient({ chain: viemChain, transport: http(url), cacheTime: 0 })
  const token: Hex = '0x00000000000000000000000000000000000070ce'
  const abi = [
    { type: 'function', name: 'balanceOf', stateMutability: 'view', inputs: [{ name: 'owner', type: 'address' }], outputs: [{ type: 'uint256' }] },
    {
      type: 'function',
      name: 'transfer',
      stateMutability: 'nonpayable',
      inputs: [
        { name: 'to', type: 'address' },
        { name: 'value', type: 'uint256' },
      ],
      outputs: [{ type: 'bool' }],
    },
  ] as const
  // the token's code and alice's balance of 1000 (mapping slot 0) by state override
  const balanceSlot = bytesToHex(tokenBalanceSlot(alice.address, keccak_256)) as Hex
  const install = { address: token, code: bytesToHex(TOKEN_RUNTIME) as Hex, stateDiff: [{ slot: balanceSlot, value: pad(q(1000n)) as Hex }] }
  const balanceOf = (owner: Hex) => ({ to: token, abi, functionName: 'balanceOf', args: [owner] }) as const
  const transfer = (from: Hex, to: Hex, value: bigint) => ({ account: from, to: token, abi, functionName: 'transfer', args: [to, value] }) as const
  const blocks = await client.simulateBlocks({
    blocks: [
      { stateOverrides: [install], calls: [balanceOf(alice.hex)] },
      { blockOverrides: { baseFeePerGas: 0n }, calls: [transfer(alice.hex, bob.hex, 25n), transfer(bob.hex, alice.hex, 26n)] },
      { calls: [balanceOf(bob.hex)] },
    ],
    traceTransfers: true,
  })
  t.equal(blocks.length, 3)
  t.equal(blocks[0]!.calls[0]!.result, 1000n, 'the overridden code and storage')
  t.equal(blocks[1]!.calls[0]!.status, 'success')
  t.equal(blocks[1]!.calls[0]!.result, true)
  t.equal(blocks[1]!.calls[0]!.logs?.[0]?.address, token)
  t.equal(blocks[1]!.calls[1]!.status, 'failure', "bob cannot send what he doesn't have")
  t.match(String(blocks[1]!.calls[1]!.error), /0xcf479181/, 'the InsufficientBalance custom error')
  t.equal(blocks[2]!.calls[0]!.result, 25n)
  t.equal(blocks[2]!.parentHash, blocks[1]!.hash)
  t.equal(blocks[0]!.number, chain.head().header.number + 1n)
})
