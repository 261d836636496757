// The OP Stack predeploys of a rollup genesis (runtime/l2/predeploys), exercised through eth calls
// on a runtime VM whose genesis state writeGenesisState built from a spec with `rollup`.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { bytesToHex } from '@ethereumjs/util'
import { AbiParameters, Hash } from 'ox'
import t from 'tap'
import type { ChainSpec, Hex } from '../../../../../genesis/index.ts'
import {
  EIP1967_ADMIN_SLOT,
  EIP1967_IMPLEMENTATION_SLOT,
  MULTICALL3_ADDRESS,
  PREDEPLOYS,
  createChainCommon,
  createGenesisBlock,
  createStateManager,
  genesisAlloc,
  multicall3Code,
  predeployImplementation,
  rollupPredeployAlloc,
  writeGenesisState,
} from '../../../../../runtime/index.ts'
import { L2_ERROR } from '../../../../../runtime/l2/l2Errors.ts'
import { createTestSpec, testAccounts } from '../../../../fixtures/chain/testSpec.ts'
import { TEST_ROLLUP, withRollup } from '../../../../fixtures/l2/rollupSpec.ts'
import { createModuleVm, decodeLogs } from '../../../../fixtures/modules/moduleVm.ts'

const require = createRequire(import.meta.url)
const artifactDir = `${require.resolve('@eth-optimism/contracts-bedrock/package.json').replace(/package\.json$/, '')}forge-artifacts`
/** An artifact of the installed contracts-bedrock package (the same one the genesis reads). */
function artifact(contract: string, file = contract): { abi: unknown[]; deployedBytecode: { object: Hex }; methodIdentifiers: Record<string, string> } {
  return JSON.parse(readFileSync(`${artifactDir}/${contract}.sol/${file}.json`, 'utf8'))
}
const abi = (contract: string) => artifact(contract).abi
const selector = (contract: string, signature: string) => `0x${artifact(contract).methodIdentifiers[signature]}`

const accounts = testAccounts(2)
const user = accounts[0]!.hex
const ONE = 10n ** 18n

async function rollupVm() {
  return createModuleVm({ accounts, spec: withRollup(createTestSpec({ accounts })) })
}

async function genesisHash(spec: ChainSpec): Promise<Hex> {
  const common = createChainCommon(spec)
  const root = await writeGenesisState(createStateManager({ common, trieCacheSize: 0 }), spec)
  return bytesToHex(createGenesisBlock(spec, common, root).hash()) as Hex
}

const word = (address: Hex) => BigInt(address)

t.test('L1Block reports OPEN as the custom gas token (CGT v1)', async (t) => {
  const vm = await rollupVm()
  const l1Block = abi('L1Block')
  const token = await vm.callAbi(l1Block, PREDEPLOYS.L1Block, 'gasPayingToken')
  t.ok(token.ok)
  t.same(token.result, [TEST_ROLLUP.gasPayingToken.address, 18])
  t.equal((await vm.callAbi(l1Block, PREDEPLOYS.L1Block, 'isCustomGasToken')).result, true)
  t.equal((await vm.callAbi(l1Block, PREDEPLOYS.L1Block, 'gasPayingTokenName')).result, 'Open Token')
  t.equal((await vm.callAbi(l1Block, PREDEPLOYS.L1Block, 'gasPayingTokenSymbol')).result, 'OPEN')
  // the three GasPayingToken slots of op-bridge.md §3.4, packed as the library packs them
  t.equal(
    await vm.storageAt(PREDEPLOYS.L1Block, 0x04adb1412b2ddc16fcc0d4538d5c8f07cf9c83abecc6b41f6f69037b708fbcebn),
    (18n << 160n) | word(TEST_ROLLUP.gasPayingToken.address),
  )
  t.equal(
    await vm.storageAt(PREDEPLOYS.L1Block, 0xa48b38a4b44951360fbdcbfaaeae5ed6ae92585412e9841b70ec72ed8cd05763n),
    BigInt(`0x${Buffer.from('OPEN').toString('hex').padEnd(64, '0')}`),
  )
})

