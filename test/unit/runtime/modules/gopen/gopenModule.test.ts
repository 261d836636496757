// GOPEN's handlers on a runtime VM: wrapping native OPEN (deposit, receive, withdraw) with the
// native balances on both sides, metadata, EIP-712 domain, the ERC-6372 clock, and the exact
// gas of transfer and delegate (each SLOAD / SSTORE / LOG / KECCAK named), and README.md's gas
// table against OpenZeppelin's Solidity (GopenReference.sol, whose storage layout GOPEN shares).
import { readFileSync } from 'node:fs'
import t from 'tap'
import { AbiFunction, TypedData } from 'ox'
import { domainSeparator } from 'viem'
import type { Hex } from '../../../../../genesis/index.ts'
import { MODULE_CALLER } from '../../../../fixtures/contracts/contracts.ts'
import { ONE_OPEN, testAccounts } from '../../../../fixtures/chain/testSpec.ts'
import { GOPEN_SLOTS } from '../../../../../runtime/modules/gopen/gopenState.ts'
import { GOPEN, createGopenVm } from '../../../../fixtures/modules/gopen.ts'
import { compileGopenReference, gopenGasScenario } from '../../../../fixtures/modules/gopenGasScenario.ts'
import { DEFAULT_TIMESTAMP } from '../../../../fixtures/modules/moduleVm.ts'

const [alice, bob] = testAccounts(2)
const CALLER: Hex = '0x00000000000000000000000000000000000ca11e'
/** a contract whose code always reverts (PUSH0 PUSH0 REVERT): it cannot take a payout */
const REJECTER: Hex = '0x000000000000000000000000000000000000dead'

const setup = () =>
  createGopenVm({
    accounts: [alice!, bob!],
    extraAlloc: { [CALLER]: { balance: 0n, code: MODULE_CALLER.deployedBytecode }, [REJECTER]: { balance: ONE_OPEN, code: '0x5f5ffd' } },
  })

t.test('deposit, receive and withdraw move native OPEN and GOPEN 1:1 and log WETH9 + ERC-20 events', async (t) => {
  const vm = await setup()
  const before = await vm.balance(alice!.hex)
  const d = await vm.gopen('deposit', [], { value: 5n * ONE_OPEN })
  t.ok(d.ok)
  t.same(
    vm.events(d).map((e) => [e.address, e.name, e.args]),
    [
      [GOPEN, 'Transfer', { from: '0x0000000000000000000000000000000000000000', to: alice!.hex, value: 5n * ONE_OPEN }],
      [GOPEN, 'Deposit', { dst: alice!.hex, wad: 5n * ONE_OPEN }],
    ],
    'Transfer from 0, then Deposit',
  )
  const plain = await vm.call(GOPEN, '0x', { value: 2n * ONE_OPEN })
  t.ok(plain.ok, 'a plain transfer deposits')
  t.equal(await vm.read('balanceOf', [alice!.hex]), 7n * ONE_OPEN)
  t.equal(await vm.read('totalSupply'), 7n * ONE_OPEN)
  t.equal(await vm.balance(GOPEN), 7n * ONE_OPEN, 'the module account holds the wrapped OPEN')
  t.equal(await vm.balance(alice!.hex), before - 7n * ONE_OPEN)

  const w = await vm.gopen('withdraw', [3n * ONE_OPEN])
  t.ok(w.ok)
  t.same(
    vm.events(w).map((e) => e.name),
    ['Transfer', 'Withdrawal'],
  )
  t.same(vm.events(w)[1]!.args, { src: alice!.hex, wad: 3n * ONE_OPEN })
  t.equal(await vm.balance(alice!.hex), before - 4n * ONE_OPEN, 'native OPEN came back')
  t.equal(await vm.balance(GOPEN), 4n * ONE_OPEN)
  t.equal(await vm.read('totalSupply'), 4n * ONE_OPEN)

  const over = await vm.gopen('withdraw', [5n * ONE_OPEN])
  t.same(over.error, { name: 'ERC20InsufficientBalance', args: [alice!.hex, 4n * ONE_OPEN, 5n * ONE_OPEN] })
})

