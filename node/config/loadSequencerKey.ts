import { hexToBytes } from '@noble/hashes/utils.js'
import { DEV_ACCOUNTS } from '../../genesis/index.ts'
import type { ChainSpec } from '../../genesis/index.ts'
import { OpenLedgerError } from '../../runtime/index.ts'
import { CONFIG_ERROR } from './errors.ts'
import { checkedAddress, loadKey } from './loadKey.ts'
import type { KeySource } from './loadKey.ts'

/** Where the sequencer key may come from (at most one of key / keystore). */
export type SequencerKeySource = KeySource & {
  /** --dev: fall back to the dev account that is the spec's sequencer */
  dev: boolean
  /**
   * --role: 'validator' holds no key (a key given with it is a conflict; --dev's is not loaded),
   * 'sequencer' must have one; undefined = whichever the key sources decide
   */
  role?: 'sequencer' | 'validator' | undefined
}

/**
 * The sequencer's private key, or undefined when this node is not a sequencer (no key given and
 * not --dev, or --role validator). The key must belong to `spec.sequencer`
 * (SEQUENCER_KEY_MISMATCH otherwise). Never logs or echoes the key.
 */
export async function loadSequencerKey(spec: ChainSpec, source: SequencerKeySource): Promise<Uint8Array | undefined> {
  if (source.role === 'validator') {
    if (source.key !== undefined || source.keystore !== undefined) {
      throw new OpenLedgerError(
        CONFIG_ERROR.CONFLICTING_OPTIONS,
        `invalid --role validator: a validator holds no sequencer key (drop --${source.keystore !== undefined ? 'sequencer.keystore' : 'sequencer.key'})`,
        { option: 'role' },
      )
    }
    return undefined
  }
  const key = await loadOwnKey(spec, source)
  if (key === undefined && source.role === 'sequencer') {
    throw new OpenLedgerError(
      CONFIG_ERROR.CONFLICTING_OPTIONS,
      `invalid --role sequencer: it needs the key of chain "${spec.name}"'s sequencer ${spec.sequencer} (--sequencer.key or --sequencer.keystore)`,
      { option: 'role' },
    )
  }
  return key
}

async function loadOwnKey(spec: ChainSpec, source: SequencerKeySource): Promise<Uint8Array | undefined> {
  let loaded = await loadKey(source, 'sequencer')
  if (loaded === undefined && source.dev) {
    const dev = DEV_ACCOUNTS.find((a) => a.address.toLowerCase() === spec.sequencer)
    if (dev === undefined) {
      throw new OpenLedgerError(
        CONFIG_ERROR.CONFLICTING_OPTIONS,
        `invalid --dev: the spec's sequencer ${spec.sequencer} is not a dev account; pass --sequencer.key or --sequencer.keystore`,
        { option: 'dev' },
      )
    }
    const key = hexToBytes(dev.privateKey.slice(2))
    loaded = { key, address: checkedAddress(key, 'sequencer'), origin: `dev account ${dev.index}` }
  }
  if (loaded === undefined) return undefined
  const { key, address, origin } = loaded
  if (address !== spec.sequencer) {
    throw new OpenLedgerError(
      CONFIG_ERROR.SEQUENCER_KEY_MISMATCH,
      `invalid sequencer key (${origin}): it is the key of ${address}, but chain "${spec.name}" is sequenced by ${spec.sequencer}`,
      { option: source.keystore !== undefined ? 'sequencer.keystore' : 'sequencer.key', address, sequencer: spec.sequencer },
    )
  }
  return key
}