t.test('the bridge predeploys are initialised for the L1 contracts', async (t) => {
  const vm = await rollupVm()
  const messenger = abi('L2CrossDomainMessenger')
  t.equal((await vm.callAbi(messenger, PREDEPLOYS.L2CrossDomainMessenger, 'OTHER_MESSENGER')).result, TEST_ROLLUP.l1CrossDomainMessenger)
  t.equal((await vm.callAbi(messenger, PREDEPLOYS.L2CrossDomainMessenger, 'l1CrossDomainMessenger')).result, TEST_ROLLUP.l1CrossDomainMessenger)
  const bridge = abi('L2StandardBridge')
  t.equal((await vm.callAbi(bridge, PREDEPLOYS.L2StandardBridge, 'OTHER_BRIDGE')).result, TEST_ROLLUP.l1StandardBridge)
  t.equal((await vm.callAbi(bridge, PREDEPLOYS.L2StandardBridge, 'MESSENGER')).result, PREDEPLOYS.L2CrossDomainMessenger)
  t.equal((await vm.callAbi(abi('OptimismMintableERC20Factory'), PREDEPLOYS.OptimismMintableERC20Factory, 'BRIDGE')).result, PREDEPLOYS.L2StandardBridge)
  t.equal((await vm.callAbi(abi('GasPriceOracle'), PREDEPLOYS.GasPriceOracle, 'isEcotone')).result, true)
  // initialised once: a second initialize through the proxy, or one on the locked implementation, reverts
  const again = await vm.callAbi(messenger, PREDEPLOYS.L2CrossDomainMessenger, 'initialize', [user])
  t.notOk(again.ok)
  t.same(again.error?.args, ['Initializable: contract is already initialized'])
  t.notOk((await vm.callAbi(messenger, predeployImplementation(PREDEPLOYS.L2CrossDomainMessenger), 'initialize', [user])).ok)
})

t.test('every predeploy is a Proxy administered by the ProxyAdmin, its implementation at 0xc0d3…', async (t) => {
  const vm = await rollupVm()
  const alloc = await rollupPredeployAlloc(TEST_ROLLUP)
  const proxyCode = artifact('Proxy').deployedBytecode.object
  const proxyAdmin = abi('ProxyAdmin')
  for (const [name, proxy] of Object.entries(PREDEPLOYS) as [keyof typeof PREDEPLOYS, Hex][]) {
    const implementation = predeployImplementation(proxy)
    t.equal(implementation.slice(-4), proxy.slice(-4), `${name}: same last two bytes`)
    t.equal(alloc[proxy]?.code, proxyCode, `${name}: Proxy code`)
    t.equal(await vm.storageAt(proxy, BigInt(EIP1967_ADMIN_SLOT)), word(PREDEPLOYS.ProxyAdmin), `${name}: admin slot`)
    t.equal(await vm.storageAt(proxy, BigInt(EIP1967_IMPLEMENTATION_SLOT)), word(implementation), `${name}: implementation slot`)
    t.ok((alloc[implementation]?.code?.length ?? 0) > 2, `${name}: implementation code`)
    t.equal((await vm.callAbi(proxyAdmin, PREDEPLOYS.ProxyAdmin, 'getProxyImplementation', [proxy])).result, implementation, `${name}: ProxyAdmin sees it`)
  }
  // contracts without immutables carry their artifact's runtime code as is
  for (const name of ['L1Block', 'L2ToL1MessagePasser', 'L2CrossDomainMessenger', 'L2StandardBridge'] as const) {
    t.equal(alloc[predeployImplementation(PREDEPLOYS[name])]?.code, artifact(name).deployedBytecode.object, `${name}: artifact runtime code`)
  }
  t.equal((await vm.callAbi(proxyAdmin, PREDEPLOYS.ProxyAdmin, 'owner')).result, TEST_ROLLUP.l2ProxyAdminOwner)
})

