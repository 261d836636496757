// node/crypto's fallback: when the native secp256k1 addon does not load, createFastCrypto warns
// and recovers senders with @noble. A chain on that fallback must agree bit for bit with one on
// native crypto and with the pure-@noble defaults. The addon failure is simulated in this process
// by refusing the one module request createFastCrypto makes for it.
import Module from 'node:module'
import t from 'tap'
import { join } from 'node:path'
import { createBlockFromRLP } from '@ethereumjs/block'
import type { CustomCrypto } from '@ethereumjs/common'
import type { TypedTransaction } from '@ethereumjs/tx'
import { Address, bytesToHex, createContractAddress, equalsBytes } from '@ethereumjs/util'
import { chainParams } from '../../../runtime/index.ts'
import { createChain } from '../../../node/chain/index.ts'
import type { Chain } from '../../../node/chain/index.ts'
import { CRYPTO_ERROR, createFastCrypto } from '../../../node/crypto/index.ts'
import { createLogger } from '../../../node/index.ts'
import { tempDir } from '../../fixtures/chain/tempDir.ts'
import { createTestSpec, testAccounts } from '../../fixtures/chain/testSpec.ts'
import { tokenDeployData, tokenTransferData } from '../../fixtures/contracts/token.ts'
import { BUMP_DATA, PROBE_BYTECODE, signed1559Tx, signed2930, signed7702, signedLegacy } from '../helpers/txTypes.ts'

/** The request node/crypto's loadNativeSecp256k1 makes (require of npm secp256k1's addon entry). */
const ADDON_REQUEST = 'secp256k1/bindings.js'

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown

/** Run `fn` while require() of the native addon fails as it would without a usable prebuild. */
async function withoutNativeAddon<T>(fn: () => Promise<T>): Promise<{ result: T; refused: number }> {
  const mod = Module as unknown as { _load: Loader }
  const original = mod._load
  let refused = 0
  mod._load = function (this: unknown, request, parent, isMain) {
    if (request === ADDON_REQUEST) {
      refused++
      throw Object.assign(new Error(`simulated: cannot load ${request} (no prebuild for this platform)`), { code: 'MODULE_NOT_FOUND' })
    }
    return original.call(this, request, parent, isMain)
  }
  try {
    return { result: await fn(), refused }
  } finally {
    mod._load = original
  }
}

t.test('without the native addon: a warning, @noble sender recovery, or a refusal when the fallback is off', async (t) => {
  const lines: string[] = []
  const logger = createLogger({ level: 'warn', destination: { write: (line: string) => void lines.push(line) } })
  const { result, refused } = await withoutNativeAddon(async () => {
    const fallback = await createFastCrypto({ logger })
    const strict = await createFastCrypto({ allowNobleFallback: false }).then(
      () => undefined,
      (err: unknown) => err,
    )
    return { fallback, strict }
  })
  t.equal(refused, 2, 'both attempts asked for the addon and were refused')
  t.same(result.fallback.backends, { ecrecover: 'noble', keccak256: 'hash-wasm', sha256: 'hash-wasm' })
  t.match(lines.join(''), /"level":40.*native secp256k1 unavailable, sender recovery falls back to @noble/, 'a warning says so')
  t.match(result.strict, { code: CRYPTO_ERROR.NATIVE_UNAVAILABLE }, 'allowNobleFallback: false refuses to start')
  const native = await createFastCrypto({ allowNobleFallback: false })
  t.equal(native.backends.ecrecover, 'libsecp256k1', 'with the addon back, the native backend loads')
})

