// The module framework end to end on a runtime VM: a test module reached by EOAs and by Solidity
// (ModuleCaller.sol), checking the frame it sees, metered storage, events, reverts, halts and
// the rules (non-payable, static, delegatecall, unknown selector, malformed calldata).
import { EVMError } from '@ethereumjs/evm'
import { bytesToBigInt, bytesToHex, createAddressFromString, hexToBytes } from '@ethereumjs/util'
import { AbiError, AbiFunction } from 'ox'
import t from 'tap'
import type { Hex } from '../../../../../genesis/index.ts'
import type { RuntimeModuleDefinition } from '../../../../../runtime/index.ts'
import { MODULE_CALLER } from '../../../../fixtures/contracts/contracts.ts'
import { testAccounts } from '../../../../fixtures/chain/testSpec.ts'
import { createModuleVm } from '../../../../fixtures/modules/moduleVm.ts'

const MODULE: Hex = '0x4f50454e000000000000000000000000000010ff'
const CALLER: Hex = '0x00000000000000000000000000000000000ca11e'
const [alice] = testAccounts(1)

const counter: RuntimeModuleDefinition = {
  name: 'counter',
  address: MODULE,
  version: '1.0.0',
  interfaceName: 'ICounter',
  events: ['event Bumped(address indexed by, uint256 value)'],
  errors: ['error TooBig(uint256 value)'],
  functions: [
    {
      abi: 'function bump() returns (uint256)',
      handler: async (ctx) => {
        const v = (await ctx.sload(0n)) + 1n
        await ctx.sstore(0n, v)
        ctx.emit('Bumped', { by: ctx.caller, value: v })
        return v
      },
    },
    { abi: 'function get() view returns (uint256)', handler: async (ctx) => ctx.sload(0n) },
    {
      abi: 'function frame() payable returns (address caller, uint256 value, bool isStatic, uint256 depth, uint256 timestamp)',
      handler: async (ctx) => [ctx.caller, ctx.value, ctx.isStatic, BigInt(ctx.depth), ctx.timestamp],
    },
    {
      abi: 'function frameView() view returns (address caller, bool isStatic, uint256 depth)',
      handler: async (ctx) => [ctx.caller, ctx.isStatic, BigInt(ctx.depth)],
    },
    {
      abi: 'function check(uint256 value)',
      handler: async (ctx, [value]) => {
        if ((value as bigint) > 10n) ctx.revert('TooBig', [value])
        if ((value as bigint) === 7n) ctx.revertWith('seven is not allowed')
      },
    },
    {
      abi: 'function pay(address to, uint256 amount) returns (bool)',
      handler: async (ctx, [to, amount]) => (await ctx.call(to as Hex, amount as bigint, new Uint8Array(0))).success,
    },
    {
      abi: 'function burnGas()',
      handler: async (ctx) => {
        for (;;) ctx.useGas(1000n)
      },
    },
    {
      abi: 'function bug()',
      handler: async () => {
        throw new TypeError('a bug in module code')
      },
    },
  ],
  receive: async () => {},
}

const fn = (sig: string) => AbiFunction.from(sig as string) as AbiFunction.AbiFunction

async function setup() {
  const vm = await createModuleVm({
    accounts: [alice!],
    governance: false,
    extraModules: [counter],
    extraAlloc: { [CALLER]: { balance: 0n, code: MODULE_CALLER.deployedBytecode } },
  })
  const call = async (to: Hex, data: Hex, opts: { value?: bigint; gasLimit?: bigint; caller?: Hex } = {}) => (await vm.call(to, data, opts)).exec
  const storage0 = () => vm.storageAt(MODULE, 0n)
  return { call, storage0, runtime: vm.runtime }
}

const caller = (name: string) => fn(MODULE_CALLER.abi.find((x) => (x as { name?: string }).name === name) as never)
const errorOf = (data: Uint8Array, sig: string) => AbiError.decode(AbiError.from(sig as string) as AbiError.AbiError, bytesToHex(data) as Hex)

