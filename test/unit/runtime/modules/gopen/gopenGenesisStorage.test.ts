// GOPEN's genesis words for OPEN locked at genesis: the slots are checked against an independent
// computation (viem's keccak256 / ABI encoding of Solidity's mapping and array slots), and a VM
// whose GOPEN account holds them answers the views as if the units had been locked at genesis.
import { bigIntToBytes, createAddressFromString, setLengthLeft } from '@ethereumjs/util'
import t from 'tap'
import { encodeAbiParameters, keccak256 } from 'viem'
import type { Hex } from '../../../../../genesis/index.ts'
import { gopenGenesisStorage } from '../../../../../runtime/modules/gopen/gopenGenesisStorage.ts'
import { testAccounts } from '../../../../fixtures/chain/testSpec.ts'
import { GOPEN, createGopenVm } from '../../../../fixtures/modules/gopen.ts'

const [alice, bob] = testAccounts(2)
const GENESIS = 1_700_000_000n // createTestSpec's genesis timestamp
const mapping = (key: Hex, slot: bigint) => BigInt(keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }], [key, slot])))
const arrayData = (slot: bigint) => BigInt(keccak256(encodeAbiParameters([{ type: 'uint256' }], [slot])))

t.test('the words: locked units beside the (empty) delegatee, one total checkpoint', async (t) => {
  const words = gopenGenesisStorage(
    [
      { account: alice!.hex, amount: 100n },
      { account: bob!.hex, amount: 0n },
      { account: alice!.hex.toUpperCase().replace('0X', '0x') as Hex, amount: 50n },
      { account: bob!.hex, amount: 7n },
    ],
    GENESIS,
  )
  t.same(
    new Map(words),
    new Map([
      [mapping(alice!.hex, 8n), 150n << 160n],
      [mapping(bob!.hex, 8n), 7n << 160n],
      [10n, 1n],
      [arrayData(10n), (157n << 48n) | GENESIS],
    ]),
    'entries of one account add up; the checkpoint packs (uint48 key, uint208 value) as Solidity does',
  )
  t.same(gopenGenesisStorage([], GENESIS), [], 'nothing locked: no words')
  t.throws(() => gopenGenesisStorage([{ account: alice!.hex, amount: -1n }], GENESIS), RangeError)
  t.throws(() => gopenGenesisStorage([{ account: alice!.hex, amount: 1n << 96n }], GENESIS), RangeError, 'past 96 bits per account')
})

t.test('a chain started with them: locked units count from genesis, votes after delegating', async (t) => {
  const vm = await createGopenVm({ accounts: [alice!, bob!] })
  const words = gopenGenesisStorage(
    [
      { account: alice!.hex, amount: 300n },
      { account: bob!.hex, amount: 200n },
    ],
    GENESIS,
  )
  for (const [slot, value] of words) {
    await vm.runtime.stateManager.putStorage(createAddressFromString(GOPEN), setLengthLeft(bigIntToBytes(slot), 32), setLengthLeft(bigIntToBytes(value), 32))
  }
  const now = GENESIS + 100n
  t.equal(await vm.read('lockedVotingUnitsOf', [alice!.hex], now), 300n)
  t.equal(await vm.read('getPastTotalSupply', [GENESIS], now), 500n)
  t.equal(await vm.read('getPastTotalSupply', [GENESIS - 1n], now), 0n)
  t.equal(await vm.read('totalSupply', [], now), 0n)
  t.equal(await vm.read('delegates', [alice!.hex], now), '0x0000000000000000000000000000000000000000', 'no delegation at genesis')
  t.equal(await vm.read('getVotes', [alice!.hex], now), 0n)
  t.ok((await vm.gopen('delegate', [alice!.hex], { timestamp: now })).ok)
  t.equal(await vm.read('getVotes', [alice!.hex], now), 300n)
  t.equal(await vm.read('getPastTotalSupply', [now], now + 1n), 500n)
})