t.test('zero amounts, a refused payout and static calls revert and change nothing', async (t) => {
  const vm = await setup()
  t.same((await vm.gopen('deposit')).error, { name: 'ZeroValueNotAllowed', args: [] })
  t.same((await vm.call(GOPEN, '0x')).ok, false, 'an empty plain call is a zero deposit')
  t.same((await vm.gopen('withdraw', [0n])).error, { name: 'ZeroValueNotAllowed', args: [] })
  t.ok((await vm.gopen('deposit', [], { caller: REJECTER, value: 100n })).ok, 'a contract deposits')
  const refused = await vm.gopen('withdraw', [40n], { caller: REJECTER })
  t.same(refused.error, { name: 'Error', args: ['Failed to send native currency'] }, "OpenLedger GOPEN's require text")
  t.equal(await vm.read('balanceOf', [REJECTER]), 100n, 'the burn was undone with the payout')
  t.equal(await vm.balance(GOPEN), 100n)
  const transfer = AbiFunction.from('function transfer(address to, uint256 value) returns (bool)')
  const s = await vm.callAbi(MODULE_CALLER.abi, CALLER, 'forwardStatic', [GOPEN, AbiFunction.encodeData(transfer, [bob!.hex, 0n])])
  t.same((s.result as [boolean, Hex])[0], false, 'transfer under STATICCALL fails')
})

t.test('metadata, EIP-712 domain (EIP-5267) and the timestamp clock', async (t) => {
  const vm = await setup()
  t.equal(await vm.read('name'), 'GOpen')
  t.equal(await vm.read('symbol'), 'GOPEN')
  t.equal(await vm.read('decimals'), 18)
  t.equal(await vm.read('CLOCK_MODE'), 'mode=timestamp')
  t.equal(await vm.read('clock', [], 1_800_000_000n), 1_800_000_000, 'clock() = uint48(block.timestamp)')
  const domain = { name: 'GOpen', version: '1', chainId: vm.spec.chainId, verifyingContract: GOPEN } as const
  t.equal(await vm.read('DOMAIN_SEPARATOR'), domainSeparator({ domain }), "viem's domain separator")
  t.equal(await vm.read('DOMAIN_SEPARATOR'), TypedData.domainSeparator(domain))
  t.same(await vm.read('eip712Domain'), ['0x0f', 'GOpen', '1', vm.spec.chainId, GOPEN, `0x${'0'.repeat(64)}`, []])
  t.equal(await vm.read('moduleVersion'), '1.0.0')
})

t.test('a revert in an outer Solidity frame undoes GOPEN writes (ModuleCaller.sol)', async (t) => {
  const vm = await setup()
  t.ok((await vm.gopen('deposit', [], { value: 1000n })).ok)
  const transfer = AbiFunction.from('function transfer(address to, uint256 value) returns (bool)')
  // the caller contract holds GOPEN through a forwarded deposit
  t.ok(
    (await vm.callAbi(MODULE_CALLER.abi, CALLER, 'forward', [GOPEN, AbiFunction.encodeData(AbiFunction.from('function deposit() payable'))], { value: 500n }))
      .ok,
  )
  t.equal(await vm.read('balanceOf', [CALLER]), 500n)
  const r = await vm.callAbi(MODULE_CALLER.abi, CALLER, 'callThenRevert', [GOPEN, AbiFunction.encodeData(transfer, [bob!.hex, 200n])])
  t.equal(r.error?.name, 'Undo', 'GOPEN returned true, then the caller reverted')
  t.equal(await vm.read('balanceOf', [CALLER]), 500n)
  t.equal(await vm.read('balanceOf', [bob!.hex]), 0n)
  const ok = await vm.callAbi(MODULE_CALLER.abi, CALLER, 'forward', [GOPEN, AbiFunction.encodeData(transfer, [bob!.hex, 200n])])
  t.ok(ok.ok)
  t.equal(await vm.read('balanceOf', [bob!.hex]), 200n, 'the same call through a frame that does not revert keeps it')
  t.equal(await vm.balance(GOPEN), await vm.read('totalSupply'), 'native OPEN in the module == totalSupply')
})

// Gas of the module's operations (runtime/modules/framework/gas.ts): cold SLOAD 2,100, SSTORE
// 0 -> x 20,000 / x -> y 2,900 (+2,100 when cold), LOG 375 + 375 a topic + 8 a data byte,
// KECCAK256 30 + 6 a word (a mapping slot hashes 64 bytes: 42; an array's data slot 32: 36),
// dispatch 100 + 3 a calldata / return word.
const MAPPING = 42n
const ARRAY = 36n
const LOG_TRANSFER = 375n + 3n * 375n + 32n * 8n
const LOG_VOTES_CHANGED = 375n + 2n * 375n + 64n * 8n
const LOG_DELEGATE_CHANGED = 375n + 4n * 375n

