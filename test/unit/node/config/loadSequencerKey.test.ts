// The sequencer key by role: a validator holds none, a sequencer must have the spec's.
import t from 'tap'
import { DEV_ACCOUNTS, loadChainSpec } from '../../../../genesis/index.ts'
import { CONFIG_ERROR, addressOfKey, loadSequencerKey } from '../../../../node/config/index.ts'

const spec = loadChainSpec('devnet')
const sequencerDev = DEV_ACCOUNTS.find((a) => a.address.toLowerCase() === spec.sequencer)!
const none = { key: undefined, keystore: undefined, passwordFile: undefined }

t.test('no role given: the key sources decide', async (t) => {
  t.equal(await loadSequencerKey(spec, { ...none, dev: false }), undefined, 'no key, not --dev: not a sequencer')
  const dev = await loadSequencerKey(spec, { ...none, dev: true })
  t.equal(addressOfKey(dev!), spec.sequencer, '--dev: the dev account that sequences devnet')
  const given = await loadSequencerKey(spec, { ...none, key: sequencerDev.privateKey, dev: false })
  t.equal(addressOfKey(given!), spec.sequencer)
  await t.rejects(loadSequencerKey(spec, { ...none, key: DEV_ACCOUNTS[5]!.privateKey, dev: false }), { code: CONFIG_ERROR.SEQUENCER_KEY_MISMATCH })
})

t.test('--role validator: never a key, and a given one is a conflict', async (t) => {
  t.equal(await loadSequencerKey(spec, { ...none, dev: true, role: 'validator' }), undefined, "--dev's key is not loaded")
  await t.rejects(loadSequencerKey(spec, { ...none, key: sequencerDev.privateKey, dev: false, role: 'validator' }), {
    code: CONFIG_ERROR.CONFLICTING_OPTIONS,
    message: /--role validator.*drop --sequencer\.key/,
  })
  await t.rejects(loadSequencerKey(spec, { ...none, keystore: '/nonexistent.json', dev: false, role: 'validator' }), {
    code: CONFIG_ERROR.CONFLICTING_OPTIONS,
    message: /drop --sequencer\.keystore/,
  })
})

t.test('--role sequencer: the key is required', async (t) => {
  await t.rejects(loadSequencerKey(spec, { ...none, dev: false, role: 'sequencer' }), {
    code: CONFIG_ERROR.CONFLICTING_OPTIONS,
    message: /--role sequencer: it needs the key .* --sequencer\.key/,
  })
  const key = await loadSequencerKey(spec, { ...none, dev: true, role: 'sequencer' })
  t.equal(addressOfKey(key!), spec.sequencer)
})
