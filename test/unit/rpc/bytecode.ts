// Hand-assembled EVM runtime code for RPC tests that need exact opcodes (callTracer labels, LOGn,
// halts), installed with eth_call / debug_traceCall state overrides.

const hex = (n: bigint | number, bytes: number): string =>
  BigInt(n)
    .toString(16)
    .padStart(bytes * 2, '0')

/** PUSH1 n (n < 256). */
export const push1 = (n: number): string => '60' + hex(n, 1)
/** PUSH20 address. */
export const push20 = (address: string): string => '73' + address.slice(2).toLowerCase()
/** PUSH32 word. */
export const push32 = (word: string | bigint): string => '7f' + (typeof word === 'bigint' ? hex(word, 32) : word.slice(2).padStart(64, '0'))

const GAS = '5a'
const POP = '50'
const MSTORE = '52'
/** STOP */
export const STOP = '00'

/** STATICCALL(gas, address, 0, 0, 0, 0); POP */
export const staticcall = (address: string): string => push1(0).repeat(4) + push20(address) + GAS + 'fa' + POP
/** CALL(gas, address, value, 0, 0, 0, 0); POP */
export const call = (address: string, value = 0): string => push1(0).repeat(4) + push1(value) + push20(address) + GAS + 'f1' + POP
/** DELEGATECALL(gas, address, 0, 0, 0, 0); POP */
export const delegatecall = (address: string): string => push1(0).repeat(4) + push20(address) + GAS + 'f4' + POP
/** MSTORE(0, word); LOGn(0, 32, topics...) */
export const log = (word: number, topics: string[] = []): string =>
  push1(word) + push1(0) + MSTORE + [...topics].reverse().map(push32).join('') + push1(32) + push1(0) + hex(0xa0 + topics.length, 1)
/** MSTORE(0, word); RETURN(0, 32) */
export const returnWord = (word: number): string => push1(word) + push1(0) + MSTORE + push1(32) + push1(0) + 'f3'
/** REVERT(0, 0) */
export const revert = (): string => push1(0) + push1(0) + 'fd'

/** 0x-prefixed code from pieces. */
export const code = (...pieces: string[]): string => '0x' + pieces.join('')
/** The 32-byte word `n` as 0x-hex (LOG data and return values above). */
export const word = (n: number): string => '0x' + hex(n, 32)
