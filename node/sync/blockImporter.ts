import type { Block } from '@ethereumjs/block'
import { bytesToHex } from '@ethereumjs/util'
import { pino } from 'pino'
import type { Logger } from 'pino'
import { BLOCK_ERROR, L2_ERROR, OpenLedgerError, TX_ERROR, isCodedError } from '../../runtime/index.ts'
import type { ExecutedBlock } from '../../runtime/index.ts'
import { CHAIN_ERROR } from '../chain/index.ts'
import type { Chain } from '../chain/index.ts'
import { CRYPTO_ERROR } from '../crypto/index.ts'
import { recoverSealer } from './blockSeal.ts'
import { MAX_SEALED_BLOCK_BYTES, decodeSealedBlock } from './sealedBlock.ts'
import { createSenderRecovery } from './senderRecovery.ts'
import { SYNC_ERROR } from './syncErrors.ts'

/** Options of {@link createBlockImporter}. */
export type BlockImporterOptions = {
  chain: Chain
  /**
   * Every block must carry a seal that recovers to spec.sequencer (gossip and range sync); false
   * for `openledger import`, where the operator chose the file (as geth import). A seal given
   * anyway is still checked and stored.
   */
  requireSeal: boolean
  /** bound on a sealed block (decodeSealed) */
  maxSealedBlockBytes: number
  /** logs worker trouble (as its caller's child) */
  logger?: Logger
}

/** Defaults of {@link BlockImporterOptions} (all but chain). */
export const defaultBlockImporterOptions = { requireSeal: true, maxSealedBlockBytes: MAX_SEALED_BLOCK_BYTES } as const

/**
 * A decoded block whose seal (if any) recovered to the sequencer, ready for
 * {@link BlockImporter.importBlock}; `raw` is its RLP (the worker of prefetchSenders decodes it again).
 */
export type CheckedBlock = { block: Block; raw: Uint8Array; seal: Uint8Array | undefined; number: bigint; hash: Uint8Array }

/**
 * The one import pipeline of gossip, range sync and `openledger import`: decode a block with the
 * chain's block options, check its seal against the spec's sequencer, then chain.importBlock (full
 * re-execution through runtime executeBlock; the seal stored in the block's batch).
 */
export type BlockImporter = {
  /** gossip / blocks_by_range form: decodeSealedBlock, then {@link BlockImporter.decodeBlock} */
  decodeSealed(data: Uint8Array): CheckedBlock
  /**
   * A block's RLP with its seal (if any). Throws SYNC_ERROR_MALFORMED_BLOCK (not a block) or
   * SYNC_ERROR_INVALID_SEAL (missing where required, malformed, or not the sequencer's).
   */
  decodeBlock(raw: Uint8Array, seal?: Uint8Array): CheckedBlock
  /**
   * Re-execute and commit. Throws SYNC_ERROR_INVALID_BLOCK (the block breaks the rules or is not
   * on the head: the sender is at fault) or SYNC_ERROR_IMPORT_FAILED (local: closed chain, I/O),
   * each naming the block's number and the reason (the cause's code) in its meta and message.
   */
  importBlock(checked: CheckedBlock): Promise<ExecutedBlock>
  /**
   * Recover the block's senders, hash and encode its txs on a worker thread ahead of its import (senderRecovery.ts):
   * call it for the next block before importing the current one. Never rejects.
   */
  prefetchSenders(checked: CheckedBlock): Promise<void>
  /** stop the sender worker (idempotent) */
  close(): Promise<void>
}

// codes of chain.importBlock that blame the block, not this node (see isPeerFault for the rest)
const INVALID_BLOCK_CODES: ReadonlySet<string> = new Set<string>([
  ...Object.values(BLOCK_ERROR).filter((code) => code !== BLOCK_ERROR.FEE_CREDIT_FAILED),
  ...Object.values(TX_ERROR),
  ...Object.values(L2_ERROR),
  CHAIN_ERROR.NOT_HEAD_CHILD,
  CRYPTO_ERROR.INVALID_SIGNATURE,
])

