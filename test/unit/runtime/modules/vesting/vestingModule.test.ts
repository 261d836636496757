// The vesting module on a runtime VM: genesis schedules, the cliff boundary and the last second,
// release across the cliff, rounding over a full schedule (no wei lost or created), governance-only
// creation and revocation, locked-vote accounting, and the ABI against IVesting.sol.
import { EVMError } from '@ethereumjs/evm'
import { bytesToHex } from '@ethereumjs/util'
import { AbiError, AbiFunction } from 'ox'
import t from 'tap'
import type { Hex } from '../../../../../genesis/index.ts'
import { MODULE_ADDRESSES } from '../../../../../runtime/index.ts'
import { compileModule } from '../../../../../runtime/modules/framework/compileModule.ts'
import { VESTING_ERRORS } from '../../../../../runtime/modules/vesting/vestingAbi.ts'
import { vestingModule } from '../../../../../runtime/modules/vesting/vestingModule.ts'
import type { LockedVotes } from '../../../../../runtime/modules/vesting/vestingModule.ts'
import { vestingGenesisStorage } from '../../../../../runtime/modules/vesting/vestingStorage.ts'
import { createPrng } from '../../../../fixtures/chain/prng.ts'
import { createTestSpec, testAccounts } from '../../../../fixtures/chain/testSpec.ts'
import { createModuleVm } from '../../../../fixtures/modules/moduleVm.ts'
import type { CallOptions } from '../../../../fixtures/modules/moduleVm.ts'
import { abiItemKey, compileInterfaceAbi } from '../../../../fixtures/modules/interfaceAbi.ts'

const abiSignatures = (abi: readonly unknown[]) =>
  (abi as Parameters<typeof abiItemKey>[0][])
    .filter((i) => i.type !== 'constructor')
    .map(abiItemKey)
    .sort()

const VESTING = MODULE_ADDRESSES.vesting
const TIMELOCK = MODULE_ADDRESSES.timelock
const [team, other] = testAccounts(2)
const T0 = 1_700_000_000n
const MONTH = 2_629_800n
const TEAM_AMOUNT = 150_000_000n * 10n ** 18n + 7n // an odd amount, so the floors matter
const TEAM_START = T0 + 12n * MONTH
const TEAM_DURATION = 36n * MONTH
const BUCKET = `0x${Buffer.from('team').toString('hex').padEnd(64, '0')}` as Hex

const abi = compileModule(vestingModule(createTestSpec(), { lockedVotes: async () => {} })).abi
const fn = (name: string) => AbiFunction.fromAbi(abi as never, name as never) as AbiFunction.AbiFunction
const data = (name: string, args: readonly unknown[] = []) => AbiFunction.encodeData(fn(name), args as never)
const result = (name: string, r: { returnValue: Uint8Array }) => AbiFunction.decodeResult(fn(name), bytesToHex(r.returnValue) as Hex) as unknown
const errorName = (r: { returnValue: Uint8Array }) => {
  const hex = bytesToHex(r.returnValue)
  for (const e of VESTING_ERRORS) {
    const item = AbiError.from(e as string) as AbiError.AbiError
    if (hex.startsWith(AbiError.getSelector(item))) return item.name
  }
  return undefined
}

async function setup() {
  const votes: Array<[Hex, bigint]> = []
  const lockedVotes: LockedVotes = async (_ctx, account, delta) => {
    votes.push([account, delta])
  }
  const schedules = [
    { beneficiary: team!.hex, amount: TEAM_AMOUNT, start: TEAM_START, cliff: TEAM_START, duration: TEAM_DURATION, revocable: false, bucket: BUCKET },
    { beneficiary: TIMELOCK as Hex, amount: 1_000n, start: T0, cliff: T0, duration: 48n * MONTH, revocable: false, bucket: BUCKET },
  ]
  const storage: Record<Hex, Hex> = {}
  for (const [slot, value] of vestingGenesisStorage(schedules)) storage[`0x${slot.toString(16)}`] = `0x${value.toString(16)}`
  const spec = createTestSpec({
    accounts: [team!, other!],
    timestamp: T0,
    extraAlloc: { [VESTING]: { balance: TEAM_AMOUNT + 1_000n, nonce: 1n, code: '0xfe', storage }, [TIMELOCK]: { balance: 10n ** 24n } },
  })
  const moduleVm = await createModuleVm({ spec, extraModules: [vestingModule(spec, { lockedVotes })] })
  // the raw ExecResult of each call, and balances
  const vm = {
    call: async (to: Hex, data: Hex, opts: CallOptions) => (await moduleVm.call(to, data, opts)).exec,
    balance: moduleVm.balance,
  }
  return { vm, votes }
}

