// runtime/call simulate (eth_simulateV1) on a real chain (LevelDB in a temp dir): blocks built in
// order on the runtime VM, each on the state the previous left, with geth's defaults, ordering
// rules, limits and refusals, and roots computed as the block builder computes them.
import { join } from 'node:path'
import { bigIntToBytes, bytesToBigInt, bytesToHex, createAddressFromString, generateAddress, hexToBytes, setLengthLeft } from '@ethereumjs/util'
import t from 'tap'
import { createChain } from '../../../../node/chain/index.ts'
import { CALL_ERROR, calcNextBaseFee, createCallSimulator } from '../../../../runtime/index.ts'
import type { CallRequest, SimulateBlockCalls, SimulateOptions } from '../../../../runtime/index.ts'
import { PRIORITY_FEE_RECIPIENT, createTestSpec, signed1559, testAccounts } from '../../../fixtures/chain/testSpec.ts'
import { tempDir } from '../../../fixtures/chain/tempDir.ts'

const code = (hex: string): Uint8Array => hexToBytes(hex.replaceAll(' ', '') as `0x${string}`)
// runtime: slot0 += 1; return slot0
const COUNTER_RUNTIME = '600054600101806000556000526020 6000f3'
// init code: copy the 18-byte runtime that follows it and return it
const COUNTER_INIT = code('0x6012600c60003960126000f3' + COUNTER_RUNTIME)
// returns BALANCE(calldata[0..32])
const BALANCE_OF = code('0x6000 35 31 6000 52 6020 6000 f3')
// returns NUMBER, TIMESTAMP, BASEFEE, COINBASE as four words
const BLOCK_ENV = code('0x43 6000 52 42 6020 52 48 6040 52 41 6060 52 6080 6000 f3')
// returns BLOCKHASH(NUMBER - 1)
const PARENT_HASH = code('0x6001 43 03 40 6000 52 6020 6000 f3')
// REVERT(0, 4) after MSTORE of 0xdeadbeef
const REVERTER = code('0x63deadbeef 60e0 1b 6000 52 6004 6000 fd')
// CALL(gas, calldata[0..32] as address, CALLVALUE, 0, 0, 0, 0) then LOG0 of nothing
const FORWARDER = code('0x6000 6000 6000 6000 34 6000 35 5a f1 50 6000 6000 a0 00')

const BALANCE_READER = '0x000000000000000000000000000000000000ba1a'
const ENV_READER = '0x0000000000000000000000000000000000000e4f'
const HASH_READER = '0x00000000000000000000000000000000000004a5'
const REVERT_ADDR = '0x00000000000000000000000000000000000000de'
const FORWARD_ADDR = '0x00000000000000000000000000000000000000f0'

const accounts = testAccounts(3, 'simulate-blocks')
const spec = createTestSpec({
  accounts,
  extraAlloc: {
    [BALANCE_READER]: { balance: 0n, code: bytesToHex(BALANCE_OF) },
    [ENV_READER]: { balance: 0n, code: bytesToHex(BLOCK_ENV) },
    [HASH_READER]: { balance: 0n, code: bytesToHex(PARENT_HASH) },
    [REVERT_ADDR]: { balance: 0n, code: bytesToHex(REVERTER) },
    [FORWARD_ADDR]: { balance: 0n, code: bytesToHex(FORWARDER) },
  },
})
const dir = await tempDir(t, 'openledger-simulate-')
const chain = await createChain({ dataDir: join(dir, 'node'), spec })
t.teardown(() => chain.close())
const sim = createCallSimulator({ spec, common: chain.common, chain })
const [alice, bob] = accounts as [(typeof accounts)[0], (typeof accounts)[0]]
const stranger = hexToBytes('0x00000000000000000000000000000000005ce4e1')
const gasCap = 50_000_000n
const word = (b: Uint8Array, i = 0): bigint => bytesToBigInt(b.subarray(32 * i, 32 * i + 32))
const addressWord = (a: Uint8Array): Uint8Array => setLengthLeft(a, 32)

function simulate(blocks: SimulateBlockCalls[], extra: Partial<SimulateOptions> = {}) {
  return sim.simulate({ at: chain.head().header.number, blocks, validation: false, traceTransfers: false, gasCap, ...extra })
}