t.test('gas of transfer and delegate, item by item', async (t) => {
  const vm = await setup()
  t.ok((await vm.gopen('deposit', [], { value: 1000n })).ok)
  t.ok((await vm.gopen('deposit', [], { value: 1000n, caller: bob!.hex })).ok)

  const delegate = await vm.gopen('delegate', [alice!.hex], { timestamp: DEFAULT_TIMESTAMP + 1n })
  const delegateGas =
    100n +
    2n * 3n + // dispatch, selector + 1 argument
    (MAPPING + 2_100n + 20_000n) + // account word (delegatee | locked): read, 0 -> delegatee
    LOG_DELEGATE_CHANGED +
    (MAPPING + 2_100n) + // balance (the voting units)
    (MAPPING + 2_100n + 20_000n) + // checkpoint length 0 -> 1 (nothing to read below it)
    (ARRAY + 2_100n + 20_000n) + // the checkpoint word
    LOG_VOTES_CHANGED
  t.equal(delegate.gas, delegateGas, 'first delegation (self)')
  t.ok((await vm.gopen('delegate', [bob!.hex], { caller: bob!.hex, timestamp: DEFAULT_TIMESTAMP + 1n })).ok)

  const transfer = await vm.gopen('transfer', [bob!.hex, 10n], { timestamp: DEFAULT_TIMESTAMP + 2n })
  const push = MAPPING + 2_100n + 2_100n + 2_900n + ARRAY + 2_100n + 20_000n + LOG_VOTES_CHANGED // length, last, length + 1, new word
  const transferGas =
    100n +
    3n * 3n +
    3n + // dispatch, 68 bytes of calldata, a bool back
    2n * (MAPPING + 2_100n + 2_900n) + // both balances read and rewritten
    LOG_TRANSFER +
    2n * (MAPPING + 2_100n) + // both delegates
    2n * push // a new checkpoint for each delegate (a new second)
  t.equal(transfer.gas, transferGas, 'transfer between two delegated accounts at a new timestamp')
  const same = await vm.gopen('transfer', [bob!.hex, 10n], { timestamp: DEFAULT_TIMESTAMP + 2n })
  const overwrite = MAPPING + 2_100n + ARRAY + 2_100n + 2_900n + LOG_VOTES_CHANGED // length, last, last rewritten
  t.equal(same.gas, transferGas - 2n * push + 2n * overwrite, 'in the same second the last checkpoints are overwritten')
  t.equal(await vm.read('numCheckpoints', [alice!.hex], DEFAULT_TIMESTAMP + 3n), 2)
})

t.test("README.md's gas table: every step measured on the module and on OZ 5.7's ERC20Votes", async (t) => {
  const reference = compileGopenReference()
  t.same(
    Object.fromEntries(reference.storage.map((v) => [v.label, BigInt(v.slot)])),
    {
      _balances: GOPEN_SLOTS.balances,
      _allowances: GOPEN_SLOTS.allowances,
      _totalSupply: GOPEN_SLOTS.totalSupply,
      _name: 3n,
      _symbol: 4n,
      _nameFallback: 5n,
      _versionFallback: 6n,
      _nonces: GOPEN_SLOTS.nonces,
      _delegatee: GOPEN_SLOTS.accounts,
      _delegateCheckpoints: GOPEN_SLOTS.delegateCheckpoints,
      _totalCheckpoints: GOPEN_SLOTS.totalCheckpoints,
    },
    "the module's slots are the Solidity contract's",
  )
  const vm = await createGopenVm({ accounts: testAccounts(3) })
  const deployed = await vm.deploy(reference.bytecode)
  const mine = await gopenGasScenario(vm, GOPEN)
  const oz = await gopenGasScenario(vm, deployed)
  const n = (v: bigint) => v.toLocaleString('en-US')
  const rows = mine.map((s, i) => `| ${s.label} | ${n(s.gas)} | ${n(oz[i]!.gas)} | ${n(s.gas - oz[i]!.gas)} |`)
  const readme = readFileSync(new URL('../../../../../runtime/modules/gopen/README.md', import.meta.url), 'utf8')
  const missing = rows.filter((row) => !readme.includes(row))
  t.same(missing, [], `README.md's rows are the measured ones; the table now reads:\n${rows.join('\n')}`)
  for (const [i, s] of mine.entries()) t.ok(s.gas <= oz[i]!.gas, `${s.label}: module ${s.gas} <= OZ ${oz[i]!.gas}`)
})
