import t from 'tap'
import { join } from 'node:path'
import { createBlockFromRLP } from '@ethereumjs/block'
import { Address, createContractAddress, equalsBytes, hexToBytes } from '@ethereumjs/util'
import { chainParams, createChainCommon, executeBlock } from '../../../runtime/index.ts'
import { createChain } from '../../../node/chain/index.ts'
import { memoryRuntime } from '../../fixtures/chain/memoryChain.ts'
import { createPrng } from '../../fixtures/chain/prng.ts'
import { tempDir } from '../../fixtures/chain/tempDir.ts'
import { BASE_FEE_RECIPIENT, PRIORITY_FEE_RECIPIENT, createTestSpec, genesisSupply, signed1559, testAccounts } from '../../fixtures/chain/testSpec.ts'
import { tokenDeployData, tokenTransferData } from '../../fixtures/contracts/token.ts'
import { walkState } from '../helpers/stateWalk.ts'
import { signed7702, signedOfType } from '../helpers/txTypes.ts'

const BLOCKS = 50
/**
 * Init code of a "keeper": its runtime code (CALLVALUE PUSH1 0 SSTORE STOP) accepts any call with
 * value and records the value in slot 0. EIP-7702 authorities delegate to it, so OPEN flows into
 * delegated EOAs and their storage changes.
 */
const KEEPER_INIT = hexToBytes('0x6434600055006000526005601bf3')