t.test('an EOA call writes storage, returns ABI data and emits a real log; the frame is the caller', async (t) => {
  const { call, storage0 } = await setup()
  const r = await call(MODULE, AbiFunction.encodeData(fn('function bump() returns (uint256)')))
  t.equal(r.exceptionError, undefined)
  t.equal(bytesToBigInt(r.returnValue), 1n)
  t.equal(await storage0(), 1n)
  t.equal(r.logs?.length, 1)
  t.equal(bytesToHex(r.logs![0]![0]), MODULE)
  // cold SLOAD 2,100 + SSTORE 0 -> 1 of the now warm slot 20,000 + LOG2 with 32 bytes (375 + 2 x 375 + 32 x 8)
  // + dispatch 100 + one calldata word 3 + one return word 3
  t.equal(r.executionGasUsed, 2_100n + 20_000n + 1_381n + 100n + 3n + 3n)
  const frame = await call(MODULE, AbiFunction.encodeData(fn('function frame() payable returns (address, uint256, bool, uint256, uint256)')), { value: 5n })
  const [who, value, isStatic, depth, timestamp] = AbiFunction.decodeResult(
    fn('function frame() payable returns (address, uint256, bool, uint256, uint256)'),
    bytesToHex(frame.returnValue) as Hex,
  ) as unknown as unknown[]
  t.same([who, value, isStatic, depth, timestamp], [alice!.hex, 5n, false, 0n, 1_700_000_123n])
})

t.test('a revert in an outer Solidity frame undoes the module write', async (t) => {
  const { call, storage0 } = await setup()
  const bump = AbiFunction.encodeData(fn('function bump() returns (uint256)'))
  const r = await call(CALLER, AbiFunction.encodeData(caller('callThenRevert'), [MODULE, bump]))
  t.equal(r.exceptionError?.error, EVMError.errorMessages.REVERT)
  const inner = errorOf(r.returnValue, 'error Undo(bytes result)') as unknown as Hex
  t.equal(BigInt(inner), 1n, 'the module wrote 1 inside the reverted frame')
  t.equal(await storage0(), 0n, 'and the write is gone')
  const ok = await call(CALLER, AbiFunction.encodeData(caller('forward'), [MODULE, bump]))
  t.equal(ok.exceptionError, undefined)
  t.equal(await storage0(), 1n, 'the same call through a frame that does not revert keeps it')
})

t.test('msg.sender and depth through a contract; static calls see isStatic and cannot write', async (t) => {
  const { call, storage0 } = await setup()
  const viewFn = fn('function frameView() view returns (address, bool, uint256)')
  const r = await call(CALLER, AbiFunction.encodeData(caller('forwardStatic'), [MODULE, AbiFunction.encodeData(viewFn)]))
  const [ok, data] = AbiFunction.decodeResult(caller('forwardStatic'), bytesToHex(r.returnValue) as Hex) as unknown as [boolean, Hex]
  t.ok(ok)
  t.same(AbiFunction.decodeResult(viewFn, data), [CALLER, true, 1n])
  const w = await call(CALLER, AbiFunction.encodeData(caller('forwardStatic'), [MODULE, AbiFunction.encodeData(fn('function bump() returns (uint256)'))]))
  const [wok, wdata] = AbiFunction.decodeResult(caller('forwardStatic'), bytesToHex(w.returnValue) as Hex) as unknown as [boolean, Hex]
  t.notOk(wok)
  t.same(errorOf(hexToBytes(wdata), 'error StaticCallViolation()'), undefined)
  t.equal(await storage0(), 0n)
})

