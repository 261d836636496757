import { randomBytes } from 'node:crypto'
import type { ExecutedBlock } from '../../../runtime/index.ts'
import type { RpcMethod } from '../../types.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { toHex } from '../../hex.ts'
import { liveLogRange } from '../../filters/liveLogRange.ts'
import { matchLog } from '../../../runtime/index.ts'
import type { LogMatcher } from '../../../runtime/index.ts'
import { formatBlock } from '../../format/formatBlock.ts'
import { formatLog, receiptBlock } from '../../format/formatReceipt.ts'
import { formatTx } from '../../format/formatTx.ts'
import { parseLogCriteria } from '../../params/logFilter.ts'
import { badArg, parseBool } from '../../params/parse.ts'

function notification(id: string, result: unknown): string {
  return '{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"' + id + '","result":' + JSON.stringify(result) + '}}'
}

/**
 * eth_subscribe (WebSocket only): "newHeads", "logs" (with {address, topics, fromBlock, toBlock}:
 * new logs only, within numeric bounds, as geth; "pending" and inverted or tag-bounded ranges are
 * refused, a blockHash is ignored) or "newPendingTransactions" (hashes, or full txs with `true`).
 * Returns the subscription id; notifications arrive as eth_subscription messages.
 * Example: ["logs", { "address": "0x5FbD..." }].
 */
export const subscribe: RpcMethod<'events' | 'limits' | 'pool'> = {
  name: 'eth_subscribe',
  minParams: 1,
  maxParams: 2,
  wsOnly: true,
  handler(ctx, params, conn) {
    if (conn === undefined) throw new RpcError(RPC_ERROR.METHOD_NOT_FOUND, 'notifications not supported')
    if (conn.subscriptions.size >= ctx.limits.maxSubscriptionsPerConnection) {
      throw new RpcError(RPC_ERROR.LIMIT_EXCEEDED, `too many subscriptions: limit ${ctx.limits.maxSubscriptionsPerConnection} per connection`)
    }
    const kind = params[0]
    const id = toHex(randomBytes(16))
    const { events, pool } = ctx
    if (kind === 'newHeads') {
      if (params[1] !== undefined) throw badArg(1, 'newHeads takes no parameters')
      const onHead = (e: ExecutedBlock): void => {
        const header = formatBlock(e.block, false)
        delete header.transactions
        delete header.uncles
        delete header.withdrawals
        delete header.size
        conn.send(notification(id, header))
      }
      events.on('head', onHead)
      conn.subscriptions.set(id, () => events.off('head', onHead))
      return id
    }
    if (kind === 'logs') {
      const criteria = params[1] === undefined || params[1] === null ? undefined : parseLogCriteria(params[1], 1)
      const c: LogMatcher = criteria ?? {}
      const range = criteria === undefined ? undefined : liveLogRange(criteria)
      const onHead = (e: ExecutedBlock): void => {
        const number = e.block.header.number
        if (range?.from !== undefined && number < range.from) return
        if (range?.to !== undefined && number > range.to) return
        const block = receiptBlock(e.block.header)
        for (const r of e.receipts) {
          for (const l of r.logs) {
            if (matchLog(c, l.address, l.topics)) conn.send(notification(id, formatLog(l, block, r.txHash, r.txIndex)))
          }
        }
      }
      events.on('head', onHead)
      conn.subscriptions.set(id, () => events.off('head', onHead))
      return id
    }
    if (kind === 'newPendingTransactions') {
      const full = params[1] === undefined ? false : parseBool(params[1], 1)
      const onPending = (hash: Uint8Array): void => {
        if (!full) {
          conn.send(notification(id, toHex(hash)))
          return
        }
        const p = pool.getPoolTx(hash)
        if (p !== undefined) conn.send(notification(id, formatTx(p.tx, undefined, p.sender)))
      }
      events.on('pendingTx', onPending)
      conn.subscriptions.set(id, () => events.off('pendingTx', onPending))
      return id
    }
    // geth's subscriptionNotFoundError: -32601
    throw new RpcError(RPC_ERROR.METHOD_NOT_FOUND, `no ${JSON.stringify(String(kind))} subscription in eth namespace`)
  },
}
