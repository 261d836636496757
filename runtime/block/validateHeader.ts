import type { BlockHeader } from '@ethereumjs/block'
import { KECCAK256_RLP, KECCAK256_RLP_ARRAY, bytesToHex, equalsBytes } from '@ethereumjs/util'
import type { BlockParams } from '../modules/chainParams/blockParams.ts'
import { OpenLedgerError } from '../errors.ts'
import { calcNextBaseFee } from '../fees/calcNextBaseFee.ts'
import { BLOCK_ERROR } from './blockErrors.ts'

const ZERO_32 = new Uint8Array(32)
const ZERO_8 = new Uint8Array(8)

function headerError(
  code: (typeof BLOCK_ERROR)[keyof typeof BLOCK_ERROR],
  message: string,
  header: BlockHeader,
  meta: Record<string, unknown> = {},
): OpenLedgerError {
  return new OpenLedgerError(code, message, { number: header.number.toString(), hash: bytesToHex(header.hash()), ...meta })
}

/**
 * This chain's header rules against the parent: parent hash, number = parent + 1, timestamp
 * strictly increasing, the gas limit in force (`params`: the governed parameters of this block,
 * readBlockParams of the parent's post-state; the spec's constants on a chain without modules),
 * base fee = calcNextBaseFee(parent, params.baseFee), coinbase = the priority-fee recipient, and proof-of-stake style constant fields (difficulty 0,
 * zero nonce and mixHash, no uncles, no withdrawals, no blob gas, zero beacon root).
 * The state-dependent fields (roots, bloom, gas used) are checked by execution.
 *
 * @example
 * validateHeader(block.header, parent.header, await readBlockParams(state, spec, block.header.number))
 */
export function validateHeader(header: BlockHeader, parent: BlockHeader, params: BlockParams): void {
  if (!equalsBytes(header.parentHash, parent.hash())) {
    throw headerError(BLOCK_ERROR.UNKNOWN_PARENT, 'parent hash does not match the parent', header)
  }
  if (header.number !== parent.number + 1n) {
    throw headerError(BLOCK_ERROR.INVALID_NUMBER, 'block number must be parent + 1', header, { parent: parent.number.toString() })
  }
  if (header.timestamp <= parent.timestamp) {
    throw headerError(BLOCK_ERROR.INVALID_TIMESTAMP, 'timestamp must be greater than the parent timestamp', header, {
      timestamp: header.timestamp.toString(),
      parentTimestamp: parent.timestamp.toString(),
    })
  }
  if (header.gasLimit !== params.gasLimit) {
    throw headerError(BLOCK_ERROR.INVALID_GAS_LIMIT, 'gas limit must equal the chain gas limit in force', header, {
      gasLimit: header.gasLimit.toString(),
      expected: params.gasLimit.toString(),
    })
  }
  const baseFee = calcNextBaseFee(parent, params.baseFee)
  if (header.baseFeePerGas !== baseFee) {
    throw headerError(BLOCK_ERROR.INVALID_BASE_FEE, 'base fee does not follow from the parent', header, {
      baseFee: header.baseFeePerGas?.toString(),
      expected: baseFee.toString(),
    })
  }
  if (header.coinbase.toString() !== params.feeRecipients.priorityFee.toLowerCase()) {
    throw headerError(BLOCK_ERROR.INVALID_COINBASE, 'coinbase must be the priority fee recipient', header, {
      coinbase: header.coinbase.toString(),
      expected: params.feeRecipients.priorityFee,
    })
  }
  const constant: [string, boolean][] = [
    ['difficulty', header.difficulty === 0n],
    ['nonce', equalsBytes(header.nonce, ZERO_8)],
    ['mixHash', equalsBytes(header.mixHash, ZERO_32)],
    ['uncleHash', equalsBytes(header.uncleHash, KECCAK256_RLP_ARRAY)],
    ['withdrawalsRoot', header.withdrawalsRoot !== undefined && equalsBytes(header.withdrawalsRoot, KECCAK256_RLP)],
    ['blobGasUsed', header.blobGasUsed === 0n],
    ['excessBlobGas', header.excessBlobGas === 0n],
    ['parentBeaconBlockRoot', header.parentBeaconBlockRoot !== undefined && equalsBytes(header.parentBeaconBlockRoot, ZERO_32)],
  ]
  for (const [field, ok] of constant) {
    if (!ok) throw headerError(BLOCK_ERROR.INVALID_HEADER, `header field ${field} has a value this chain does not allow`, header, { field })
  }
}