t.test('a transfer in block 1 is seen by a balance read in block 2; numbers, times and parent hashes chain', async (t) => {
  const head = chain.head().header
  const readBalance: CallRequest = { to: hexToBytes(BALANCE_READER), data: addressWord(stranger) }
  const blocks = await simulate([{ calls: [{ from: alice.address.bytes, to: stranger, value: 1234n }] }, { calls: [readBalance] }])
  t.equal(blocks.length, 2)
  const [one, two] = blocks as [(typeof blocks)[0], (typeof blocks)[0]]
  t.equal(one.calls[0]?.status, 1)
  t.equal(one.calls[0]?.gasUsed, 21_000n)
  t.equal(one.block.header.gasUsed, 21_000n)
  t.equal(word(two.calls[0]!.returnData), 1234n, 'block 2 reads the balance block 1 left')
  t.equal(one.block.header.number, head.number + 1n)
  t.equal(two.block.header.number, head.number + 2n)
  t.equal(one.block.header.timestamp, head.timestamp + 12n, 'time: previous + 12 s')
  t.equal(two.block.header.timestamp, head.timestamp + 24n)
  t.same(one.block.header.parentHash, head.hash(), 'block 1 builds on the base block')
  t.same(two.block.header.parentHash, one.block.hash(), 'block 2 on block 1')
  t.equal(one.block.header.baseFeePerGas, 0n, 'no validation: base fee 0')
  t.equal(one.block.header.gasLimit, head.gasLimit, "the base block's gas limit")
  t.same(one.block.header.coinbase.bytes, head.coinbase.bytes, "the base block's fee recipient")
  t.notSame(one.block.header.stateRoot, head.stateRoot)
  t.same(one.block.transactions[0]?.getSenderAddress().bytes, alice.address.bytes, 'the unsigned tx reports the request sender')
  t.equal(one.block.transactions[0]?.nonce, 0n, "the sender's nonce")
  const state = await chain.stateAt(chain.head().header.number)
  t.equal((await state.getAccount(createAddressFromString(bytesToHex(stranger))))?.balance, undefined, 'nothing reached the chain')
})

t.test('a contract deployed in block 1 is called in block 2; nonces advance per call', async (t) => {
  const contract = generateAddress(alice.address.bytes, bigIntToBytes(0n))
  const call: CallRequest = { from: alice.address.bytes, to: contract }
  const blocks = await simulate([{ calls: [{ from: alice.address.bytes, data: COUNTER_INIT }] }, { calls: [call, call] }])
  t.equal(blocks[0]!.calls[0]?.status, 1, 'deployed')
  t.equal(word(blocks[1]!.calls[0]!.returnData), 1n)
  t.equal(word(blocks[1]!.calls[1]!.returnData), 2n, 'the second call sees the first one’s write')
  t.same(
    blocks[1]!.block.transactions.map((tx) => tx.nonce),
    [1n, 2n],
  )
  const hashes = blocks.flatMap((b) => b.block.transactions.map((tx) => bytesToHex(tx.hash())))
  t.equal(new Set(hashes).size, 3, 'each call has its own hash')
})

