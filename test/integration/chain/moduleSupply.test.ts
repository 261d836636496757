// The supply invariant on the devnet with its runtime modules: over many blocks of transfers,
// vesting releases and GOPEN wraps, every wei is accounted for. The state walk sums every
// account's balance (10^27 exactly), and openledger_getSupply splits the same total into
// circulating + locked + wrapped + fees, each part checked against balances read independently.
import { AbiFunction } from 'ox'
import t from 'tap'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { MODULE_ADDRESSES } from '../../../runtime/index.ts'
import { createPrng } from '../../fixtures/chain/prng.ts'
import { startNodeHarness } from '../../fixtures/rpc/nodeHarness.ts'
import { walkState } from '../helpers/stateWalk.ts'

const TOTAL = 10n ** 27n
const BLOCKS = 12
const release = (id: bigint) => AbiFunction.encodeData(AbiFunction.from('function release(uint256 id) returns (uint256)'), [id])
const deposit = AbiFunction.encodeData(AbiFunction.from('function deposit() payable'))

t.test('circulating + locked + wrapped + fees = 10^27 at every block, each part from state', async (t) => {
  const node = await startNodeHarness()
  t.teardown(() => node.close())
  const prng = createPrng(7)
  const q = (v: bigint) => `0x${v.toString(16)}`
  const balance = async (address: string, block: bigint) => BigInt((await node.rpc('eth_getBalance', [address, q(block)])).result)
  const modules = (await node.rpc('openledger_getModules')).result as { name: string; address: string }[]
  t.same(
    modules.map((m) => m.address),
    Object.values(MODULE_ADDRESSES).filter((a) => modules.some((m) => m.address === a)),
    'modules listed in address order',
  )
  t.ok(modules.some((m) => m.name === 'vesting') && modules.some((m) => m.name === 'chainParams'))

  for (let b = 1; b <= BLOCKS; b++) {
    for (let i = 0; i < 3; i++) {
      const from = prng.pick(DEV_ACCOUNTS).address
      const to = prng.pick(DEV_ACCOUNTS).address
      const kind = prng.int(4)
      if (i === 0 || kind === 0) {
        // the ecosystem schedule (id 0, to the timelock) vests by the second from TGE 0 (60-second months on the devnet)
        await node.rpc('eth_sendTransaction', [{ from, to: MODULE_ADDRESSES.vesting, data: release(0n), gas: q(200_000n) }])
      } else if (kind === 1 && modules.some((m) => m.name === 'gopen')) {
        await node.rpc('eth_sendTransaction', [
          { from, to: MODULE_ADDRESSES.gopen, data: deposit, value: q(BigInt(1 + prng.int(1_000)) * 10n ** 15n), gas: q(200_000n) },
        ])
      } else {
        await node.rpc('eth_sendTransaction', [{ from, to, value: q(BigInt(prng.int(1_000_000))) }])
      }
    }
    await node.mine()
    const n = node.chain.head().header.number
    const walk = await walkState(await node.chain.stateAt(n), node.chain.head().header.stateRoot)
    t.equal(walk.totalBalance, TOTAL, `block ${n}: the balances of all accounts sum to 10^27`)
    const s = (await node.rpc('openledger_getSupply', [q(n)])).result
    t.equal(BigInt(s.total), TOTAL)
    const locked = await balance(MODULE_ADDRESSES.vesting, n)
    const wrapped = await balance(MODULE_ADDRESSES.gopen, n)
    let fees = 0n
    for (const r of s.feeRecipients as string[]) fees += await balance(r, n)
    t.same([BigInt(s.locked), BigInt(s.wrapped), BigInt(s.fees)], [locked, wrapped, fees], `block ${n}: locked, wrapped, fees from balances`)
    t.equal(BigInt(s.circulating) + locked + wrapped + fees, TOTAL, `block ${n}: the parts add up`)
    t.ok(BigInt(s.unvested) <= locked, 'unvested OPEN is part of the locked OPEN')
  }
  const first = (await node.rpc('openledger_getSupply', ['0x0'])).result
  const last = (await node.rpc('openledger_getSupply', ['latest'])).result
  t.ok(BigInt(last.locked) < BigInt(first.locked), 'releases moved OPEN out of the vesting module')
  t.equal(BigInt(first.circulating), (TOTAL * 2155n) / 10_000n, 'genesis: exactly 21.55% circulating (the TGE float)')
})
