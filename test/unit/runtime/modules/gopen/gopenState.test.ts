// GOPEN's state rules (OpenZeppelin 5 ERC20 / ERC20Votes): transfers, allowances and their
// custom errors decoded by name, and how delegation moves votes as balances move.
import t from 'tap'
import type { Hex } from '../../../../../genesis/index.ts'
import { testAccounts } from '../../../../fixtures/chain/testSpec.ts'
import { GOPEN, createGopenVm } from '../../../../fixtures/modules/gopen.ts'
import { DEFAULT_TIMESTAMP } from '../../../../fixtures/modules/moduleVm.ts'

const [alice, bob, carol] = testAccounts(3)
const ZERO: Hex = '0x0000000000000000000000000000000000000000'
const MAX = (1n << 256n) - 1n

/** alice holds 1,000 GOPEN */
async function funded() {
  const vm = await createGopenVm({ accounts: [alice!, bob!, carol!] })
  if (!(await vm.gopen('deposit', [], { value: 1000n })).ok) throw new Error('deposit failed')
  return vm
}

t.test('transfer: balances, events and the IERC20Errors of OZ 5', async (t) => {
  const vm = await funded()
  const ok = await vm.gopen('transfer', [bob!.hex, 300n])
  t.equal(ok.result, true)
  t.same(vm.events(ok), [{ address: GOPEN, name: 'Transfer', args: { from: alice!.hex, to: bob!.hex, value: 300n } }])
  t.equal(await vm.read('balanceOf', [alice!.hex]), 700n)
  t.equal(await vm.read('balanceOf', [bob!.hex]), 300n)
  t.same((await vm.gopen('transfer', [bob!.hex, 701n])).error, { name: 'ERC20InsufficientBalance', args: [alice!.hex, 700n, 701n] })
  t.same((await vm.gopen('transfer', [ZERO, 1n])).error, { name: 'ERC20InvalidReceiver', args: [ZERO] })
  t.same((await vm.gopen('transfer', [bob!.hex, 1n], { caller: ZERO })).error, { name: 'ERC20InvalidSender', args: [ZERO] }, 'msg.sender 0 (a raw call)')
  t.ok((await vm.gopen('transfer', [alice!.hex, 700n])).ok, 'to oneself')
  t.ok((await vm.gopen('transfer', [bob!.hex, 0n])).ok, 'zero value')
  t.equal(await vm.read('balanceOf', [alice!.hex]), 700n)
  t.equal(await vm.read('totalSupply'), 1000n)
})

t.test('approve, allowance and transferFrom; max allowance is never spent', async (t) => {
  const vm = await funded()
  const a = await vm.gopen('approve', [bob!.hex, 500n])
  t.equal(a.result, true)
  t.same(
    vm.events(a).map((e) => [e.name, e.args]),
    [['Approval', { owner: alice!.hex, spender: bob!.hex, value: 500n }]],
  )
  t.equal(await vm.read('allowance', [alice!.hex, bob!.hex]), 500n)
  t.same((await vm.gopen('approve', [ZERO, 1n])).error, { name: 'ERC20InvalidSpender', args: [ZERO] })
  t.same((await vm.gopen('approve', [bob!.hex, 1n], { caller: ZERO })).error, { name: 'ERC20InvalidApprover', args: [ZERO] })

  const spent = await vm.gopen('transferFrom', [alice!.hex, carol!.hex, 200n], { caller: bob!.hex })
  t.equal(spent.result, true)
  t.same(
    vm.events(spent).map((e) => e.name),
    ['Transfer'],
    'spending an allowance logs no Approval (OZ 5)',
  )
  t.equal(await vm.read('allowance', [alice!.hex, bob!.hex]), 300n)
  t.equal(await vm.read('balanceOf', [carol!.hex]), 200n)
  t.same((await vm.gopen('transferFrom', [alice!.hex, carol!.hex, 301n], { caller: bob!.hex })).error, {
    name: 'ERC20InsufficientAllowance',
    args: [bob!.hex, 300n, 301n],
  })
  t.same((await vm.gopen('transferFrom', [alice!.hex, ZERO, 1n], { caller: bob!.hex })).error, { name: 'ERC20InvalidReceiver', args: [ZERO] })
  t.same((await vm.gopen('transferFrom', [ZERO, carol!.hex, 1n], { caller: bob!.hex })).error, { name: 'ERC20InsufficientAllowance', args: [bob!.hex, 0n, 1n] })
  t.same((await vm.gopen('transferFrom', [ZERO, carol!.hex, 0n], { caller: bob!.hex })).error, { name: 'ERC20InvalidApprover', args: [ZERO] })
  t.ok((await vm.gopen('approve', [bob!.hex, 10_000n])).ok)
  t.same((await vm.gopen('transferFrom', [alice!.hex, carol!.hex, 801n], { caller: bob!.hex })).error, {
    name: 'ERC20InsufficientBalance',
    args: [alice!.hex, 800n, 801n],
  })

  t.ok((await vm.gopen('approve', [bob!.hex, MAX])).ok)
  t.ok((await vm.gopen('transferFrom', [alice!.hex, carol!.hex, 100n], { caller: bob!.hex })).ok)
  t.equal(await vm.read('allowance', [alice!.hex, bob!.hex]), MAX, 'type(uint256).max stays')
})