t.test('block overrides are what NUMBER, TIMESTAMP, BASEFEE and COINBASE read; BLOCKHASH names the simulated parent', async (t) => {
  const head = chain.head().header
  const feeRecipient = hexToBytes('0x00000000000000000000000000000000000fee01')
  const overrides = { number: head.number + 10n, time: head.timestamp + 1000n, baseFee: 7n, coinbase: feeRecipient }
  const blocks = await simulate([
    { blockOverrides: overrides, calls: [{ to: hexToBytes(ENV_READER) }] },
    { calls: [{ to: hexToBytes(HASH_READER) }, { to: hexToBytes(ENV_READER) }] },
  ])
  t.equal(blocks.length, 11, 'blocks head+1 ... head+9 fill the gap')
  const gap = blocks.slice(0, 9)
  t.same(
    gap.map((b) => b.block.header.number),
    gap.map((_, i) => head.number + 1n + BigInt(i)),
  )
  t.same(
    gap.map((b) => b.block.header.timestamp),
    gap.map((_, i) => head.timestamp + 12n * BigInt(i + 1)),
    'gap blocks 12 s apart',
  )
  const env = blocks[9]!.calls[0]!.returnData
  t.equal(word(env, 0), overrides.number, 'NUMBER')
  t.equal(word(env, 1), overrides.time, 'TIMESTAMP')
  t.equal(word(env, 2), 7n, 'BASEFEE: the override, also for a call naming no fee')
  t.same(env.subarray(108, 128), feeRecipient, 'COINBASE')
  t.same(blocks[9]!.block.header.coinbase.bytes, feeRecipient, 'the block carries it as miner')
  const after = blocks[10]!
  t.same(after.calls[0]!.returnData, blocks[9]!.block.hash(), "BLOCKHASH(n - 1) is the simulated parent's hash")
  t.same(after.block.header.coinbase.bytes, feeRecipient, 'the fee recipient carries over (geth)')
  t.equal(word(after.calls[1]!.returnData, 2), 0n, 'the base fee override does not: 0 without validation')
  for (const [i, b] of blocks.entries()) {
    const parent = i === 0 ? head.hash() : blocks[i - 1]!.block.hash()
    t.same(b.block.header.parentHash, parent, `block ${i} chains to its parent`)
  }
})

t.test('state overrides apply per block, on the state the previous block left', async (t) => {
  const slot = new Uint8Array(32)
  const counter = createAddressFromString('0x00000000000000000000000000000000000c0117')
  const install = new Map([[counter.toString(), { code: code('0x' + COUNTER_RUNTIME) }]])
  const seed = new Map([[counter.toString(), { stateDiff: [[slot, setLengthLeft(bigIntToBytes(41n), 32)]] as [Uint8Array, Uint8Array][] }]])
  const call: CallRequest = { to: counter.bytes }
  const blocks = await simulate([{ stateOverrides: install, calls: [call] }, { calls: [call] }, { stateOverrides: seed, calls: [call] }])
  t.same(
    blocks.map((b) => word(b.calls[0]!.returnData)),
    [1n, 2n, 42n],
  )
})

t.test('withdrawals are credited after the calls of their block (amounts in Gwei)', async (t) => {
  const withdrawal = { index: 3n, validatorIndex: 9n, address: stranger, amount: 5n }
  const readBalance: CallRequest = { to: hexToBytes(BALANCE_READER), data: addressWord(stranger) }
  const blocks = await simulate([{ blockOverrides: { withdrawals: [withdrawal] }, calls: [readBalance] }, { calls: [readBalance] }])
  t.equal(word(blocks[0]!.calls[0]!.returnData), 0n, 'not during the block')
  t.equal(word(blocks[1]!.calls[0]!.returnData), 5n * 10n ** 9n, 'after it')
  t.equal(blocks[0]!.block.withdrawals?.length, 1)
  t.notSame(blocks[0]!.block.header.withdrawalsRoot, blocks[1]!.block.header.withdrawalsRoot, 'the root commits to them')
})

t.test('a revert is a call result with its data; a halt names geth’s reason', async (t) => {
  const [block] = await simulate([{ calls: [{ to: hexToBytes(REVERT_ADDR) }, { to: hexToBytes(REVERT_ADDR), gas: 21_010n }] }])
  const [revert, halt] = block!.calls
  t.equal(revert?.status, 0)
  t.equal(revert?.error, 'revert')
  t.equal(bytesToHex(revert!.returnData), '0xdeadbeef')
  t.equal(halt?.error, 'out of gas')
  t.equal(halt?.gasUsed, 21_010n)
  t.equal(block!.block.header.gasUsed, revert!.gasUsed + 21_010n, 'failed calls still use gas')
})