t.test('total OPEN supply is conserved and fees go to the fee recipients, over 50 seeded blocks of all four tx types', async (t) => {
  const dir = await tempDir(t)
  const accounts = testAccounts(8, 'supply')
  const authorities = testAccounts(60, 'supply-authority')
  const spec = createTestSpec({ accounts })
  const supply = genesisSupply(spec)
  const chain = await createChain({ dataDir: join(dir, 'node'), spec })
  t.teardown(() => chain.close())
  const prng = createPrng(20260124)
  const nonces = accounts.map(() => 0n)
  const tokens: Address[] = []
  // block 1 opens with the keeper's deployment (account 0, nonce 0)
  const keeper = createContractAddress(accounts[0]!.address, 0n)
  const delegated: Address[] = []
  let nextAuthority = 0
  const typesSeen = new Set<number>()
  let expectedBaseFees = 0n
  let expectedTips = 0n
  let rejectedTotal = 0

  for (let b = 1; b <= BLOCKS; b++) {
    const txs = []
    if (b === 1) {
      txs.push(signed1559(chain.common, accounts[0]!, { nonce: 0n, to: undefined, data: KEEPER_INIT, gasLimit: 100_000n }))
      nonces[0] = 1n
    }
    const count = 1 + prng.int(12)
    for (let i = 0; i < count; i++) {
      const s = prng.int(accounts.length)
      const sender = accounts[s] as (typeof accounts)[0]
      const tip = BigInt(prng.int(3)) * 500_000_000n
      const kind = prng.int(12)
      // legacy (EIP-155), EIP-2930 or EIP-1559 envelope for the plain kinds
      const type = prng.pick([0, 1, 2] as const)
      const nonce = nonces[s] as bigint
      if (kind === 0 && tokens.length < 3) {
        txs.push(signed1559(chain.common, sender, { nonce, to: undefined, data: tokenDeployData(1_000_000n), gasLimit: 600_000n, maxPriorityFeePerGas: tip }))
        tokens.push(createContractAddress(sender.address, nonce))
      } else if (kind <= 2 && tokens.length > 0) {
        const token = prng.pick(tokens)
        const to = prng.pick(accounts).address
        txs.push(signedOfType(type, chain.common, sender, { nonce, to: token, data: tokenTransferData(to, BigInt(prng.int(1000))), gasLimit: 100_000n, tip }))
      } else if (kind === 3) {
        // invalid: nonce gap, must be skipped and leave no trace
        txs.push(signed1559(chain.common, sender, { nonce: nonce + 3n, to: sender.address, value: 1n }))
        continue
      } else if (kind === 4 && b > 1 && nextAuthority < authorities.length) {
        // EIP-7702: a fresh EOA delegates to the keeper and is paid through it in the same tx
        const authority = authorities[nextAuthority++]!
        const value = BigInt(prng.int(1_000_000))
        txs.push(signed7702(chain.common, sender, { nonce, to: authority.address, value, tip, delegations: [{ authority, target: keeper, nonce: 0n }] }))
        delegated.push(authority.address)
      } else if (kind === 5 && delegated.length > 0) {
        // a call with value to an already delegated EOA runs the keeper's code there
        txs.push(signedOfType(type, chain.common, sender, { nonce, to: prng.pick(delegated), value: BigInt(prng.int(1_000_000)), gasLimit: 60_000n, tip }))
      } else {
        const fresh = prng.int(2) === 0
        const to = fresh ? new Address(Uint8Array.from({ length: 20 }, () => prng.int(256))) : prng.pick(accounts).address
        // values also hit zero and whole-OPEN amounts
        const value = BigInt(prng.int(3)) * 10n ** 18n + BigInt(prng.int(1_000_000))
        txs.push(signedOfType(type, chain.common, sender, { nonce, to, value, tip }))
      }
      nonces[s] = nonce + 1n
    }
    const result = await chain.buildBlock(txs, { timestamp: spec.timestamp + BigInt(b) })
    rejectedTotal += result.rejected.length
    const baseFee = result.block.header.baseFeePerGas ?? 0n
    for (const r of result.receipts) {
      expectedBaseFees += r.gasUsed * baseFee
      expectedTips += r.gasUsed * (r.effectiveGasPrice - baseFee)
      if (r.status === 1) typesSeen.add(r.txType)
    }
    t.equal(result.block.header.number, BigInt(b), `block ${b} built`)
  }
  t.ok(rejectedTotal > 0, 'some invalid txs were skipped')
  t.ok(tokens.length > 0, 'contracts were deployed')
  t.same([...typesSeen].sort(), [0, 1, 2, 4], 'successful txs of all four types')
  t.ok(delegated.length > 2, `${delegated.length} EOAs delegated with EIP-7702`)

  // every account of the state, walked in full, at several heights
  const sumAt = async (n: bigint) => {
    const header = (await chain.getBlockByNumber(n))!.header
    return walkState(await chain.stateAt(n), header.stateRoot)
  }
  for (const n of [0n, 10n, 25n, BigInt(BLOCKS)]) {
    const walk = await sumAt(n)
    t.same(walk.problems, [], `block ${n}: state complete`)
    t.equal(walk.totalBalance, supply, `block ${n}: the balances of all ${walk.accounts} accounts sum to the genesis supply`)
  }
  const head = await chain.stateAt(BigInt(BLOCKS))
  const paidDelegates = (await Promise.all(delegated.map((a) => head.getAccount(a)))).filter((a) => (a?.balance ?? 0n) > 0n)
  t.ok(paidDelegates.length > 0, 'OPEN reached delegated EOAs through their code')
  const baseFeeBalance = (await head.getAccount(new Address(Buffer.from(BASE_FEE_RECIPIENT.slice(2), 'hex'))))?.balance ?? 0n
  const tipBalance = (await head.getAccount(new Address(Buffer.from(PRIORITY_FEE_RECIPIENT.slice(2), 'hex'))))?.balance ?? 0n
  t.ok(expectedBaseFees > 0n && expectedTips > 0n, 'fees were paid')
  t.equal(baseFeeBalance, expectedBaseFees, 'base fee recipient got sum(baseFee * gasUsed)')
  t.equal(tipBalance, expectedTips, 'priority fee recipient got sum(tip * gasUsed)')

  // a fresh in-memory node with noble crypto re-executes every block from its RLP
  const common = createChainCommon(spec)
  const { runtime, reader } = await memoryRuntime(spec, common)
  for (let n = 1n; n <= BigInt(BLOCKS); n++) {
    const block = createBlockFromRLP((await chain.getBlockByNumber(n))!.serialize(), { common, params: chainParams(spec) })
    const executed = await executeBlock(runtime, block)
    reader.add(executed.block.header)
  }
  t.ok(equalsBytes(await runtime.stateManager.getStateRoot(), chain.head().header.stateRoot), 'a fresh node re-executes all 50 blocks to the same state root')
})

