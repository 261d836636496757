import { createBlock } from '@ethereumjs/block'
import { bytesToHex, createAddressFromString, createContractAddress, hexToBytes } from '@ethereumjs/util'
import type { Address } from '@ethereumjs/util'
import { AbiFunction } from 'ox'
import t from 'tap'
import type { Hex } from '../../../../genesis/index.ts'
import { DEPOSIT_FAILURE, DepositTx, runDepositTx, userDepositSourceHash } from '../../../../runtime/index.ts'
import type { RuntimeModuleDefinition } from '../../../../runtime/index.ts'
import { BASE_FEE_RECIPIENT, PRIORITY_FEE_RECIPIENT, testAccounts } from '../../../fixtures/chain/testSpec.ts'
import { createModuleVm } from '../../../fixtures/modules/moduleVm.ts'

// CALLER->0, ORIGIN->1, GASPRICE->2, BASEFEE->3, CALLVALUE->4, then LOG0(0, 0)
const RECORDER: Hex = '0x00000000000000000000000000000000000c0de1'
// SSTORE(0, 1) then REVERT(0, 0)
const REVERTER: Hex = '0x00000000000000000000000000000000000c0de2'
// JUMPDEST PUSH0 JUMP: loops until out of gas
const LOOPER: Hex = '0x00000000000000000000000000000000000c0de3'
const MODULE: Hex = '0x4f50454e000000000000000000000000000010fe'
const BASE_FEE = 7n
const [alice] = testAccounts(1)

const whoami: RuntimeModuleDefinition = {
  name: 'whoami',
  address: MODULE,
  version: '1.0.0',
  interfaceName: 'IWhoami',
  events: [],
  errors: [],
  functions: [
    {
      abi: 'function record() returns (address)',
      handler: async (ctx) => {
        await ctx.sstore(0n, BigInt(ctx.caller))
        return ctx.caller
      },
    },
  ],
}

async function setup() {
  const m = await createModuleVm({
    accounts: [alice!],
    governance: false,
    extraModules: [whoami],
    extraAlloc: {
      [RECORDER]: { balance: 0n, code: '0x335f55326001553a60025548600355346004555f5fa000' },
      [REVERTER]: { balance: 0n, code: '0x60015f555f5ffd' },
      [LOOPER]: { balance: 0n, code: '0x5b5f56' },
    },
  })
  const env = createBlock(
    {
      header: {
        number: 1n,
        timestamp: 1_700_000_001n,
        gasLimit: 30_000_000n,
        baseFeePerGas: BASE_FEE,
        coinbase: createAddressFromString(PRIORITY_FEE_RECIPIENT),
      },
    },
    { common: m.common },
  )
  let logIndex = 0n
  const deposit = (fields: { from: Address; to: Hex | undefined; mint?: bigint; value?: bigint; gas?: bigint; data?: Uint8Array }) =>
    new DepositTx({
      sourceHash: userDepositSourceHash(new Uint8Array(32).fill(9), logIndex++),
      from: fields.from,
      to: fields.to === undefined ? undefined : createAddressFromString(fields.to),
      mint: fields.mint ?? 0n,
      value: fields.value ?? 0n,
      gasLimit: fields.gas ?? 200_000n,
      isSystemTx: false,
      data: fields.data ?? new Uint8Array(0),
    })
  const run = (tx: DepositTx) => runDepositTx(m.runtime, env, tx, 0n)
  const nonce = async (a: Address) => (await m.runtime.stateManager.getAccount(a))?.nonce ?? 0n
  const fees = async () => [await m.balance(BASE_FEE_RECIPIENT), await m.balance(PRIORITY_FEE_RECIPIENT)]
  return { ...m, env, deposit, run, nonce, fees }
}

const fresh = (n: number) => createAddressFromString(`0x${n.toString(16).padStart(40, '0')}`)