t.test('fee vaults pay the proxy admin owner on L2 (constructor immutables)', async (t) => {
  const vm = await rollupVm()
  const vault = abi('SequencerFeeVault')
  for (const name of ['SequencerFeeVault', 'BaseFeeVault', 'L1FeeVault'] as const) {
    t.equal((await vm.callAbi(vault, PREDEPLOYS[name], 'RECIPIENT')).result, TEST_ROLLUP.l2ProxyAdminOwner, `${name} recipient`)
    t.equal((await vm.callAbi(vault, PREDEPLOYS[name], 'WITHDRAWAL_NETWORK')).result, 1, `${name} withdraws on L2`)
    t.equal((await vm.callAbi(vault, PREDEPLOYS[name], 'MIN_WITHDRAWAL_AMOUNT')).result, 0n, `${name} minimum`)
  }
})

t.test('L2ToL1MessagePasser.initiateWithdrawal: native OPEN out, hash computed independently', async (t) => {
  const vm = await rollupVm()
  const passer = abi('L2ToL1MessagePasser')
  const firstNonce = 1n << 240n
  t.equal((await vm.callAbi(passer, PREDEPLOYS.L2ToL1MessagePasser, 'messageNonce')).result, firstNonce)
  const target = '0x00000000000000000000000000000000000000aa'
  const out = await vm.callAbi(passer, PREDEPLOYS.L2ToL1MessagePasser, 'initiateWithdrawal', [target, 100_000n, '0x1234'], { caller: user, value: 3n * ONE })
  t.ok(out.ok, out.exception ?? 'succeeds')
  const expected = Hash.keccak256(
    AbiParameters.encode(AbiParameters.from('uint256, address, address, uint256, uint256, bytes'), [firstNonce, user, target, 3n * ONE, 100_000n, '0x1234']),
  )
  const [event] = decodeLogs(passer, out.logs)
  t.equal(event?.name, 'MessagePassed')
  t.same(event?.args, { nonce: firstNonce, sender: user, target, value: 3n * ONE, gasLimit: 100_000n, data: '0x1234', withdrawalHash: expected })
  t.equal((await vm.callAbi(passer, PREDEPLOYS.L2ToL1MessagePasser, 'sentMessages', [expected])).result, true)
  t.equal((await vm.callAbi(passer, PREDEPLOYS.L2ToL1MessagePasser, 'messageNonce')).result, firstNonce + 1n)
  t.equal(await vm.balance(PREDEPLOYS.L2ToL1MessagePasser), 3n * ONE)
})

t.test('L2CrossDomainMessenger.sendMessage reaches the passer (reads L1Block); value is refused under CGT', async (t) => {
  const vm = await rollupVm()
  const messenger = abi('L2CrossDomainMessenger')
  const sent = await vm.callAbi(messenger, PREDEPLOYS.L2CrossDomainMessenger, 'sendMessage', [user, '0xabcd', 50_000], { caller: user })
  t.ok(sent.ok, sent.exception ?? 'succeeds')
  const passed = decodeLogs(abi('L2ToL1MessagePasser'), sent.logs).find((l) => l.name === 'MessagePassed')
  t.equal(passed?.address, PREDEPLOYS.L2ToL1MessagePasser)
  t.equal(passed?.args.sender, PREDEPLOYS.L2CrossDomainMessenger)
  t.equal(passed?.args.target, TEST_ROLLUP.l1CrossDomainMessenger)
  const withValue = await vm.callAbi(messenger, PREDEPLOYS.L2CrossDomainMessenger, 'sendMessage', [user, '0x', 50_000], { caller: user, value: 1n })
  t.notOk(withValue.ok)
})

t.test('OptimismMintableERC20Factory creates tokens bridged by 0x…10', async (t) => {
  const vm = await rollupVm()
  const factory = abi('OptimismMintableERC20Factory')
  const remote = '0x00000000000000000000000000000000000000bb'
  const created = await vm.callAbi(factory, PREDEPLOYS.OptimismMintableERC20Factory, 'createOptimismMintableERC20', [remote, 'Bridged', 'BRG'], {
    caller: user,
    gasLimit: 5_000_000n,
  })
  t.ok(created.ok, created.exception ?? 'succeeds')
  const local = created.result as Hex
  const event = decodeLogs(factory, created.logs).find((l) => l.name === 'OptimismMintableERC20Created')
  t.same(event?.args, { localToken: local, remoteToken: remote, deployer: user })
  const token = abi('OptimismMintableERC20')
  t.equal((await vm.callAbi(token, local, 'BRIDGE')).result, PREDEPLOYS.L2StandardBridge)
  t.equal((await vm.callAbi(token, local, 'REMOTE_TOKEN')).result, remote)
  t.equal((await vm.callAbi(token, local, 'decimals')).result, 18)
})

