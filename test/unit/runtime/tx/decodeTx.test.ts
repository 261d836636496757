import t from 'tap'
import type { Test } from 'tap'
import { RLP } from '@ethereumjs/rlp'
import { createAccessList2930Tx, createEOACode7702Tx, createFeeMarket1559Tx, createLegacyTx, TransactionType } from '@ethereumjs/tx'
import { bigIntToUnpaddedBytes, concatBytes, createAddressFromString, eoaCode7702SignAuthorization, intToHex } from '@ethereumjs/util'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { OpenLedgerError, TX_ERROR, createChainCommon, decodeTx } from '../../../../runtime/index.ts'
import { createTestSpec, testAccounts } from '../../../fixtures/chain/testSpec.ts'

const [alice, bob] = testAccounts(2)
if (alice === undefined || bob === undefined) throw new Error('fixture accounts')
const spec = createTestSpec({ accounts: [alice, bob] })
const common = createChainCommon(spec)
const otherCommon = createChainCommon({ ...spec, chainId: 4242n })
const to = createAddressFromString('0x' + '22'.repeat(20))

const base = { nonce: 0n, gasLimit: 21_000n, to, value: 1n }
const fee = { maxFeePerGas: 2_000_000_000n, maxPriorityFeePerGas: 1n }

/** A legacy tx signed WITHOUT EIP-155 (v = 27/28), built by hand. */
function unprotectedLegacy(): Uint8Array {
  const fields = [
    bigIntToUnpaddedBytes(0n),
    bigIntToUnpaddedBytes(2_000_000_000n),
    bigIntToUnpaddedBytes(21_000n),
    to.bytes,
    bigIntToUnpaddedBytes(1n),
    new Uint8Array(),
  ]
  const sig = secp256k1.sign(keccak_256(RLP.encode(fields)), (alice as { key: Uint8Array }).key, { prehash: false, format: 'recovered' })
  const recovery = sig[0] as number
  return RLP.encode([...fields, bigIntToUnpaddedBytes(27n + BigInt(recovery)), sig.subarray(1, 33), sig.subarray(33, 65)])
}

function expectCode(t: Test, fn: () => unknown, code: string, name: string): void {
  try {
    fn()
    t.fail(`${name}: expected ${code}`)
  } catch (err) {
    t.ok(err instanceof OpenLedgerError, `${name}: typed error`)
    t.equal((err as OpenLedgerError).code, code, name)
  }
}

t.test('decodes every supported type and recovers the sender once', async (t) => {
  const legacy = createLegacyTx({ ...base, gasPrice: 2_000_000_000n }, { common }).sign(alice.key)
  const al = createAccessList2930Tx({ ...base, gasPrice: 2_000_000_000n, accessList: [] }, { common }).sign(alice.key)
  const fm = createFeeMarket1559Tx({ ...base, ...fee }, { common }).sign(alice.key)
  const auth = eoaCode7702SignAuthorization({ chainId: intToHex(1337), address: to.toString(), nonce: '0x1' }, alice.key)
  const setCode = createEOACode7702Tx({ ...base, ...fee, gasLimit: 60_000n, authorizationList: [auth] }, { common }).sign(alice.key)
  for (const [name, tx, type] of [
    ['legacy', legacy, TransactionType.Legacy],
    ['2930', al, TransactionType.AccessListEIP2930],
    ['1559', fm, TransactionType.FeeMarketEIP1559],
    ['7702', setCode, TransactionType.EOACodeEIP7702],
  ] as const) {
    const decoded = decodeTx(tx.serialize(), common)
    t.equal(decoded.type, type, `${name} type`)
    t.same(decoded.hash(), tx.hash(), `${name} hash`)
    t.equal(decoded.getSenderAddress().toString(), alice.address.toString(), `${name} sender`)
    t.ok(decoded.cache.senderPubKey !== undefined, `${name} sender cached`)
  }
})

t.test('malformed encodings', async (t) => {
  expectCode(t, () => decodeTx(new Uint8Array(), common), TX_ERROR.MALFORMED, 'empty')
  expectCode(t, () => decodeTx(Uint8Array.from([0xc5, 0x01]), common), TX_ERROR.MALFORMED, 'truncated legacy RLP')
  expectCode(t, () => decodeTx(RLP.encode([new Uint8Array([1])]), common), TX_ERROR.MALFORMED, 'legacy list of 1')
  expectCode(t, () => decodeTx(Uint8Array.from([0x02, 0x01, 0x02]), common), TX_ERROR.MALFORMED, '1559 payload not a list')
  const fm = createFeeMarket1559Tx({ ...base, ...fee }, { common })
    .sign(alice.key)
    .serialize()
  expectCode(t, () => decodeTx(fm.subarray(0, fm.length - 3), common), TX_ERROR.MALFORMED, 'truncated 1559')
  expectCode(t, () => decodeTx(Uint8Array.from([0x90, 0x01]), common), TX_ERROR.MALFORMED, 'non-list first byte')
})