t.test('plain mint to an EOA: credited, value moved, nonce bumped, 21,000 gas, no fees', async (t) => {
  const s = await setup()
  const from = fresh(0xa1)
  const to = fresh(0xa2)
  const before = await s.fees()
  const r = await s.run(s.deposit({ from, to: to.toString() as Hex, mint: 10n ** 18n, value: 4n * 10n ** 17n, gas: 100_000n }))
  t.equal(r.receipt.status, 1)
  t.equal(r.totalGasSpent, 21_000n, 'intrinsic gas only; unused gas is not charged')
  t.equal(r.depositNonce, 0n)
  t.equal(await s.balance(from.toString() as Hex), 6n * 10n ** 17n, 'mint - value, no gas cost')
  t.equal(await s.balance(to.toString() as Hex), 4n * 10n ** 17n)
  t.equal(await s.nonce(from), 1n)
  t.same(await s.fees(), before, 'no base-fee or coinbase credit')
})

t.test('deposit calling a contract: CALLER = ORIGIN = from, GASPRICE 0, BASEFEE the block base fee, logs and bloom', async (t) => {
  const s = await setup()
  const before = await s.fees()
  const aliceBefore = await s.balance(alice!.hex)
  const r = await s.run(s.deposit({ from: alice!.address, to: RECORDER, mint: 100n, value: 3n }))
  t.equal(r.receipt.status, 1)
  t.equal(BigInt(await s.storageAt(RECORDER, 0n)), BigInt(alice!.hex), 'CALLER')
  t.equal(BigInt(await s.storageAt(RECORDER, 1n)), BigInt(alice!.hex), 'ORIGIN')
  t.equal(await s.storageAt(RECORDER, 2n), 0n, 'GASPRICE')
  t.equal(await s.storageAt(RECORDER, 3n), BASE_FEE, 'BASEFEE')
  t.equal(await s.storageAt(RECORDER, 4n), 3n, 'CALLVALUE')
  t.equal(r.receipt.logs.length, 1)
  t.equal(bytesToHex(r.receipt.logs[0]![0]), RECORDER)
  t.ok(r.bloom.check(hexToBytes(RECORDER)), 'bloom holds the log address')
  t.ok(r.totalGasSpent > 21_000n && r.totalGasSpent < 200_000n, `real gas used (${r.totalGasSpent})`)
  t.equal(await s.balance(alice!.hex), aliceBefore + 97n, 'mint - value; nothing charged for gas')
  t.equal(await s.nonce(alice!.address), 1n)
  t.same(await s.fees(), before, 'fee recipients unchanged')
})

t.test('reverting deposit keeps the mint and the nonce bump, reverts the call, reports real gas', async (t) => {
  const s = await setup()
  const from = fresh(0xb1)
  const r = await s.run(s.deposit({ from, to: REVERTER, mint: 5n }))
  t.equal(r.receipt.status, 0)
  t.equal(r.failure, undefined, 'an EVM failure, not a non-EVM one')
  t.equal(await s.storageAt(REVERTER, 0n), 0n, 'the call’s SSTORE is reverted')
  t.equal(await s.balance(from.toString() as Hex), 5n, 'mint kept')
  t.equal(await s.nonce(from), 1n, 'nonce bumped')
  t.ok(r.totalGasSpent > 21_000n && r.totalGasSpent < 200_000n, `real gas used (${r.totalGasSpent})`)
})

t.test('out-of-gas deposit: status 0, all gas used, mint and nonce bump kept', async (t) => {
  const s = await setup()
  const from = fresh(0xc1)
  const r = await s.run(s.deposit({ from, to: LOOPER, mint: 7n, gas: 50_000n }))
  t.equal(r.receipt.status, 0)
  t.equal(r.totalGasSpent, 50_000n)
  t.equal(r.failure, undefined)
  t.equal(await s.balance(from.toString() as Hex), 7n)
  t.equal(await s.nonce(from), 1n)
})