t.test('validation: base fee from the parent, fee checks, nonce checks, balance checks', async (t) => {
  const head = chain.head().header
  const from = alice.address.bytes
  const ok = await simulate([{ calls: [{ from, to: stranger, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 1n }] }], { validation: true })
  t.equal(ok[0]!.block.header.baseFeePerGas, calcNextBaseFee(head, spec.baseFee), "the parent's next base fee")
  const refusal = async (call: CallRequest, code: string, message: RegExp, blockOverrides = {}) => {
    await t.rejects(simulate([{ blockOverrides, calls: [call] }], { validation: true }), { code, message }, code)
  }
  await refusal(
    { from, to: stranger },
    CALL_ERROR.FEE_CAP_TOO_LOW,
    /^err: max fee per gas less than block base fee: address 0x[0-9a-fA-F]{40}, maxFeePerGas: 0, baseFee: \d+ \(supplied gas \d+\)$/,
  )
  await refusal({ from, to: stranger, nonce: 5n }, CALL_ERROR.NONCE_TOO_HIGH, /^err: nonce too high: address 0x[0-9a-fA-F]{40}, tx: 5 state: 0/, {
    baseFee: 0n,
  })
  await refusal(
    { from: stranger, to: from, value: 1n },
    CALL_ERROR.INSUFFICIENT_FUNDS,
    /^err: insufficient funds for gas \* price \+ value: address .* have 0 want 1 /,
    {
      baseFee: 0n,
    },
  )
  await refusal({ from, to: stranger, gas: 20_000n }, CALL_ERROR.INTRINSIC_GAS, /^err: intrinsic gas too low: have 20000, want 21000 \(supplied gas 20000\)$/, {
    baseFee: 0n,
  })
  const twice: CallRequest = { from, to: stranger, nonce: 0n }
  await t.rejects(simulate([{ blockOverrides: { baseFee: 0n }, calls: [twice, twice] }], { validation: true }), {
    code: CALL_ERROR.NONCE_TOO_LOW,
    message: /tx: 0 state: 1/,
  })
  const unvalidated = await simulate([{ calls: [twice, twice] }])
  t.equal(unvalidated[0]!.calls.length, 2, 'without validation a stale nonce runs (geth SkipNonceChecks)')
})

t.test("a block's calls share its gas limit; the request shares the gas cap", async (t) => {
  const call: CallRequest = { to: stranger, gas: 30_000n }
  await t.rejects(simulate([{ blockOverrides: { gasLimit: 50_000n }, calls: [call, call] }]), {
    code: CALL_ERROR.BLOCK_GAS_LIMIT,
    message: 'block gas limit reached: remaining: 29000, required: 30000',
  })
  const [block] = await simulate([{ calls: [{ to: stranger }] }])
  t.equal(block!.block.transactions[0]?.gasLimit, gasCap, 'a call without gas gets what the block has left, within the gas cap')
  const two = await simulate([{ calls: [{ to: stranger }, { to: stranger }] }])
  t.equal(two[0]!.block.transactions[1]?.gasLimit, gasCap - 21_000n, 'the cap is shared by the calls of a request')
})

t.test("numbers and times must increase; at most 256 blocks (geth's messages)", async (t) => {
  const head = chain.head().header
  await t.rejects(simulate([{ blockOverrides: { number: head.number }, calls: [] }]), {
    code: CALL_ERROR.BLOCK_NUMBER_ORDER,
    message: `block numbers must be in order: ${head.number} <= ${head.number}`,
  })
  await t.rejects(simulate([{ blockOverrides: { time: head.timestamp }, calls: [] }]), {
    code: CALL_ERROR.BLOCK_TIMESTAMP_ORDER,
    message: `block timestamps must be in order: ${head.timestamp} <= ${head.timestamp}`,
  })
  await t.rejects(simulate([{ blockOverrides: { number: head.number + 257n }, calls: [] }]), { code: CALL_ERROR.SIMULATE_LIMIT, message: 'too many blocks' })
  await t.rejects(simulate(Array.from({ length: 257 }, () => ({ calls: [] }))), { code: CALL_ERROR.SIMULATE_LIMIT, message: 'too many blocks' })
  const max = await simulate([{ blockOverrides: { number: head.number + 256n }, calls: [] }])
  t.equal(max.length, 256, '256 blocks past the base are allowed')
})

