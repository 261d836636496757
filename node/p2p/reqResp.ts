import './polyfill.ts'
import type { Libp2p, PeerId, Stream } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { lpStream } from 'it-length-prefixed-stream'
import type { Logger } from 'pino'
import { OpenLedgerError, isCodedError } from '../../runtime/index.ts'
import { P2P_ERROR } from './p2pErrors.ts'
import type { P2pMetrics } from './p2pMetrics.ts'
import type { LocalOffence } from './peerScoring.ts'
import type { ProtocolNames } from './protocolNames.ts'
import { RANGE_RESULT, decodeRangeRequest, encodeRangeRequest } from './rangeRequest.ts'
import type { RateLimiter } from './rateLimiter.ts'
import { type StatusMessage, decodeStatus, encodeStatus } from './statusMessage.ts'
import type { P2pHandlers, PeerOffence } from './types.ts'

/** Bounds of the request/response protocols. */
export type ReqRespLimits = {
  maxBlockMessageBytes: number
  maxRangeBlocks: number
  maxRangeResponseBytes: number
  requestTimeoutMs: number
}

/** What {@link createReqResp} needs. */
export type ReqRespContext = {
  libp2p: Libp2p
  names: ProtocolNames
  limits: ReqRespLimits
  handlers: Pick<P2pHandlers, 'getBlockRange'>
  /** this node's status (genesis and current head) */
  ownStatus(): StatusMessage
  /** a peer's status arrived (as a request it sent us, or as the answer to ours) */
  onStatus(peerId: string, status: StatusMessage): void
  penalize(peerId: string, offence: PeerOffence | LocalOffence): void
  limiter: RateLimiter
  metrics: P2pMetrics
  log: Logger
}

/** The client side of the request/response protocols. */
export type ReqResp = {
  /** ask a peer for its status (and tell it ours) */
  requestStatus(peerId: string): Promise<StatusMessage>
  /** sealed blocks start.. from a peer, checked against the limits */
  blocksByRange(peerId: string, start: bigint, count: number): Promise<Uint8Array[]>
}

/** Status and range request frames are tiny; a larger length prefix is a misbehaving peer. */
const MAX_REQUEST_BYTES = 256
/** Concurrent inbound streams per connection, per protocol (a sync client asks one range at a time). */
const MAX_INBOUND_STREAMS = 4

/**
 * Register the status and blocks_by_range handlers and return their clients. Wire formats
 * (node/p2p/README.md): every frame is varint-length-prefixed. status: request = our
 * RLP([genesisHash, headNumber, headHash]), answer = theirs. blocks_by_range: request
 * RLP([start, count]); answer = one 1-byte frame with a {@link RANGE_RESULT} code, then (on
 * SUCCESS) one frame per sealed block; the server then closes the stream. The server clamps
 * count to maxRangeBlocks and spends one token of the peer's bucket per block.
 *
 * @example
 * const reqResp = await createReqResp(ctx)
 * const blocks = await reqResp.blocksByRange(peerId, 1n, 64)
 */