t.test('the ABI is IVesting.sol exactly (plus the framework base functions and errors)', async (t) => {
  const sol = abiSignatures(compileInterfaceAbi('runtime/modules/vesting/IVesting.sol', 'IVesting'))
  const ours = abiSignatures(abi)
  for (const sig of sol) t.ok(ours.includes(sig), sig)
  const base = [
    'supportsInterface',
    'moduleVersion',
    'UnknownSelector',
    'NonPayable',
    'MalformedCalldata',
    'StaticCallViolation',
    'DelegateCallNotAllowed',
    'ModuleError',
  ]
  t.same(
    ours.filter((s) => !sol.includes(s) && !base.some((b) => s.includes(` ${b}(`))),
    [],
    'nothing else',
  )
})

t.test('cliff boundary and last second of a 12-month-cliff / 36-month schedule', async (t) => {
  const { vm } = await setup()
  const vested = async (at: bigint) => result('vestedAmount', await vm.call(VESTING, data('vestedAmount', [0n, at]), { caller: other!.hex })) as bigint
  t.equal(await vested(T0), 0n, 'nothing at TGE')
  t.equal(await vested(TEAM_START - 1n), 0n, 'nothing one second before the cliff')
  t.equal(await vested(TEAM_START), 0n, 'reading (a): nothing released at the cliff itself')
  t.equal(await vested(TEAM_START + 1n), TEAM_AMOUNT / TEAM_DURATION, 'one second of linear vesting after it')
  t.equal(await vested(TEAM_START + 18n * MONTH), TEAM_AMOUNT / 2n, 'half at the midpoint')
  const end = TEAM_START + TEAM_DURATION
  t.equal(await vested(end - 1n), (TEAM_AMOUNT * (TEAM_DURATION - 1n)) / TEAM_DURATION, 'the last second is still linear')
  t.ok((await vested(end - 1n)) < TEAM_AMOUNT)
  t.equal(await vested(end), TEAM_AMOUNT, 'everything at the end')
  t.equal(await vested(end + 10n ** 9n), TEAM_AMOUNT)
})

t.test('release across the cliff pays the beneficiary and moves its locked votes', async (t) => {
  const { vm, votes } = await setup()
  const before = await vm.balance(team!.hex)
  const early = await vm.call(VESTING, data('release', [0n]), { caller: other!.hex, timestamp: TEAM_START })
  t.equal(early.exceptionError?.error, EVMError.errorMessages.REVERT)
  t.equal(errorName(early), 'VestingNothingToRelease')
  const at = TEAM_START + MONTH
  const r = await vm.call(VESTING, data('release', [0n]), { caller: other!.hex, timestamp: at })
  t.equal(r.exceptionError, undefined)
  const expected = (TEAM_AMOUNT * MONTH) / TEAM_DURATION
  t.equal(result('release', r), expected)
  t.equal((await vm.balance(team!.hex)) - before, expected, 'anyone may trigger; the beneficiary is paid')
  t.same(votes, [[team!.hex, -expected]])
  t.equal(r.logs?.length, 1, 'Released event')
  const again = await vm.call(VESTING, data('release', [0n]), { caller: team!.hex, timestamp: at })
  t.equal(errorName(again), 'VestingNothingToRelease', 'nothing more in the same second')
  t.equal(result('lockedOf', await vm.call(VESTING, data('lockedOf', [team!.hex]), { caller: other!.hex, timestamp: at })), TEAM_AMOUNT - expected)
})

t.test('releases at random instants over the whole schedule sum to the amount exactly', async (t) => {
  const { vm } = await setup()
  const rng = createPrng(42).next
  const moduleBefore = await vm.balance(VESTING)
  const teamBefore = await vm.balance(team!.hex)
  let now = TEAM_START
  let released = 0n
  for (let i = 0; i < 40; i++) {
    now += BigInt(Math.floor(rng() * Number(TEAM_DURATION / 30n)))
    const r = await vm.call(VESTING, data('releaseAll'), { caller: team!.hex, timestamp: now })
    if (r.exceptionError === undefined) released += result('releaseAll', r) as bigint
  }
  // release() without an id is releaseAll(): every schedule of msg.sender
  const last = await vm.call(VESTING, AbiFunction.encodeData(AbiFunction.from('function release() returns (uint256)')), {
    caller: team!.hex,
    timestamp: TEAM_START + TEAM_DURATION,
  })
  if (last.exceptionError === undefined) released += result('releaseAll', last) as bigint
  t.equal(released, TEAM_AMOUNT, 'every wei released, none created')
  t.equal((await vm.balance(team!.hex)) - teamBefore, TEAM_AMOUNT)
  t.equal(moduleBefore - (await vm.balance(VESTING)), TEAM_AMOUNT)
  t.same(result('getSchedule', await vm.call(VESTING, data('getSchedule', [0n]), { caller: team!.hex })), [
    team!.hex,
    TEAM_AMOUNT,
    TEAM_AMOUNT,
    TEAM_START,
    TEAM_START,
    TEAM_DURATION,
    false,
    false,
    BUCKET,
  ])
})

