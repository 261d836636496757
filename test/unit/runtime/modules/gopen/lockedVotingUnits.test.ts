// Votes from locked OPEN: a stand-in vesting module moves locked units through the exported
// adjustLockedVotingUnits (GOPEN's storage via ctx.storageOf, on its own gas). The units follow
// the account's delegation with its GOPEN balance, count in getPastTotalSupply and never in the
// ERC-20 totalSupply; a broken adjustment halts the calling frame and changes nothing.
import { EVMError } from '@ethereumjs/evm'
import { Abi } from 'ox'
import t from 'tap'
import type { Hex } from '../../../../../genesis/index.ts'
import type { RuntimeModuleDefinition } from '../../../../../runtime/index.ts'
import { adjustLockedVotingUnits, lockedVotingUnits } from '../../../../../runtime/modules/gopen/lockedVotingUnits.ts'
import { testAccounts } from '../../../../fixtures/chain/testSpec.ts'
import { GOPEN, createGopenVm } from '../../../../fixtures/modules/gopen.ts'
import { DEFAULT_TIMESTAMP } from '../../../../fixtures/modules/moduleVm.ts'

const [alice, bob, carol] = testAccounts(3)
const VESTING: Hex = '0x4f50454e000000000000000000000000000010fe'

/** The part of a vesting module that matters here: lock / unlock units for an account. */
const vesting: RuntimeModuleDefinition = {
  name: 'fakeVesting',
  address: VESTING,
  version: '0.0.0',
  interfaceName: 'IFakeVesting',
  events: [],
  errors: [],
  functions: [
    { abi: 'function lock(address account, uint256 amount)', handler: (ctx, [a, amount]) => adjustLockedVotingUnits(ctx, a as Hex, amount as bigint) },
    { abi: 'function unlock(address account, uint256 amount)', handler: (ctx, [a, amount]) => adjustLockedVotingUnits(ctx, a as Hex, -(amount as bigint)) },
    { abi: 'function locked(address account) view returns (uint256)', handler: (ctx, [a]) => lockedVotingUnits(ctx, a as Hex) },
  ],
}
const VESTING_ABI = Abi.from(vesting.functions.map((f) => f.abi as string))

async function setup() {
  const vm = await createGopenVm({ accounts: [alice!, bob!, carol!], extraModules: [vesting] })
  const abi = VESTING_ABI
  return { ...vm, vesting: (fn: string, args: readonly unknown[], timestamp: bigint) => vm.callAbi(abi, VESTING, fn, args, { timestamp }) }
}

t.test('locked units vote through the delegate and count in the past total supply only', async (t) => {
  const vm = await setup()
  let now = DEFAULT_TIMESTAMP
  const lock = await vm.vesting('lock', [alice!.hex, 600n], ++now)
  t.ok(lock.ok)
  t.same(lock.logs, [], 'alice has no delegate yet: no votes move, nothing is logged')
  t.equal(await vm.read('lockedVotingUnitsOf', [alice!.hex], now), 600n)
  t.equal((await vm.vesting('locked', [alice!.hex], now)).result, 600n)
  t.equal(await vm.read('getVotes', [alice!.hex], now), 0n, 'no votes until alice delegates')
  t.equal(await vm.read('totalSupply', [], now), 0n, 'no GOPEN was minted')
  t.equal(await vm.read('getPastTotalSupply', [now], now + 1n), 600n)

  const d = await vm.gopen('delegate', [bob!.hex], { timestamp: ++now })
  t.same(vm.events(d)[1]?.args, { delegate: bob!.hex, previousVotes: 0n, newVotes: 600n }, 'delegate moves the locked units')
  t.ok((await vm.gopen('deposit', [], { value: 400n, timestamp: ++now })).ok)
  t.equal(await vm.read('getVotes', [bob!.hex], now), 1000n, 'balance + locked')

  const release = await vm.vesting('unlock', [alice!.hex, 250n], ++now)
  t.ok(release.ok, 'a release')
  // on the vesting module's gas: dispatch + 68 bytes of calldata; alice's account word (keccak,
  // cold read, rewrite); a new total checkpoint and a new one for bob (length, data slot, last, length + 1, new word);
  // bob's DelegateVotesChanged (LOG2, 64 bytes of data)
  const newCheckpoint = 2_100n + 36n + 2_100n + 2_900n + 2_100n + 20_000n
  const delegateVotesChanged = 375n + 2n * 375n + 64n * 8n
  t.equal(
    release.gas,
    100n + 3n * 3n + (42n + 2_100n + 2_900n) + newCheckpoint + (42n + newCheckpoint) + delegateVotesChanged,
    'gas of an adjustment (README.md)',
  )
  t.same(
    vm.events(release).map((e) => [e.address, e.name, e.args]),
    [[GOPEN, 'DelegateVotesChanged', { delegate: bob!.hex, previousVotes: 1000n, newVotes: 750n }]],
    'logged at GOPEN’s address, so indexers see locked votes move',
  )
  const released = now
  t.equal(await vm.read('getVotes', [bob!.hex], now), 750n)
  t.ok((await vm.vesting('lock', [alice!.hex, 50n], ++now)).ok, 'a new grant')
  t.equal(await vm.read('getVotes', [bob!.hex], now), 800n)

  const re = await vm.gopen('delegate', [carol!.hex], { timestamp: ++now })
  t.same(
    vm
      .events(re)
      .slice(1)
      .map((e) => e.args),
    [
      { delegate: bob!.hex, previousVotes: 800n, newVotes: 0n },
      { delegate: carol!.hex, previousVotes: 0n, newVotes: 800n },
    ],
  )
  t.ok((await vm.vesting('unlock', [alice!.hex, 400n], ++now)).ok)
  t.equal(await vm.read('getVotes', [carol!.hex], now), 400n, 'all locked units released: the balance remains')
  t.equal(await vm.read('lockedVotingUnitsOf', [alice!.hex], now), 0n)
  const later = now + 1n
  t.equal(await vm.read('getPastVotes', [bob!.hex, released], later), 750n)
  t.equal(await vm.read('getPastVotes', [bob!.hex, released - 1n], later), 1000n)
  t.equal(await vm.read('getPastTotalSupply', [released - 1n], later), 1000n)
  t.equal(await vm.read('getPastTotalSupply', [now], later), 400n)
  t.equal(await vm.read('totalSupply', [], later), 400n)
  t.equal(await vm.balance(GOPEN), 400n, 'native OPEN in GOPEN == totalSupply: locked OPEN stays with vesting')
})

t.test('unlocking more than is locked halts the vesting frame and changes nothing', async (t) => {
  const vm = await setup()
  t.ok((await vm.vesting('lock', [alice!.hex, 10n], DEFAULT_TIMESTAMP)).ok)
  t.ok((await vm.gopen('delegate', [alice!.hex])).ok)
  const bad = await vm.vesting('unlock', [alice!.hex, 11n], DEFAULT_TIMESTAMP + 1n)
  t.equal(bad.exception, EVMError.errorMessages.INTERNAL_ERROR)
  t.equal(await vm.read('lockedVotingUnitsOf', [alice!.hex], DEFAULT_TIMESTAMP + 1n), 10n)
  t.equal(await vm.read('getVotes', [alice!.hex], DEFAULT_TIMESTAMP + 1n), 10n)
  t.equal(await vm.read('numCheckpoints', [alice!.hex], DEFAULT_TIMESTAMP + 1n), 1)
})
