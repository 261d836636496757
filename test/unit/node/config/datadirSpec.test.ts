// The datadir's recorded chain spec: a fresh --dev datadir stamps the devnet's genesis time (and
// TGE) with "now" and records it, so restarts keep the same chain; explicit specs are untouched.
import { join } from 'node:path'
import t from 'tap'
import { loadChainSpec } from '../../../../genesis/index.ts'
import { resolveDatadirSpec } from '../../../../node/config/index.ts'
import { tempDir } from '../../../fixtures/chain/tempDir.ts'

const NOW = 1_800_000_000n

t.test('a fresh --dev datadir starts the devnet now: genesis timestamp and TGE', async (t) => {
  const dir = join(await tempDir(t), 'dev')
  const first = await resolveDatadirSpec(dir, undefined, 'devnet', { now: NOW })
  t.ok(first.created)
  t.equal(first.spec.timestamp, NOW)
  t.equal(first.spec.tokenomics?.tge, NOW, 'the vesting clock starts with the chain')
  const again = await resolveDatadirSpec(dir, undefined, 'devnet', { now: NOW + 500n })
  t.notOk(again.created)
  t.equal(again.spec.timestamp, NOW, 'a restart keeps the recorded genesis')
  t.equal(again.hash, first.hash)
})

t.test('an explicit spec, or one with a genesis time, is recorded as given', async (t) => {
  const dir = await tempDir(t)
  const devnet = await resolveDatadirSpec(join(dir, 'a'), 'devnet', undefined, { now: NOW })
  t.equal(devnet.spec.timestamp, 0n, '--genesis devnet is the built-in devnet exactly')
  const mainnet = await resolveDatadirSpec(join(dir, 'b'), undefined, 'mainnet', { now: NOW })
  t.equal(mainnet.spec.timestamp, loadChainSpec('mainnet').timestamp, 'a fallback with a real genesis time keeps it')
})