export async function createReqResp(ctx: ReqRespContext): Promise<ReqResp> {
  const { libp2p, names, limits, log } = ctx

  async function serveStatus(stream: Stream, peerId: string): Promise<void> {
    const lp = lpStream(stream, { maxDataLength: MAX_REQUEST_BYTES })
    const signal = AbortSignal.timeout(limits.requestTimeoutMs)
    try {
      const request = decodeStatus((await lp.read({ signal })).subarray())
      ctx.onStatus(peerId, request)
      await lp.write(encodeStatus(ctx.ownStatus()), { signal })
      await stream.close({ signal })
      ctx.metrics.reqServed('status', 'success')
    } catch (err) {
      if (isCodedError(err) && err.code === P2P_ERROR.MALFORMED_MESSAGE) ctx.penalize(peerId, 'malformed_request')
      ctx.metrics.reqServed('status', 'error')
      log.debug({ err, peerId }, 'status request failed')
      stream.abort(err as Error)
    }
  }

  async function serveRange(stream: Stream, peerId: string): Promise<void> {
    const lp = lpStream(stream, { maxDataLength: MAX_REQUEST_BYTES })
    const signal = AbortSignal.timeout(limits.requestTimeoutMs)
    const answer = async (code: number, result: string): Promise<void> => {
      await lp.write(Uint8Array.of(code), { signal })
      await stream.close({ signal })
      ctx.metrics.reqServed('blocks_by_range', result)
    }
    try {
      let request: { start: bigint; count: number }
      try {
        request = decodeRangeRequest((await lp.read({ signal })).subarray())
      } catch (err) {
        if (!isCodedError(err) || err.code !== P2P_ERROR.MALFORMED_MESSAGE) throw err
        log.debug({ peerId }, 'malformed range request')
        ctx.penalize(peerId, 'malformed_request')
        return await answer(RANGE_RESULT.INVALID_REQUEST, 'invalid_request')
      }
      // clamp rather than refuse: the client takes what it gets and asks again from there
      const count = Math.min(request.count, limits.maxRangeBlocks)
      if (!ctx.limiter.take(peerId, count)) {
        log.debug({ peerId, count }, 'range request over the rate limit')
        ctx.penalize(peerId, 'rate_limited')
        return await answer(RANGE_RESULT.RATE_LIMITED, 'rate_limited')
      }
      let blocks: Uint8Array[]
      try {
        blocks = await ctx.handlers.getBlockRange(request.start, count, limits.maxRangeResponseBytes)
      } catch (err) {
        log.warn({ err, start: request.start, count }, 'getBlockRange failed')
        return await answer(RANGE_RESULT.SERVER_ERROR, 'server_error')
      }
      await lp.write(Uint8Array.of(RANGE_RESULT.SUCCESS), { signal })
      let bytes = 0
      for (const block of blocks.slice(0, count)) {
        bytes += block.length
        if (bytes > limits.maxRangeResponseBytes) break
        await lp.write(block, { signal })
      }
      await stream.close({ signal })
      ctx.metrics.reqServed('blocks_by_range', 'success')
    } catch (err) {
      ctx.metrics.reqServed('blocks_by_range', 'error')
      log.debug({ err, peerId }, 'range request failed')
      stream.abort(err as Error)
    }
  }

  await libp2p.handle(names.status, ({ stream, connection }) => void serveStatus(stream, connection.remotePeer.toString()), {
    maxInboundStreams: MAX_INBOUND_STREAMS,
  })
  await libp2p.handle(names.blocksByRange, ({ stream, connection }) => void serveRange(stream, connection.remotePeer.toString()), {
    maxInboundStreams: MAX_INBOUND_STREAMS,
  })

  /** Run one request on a fresh stream with the timeout; failures become typed errors. */
  async function request<T>(peerId: string, protocol: string, run: (stream: Stream, signal: AbortSignal) => Promise<T>): Promise<T> {
    let peer: PeerId
    try {
      peer = peerIdFromString(peerId)
    } catch (err) {
      throw new OpenLedgerError(P2P_ERROR.REQUEST_FAILED, 'not a peer id', { peerId }, { cause: err })
    }
    const signal = AbortSignal.timeout(limits.requestTimeoutMs)
    let stream: Stream | undefined
    try {
      stream = await libp2p.dialProtocol(peer, protocol, { signal })
      return await run(stream, signal)
    } catch (err) {
      stream?.abort(err as Error)
      if (signal.aborted) {
        ctx.penalize(peerId, 'timeout')
        throw new OpenLedgerError(P2P_ERROR.TIMEOUT, `no answer from the peer within ${limits.requestTimeoutMs} ms`, { peerId, protocol }, { cause: err })
      }
      if (isCodedError(err) && (err.code === P2P_ERROR.INVALID_RESPONSE || err.code === P2P_ERROR.RATE_LIMITED || err.code === P2P_ERROR.REQUEST_FAILED))
        throw err
      if (isCodedError(err) && err.code === P2P_ERROR.MALFORMED_MESSAGE) {
        ctx.penalize(peerId, 'invalid_response')
        throw new OpenLedgerError(P2P_ERROR.INVALID_RESPONSE, 'the peer answered with an undecodable frame', { peerId, protocol }, { cause: err })
      }
      throw new OpenLedgerError(P2P_ERROR.REQUEST_FAILED, 'request to the peer failed', { peerId, protocol }, { cause: err })
    }
  }

  return {
    requestStatus: (peerId) =>
      request(peerId, names.status, async (stream, signal) => {
        const lp = lpStream(stream, { maxDataLength: MAX_REQUEST_BYTES })
        await lp.write(encodeStatus(ctx.ownStatus()), { signal })
        const status = decodeStatus((await lp.read({ signal })).subarray())
        await stream.close({ signal })
        ctx.onStatus(peerId, status)
        return status
      }),

    blocksByRange: (peerId, start, count) =>
      request(peerId, names.blocksByRange, async (stream, signal) => {
        const lp = lpStream(stream, { maxDataLength: limits.maxBlockMessageBytes })
        await lp.write(encodeRangeRequest({ start, count }), { signal })
        await stream.closeWrite({ signal })
        const code = (await lp.read({ signal })).subarray()
        if (code.length !== 1) return invalid(peerId, 'result frame is not one byte')
        if (code[0] === RANGE_RESULT.RATE_LIMITED) throw new OpenLedgerError(P2P_ERROR.RATE_LIMITED, 'the peer rate-limited our range request', { peerId })
        if (code[0] !== RANGE_RESULT.SUCCESS)
          throw new OpenLedgerError(P2P_ERROR.REQUEST_FAILED, 'the peer refused the range request', { peerId, result: code[0] })
        const blocks: Uint8Array[] = []
        let bytes = 0
        for (;;) {
          let chunk: Uint8Array
          try {
            chunk = (await lp.read({ signal })).subarray()
          } catch (err) {
            // the server closes the stream after the last chunk; a closed stream at a frame
            // boundary is the end of the answer (it-byte-stream names that error, and we match
            // only its name, at this edge)
            if (!signal.aborted && (err as Error).name === 'UnexpectedEOFError') break
            if ((err as Error).name === 'InvalidDataLengthError') return invalid(peerId, 'a chunk is over maxBlockMessageBytes')
            throw err
          }
          blocks.push(chunk)
          bytes += chunk.length
          if (blocks.length > count) return invalid(peerId, `more than ${count} chunks`)
          if (bytes > limits.maxRangeResponseBytes) return invalid(peerId, 'answer over maxRangeResponseBytes')
        }
        return blocks
      }),
  }

  function invalid(peerId: string, reason: string): never {
    ctx.penalize(peerId, 'invalid_response')
    throw new OpenLedgerError(P2P_ERROR.INVALID_RESPONSE, `invalid range answer: ${reason}`, { peerId, reason })
  }
}
