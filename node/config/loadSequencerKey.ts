import { readFile } from 'node:fs/promises'
import { hexToBytes } from '@noble/hashes/utils.js'
import { DEV_ACCOUNTS } from '../../genesis/index.ts'
import type { ChainSpec } from '../../genesis/index.ts'
import { OpenLedgerError } from '../../runtime/index.ts'
import { CONFIG_ERROR } from './errors.ts'
import { addressOfKey, decryptKeystore } from './keystore.ts'

/** Where the sequencer key may come from (at most one of key / keystore). */
export type SequencerKeySource = {
  /** 0x 32-byte hex */
  key?: string
  /** Web3 Secret Storage v3 file */
  keystore?: string
  /** file whose first line is the keystore password */
  passwordFile?: string
  /** --dev: fall back to the dev account that is the spec's sequencer */
  dev: boolean
}

/**
 * The sequencer's private key, or undefined when this node is not a sequencer (no key given and
 * not --dev). The key must belong to `spec.sequencer` (SEQUENCER_KEY_MISMATCH otherwise). Never
 * logs or echoes the key.
 */
export async function loadSequencerKey(spec: ChainSpec, source: SequencerKeySource): Promise<Uint8Array | undefined> {
  if (source.key !== undefined && source.keystore !== undefined) {
    throw new OpenLedgerError(CONFIG_ERROR.CONFLICTING_OPTIONS, 'invalid --sequencer.key: give either --sequencer.key or --sequencer.keystore, not both', {
      option: 'sequencer.key',
    })
  }
  let key: Uint8Array | undefined
  let origin = ''
  if (source.key !== undefined) {
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(source.key)) {
      throw new OpenLedgerError(CONFIG_ERROR.INVALID_OPTION, 'invalid --sequencer.key: must be a 32-byte hex private key', { option: 'sequencer.key' })
    }
    key = hexToBytes(source.key.replace(/^0x/, ''))
    origin = '--sequencer.key'
  } else if (source.keystore !== undefined) {
    if (source.passwordFile === undefined) {
      throw new OpenLedgerError(CONFIG_ERROR.CONFLICTING_OPTIONS, 'invalid --sequencer.keystore: needs --sequencer.password <file>', {
        option: 'sequencer.password',
      })
    }
    const [doc, password] = await Promise.all([readText(source.keystore, 'sequencer.keystore'), readText(source.passwordFile, 'sequencer.password')])
    let json: unknown
    try {
      json = JSON.parse(doc)
    } catch (err) {
      throw new OpenLedgerError(
        CONFIG_ERROR.KEYSTORE_INVALID,
        `invalid --sequencer.keystore ${source.keystore}: not JSON`,
        { option: 'sequencer.keystore' },
        { cause: err },
      )
    }
    key = await decryptKeystore(json, password.split(/\r?\n/)[0] ?? '')
    origin = `--sequencer.keystore ${source.keystore}`
  } else if (source.dev) {
    const dev = DEV_ACCOUNTS.find((a) => a.address.toLowerCase() === spec.sequencer)
    if (dev === undefined) {
      throw new OpenLedgerError(
        CONFIG_ERROR.CONFLICTING_OPTIONS,
        `invalid --dev: the spec's sequencer ${spec.sequencer} is not a dev account; pass --sequencer.key or --sequencer.keystore`,
        { option: 'dev' },
      )
    }
    key = hexToBytes(dev.privateKey.slice(2))
    origin = `dev account ${dev.index}`
  } else {
    return undefined
  }
  let address: string
  try {
    address = addressOfKey(key)
  } catch (err) {
    throw new OpenLedgerError(
      CONFIG_ERROR.INVALID_OPTION,
      'invalid --sequencer.key: not a valid secp256k1 private key',
      { option: 'sequencer.key' },
      { cause: err },
    )
  }
  if (address !== spec.sequencer) {
    throw new OpenLedgerError(
      CONFIG_ERROR.SEQUENCER_KEY_MISMATCH,
      `invalid sequencer key (${origin}): it is the key of ${address}, but chain "${spec.name}" is sequenced by ${spec.sequencer}`,
      { option: source.keystore !== undefined ? 'sequencer.keystore' : 'sequencer.key', address, sequencer: spec.sequencer },
    )
  }
  return key
}

async function readText(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'read failed'
    throw new OpenLedgerError(CONFIG_ERROR.INVALID_OPTION, `invalid --${option} ${path}: cannot read (${code})`, { option }, { cause: err })
  }
}