t.test('only governance creates schedules, funded by the OPEN it sends', async (t) => {
  const { vm, votes } = await setup()
  const args = [other!.hex, T0, T0 + MONTH, 12n * MONTH, true, BUCKET]
  const denied = await vm.call(VESTING, data('createSchedule', args), { caller: other!.hex, value: 100n })
  t.equal(errorName(denied), 'VestingUnauthorized')
  const empty = await vm.call(VESTING, data('createSchedule', args), { caller: TIMELOCK, value: 0n })
  t.equal(errorName(empty), 'VestingInvalidSchedule', 'no OPEN, no schedule')
  const badCliff = await vm.call(VESTING, data('createSchedule', [other!.hex, T0, T0 - 1n, 12n * MONTH, true, BUCKET]), { caller: TIMELOCK, value: 5n })
  t.equal(errorName(badCliff), 'VestingInvalidSchedule', 'cliff before start')
  const balance = await vm.balance(VESTING)
  const ok = await vm.call(VESTING, data('createSchedule', args), { caller: TIMELOCK, value: 12_000n })
  t.equal(ok.exceptionError, undefined)
  t.equal(result('createSchedule', ok), 2n, 'ids continue after the genesis schedules')
  t.equal((await vm.balance(VESTING)) - balance, 12_000n)
  t.same(votes, [[other!.hex, 12_000n]], 'locked OPEN votes for its beneficiary')
  t.same(result('schedulesOf', await vm.call(VESTING, data('schedulesOf', [other!.hex]), { caller: other!.hex })), [2n])
})

t.test('revoke: governance only, revocable only, unvested part back to the timelock, vested part stays', async (t) => {
  const { vm, votes } = await setup()
  const notRevocable = await vm.call(VESTING, data('revoke', [0n]), { caller: TIMELOCK })
  t.equal(errorName(notRevocable), 'VestingNotRevocable')
  await vm.call(VESTING, data('createSchedule', [other!.hex, T0, T0, 100n, true, BUCKET]), { caller: TIMELOCK, value: 1_000n })
  const denied = await vm.call(VESTING, data('revoke', [2n]), { caller: other!.hex, timestamp: T0 + 30n })
  t.equal(errorName(denied), 'VestingUnauthorized')
  const timelockBefore = await vm.balance(TIMELOCK)
  const r = await vm.call(VESTING, data('revoke', [2n]), { caller: TIMELOCK, timestamp: T0 + 30n })
  t.equal(r.exceptionError, undefined)
  t.equal(result('revoke', r), 700n)
  t.equal((await vm.balance(TIMELOCK)) - timelockBefore, 700n)
  t.same(votes.at(-1), [other!.hex, -700n])
  const twice = await vm.call(VESTING, data('revoke', [2n]), { caller: TIMELOCK, timestamp: T0 + 31n })
  t.equal(errorName(twice), 'VestingAlreadyRevoked')
  const paid = await vm.call(VESTING, data('release', [2n]), { caller: other!.hex, timestamp: T0 + 99n })
  t.equal(result('release', paid), 300n, 'the vested part at revocation is still the beneficiary’s')
  const unknown = await vm.call(VESTING, data('release', [99n]), { caller: other!.hex })
  t.equal(errorName(unknown), 'VestingUnknownSchedule')
})

t.test('totals: scheduled, released and unvested at the block time', async (t) => {
  const { vm } = await setup()
  const [scheduled, released, unvested] = result('totals', await vm.call(VESTING, data('totals'), { caller: other!.hex, timestamp: TEAM_START })) as bigint[]
  t.equal(scheduled, TEAM_AMOUNT + 1_000n)
  t.equal(released, 0n)
  t.equal(unvested, TEAM_AMOUNT + 1_000n - (1_000n * 12n) / 48n)
})
