import { badArg, jsonKind } from '../../params/parse.ts'
import { hasHexPrefix, isHexBody } from '../../hex.ts'

/** A filter or subscription id: 0x-hex string; returned lowercase. */
export function parseFilterId(value: unknown, index = 0): string {
  if (typeof value !== 'string') throw badArg(index, `json: cannot unmarshal ${jsonKind(value)} into Go value of type rpc.ID`)
  if (!hasHexPrefix(value) || !isHexBody(value) || value.length > 66) throw badArg(index, 'invalid filter id')
  return value.toLowerCase()
}