t.test('traceTransfers: native transfers as ERC-20 Transfer logs of 0xEeee…, in execution order', async (t) => {
  const from = alice.address.bytes
  const forward: CallRequest = { from, to: hexToBytes(FORWARD_ADDR), value: 500n, data: addressWord(bob.address.bytes) }
  const [block] = await simulate([{ calls: [forward, { from, to: hexToBytes(REVERT_ADDR), value: 1n }] }], { traceTransfers: true })
  const logs = block!.calls[0]!.logs
  t.equal(logs.length, 3, 'tx value, forwarded value, then the LOG0 after the CALL')
  const transfer = (i: number) => logs[i]!
  t.equal(bytesToHex(transfer(0).address), '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee')
  t.equal(bytesToHex(transfer(0).topics[0]!), '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef')
  t.same(transfer(0).topics[1], addressWord(from))
  t.same(transfer(0).topics[2], addressWord(hexToBytes(FORWARD_ADDR)))
  t.equal(word(transfer(0).data), 500n)
  t.same(transfer(1).topics[1], addressWord(hexToBytes(FORWARD_ADDR)))
  t.same(transfer(1).topics[2], addressWord(bob.address.bytes))
  t.equal(bytesToHex(transfer(2).address), FORWARD_ADDR, "the contract's own log last")
  t.same(
    logs.map((l) => l.logIndex),
    [0, 1, 2],
  )
  t.same(block!.calls[1]!.logs, [], 'a reverted call reports no transfer')
  const destructor = hexToBytes('0x00000000000000000000000000000000000000d5')
  const beneficiary = hexToBytes('0x00000000000000000000000000000000000000b0')
  const created = generateAddress(from, bigIntToBytes(0n))
  const [more] = await simulate(
    [
      {
        stateOverrides: new Map([[bytesToHex(destructor), { balance: 9n, code: code('0x73' + bytesToHex(beneficiary).slice(2) + 'ff') }]]),
        calls: [
          { from, data: COUNTER_INIT, value: 5n },
          { from, to: destructor },
        ],
      },
    ],
    { traceTransfers: true },
  )
  const [creation, destruction] = more!.calls
  t.same(creation!.logs[0]?.topics[2], addressWord(created), 'a creation with value: to the new address')
  t.same(destruction!.logs[0]?.topics.slice(1), [addressWord(destructor), addressWord(beneficiary)], "SELFDESTRUCT: the contract's balance to the beneficiary")
  t.equal(word(destruction!.logs[0]!.data), 9n)
  t.equal(destruction!.logs[0]?.logIndex, 1, 'log indexes run on across the calls of a block')
  const plain = await simulate([{ calls: [forward] }])
  t.equal(plain[0]!.calls[0]!.logs.length, 1, 'without traceTransfers only the contract log')
  t.same(plain[0]!.block.header.logsBloom, block!.block.header.logsBloom, 'transfer logs are not in the bloom')
})

t.test('roots: a validated simulation of a tx gives the block the builder builds from the signed tx', async (t) => {
  const head = chain.head().header
  const timestamp = head.timestamp + 5n
  const fees = { maxFeePerGas: 10_000_000_000n, maxPriorityFeePerGas: 1_000_000_000n }
  const coinbase = hexToBytes(PRIORITY_FEE_RECIPIENT)
  const [simulated] = await simulate(
    [{ blockOverrides: { time: timestamp, coinbase }, calls: [{ from: alice.address.bytes, to: bob.address.bytes, value: 77n, gas: 21_000n, ...fees }] }],
    { validation: true },
  )
  const tx = signed1559(chain.common, alice, { nonce: 0n, to: bob.address, value: 77n, ...fees })
  const { block } = await chain.buildBlock([tx], { timestamp })
  const s = simulated!.block.header
  t.same(s.stateRoot, block.header.stateRoot, 'state root')
  t.same(s.receiptTrie, block.header.receiptTrie, 'receipts root')
  t.same(s.logsBloom, block.header.logsBloom, 'bloom')
  t.equal(s.gasUsed, block.header.gasUsed, 'gas used')
  t.equal(s.baseFeePerGas, block.header.baseFeePerGas, 'base fee')
  t.notSame(s.transactionsTrie, block.header.transactionsTrie, 'the tx root differs: the simulated tx is unsigned')
})