t.test('votes follow delegation and balances; undelegated units count nowhere', async (t) => {
  const vm = await funded()
  let now = DEFAULT_TIMESTAMP
  const at = () => ({ timestamp: ++now })
  t.equal(await vm.read('getVotes', [alice!.hex]), 0n, 'no votes before delegating')
  t.equal(await vm.read('delegates', [alice!.hex]), ZERO)

  const d = await vm.gopen('delegate', [bob!.hex], at())
  t.same(
    vm.events(d).map((e) => [e.name, e.args]),
    [
      ['DelegateChanged', { delegator: alice!.hex, fromDelegate: ZERO, toDelegate: bob!.hex }],
      ['DelegateVotesChanged', { delegate: bob!.hex, previousVotes: 0n, newVotes: 1000n }],
    ],
  )
  t.equal((await vm.read('delegates', [alice!.hex])) as string, bob!.hex)
  t.equal(await vm.read('getVotes', [bob!.hex]), 1000n)

  // carol has not delegated: what alice sends her leaves bob's votes and goes nowhere
  const tr = await vm.gopen('transfer', [carol!.hex, 400n], at())
  t.same(
    vm.events(tr).map((e) => [e.name, e.args]),
    [
      ['Transfer', { from: alice!.hex, to: carol!.hex, value: 400n }],
      ['DelegateVotesChanged', { delegate: bob!.hex, previousVotes: 1000n, newVotes: 600n }],
    ],
  )
  t.ok((await vm.gopen('delegate', [carol!.hex], { caller: carol!.hex, ...at() })).ok)
  t.equal(await vm.read('getVotes', [carol!.hex]), 400n)
  t.ok((await vm.gopen('transfer', [alice!.hex, 100n], { caller: carol!.hex, ...at() })).ok)
  t.equal(await vm.read('getVotes', [bob!.hex]), 700n)
  t.equal(await vm.read('getVotes', [carol!.hex]), 300n)

  const redelegate = await vm.gopen('delegate', [alice!.hex], at())
  t.same(
    vm.events(redelegate).map((e) => [e.name, e.args]),
    [
      ['DelegateChanged', { delegator: alice!.hex, fromDelegate: bob!.hex, toDelegate: alice!.hex }],
      ['DelegateVotesChanged', { delegate: bob!.hex, previousVotes: 700n, newVotes: 0n }],
      ['DelegateVotesChanged', { delegate: alice!.hex, previousVotes: 0n, newVotes: 700n }],
    ],
  )
  const w = await vm.gopen('withdraw', [200n], at())
  t.same(
    vm.events(w).map((e) => e.name),
    ['Transfer', 'DelegateVotesChanged', 'Withdrawal'],
  )
  t.equal(await vm.read('getVotes', [alice!.hex], now + 1n), 500n)
  const off = await vm.gopen('delegate', [ZERO], at())
  t.same(vm.events(off)[1]!.args, { delegate: alice!.hex, previousVotes: 500n, newVotes: 0n }, 'delegating to 0 drops the votes')
  t.equal(await vm.read('getPastTotalSupply', [now], now + 1n), 800n, 'the total counts undelegated units too')
})
