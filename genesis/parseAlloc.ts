import type { GenesisAccount, Hex } from './types.ts'
import { GENESIS_ERROR, fieldError } from './errors.ts'
import { MAX_UINT64, isObject, joinPath, readAddress, readHexData, readObject, readQuantity, readWord, rejectUnknownKeys, requireField } from './fields.ts'

/** How strictly to read an alloc: our format rejects unknown fields, geth-style tolerates them as geth does. */
export type ParseAllocOptions = {
  /** reject account fields other than balance/nonce/code/storage */
  strict: boolean
  /** accept addresses without the 0x prefix (geth alloc keys) */
  allowBareAddresses: boolean
}

const ACCOUNT_FIELDS = ['balance', 'nonce', 'code', 'storage'] as const
const ZERO_WORD = `0x${'0'.repeat(64)}`

/**
 * Parse and normalise an `alloc` object: lowercase addresses sorted ascending, bigint quantities,
 * lowercase code, storage words left-padded to 32 bytes, sorted, zero values dropped (a zero slot
 * is an absent slot). Two spellings of one address are a DUPLICATE_ADDRESS error.
 */
export function parseAlloc(value: unknown, path: string, options: ParseAllocOptions): Record<Hex, GenesisAccount> {
  const obj = readObject(value, path)
  const accounts = new Map<Hex, GenesisAccount>()
  for (const rawKey of Object.keys(obj)) {
    const accountPath = joinPath(path, rawKey)
    const address = readAddress(rawKey, accountPath, options.allowBareAddresses)
    if (accounts.has(address)) {
      throw fieldError(GENESIS_ERROR.DUPLICATE_ADDRESS, accountPath, `repeats address ${address} (addresses are case-insensitive)`)
    }
    accounts.set(address, parseAccount(obj[rawKey], accountPath, options))
  }
  const sorted: Record<Hex, GenesisAccount> = {}
  for (const address of [...accounts.keys()].sort()) sorted[address] = accounts.get(address)!
  return sorted
}

function parseAccount(value: unknown, path: string, options: ParseAllocOptions): GenesisAccount {
  const raw = readObject(value, path)
  if (options.strict) rejectUnknownKeys(raw, ACCOUNT_FIELDS, path)
  const account: GenesisAccount = { balance: readQuantity(requireField(raw, 'balance', path), joinPath(path, 'balance')) }
  if (raw.nonce !== undefined && raw.nonce !== null) {
    const nonce = readQuantity(raw.nonce, joinPath(path, 'nonce'), 0n, MAX_UINT64)
    if (nonce !== 0n) account.nonce = nonce
  }
  if (raw.code !== undefined && raw.code !== null) {
    const code = readHexData(raw.code, joinPath(path, 'code'))
    if (code !== '0x') account.code = code
  }
  if (raw.storage !== undefined && raw.storage !== null) {
    const storagePath = joinPath(path, 'storage')
    if (!isObject(raw.storage)) throw fieldError(GENESIS_ERROR.INVALID_FIELD, storagePath, 'must be a JSON object of slot -> value')
    const slots = new Map<Hex, Hex>()
    for (const rawSlot of Object.keys(raw.storage)) {
      const slotPath = joinPath(storagePath, rawSlot)
      const slot = readWord(rawSlot, slotPath)
      if (slots.has(slot)) throw fieldError(GENESIS_ERROR.INVALID_FIELD, slotPath, 'repeats a storage slot')
      const word = readWord(raw.storage[rawSlot], slotPath)
      slots.set(slot, word)
    }
    const storage: Record<Hex, Hex> = {}
    for (const slot of [...slots.keys()].sort()) {
      const word = slots.get(slot)!
      if (word !== ZERO_WORD) storage[slot] = word
    }
    if (Object.keys(storage).length > 0) account.storage = storage
  }
  return account
}