// codes of this module that blame whoever sent the bytes
const PEER_FAULT_CODES: ReadonlySet<string> = new Set<string>([
  SYNC_ERROR.INVALID_SEAL,
  SYNC_ERROR.MALFORMED_BLOCK,
  SYNC_ERROR.OVERSIZED,
  SYNC_ERROR.INVALID_BLOCK,
  SYNC_ERROR.INVALID_RESPONSE,
])

/** True when an error of the pipeline blames the block or its sender (reject / report the peer), false for local failures. */
export function isPeerFault(err: unknown): boolean {
  return isCodedError(err) && PEER_FAULT_CODES.has(err.code)
}

/**
 * Build the import pipeline over a chain.
 *
 * @example
 * const importer = createBlockImporter({ chain, requireSeal: true })
 * await importer.importBlock(importer.decodeSealed(gossipData))
 */
export function createBlockImporter(options: Pick<BlockImporterOptions, 'chain'> & Partial<BlockImporterOptions>): BlockImporter {
  const opts: BlockImporterOptions = { ...defaultBlockImporterOptions, ...options }
  const { chain } = opts
  const { chainId } = chain.spec
  const sequencer = chain.spec.sequencer.toLowerCase()
  // the chain's native recovery when it has one (createChain's default fast crypto)
  const ecrecover = chain.common.customCrypto.ecrecover
  const senders = createSenderRecovery(chain.spec, opts.logger ?? pino({ level: 'silent' }))

  const decodeBlock = (raw: Uint8Array, seal?: Uint8Array): CheckedBlock => {
    let block: Block
    try {
      block = chain.decodeBlock(raw)
    } catch (cause) {
      throw new OpenLedgerError(SYNC_ERROR.MALFORMED_BLOCK, 'not a decodable block', { bytes: raw.length }, { cause })
    }
    const number = block.header.number
    const hash = block.hash()
    if (seal === undefined) {
      if (opts.requireSeal) throw new OpenLedgerError(SYNC_ERROR.INVALID_SEAL, `block ${number} has no seal`, { number: number.toString() })
    } else {
      let signer: string
      try {
        signer = recoverSealer(chainId, hash, seal, ecrecover)
      } catch (cause) {
        throw new OpenLedgerError(SYNC_ERROR.INVALID_SEAL, `block ${number} has a malformed seal`, { number: number.toString() }, { cause })
      }
      if (signer !== sequencer) {
        throw new OpenLedgerError(SYNC_ERROR.INVALID_SEAL, `block ${number} is not sealed by the sequencer`, { number: number.toString(), signer })
      }
    }
    return { block, raw, seal, number, hash }
  }

  return {
    decodeBlock,
    prefetchSenders: (checked) => senders.prefetch(checked.block, checked.raw),
    close: () => senders.close(),
    decodeSealed(data) {
      const { block, seal } = decodeSealedBlock(data, opts.maxSealedBlockBytes)
      return decodeBlock(block, seal)
    },
    async importBlock(checked) {
      try {
        return await chain.importBlock(checked.block, checked.seal === undefined ? {} : { seal: checked.seal })
      } catch (cause) {
        const reason = isCodedError(cause) ? cause.code : 'unknown'
        // the runtime's context (the header field re-execution disagrees with, the tx index) names the fault
        const context = isCodedError(cause) ? { ...cause.meta } : {}
        const meta = { ...context, number: checked.number.toString(), hash: bytesToHex(checked.hash), reason }
        const field = typeof context.field === 'string' ? ` (${context.field})` : ''
        const detail = `${cause instanceof Error ? cause.message : String(cause)}${field}`
        if (INVALID_BLOCK_CODES.has(reason)) {
          throw new OpenLedgerError(SYNC_ERROR.INVALID_BLOCK, `block ${checked.number} is invalid (${reason}): ${detail}`, meta, { cause })
        }
        throw new OpenLedgerError(SYNC_ERROR.IMPORT_FAILED, `block ${checked.number} could not be imported (${reason}): ${detail}`, meta, { cause })
      }
    },
  }
}
