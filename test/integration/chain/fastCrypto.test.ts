import t from 'tap'
import { join } from 'node:path'
import { createLegacyTx } from '@ethereumjs/tx'
import { bytesToHex, createAddressFromString, createContractAddress, ecrecover, equalsBytes, hexToBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { createChain } from '../../../node/chain/index.ts'
import { createFastCrypto } from '../../../node/crypto/index.ts'
import { createPrng } from '../../fixtures/chain/prng.ts'
import { tempDir } from '../../fixtures/chain/tempDir.ts'
import { createTestSpec, signed1559, testAccounts } from '../../fixtures/chain/testSpec.ts'
import { tokenDeployData, tokenTransferData } from '../../fixtures/contracts/token.ts'

t.test('fast primitives equal @noble on seeded inputs', async (t) => {
  const { crypto, backends } = await createFastCrypto({ allowNobleFallback: false })
  t.equal(backends.ecrecover, 'libsecp256k1', 'native addon loaded')
  const prng = createPrng(7)
  for (const len of [0, 1, 31, 32, 33, 135, 136, 137, 1000, 70_000]) {
    const data = Uint8Array.from({ length: len }, () => prng.int(256))
    t.same(crypto.keccak256?.(data), keccak_256(data), `keccak256 of ${len} bytes`)
    t.same(crypto.sha256?.(data), sha256(data), `sha256 of ${len} bytes`)
  }
  const a = crypto.keccak256?.(new Uint8Array([1])) as Uint8Array
  const b = crypto.keccak256?.(new Uint8Array([2])) as Uint8Array
  t.not(bytesToHex(a), bytesToHex(b), 'digests are not a shared buffer')
  const [acct] = testAccounts(1, 'crypto')
  const spec = createTestSpec()
  const { createChainCommon } = await import('../../../runtime/index.ts')
  const common = createChainCommon(spec)
  const legacy = createLegacyTx({ nonce: 3n, gasPrice: 1n, gasLimit: 21_000n, to: createAddressFromString('0x' + '12'.repeat(20)) }, { common }).sign(
    (acct as { key: Uint8Array }).key,
  )
  const msg = legacy.getMessageToVerifySignature()
  const r = hexToBytes(`0x${(legacy.r as bigint).toString(16).padStart(64, '0')}`)
  const s = hexToBytes(`0x${(legacy.s as bigint).toString(16).padStart(64, '0')}`)
  t.same(crypto.ecrecover?.(msg, legacy.v as bigint, r, s, 1337n), ecrecover(msg, legacy.v as bigint, r, s, 1337n), 'EIP-155 recovery')
  t.throws(() => crypto.ecrecover?.(msg, 99n, r, s), 'bad v throws like noble')
  t.throws(() => crypto.ecrecover?.(msg, 27n, new Uint8Array(32), s), 'r = 0 throws like noble')
})

t.test('identical state roots, block hashes and tx hashes with fast and @noble crypto', async (t) => {
  const dir = await tempDir(t)
  const accounts = testAccounts(6, 'crypto-chain')
  const spec = createTestSpec({ accounts })
  const fast = await createChain({ dataDir: join(dir, 'fast'), spec, crypto: 'fast' })
  const noble = await createChain({ dataDir: join(dir, 'noble'), spec, crypto: 'noble' })
  t.teardown(async () => {
    await fast.close()
    await noble.close()
  })
  t.ok(equalsBytes(fast.head().hash(), noble.head().hash()), 'same genesis')
  const deployer = accounts[0] as (typeof accounts)[0]
  const token = createContractAddress(deployer.address, 0n)
  for (let b = 1; b <= 4; b++) {
    const make = (common: typeof fast.common) => {
      const txs = [
        signed1559(common, deployer, {
          nonce: BigInt(b - 1),
          to: b === 1 ? undefined : token,
          data: b === 1 ? tokenDeployData(1000n) : tokenTransferData(accounts[b]?.address ?? deployer.address, 3n),
          gasLimit: 1_000_000n,
        }),
      ]
      for (const a of accounts.slice(1)) txs.push(signed1559(common, a, { nonce: BigInt(b - 1), to: deployer.address, value: BigInt(b) }))
      return txs
    }
    const x = await fast.buildBlock(make(fast.common), { timestamp: spec.timestamp + BigInt(b) })
    const y = await noble.buildBlock(make(noble.common), { timestamp: spec.timestamp + BigInt(b) })
    t.ok(equalsBytes(x.block.header.stateRoot, y.block.header.stateRoot), `block ${b}: same state root`)
    t.ok(equalsBytes(x.block.header.receiptTrie, y.block.header.receiptTrie), `block ${b}: same receipt trie`)
    t.ok(equalsBytes(x.block.hash(), y.block.hash()), `block ${b}: same block hash`)
    t.same(
      x.block.transactions.map((tx) => bytesToHex(tx.hash())),
      y.block.transactions.map((tx) => bytesToHex(tx.hash())),
      `block ${b}: same tx hashes`,
    )
    t.same(
      x.receipts.map((r) => bytesToHex(r.from)),
      y.receipts.map((r) => bytesToHex(r.from)),
      `block ${b}: same senders`,
    )
  }
})