t.test('a contract selfdestructing to itself in its creation tx does not burn its balance', async (t) => {
  const dir = await tempDir(t)
  const accounts = testAccounts(2, 'selfdestruct')
  const spec = createTestSpec({ accounts })
  const chain = await createChain({ dataDir: join(dir, 'producer'), spec })
  const validator = await createChain({ dataDir: join(dir, 'validator'), spec, crypto: 'noble' })
  t.teardown(async () => {
    await chain.close()
    await validator.close()
  })
  const sender = accounts[0] as (typeof accounts)[0]
  const value = 123_456_789n
  // init code: ADDRESS, SELFDESTRUCT (beneficiary = itself, same tx as creation: EIP-6780 deletes it)
  const tx = signed1559(chain.common, sender, { nonce: 0n, to: undefined, data: Uint8Array.from([0x30, 0xff]), value, gasLimit: 100_000n })
  const { block, receipts } = await chain.buildBlock([tx], { timestamp: spec.timestamp + 1n })
  t.equal(receipts[0]?.status, 1, 'creation succeeded')
  const state = await chain.stateAt(1n)
  const created = createContractAddress(sender.address, 0n)
  t.equal(await state.getAccount(created), undefined, 'the contract account is gone')
  const baseFeeRecipient = new Address(Buffer.from(BASE_FEE_RECIPIENT.slice(2), 'hex'))
  const baseFee = block.header.baseFeePerGas ?? 0n
  const gasUsed = receipts[0]?.gasUsed ?? 0n
  t.equal((await state.getAccount(baseFeeRecipient))?.balance, value + baseFee * gasUsed, 'its balance went to the base fee recipient')
  let total = 0n
  for (const a of [...accounts.map((x) => x.address), baseFeeRecipient, new Address(Buffer.from(PRIORITY_FEE_RECIPIENT.slice(2), 'hex'))]) {
    total += (await state.getAccount(a))?.balance ?? 0n
  }
  t.equal(total, genesisSupply(spec), 'supply conserved')
  const { createBlockFromRLP } = await import('@ethereumjs/block')
  const { chainParams } = await import('../../../runtime/index.ts')
  await validator.importBlock(createBlockFromRLP(block.serialize(), { common: validator.common, params: chainParams(spec) }))
  t.ok(
    validator
      .head()
      .hash()
      .every((b, i) => b === block.hash()[i]),
    'a fresh validator agrees',
  )
})

t.test('the no-burn credit reverts with the frame that selfdestructed', async (t) => {
  const dir = await tempDir(t)
  const accounts = testAccounts(1, 'selfdestruct-revert')
  const spec = createTestSpec({ accounts })
  const chain = await createChain({ dataDir: join(dir, 'node'), spec })
  t.teardown(() => chain.close())
  const sender = accounts[0] as (typeof accounts)[0]
  const baseFeeRecipient = new Address(Buffer.from(BASE_FEE_RECIPIENT.slice(2), 'hex'))
  // init code: MSTORE child init code 0x30ff (ADDRESS SELFDESTRUCT); CREATE(value 1000, mem[30..32]); then REVERT or STOP
  const parent = (end: number[]) => Uint8Array.from([0x61, 0x30, 0xff, 0x60, 0x00, 0x52, 0x60, 0x02, 0x60, 0x1e, 0x61, 0x03, 0xe8, 0xf0, ...end])
  const txs = [
    signed1559(chain.common, sender, { nonce: 0n, to: undefined, data: parent([0x60, 0x00, 0x60, 0x00, 0xfd]), value: 5000n, gasLimit: 200_000n }),
    signed1559(chain.common, sender, { nonce: 1n, to: undefined, data: parent([0x00]), value: 5000n, gasLimit: 200_000n }),
  ]
  const { block, receipts } = await chain.buildBlock(txs, { timestamp: spec.timestamp + 1n })
  t.same(
    receipts.map((r) => r.status),
    [0, 1],
    'first reverts, second succeeds',
  )
  const state = await chain.stateAt(1n)
  const baseFee = block.header.baseFeePerGas ?? 0n
  const fees = receipts.reduce((sum, r) => sum + r.gasUsed * baseFee, 0n)
  t.equal((await state.getAccount(baseFeeRecipient))?.balance, fees + 1000n, 'only the surviving selfdestruct was credited')
  t.equal((await state.getAccount(createContractAddress(sender.address, 1n)))?.balance, 4000n, 'the parent kept the rest')
})
