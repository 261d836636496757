import { readFile } from 'node:fs/promises'
import { hexToBytes } from '@noble/hashes/utils.js'
import { OpenLedgerError } from '../../runtime/index.ts'
import { CONFIG_ERROR } from './errors.ts'
import { addressOfKey, decryptKeystore } from './keystore.ts'

/** Where a role's key may come from: --<role>.key, or --<role>.keystore with --<role>.password. */
export type KeySource = {
  /** 0x 32-byte hex */
  key?: string
  /** Web3 Secret Storage v3 file */
  keystore?: string
  /** file whose first line is the keystore password */
  passwordFile?: string
}

/** A loaded key, its address and where it came from (for messages; never the key itself). */
export type LoadedKey = { key: Uint8Array; address: string; origin: string }

/**
 * The private key of a role (`sequencer`, `proposer`) from its flags, or undefined when neither
 * --<role>.key nor --<role>.keystore is given. Checked to be a valid secp256k1 key; every refusal
 * names the flag. Never logs or echoes the key.
 */
export async function loadKey(source: KeySource, role: string): Promise<LoadedKey | undefined> {
  if (source.key !== undefined && source.keystore !== undefined) {
    throw new OpenLedgerError(CONFIG_ERROR.CONFLICTING_OPTIONS, `invalid --${role}.key: give either --${role}.key or --${role}.keystore, not both`, {
      option: `${role}.key`,
    })
  }
  let key: Uint8Array
  let origin: string
  if (source.key !== undefined) {
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(source.key)) {
      throw new OpenLedgerError(CONFIG_ERROR.INVALID_OPTION, `invalid --${role}.key: must be a 32-byte hex private key`, { option: `${role}.key` })
    }
    key = hexToBytes(source.key.replace(/^0x/, ''))
    origin = `--${role}.key`
  } else if (source.keystore !== undefined) {
    if (source.passwordFile === undefined) {
      throw new OpenLedgerError(CONFIG_ERROR.CONFLICTING_OPTIONS, `invalid --${role}.keystore: needs --${role}.password <file>`, {
        option: `${role}.password`,
      })
    }
    const [doc, password] = await Promise.all([readText(source.keystore, `${role}.keystore`), readText(source.passwordFile, `${role}.password`)])
    let json: unknown
    try {
      json = JSON.parse(doc)
    } catch (err) {
      throw new OpenLedgerError(
        CONFIG_ERROR.KEYSTORE_INVALID,
        `invalid --${role}.keystore ${source.keystore}: not JSON`,
        { option: `${role}.keystore` },
        { cause: err },
      )
    }
    key = await decryptKeystore(json, password.split(/\r?\n/)[0] ?? '')
    origin = `--${role}.keystore ${source.keystore}`
  } else {
    return undefined
  }
  return { key, address: checkedAddress(key, role), origin }
}

/** The address of a private key; an invalid key is refused naming --<role>.key. */
export function checkedAddress(key: Uint8Array, role: string): string {
  try {
    return addressOfKey(key)
  } catch (err) {
    throw new OpenLedgerError(
      CONFIG_ERROR.INVALID_OPTION,
      `invalid --${role}.key: not a valid secp256k1 private key`,
      { option: `${role}.key` },
      { cause: err },
    )
  }
}

async function readText(path: string, option: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'read failed'
    throw new OpenLedgerError(CONFIG_ERROR.INVALID_OPTION, `invalid --${option} ${path}: cannot read (${code})`, { option }, { cause: err })
  }
}