t.test('non-EVM failures: state back to after the mint, nonce + 1, status 0, gasUsed = gasLimit', async (t) => {
  const s = await setup()
  const target = fresh(0xd0)
  const cases = [
    {
      name: 'value above balance + mint',
      tx: { to: target.toString() as Hex, mint: 5n, value: 6n, gas: 100_000n },
      failure: DEPOSIT_FAILURE.INSUFFICIENT_FUNDS,
    },
    { name: 'gas below intrinsic gas', tx: { to: target.toString() as Hex, mint: 5n, gas: 20_999n }, failure: DEPOSIT_FAILURE.INTRINSIC_GAS },
    {
      // 100 non-zero bytes: intrinsic 22,600, EIP-7623 floor 25,000
      name: 'gas below the calldata floor',
      tx: { to: target.toString() as Hex, mint: 5n, gas: 23_000n, data: new Uint8Array(100).fill(1) },
      failure: DEPOSIT_FAILURE.FLOOR_DATA_GAS,
    },
    {
      name: 'initcode over 49,152 bytes',
      tx: { to: undefined, mint: 5n, gas: 1_000_000n, data: new Uint8Array(49_153) },
      failure: DEPOSIT_FAILURE.MAX_INITCODE_SIZE,
    },
  ]
  for (const [i, c] of cases.entries()) {
    const from = fresh(0xd1 + i)
    const r = await s.run(s.deposit({ from, ...c.tx }))
    t.equal(r.failure, c.failure, `${c.name}: failure`)
    t.equal(r.receipt.status, 0, `${c.name}: status`)
    t.equal(r.totalGasSpent, c.tx.gas, `${c.name}: gasUsed = gasLimit`)
    t.equal(r.receipt.logs.length, 0, `${c.name}: no logs`)
    t.equal(await s.balance(from.toString() as Hex), 5n, `${c.name}: mint kept`)
    t.equal(await s.nonce(from), 1n, `${c.name}: nonce bumped`)
  }
  t.equal(await s.balance(target.toString() as Hex), 0n, 'no value reached the target')
})

t.test('calldata floor: a cheap call with heavy calldata uses the EIP-7623 floor', async (t) => {
  const s = await setup()
  const r = await s.run(s.deposit({ from: fresh(0xe1), to: fresh(0xe2).toString() as Hex, gas: 30_000n, data: new Uint8Array(100).fill(1) }))
  t.equal(r.receipt.status, 1)
  t.equal(r.totalGasSpent, 25_000n, '21,000 + 400 tokens x 10')
})

t.test('creation: address from the depositNonce, code deployed', async (t) => {
  const s = await setup()
  await s.run(s.deposit({ from: alice!.address, to: fresh(0xf0).toString() as Hex })) // nonce 0 -> 1
  // mem[0] = 0xfe; RETURN(0, 1)
  const r = await s.run(s.deposit({ from: alice!.address, to: undefined, data: hexToBytes('0x60fe5f5360015ff3') }))
  t.equal(r.receipt.status, 1)
  t.equal(r.depositNonce, 1n)
  const expected = createContractAddress(alice!.address, 1n)
  t.equal(r.createdAddress?.toString(), expected.toString())
  t.equal(bytesToHex(await s.runtime.stateManager.getCode(expected)), '0xfe')
  t.equal(await s.nonce(alice!.address), 2n)
})

t.test('a deposit reaches a runtime module with msg.sender = from', async (t) => {
  const s = await setup()
  const from = fresh(0x77)
  const data = hexToBytes(AbiFunction.encodeData(AbiFunction.from('function record() returns (address)')) as Hex)
  const r = await s.run(s.deposit({ from, to: MODULE, mint: 1n, data }))
  t.equal(r.receipt.status, 1)
  t.equal(await s.storageAt(MODULE, 0n), BigInt(from.toString()), 'the module frame saw the depositor')
  t.equal(await s.nonce(from), 1n)
})