t.test('bad input reverts with a decodable reason and changes nothing', async (t) => {
  const { call, storage0 } = await setup()
  const bump = AbiFunction.encodeData(fn('function bump() returns (uint256)'))
  const nonPayable = await call(MODULE, bump, { value: 1n })
  t.equal(nonPayable.exceptionError?.error, EVMError.errorMessages.REVERT)
  t.same(errorOf(nonPayable.returnValue, 'error NonPayable()'), undefined)
  const unknown = await call(MODULE, '0xdeadbeef')
  t.equal(errorOf(unknown.returnValue, 'error UnknownSelector(bytes4 selector)'), '0xdeadbeef')
  const short = await call(MODULE, '0x0102')
  t.same(errorOf(short.returnValue, 'error MalformedCalldata()'), undefined)
  const check = fn('function check(uint256 value)')
  const truncated = await call(MODULE, AbiFunction.encodeData(check, [1n]).slice(0, 40) as Hex)
  t.same(errorOf(truncated.returnValue, 'error MalformedCalldata()'), undefined)
  const pay = fn('function pay(address to, uint256 amount) returns (bool)')
  const good = AbiFunction.encodeData(pay, [alice!.hex, 0n])
  const dirty = `${good.slice(0, 10)}ff${good.slice(12)}` as Hex
  const d = await call(MODULE, dirty)
  t.same(errorOf(d.returnValue, 'error MalformedCalldata()'), undefined, 'dirty high bits of an address are malformed')
  const custom = await call(MODULE, AbiFunction.encodeData(check, [11n]))
  t.equal(errorOf(custom.returnValue, 'error TooBig(uint256 value)'), 11n)
  const text = await call(MODULE, AbiFunction.encodeData(check, [7n]))
  t.equal(errorOf(text.returnValue, 'error Error(string)'), 'seven is not allowed')
  const delegated = await call(CALLER, AbiFunction.encodeData(caller('forwardDelegate'), [MODULE, bump]))
  const [dok, ddata] = AbiFunction.decodeResult(caller('forwardDelegate'), bytesToHex(delegated.returnValue) as Hex) as unknown as [boolean, Hex]
  t.notOk(dok)
  t.same(errorOf(hexToBytes(ddata), 'error DelegateCallNotAllowed()'), undefined)
  t.equal(await storage0(), 0n)
})

t.test('out of gas and module bugs halt the frame with all its gas, never a JS throw', async (t) => {
  const { call } = await setup()
  const oog = await call(MODULE, AbiFunction.encodeData(fn('function burnGas()')), { gasLimit: 50_000n })
  t.equal(oog.exceptionError?.error, EVMError.errorMessages.OUT_OF_GAS)
  t.equal(oog.executionGasUsed, 50_000n)
  const bug = await call(MODULE, AbiFunction.encodeData(fn('function bug()')), { gasLimit: 50_000n })
  t.equal(bug.exceptionError?.error, EVMError.errorMessages.INTERNAL_ERROR)
  t.equal(bug.executionGasUsed, 50_000n)
  const tight = await call(MODULE, AbiFunction.encodeData(fn('function bump() returns (uint256)')), { gasLimit: 5_000n })
  t.equal(tight.exceptionError?.error, EVMError.errorMessages.OUT_OF_GAS, 'the SSTORE sentry and cost are enforced')
})

t.test('native value: a payable function keeps it, the module pays out through a nested call', async (t) => {
  const { call, runtime } = await setup()
  const frame = fn('function frame() payable returns (address, uint256, bool, uint256, uint256)')
  await call(MODULE, AbiFunction.encodeData(frame), { value: 1000n })
  const balance = async (a: Hex) => (await runtime.stateManager.getAccount(createAddressFromString(a)))?.balance ?? 0n
  t.equal(await balance(MODULE), 1000n)
  const pay = fn('function pay(address to, uint256 amount) returns (bool)')
  const r = await call(MODULE, AbiFunction.encodeData(pay, [CALLER, 400n]))
  t.equal(r.exceptionError, undefined)
  t.equal(AbiFunction.decodeResult(pay, bytesToHex(r.returnValue) as Hex), true)
  t.equal(await balance(CALLER), 400n)
  t.equal(await balance(MODULE), 600n)
  const tooMuch = await call(MODULE, AbiFunction.encodeData(pay, [CALLER, 10_000n]))
  t.equal(AbiFunction.decodeResult(pay, bytesToHex(tooMuch.returnValue) as Hex), false, 'a call beyond the balance fails, as CALL does')
  const plain = await call(MODULE, '0x', { value: 5n })
  t.equal(plain.exceptionError, undefined, 'receive() accepts plain transfers')
  const erc165 = fn('function supportsInterface(bytes4) view returns (bool)')
  const yes = await call(MODULE, AbiFunction.encodeData(erc165, ['0x01ffc9a7']))
  t.equal(AbiFunction.decodeResult(erc165, bytesToHex(yes.returnValue) as Hex), true)
})