t.test('a chain on the fallback crypto gives the same roots as fast crypto and pure @noble', async (t) => {
  const dir = await tempDir(t)
  const accounts = testAccounts(5, 'crypto-fallback')
  const [authority] = testAccounts(1, 'crypto-fallback-authority')
  const spec = createTestSpec({ accounts })
  const { result: fallbackCrypto } = await withoutNativeAddon(() => createFastCrypto())
  t.equal(fallbackCrypto.backends.ecrecover, 'noble')
  const open = (name: string, crypto: 'fast' | 'noble' | CustomCrypto): Promise<Chain> => createChain({ dataDir: join(dir, name), spec, crypto })
  const fast = await open('fast', 'fast')
  const fallback = await open('fallback', fallbackCrypto.crypto)
  const noble = await open('noble', 'noble')
  const importer = await open('importer', fallbackCrypto.crypto)
  t.teardown(async () => {
    for (const chain of [fast, fallback, noble, importer]) await chain.close()
  })
  const [a, b, c, d, e] = accounts as [(typeof accounts)[0], (typeof accounts)[0], (typeof accounts)[0], (typeof accounts)[0], (typeof accounts)[0]]
  const token = createContractAddress(a.address, 0n)
  const probe = createContractAddress(b.address, 0n)
  // every tx type, an ERC-20 and an EIP-7702 delegation (the authorization's signer is recovered too)
  const blocks = (common: Chain['common']): TypedTransaction[][] => [
    [
      signed1559Tx(common, a, { nonce: 0n, to: undefined, data: tokenDeployData(10_000n), gasLimit: 1_000_000n }),
      signedLegacy(common, b, { nonce: 0n, to: undefined, data: PROBE_BYTECODE, gasLimit: 1_000_000n }),
      signed2930(common, c, { nonce: 0n, to: d.address, value: 5n }),
    ],
    [
      signed1559Tx(common, a, { nonce: 1n, to: token, data: tokenTransferData(e.address, 7n), gasLimit: 100_000n }),
      signedLegacy(common, c, { nonce: 1n, to: e.address, value: 9n }),
      signed7702(common, d, { nonce: 0n, to: authority!.address, data: BUMP_DATA, delegations: [{ authority: authority!, target: probe, nonce: 0n }] }),
      signed2930(common, e, { nonce: 0n, to: probe, data: BUMP_DATA, gasLimit: 100_000n }),
    ],
  ]
  for (const [i, txs] of blocks(fast.common).entries()) {
    const timestamp = spec.timestamp + BigInt(i + 1)
    const x = await fast.buildBlock(txs, { timestamp })
    const y = await fallback.buildBlock(blocks(fallback.common)[i]!, { timestamp })
    const z = await noble.buildBlock(blocks(noble.common)[i]!, { timestamp })
    const n = i + 1
    t.equal(x.block.transactions.length, txs.length, `block ${n}: every tx included`)
    t.ok(
      x.receipts.every((r) => r.status === 1),
      `block ${n}: every tx succeeded`,
    )
    for (const [name, other] of [
      ['fallback', y],
      ['noble', z],
    ] as const) {
      t.ok(equalsBytes(x.block.header.stateRoot, other.block.header.stateRoot), `block ${n}: ${name} state root equals fast`)
      t.ok(equalsBytes(x.block.header.receiptTrie, other.block.header.receiptTrie), `block ${n}: ${name} receipt trie equals fast`)
      t.ok(equalsBytes(x.block.hash(), other.block.hash()), `block ${n}: ${name} block hash equals fast`)
      t.same(
        other.receipts.map((r) => bytesToHex(r.from)),
        x.receipts.map((r) => bytesToHex(r.from)),
        `block ${n}: ${name} recovers the same senders`,
      )
    }
    // the validator path on the fallback: decode the fast chain's block from RLP, recover every sender, re-execute
    const decoded = createBlockFromRLP(x.block.serialize(), { common: importer.common, params: chainParams(spec) })
    const imported = await importer.importBlock(decoded)
    t.ok(equalsBytes(imported.block.hash(), x.block.hash()), `block ${n}: a fallback-crypto validator imports the fast chain's block`)
  }
  const state = await fallback.stateAt(2n)
  t.equal((await state.getCode(authority!.address)).length, 23, 'the 7702 delegation took effect on the fallback chain')
  t.equal((await state.getAccount(new Address(e.address.bytes)))?.balance, (await (await fast.stateAt(2n)).getAccount(e.address))?.balance, 'balances agree')
})
