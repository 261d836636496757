/**
 * EVM halt reasons in geth's words (core/vm/errors.go), since clients and users compare call
 * errors with geth's. ethereumjs names the same halts differently; most map one to one, and two
 * ("stack underflow", "invalid opcode") need the opcode that failed, which a step probe supplies.
 */

const INVALID_JUMP = 'invalid JUMP'

/** ethereumjs halt reason -> geth's fixed wording. */
const GETH_WORDING: Readonly<Record<string, string>> = {
  'code store out of gas': 'contract creation code storage out of gas',
  'code size to deposit exceeds maximum code size': 'max code size exceeded',
  'initcode exceeds max initcode size': 'max initcode size exceeded',
  [INVALID_JUMP]: 'invalid jump destination',
  'static state change': 'write protection',
  'create collision': 'contract address collision',
  'insufficient balance': 'insufficient balance for transfer',
  'invalid bytecode deployed': 'invalid code: must not begin with 0xef',
  // ethereumjs fails a push onto a full stack (1024 items); geth fails the same op before it runs,
  // as 1024 items above that op's limit of 1023
  'stack overflow': 'stack limit reached 1024 (1023)',
}

/** Halt reasons whose geth wording names the failing opcode. */
export const HALT_REASON_NEEDS_OPCODE: ReadonlySet<string> = new Set(['stack underflow', 'invalid opcode'])

/** geth's wording of an ethereumjs halt reason (unchanged where they agree, e.g. "out of gas"). */
export function gethHaltMessage(reason: string): string {
  // ethereumjs appends the location to this one ("invalid JUMP at <code hash>/<address>:<pc>")
  if (reason.startsWith(INVALID_JUMP)) return GETH_WORDING[INVALID_JUMP]!
  return GETH_WORDING[reason] ?? reason
}

/** Items each opcode pops (geth's minStack), for the opcodes not covered by the PUSH/DUP/SWAP/LOG ranges. */
// biome-ignore format: one row per 16 opcodes, as the opcode table is printed
const STACK_INPUTS: Readonly<Record<number, number>> = {
  0x00: 0, 0x01: 2, 0x02: 2, 0x03: 2, 0x04: 2, 0x05: 2, 0x06: 2, 0x07: 2, 0x08: 3, 0x09: 3, 0x0a: 2, 0x0b: 2,
  0x10: 2, 0x11: 2, 0x12: 2, 0x13: 2, 0x14: 2, 0x15: 1, 0x16: 2, 0x17: 2, 0x18: 2, 0x19: 1, 0x1a: 2, 0x1b: 2, 0x1c: 2, 0x1d: 2,
  0x20: 2,
  0x30: 0, 0x31: 1, 0x32: 0, 0x33: 0, 0x34: 0, 0x35: 1, 0x36: 0, 0x37: 3, 0x38: 0, 0x39: 3, 0x3a: 0, 0x3b: 1, 0x3c: 4, 0x3d: 0, 0x3e: 3, 0x3f: 1,
  0x40: 1, 0x41: 0, 0x42: 0, 0x43: 0, 0x44: 0, 0x45: 0, 0x46: 0, 0x47: 0, 0x48: 0, 0x49: 1, 0x4a: 0,
  0x50: 1, 0x51: 1, 0x52: 2, 0x53: 2, 0x54: 1, 0x55: 2, 0x56: 1, 0x57: 2, 0x58: 0, 0x59: 0, 0x5a: 0, 0x5b: 0, 0x5c: 1, 0x5d: 2, 0x5e: 3, 0x5f: 0,
  0xf0: 3, 0xf1: 7, 0xf2: 7, 0xf3: 2, 0xf4: 6, 0xf5: 4, 0xfa: 6, 0xfd: 2, 0xff: 1,
}

function stackInputs(op: number): number | undefined {
  if (op >= 0x60 && op <= 0x7f) return 0 // PUSH1..PUSH32
  if (op >= 0x80 && op <= 0x8f) return op - 0x7f // DUPn needs n
  if (op >= 0x90 && op <= 0x9f) return op - 0x8e // SWAPn needs n + 1
  if (op >= 0xa0 && op <= 0xa4) return op - 0x9e // LOGn needs n + 2
  return STACK_INPUTS[op]
}

/** Opcodes geth names but Prague does not enable (later forks, EOF), and INVALID itself. */
const NAMED_INVALID: Readonly<Record<number, string>> = {
  0x1e: 'CLZ',
  0x4b: 'SLOTNUM',
  0xd0: 'DATALOAD',
  0xd1: 'DATALOADN',
  0xd2: 'DATASIZE',
  0xd3: 'DATACOPY',
  0xe0: 'RJUMP',
  0xe1: 'RJUMPI',
  0xe2: 'RJUMPV',
  0xe3: 'CALLF',
  0xe4: 'RETF',
  0xe5: 'JUMPF',
  0xe6: 'DUPN',
  0xe7: 'SWAPN',
  0xe8: 'EXCHANGE',
  0xec: 'EOFCREATE',
  0xee: 'RETURNCONTRACT',
  0xf7: 'RETURNDATALOAD',
  0xf8: 'EXTCALL',
  0xf9: 'EXTDELEGATECALL',
  0xfb: 'EXTSTATICCALL',
  0xfe: 'INVALID',
}

/** Where a top-level frame halted: the opcode byte at the failing pc and the stack height before it. */
export type HaltSite = { opcode: number; stackLength: number }

/**
 * geth's detailed wording for a halt that names its opcode ("stack underflow (0 <=> 1)",
 * "invalid opcode: INVALID", "invalid opcode: opcode 0xc not defined"); undefined when the
 * reason is not one of those or the opcode is not known.
 */
export function gethHaltDetail(reason: string, site: HaltSite): string | undefined {
  if (reason === 'stack underflow') {
    const required = stackInputs(site.opcode)
    return required === undefined ? undefined : `stack underflow (${site.stackLength} <=> ${required})`
  }
  if (reason === 'invalid opcode') {
    return `invalid opcode: ${NAMED_INVALID[site.opcode] ?? `opcode 0x${site.opcode.toString(16)} not defined`}`
  }
  return undefined
}
