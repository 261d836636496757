import t from 'tap'
import { join } from 'node:path'
import { Address, createContractAddress } from '@ethereumjs/util'
import { createChain } from '../../../node/chain/index.ts'
import { createPrng } from '../../fixtures/chain/prng.ts'
import { tempDir } from '../../fixtures/chain/tempDir.ts'
import { BASE_FEE_RECIPIENT, PRIORITY_FEE_RECIPIENT, createTestSpec, genesisSupply, signed1559, testAccounts } from '../../fixtures/chain/testSpec.ts'
import { tokenDeployData, tokenTransferData } from '../../fixtures/chain/token.ts'

const BLOCKS = 50

t.test('total OPEN supply is conserved and fees go to the fee recipients, over 50 seeded blocks', async (t) => {
  const dir = await tempDir(t)
  const accounts = testAccounts(8, 'supply')
  const spec = createTestSpec({ accounts })
  const supply = genesisSupply(spec)
  const chain = await createChain({ dataDir: join(dir, 'node'), spec })
  t.teardown(() => chain.close())
  const prng = createPrng(20260124)
  const nonces = accounts.map(() => 0n)
  // every address that can hold OPEN: genesis accounts, fee recipients, recipients, contracts
  const holders = new Map<string, Address>()
  for (const a of accounts) holders.set(a.hex, a.address)
  for (const r of [BASE_FEE_RECIPIENT, PRIORITY_FEE_RECIPIENT]) holders.set(r, new Address(Buffer.from(r.slice(2), 'hex')))
  const tokens: Address[] = []
  let expectedBaseFees = 0n
  let expectedTips = 0n
  let rejectedTotal = 0

  for (let b = 1; b <= BLOCKS; b++) {
    const txs = []
    const count = 1 + prng.int(12)
    for (let i = 0; i < count; i++) {
      const s = prng.int(accounts.length)
      const sender = accounts[s] as (typeof accounts)[0]
      const tip = BigInt(prng.int(3)) * 500_000_000n
      const kind = prng.int(10)
      const nonce = nonces[s] as bigint
      if (kind === 0 && tokens.length < 3) {
        txs.push(signed1559(chain.common, sender, { nonce, to: undefined, data: tokenDeployData(1_000_000n), gasLimit: 600_000n, maxPriorityFeePerGas: tip }))
        const token = createContractAddress(sender.address, nonce)
        tokens.push(token)
        holders.set(token.toString(), token)
      } else if (kind <= 2 && tokens.length > 0) {
        const token = prng.pick(tokens)
        const to = prng.pick(accounts).address
        txs.push(signed1559(chain.common, sender, { nonce, to: token, data: tokenTransferData(to, BigInt(prng.int(1000))), gasLimit: 100_000n, maxPriorityFeePerGas: tip }))
      } else if (kind === 3) {
        // invalid: nonce gap, must be skipped and leave no trace
        txs.push(signed1559(chain.common, sender, { nonce: nonce + 3n, to: sender.address, value: 1n }))
        continue
      } else {
        const fresh = prng.int(2) === 0
        const to = fresh ? new Address(Uint8Array.from({ length: 20 }, () => prng.int(256))) : prng.pick(accounts).address
        holders.set(to.toString(), to)
        // values also hit zero and whole-OPEN amounts
        const value = BigInt(prng.int(3)) * 10n ** 18n + BigInt(prng.int(1_000_000))
        txs.push(signed1559(chain.common, sender, { nonce, to, value, maxPriorityFeePerGas: tip }))
      }
      nonces[s] = nonce + 1n
    }
    const result = await chain.buildBlock(txs, { timestamp: spec.timestamp + BigInt(b) })
    rejectedTotal += result.rejected.length
    const baseFee = result.block.header.baseFeePerGas ?? 0n
    for (const r of result.receipts) {
      expectedBaseFees += r.gasUsed * baseFee
      expectedTips += r.gasUsed * (r.effectiveGasPrice - baseFee)
    }
    t.equal(result.block.header.number, BigInt(b), `block ${b} built`)
  }
  t.ok(rejectedTotal > 0, 'some invalid txs were skipped')
  t.ok(tokens.length > 0, 'contracts were deployed')

  const sumAt = async (n: bigint): Promise<bigint> => {
    const state = await chain.stateAt(n)
    let total = 0n
    for (const address of holders.values()) total += (await state.getAccount(address))?.balance ?? 0n
    return total
  }
  for (const n of [0n, 10n, 25n, BigInt(BLOCKS)]) t.equal(await sumAt(n), supply, `sum of balances at block ${n} == genesis supply`)
  const head = await chain.stateAt(BigInt(BLOCKS))
  const baseFeeBalance = (await head.getAccount(new Address(Buffer.from(BASE_FEE_RECIPIENT.slice(2), 'hex'))))?.balance ?? 0n
  const tipBalance = (await head.getAccount(new Address(Buffer.from(PRIORITY_FEE_RECIPIENT.slice(2), 'hex'))))?.balance ?? 0n
  t.ok(expectedBaseFees > 0n && expectedTips > 0n, 'fees were paid')
  t.equal(baseFeeBalance, expectedBaseFees, 'base fee recipient got sum(baseFee * gasUsed)')
  t.equal(tipBalance, expectedTips, 'priority fee recipient got sum(tip * gasUsed)')
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
  t.ok(validator.head().hash().every((b, i) => b === block.hash()[i]), 'a fresh validator agrees')
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
  t.same(receipts.map((r) => r.status), [0, 1], 'first reverts, second succeeds')
  const state = await chain.stateAt(1n)
  const baseFee = block.header.baseFeePerGas ?? 0n
  const fees = receipts.reduce((sum, r) => sum + r.gasUsed * baseFee, 0n)
  t.equal((await state.getAccount(baseFeeRecipient))?.balance, fees + 1000n, 'only the surviving selfdestruct was credited')
  t.equal((await state.getAccount(createContractAddress(sender.address, 1n)))?.balance, 4000n, 'the parent kept the rest')
})
