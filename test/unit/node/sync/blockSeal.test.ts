import t from 'tap'
import type { Test } from 'tap'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { bytesToHex, concatBytes, createAddressFromPrivateKey, hexToBytes, setLengthLeft } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { OpenLedgerError } from '../../../../runtime/index.ts'
import { createFastCrypto } from '../../../../node/crypto/index.ts'
import { SEAL_LENGTH, SYNC_ERROR, recoverSealer, sealBlockHash, sealDigest } from '../../../../node/sync/index.ts'

const key = keccak_256(new TextEncoder().encode('seal-key'))
const address = createAddressFromPrivateKey(key).toString()
const hash = keccak_256(new TextEncoder().encode('block'))
const N = secp256k1.Point.CURVE().n

function expectInvalid(t: Test, fn: () => unknown, name: string): void {
  try {
    fn()
    t.fail(`${name}: accepted`)
  } catch (err) {
    t.ok(err instanceof OpenLedgerError && err.code === SYNC_ERROR.INVALID_SEAL, `${name}: SYNC_ERROR_INVALID_SEAL`)
  }
}

t.test('digest: keccak256(uint256 chainId ‖ hash)', async (t) => {
  const expected = keccak_256(concatBytes(hexToBytes(`0x${'0'.repeat(60)}0539`), hash))
  t.equal(bytesToHex(sealDigest(1337n, hash)), bytesToHex(expected))
})

t.test('seal: 65 bytes r ‖ s ‖ v, low s, deterministic, recovers to the signer', async (t) => {
  const seal = sealBlockHash(1337n, hash, key)
  t.equal(seal.length, SEAL_LENGTH)
  t.ok(seal[64] === 0 || seal[64] === 1, 'v is 0 or 1')
  t.ok(BigInt(bytesToHex(seal.subarray(32, 64))) <= N / 2n, 'low s')
  t.same(sealBlockHash(1337n, hash, key), seal, 'RFC 6979: same seal every time')
  t.equal(recoverSealer(1337n, hash, seal), address.toLowerCase())
  t.not(recoverSealer(1338n, hash, seal), address.toLowerCase(), 'another chain id recovers another signer')
  t.not(recoverSealer(1337n, keccak_256(hash), seal), address.toLowerCase(), 'another hash recovers another signer')
})

t.test('malformed seals are SYNC_ERROR_INVALID_SEAL', async (t) => {
  const seal = sealBlockHash(1337n, hash, key)
  expectInvalid(t, () => recoverSealer(1337n, hash, seal.subarray(0, 64)), '64 bytes')
  expectInvalid(t, () => recoverSealer(1337n, hash, concatBytes(seal, new Uint8Array(1))), '66 bytes')
  expectInvalid(t, () => recoverSealer(1337n, hash, concatBytes(seal.subarray(0, 64), new Uint8Array([27]))), 'v = 27')
  expectInvalid(t, () => recoverSealer(1337n, hash, new Uint8Array(65)), 'r = s = 0')
  // the high-s twin of a valid seal: s' = n - s, v flipped; still a valid ECDSA signature, refused
  const s = BigInt(bytesToHex(seal.subarray(32, 64)))
  const high = hexToBytes(`0x${(N - s).toString(16).padStart(64, '0')}`)
  const twin = concatBytes(seal.subarray(0, 32), high, new Uint8Array([seal[64]! ^ 1]))
  expectInvalid(t, () => recoverSealer(1337n, hash, twin), 'high s')
  const rOverflow = concatBytes(new Uint8Array(32).fill(0xff), seal.subarray(32))
  expectInvalid(t, () => recoverSealer(1337n, hash, rOverflow), 'r >= n')
})

t.test('with the native ecrecover (node/crypto): the same signer, the same refusals', async (t) => {
  const { crypto, backends } = await createFastCrypto()
  t.equal(backends.ecrecover, 'libsecp256k1', 'the native backend is what is tested')
  const ecrecover = crypto.ecrecover!
  for (const [chainId, h] of [
    [1337n, hash],
    [1338n, hash],
    [1337n, keccak_256(hash)],
  ] as const) {
    const seal = sealBlockHash(1337n, hash, key)
    t.equal(recoverSealer(chainId, h, seal, ecrecover), recoverSealer(chainId, h, seal), `chain ${chainId}: same address as @noble`)
  }
  t.equal(recoverSealer(1337n, hash, sealBlockHash(1337n, hash, key), ecrecover), address.toLowerCase(), 'the signer')
  const seal = sealBlockHash(1337n, hash, key)
  expectInvalid(t, () => recoverSealer(1337n, hash, seal.subarray(0, 64), ecrecover), '64 bytes')
  expectInvalid(t, () => recoverSealer(1337n, hash, concatBytes(seal.subarray(0, 64), new Uint8Array([27])), ecrecover), 'v = 27')
  expectInvalid(t, () => recoverSealer(1337n, hash, new Uint8Array(65), ecrecover), 'r = s = 0')
  const s = BigInt(bytesToHex(seal.subarray(32, 64)))
  const high = hexToBytes(`0x${(N - s).toString(16).padStart(64, '0')}`)
  expectInvalid(t, () => recoverSealer(1337n, hash, concatBytes(seal.subarray(0, 32), high, new Uint8Array([seal[64]! ^ 1])), ecrecover), 'high s')
  // r = 5 is no point's x coordinate: in range, low s, but nothing recovers
  const noPoint = concatBytes(setLengthLeft(Uint8Array.of(5), 32), seal.subarray(32))
  expectInvalid(t, () => recoverSealer(1337n, hash, noPoint, ecrecover), 'no point (native)')
  expectInvalid(t, () => recoverSealer(1337n, hash, noPoint), 'no point (@noble)')
})