t.test('Multicall3 preinstall: aggregate3 over the predeploys', async (t) => {
  const vm = await rollupVm()
  const alloc = await rollupPredeployAlloc(TEST_ROLLUP)
  t.equal(alloc[MULTICALL3_ADDRESS]?.code, multicall3Code())
  t.equal(alloc[MULTICALL3_ADDRESS]?.nonce, 1n)
  t.match(multicall3Code(), /^0x6080604052/)
  const calls = [
    { target: PREDEPLOYS.L1Block, allowFailure: false, callData: selector('L1Block', 'isCustomGasToken()') },
    { target: PREDEPLOYS.L2ToL1MessagePasser, allowFailure: false, callData: selector('L2ToL1MessagePasser', 'messageNonce()') },
    { target: PREDEPLOYS.L1Block, allowFailure: true, callData: '0xdeadbeef' },
  ]
  const out = await vm.callAbi(artifact('IMulticall3', 'IMulticall3.0.8.15').abi, MULTICALL3_ADDRESS, 'aggregate3', [calls])
  t.ok(out.ok, out.exception ?? 'succeeds')
  const results = out.result as { success: boolean; returnData: Hex }[]
  t.same(
    results.map((r) => r.success),
    [true, true, false],
  )
  t.equal(BigInt(results[0]!.returnData), 1n)
  t.equal(BigInt(results[1]!.returnData), 1n << 240n)
})

t.test('genesis: deterministic, depends on the rollup section, absent without it', async (t) => {
  const spec = withRollup(createTestSpec({ accounts }))
  const [a, b] = [await genesisHash(spec), await genesisHash(withRollup(createTestSpec({ accounts })))]
  t.equal(a, b, 'same spec, same genesis hash')
  const plain = createTestSpec({ accounts })
  t.not(await genesisHash(plain), a, 'no rollup, another genesis')
  const otherOwner = { ...spec, rollup: { ...TEST_ROLLUP, l2ProxyAdminOwner: '0x2000000000000000000000000000000000000008' as Hex } }
  t.not(await genesisHash(otherOwner), a, 'another proxy admin owner, another genesis')

  const alloc = await rollupPredeployAlloc(TEST_ROLLUP)
  const keys = Object.keys(alloc)
  t.same(keys, [...keys].sort(), 'accounts sorted')
  for (const [address, account] of Object.entries(alloc)) {
    const slots = Object.keys(account.storage ?? {})
    t.same(slots, [...slots].sort(), `${address}: slots sorted`)
  }
  alloc[PREDEPLOYS.L1Block]!.balance = 5n
  t.equal((await rollupPredeployAlloc(TEST_ROLLUP))[PREDEPLOYS.L1Block]?.balance, 0n, 'each call returns a fresh copy')

  const plainAlloc = await genesisAlloc(plain)
  for (const address of [...Object.values(PREDEPLOYS), ...Object.values(PREDEPLOYS).map(predeployImplementation), MULTICALL3_ADDRESS]) {
    t.equal(plainAlloc[address], undefined, `${address} absent without rollup`)
  }
})

t.test('an alloc account at a predeploy address is refused', async (t) => {
  const spec = withRollup(createTestSpec({ accounts, extraAlloc: { [PREDEPLOYS.L2ToL1MessagePasser]: { balance: 1n } } }))
  await t.rejects(genesisAlloc(spec), { code: L2_ERROR.PREDEPLOY_ALLOC_CONFLICT, meta: { address: PREDEPLOYS.L2ToL1MessagePasser } })
})
