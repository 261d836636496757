// EIP-712 signatures in GOPEN (ox hashing in the module, viem signing here): permit (EIP-2612)
// and delegateBySig with OZ 5's errors for expiry, wrong signer, replay, nonces and malleability.
import t from 'tap'
import type { Hex } from '../../../../../genesis/index.ts'
import { testAccounts } from '../../../../fixtures/chain/testSpec.ts'
import { createGopenVm } from '../../../../fixtures/modules/gopen.ts'
import { DEFAULT_TIMESTAMP } from '../../../../fixtures/modules/moduleVm.ts'

const [alice, bob, carol] = testAccounts(3)
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
const toBytes32 = (v: bigint): Hex => `0x${v.toString(16).padStart(64, '0')}`

t.test('permit sets an allowance from a signature, once', async (t) => {
  const vm = await createGopenVm({ accounts: [alice!, bob!, carol!] })
  const deadline = DEFAULT_TIMESTAMP + 60n
  const sig = await vm.signPermit(alice!, { spender: bob!.hex, value: 700n, nonce: 0n, deadline })
  const args = [alice!.hex, bob!.hex, 700n, deadline, sig.v, sig.r, sig.s]
  const ok = await vm.gopen('permit', args, { caller: carol!.hex })
  t.ok(ok.ok, 'anyone submits it')
  t.same(
    vm.events(ok).map((e) => [e.name, e.args]),
    [['Approval', { owner: alice!.hex, spender: bob!.hex, value: 700n }]],
  )
  t.equal(await vm.read('allowance', [alice!.hex, bob!.hex]), 700n)
  t.equal(await vm.read('nonces', [alice!.hex]), 1n)

  const replay = await vm.gopen('permit', args)
  t.equal(replay.error?.name, 'ERC2612InvalidSigner', 'a replay recovers someone else under nonce 1')
  const [signer, owner] = (replay.error?.args ?? []) as Hex[]
  t.equal(owner, alice!.hex)
  t.not(signer, alice!.hex)

  const late = await vm.signPermit(alice!, { spender: bob!.hex, value: 1n, nonce: 1n, deadline })
  const lateArgs = [alice!.hex, bob!.hex, 1n, deadline, late.v, late.r, late.s]
  t.same((await vm.gopen('permit', lateArgs, { timestamp: deadline + 1n })).error, { name: 'ERC2612ExpiredSignature', args: [deadline] })
  t.ok((await vm.gopen('permit', lateArgs, { timestamp: deadline })).ok, 'the deadline second itself is in time')
  t.equal(await vm.read('allowance', [alice!.hex, bob!.hex]), 1n)
})

t.test('permit refuses a wrong signer, a high s and an unrecoverable signature', async (t) => {
  const vm = await createGopenVm({ accounts: [alice!, bob!] })
  const deadline = DEFAULT_TIMESTAMP + 60n
  const forged = await vm.signPermit(bob!, { spender: bob!.hex, value: 5n, nonce: 0n, deadline })
  // bob signed a message naming himself as owner; submitted for alice it recovers someone else
  const wrong = await vm.gopen('permit', [alice!.hex, bob!.hex, 5n, deadline, forged.v, forged.r, forged.s])
  t.equal(wrong.error?.name, 'ERC2612InvalidSigner')
  const byBob = await vm.signPermit(bob!, { spender: alice!.hex, value: 5n, nonce: 0n, deadline })
  const asAlice = await vm.gopen('permit', [alice!.hex, alice!.hex, 5n, deadline, byBob.v, byBob.r, byBob.s])
  t.equal(asAlice.error?.name, 'ERC2612InvalidSigner')

  const sig = await vm.signPermit(alice!, { spender: bob!.hex, value: 5n, nonce: 0n, deadline })
  const highS = toBytes32(N - BigInt(sig.s))
  const flipped = await vm.gopen('permit', [alice!.hex, bob!.hex, 5n, deadline, sig.v === 27 ? 28 : 27, sig.r, highS])
  t.same(flipped.error, { name: 'ECDSAInvalidSignatureS', args: [highS] }, 'the malleable twin is refused')
  t.same((await vm.gopen('permit', [alice!.hex, bob!.hex, 5n, deadline, 29, sig.r, sig.s])).error, { name: 'ECDSAInvalidSignature', args: [] })
  t.same((await vm.gopen('permit', [alice!.hex, bob!.hex, 5n, deadline, sig.v, toBytes32(0n), sig.s])).error, { name: 'ECDSAInvalidSignature', args: [] })
  t.equal(await vm.read('nonces', [alice!.hex]), 0n, 'failed permits use no nonce')
  t.ok((await vm.gopen('permit', [alice!.hex, bob!.hex, 5n, deadline, sig.v, sig.r, sig.s])).ok)
})

t.test('delegateBySig delegates for the signer with a checked nonce', async (t) => {
  const vm = await createGopenVm({ accounts: [alice!, bob!, carol!] })
  t.ok((await vm.gopen('deposit', [], { value: 250n })).ok)
  const expiry = DEFAULT_TIMESTAMP + 60n
  const sig = await vm.signDelegation(alice!, { delegatee: bob!.hex, nonce: 0n, expiry })
  const args = [bob!.hex, 0n, expiry, sig.v, sig.r, sig.s]
  const ok = await vm.gopen('delegateBySig', args, { caller: carol!.hex })
  t.ok(ok.ok)
  t.same(
    vm.events(ok).map((e) => e.name),
    ['DelegateChanged', 'DelegateVotesChanged'],
  )
  t.equal(await vm.read('delegates', [alice!.hex]), bob!.hex)
  t.equal(await vm.read('getVotes', [bob!.hex]), 250n)
  t.same((await vm.gopen('delegateBySig', args)).error, { name: 'InvalidAccountNonce', args: [alice!.hex, 1n] }, 'replay')

  const ahead = await vm.signDelegation(alice!, { delegatee: carol!.hex, nonce: 5n, expiry })
  t.same((await vm.gopen('delegateBySig', [carol!.hex, 5n, expiry, ahead.v, ahead.r, ahead.s])).error, { name: 'InvalidAccountNonce', args: [alice!.hex, 1n] })
  const next = await vm.signDelegation(alice!, { delegatee: carol!.hex, nonce: 1n, expiry })
  const nextArgs = [carol!.hex, 1n, expiry, next.v, next.r, next.s]
  t.same((await vm.gopen('delegateBySig', nextArgs, { timestamp: expiry + 1n })).error, { name: 'VotesExpiredSignature', args: [expiry] })
  t.ok((await vm.gopen('delegateBySig', nextArgs, { timestamp: expiry })).ok)
  t.equal(await vm.read('getVotes', [carol!.hex], expiry), 250n)
  t.equal(await vm.read('nonces', [alice!.hex]), 2n, 'permit and delegateBySig share the nonce')
})