t.test('unsupported and blob types', async (t) => {
  expectCode(t, () => decodeTx(concatBytes(Uint8Array.from([0x05]), RLP.encode([])), common), TX_ERROR.UNSUPPORTED_TYPE, 'type 5')
  expectCode(t, () => decodeTx(concatBytes(Uint8Array.from([0x7e]), RLP.encode([])), common), TX_ERROR.UNSUPPORTED_TYPE, 'deposit type 0x7e')
  const blob = concatBytes(Uint8Array.from([0x03]), RLP.encode([bigIntToUnpaddedBytes(1337n)]))
  try {
    decodeTx(blob, common)
    t.fail('blob accepted')
  } catch (err) {
    t.equal((err as OpenLedgerError).code, TX_ERROR.BLOB_UNSUPPORTED)
    t.equal((err as Error).message, 'blob transactions are not supported')
  }
})

t.test('chain id is enforced for every type', async (t) => {
  const legacy = createLegacyTx({ ...base, gasPrice: 2_000_000_000n }, { common: otherCommon }).sign(alice.key)
  const fm = createFeeMarket1559Tx({ ...base, ...fee }, { common: otherCommon }).sign(alice.key)
  const al = createAccessList2930Tx({ ...base, gasPrice: 2_000_000_000n }, { common: otherCommon }).sign(alice.key)
  expectCode(t, () => decodeTx(legacy.serialize(), common), TX_ERROR.WRONG_CHAIN_ID, 'legacy')
  expectCode(t, () => decodeTx(fm.serialize(), common), TX_ERROR.WRONG_CHAIN_ID, '1559')
  expectCode(t, () => decodeTx(al.serialize(), common), TX_ERROR.WRONG_CHAIN_ID, '2930')
})

t.test('legacy txs need EIP-155 unless allowed', async (t) => {
  const raw = unprotectedLegacy()
  expectCode(t, () => decodeTx(raw, common), TX_ERROR.NOT_EIP155, 'rejected by default')
  const tx = decodeTx(raw, common, { allowUnprotected: true })
  t.equal(tx.getSenderAddress().toString(), alice.address.toString(), 'accepted with allowUnprotected, sender recovered')
})

t.test('signatures', async (t) => {
  const unsigned = createFeeMarket1559Tx({ ...base, ...fee }, { common })
  expectCode(t, () => decodeTx(unsigned.serialize(), common), TX_ERROR.UNSIGNED, 'unsigned')
  const good = createFeeMarket1559Tx({ ...base, ...fee }, { common }).sign(alice.key)
  const fields = RLP.decode(good.serialize().subarray(1)) as Uint8Array[]
  const n = secp256k1.Point.CURVE().n
  // r >= n cannot recover
  const badR = [...fields.slice(0, 10), bigIntToUnpaddedBytes(n), fields[11] as Uint8Array]
  expectCode(t, () => decodeTx(concatBytes(Uint8Array.from([2]), RLP.encode(badR)), common), TX_ERROR.INVALID_SIGNATURE, 'r = n')
  // a well-formed signature of another message recovers another key: a valid signature for someone else
  const otherMsg = [
    ...fields.slice(0, 9),
    ...(
      RLP.decode(
        createFeeMarket1559Tx({ ...base, ...fee, nonce: 9n }, { common })
          .sign(alice.key)
          .serialize()
          .subarray(1),
      ) as Uint8Array[]
    ).slice(9),
  ]
  const forged = decodeTx(concatBytes(Uint8Array.from([2]), RLP.encode(otherMsg)), common)
  t.not(forged.getSenderAddress().toString(), alice.address.toString(), 'signature over other data recovers another sender')
  // high s (EIP-2)
  const s = BigInt(`0x${Buffer.from(fields[11] as Uint8Array).toString('hex')}`)
  const highS = [...fields.slice(0, 11), bigIntToUnpaddedBytes(n - s)]
  expectCode(t, () => decodeTx(concatBytes(Uint8Array.from([2]), RLP.encode(highS)), common), TX_ERROR.INVALID_SIGNATURE, 'high s')
  // y parity out of range
  const badV = [...fields.slice(0, 9), bigIntToUnpaddedBytes(7n), fields[10] as Uint8Array, fields[11] as Uint8Array]
  expectCode(t, () => decodeTx(concatBytes(Uint8Array.from([2]), RLP.encode(badV)), common), TX_ERROR.INVALID_SIGNATURE, 'v = 7')
})
