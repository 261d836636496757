import t from 'tap'
import { NativeErrorCode } from '../../../native/index.ts'
import { CHAIN_ERROR } from '../../../node/chain/index.ts'
import { CONFIG_ERROR } from '../../../node/config/index.ts'
import { SEQUENCER_ERROR } from '../../../node/sequencer/index.ts'
import { TXPOOL_ERROR } from '../../../node/txpool/index.ts'
import { OpenLedgerError, TX_ERROR } from '../../../runtime/index.ts'
import { ERROR_CATALOGUES, ERROR_TABLE, RPC_ERROR, RpcError, decodeRevertReason, toJsonRpcError } from '../../../rpc/index.ts'
import { CUSTOM_ERROR_DATA, REVERT_DATA } from '../../fixtures/rpc/fakeBackend.ts'

t.test('domain codes map through the one table', async (t) => {
  t.same(toJsonRpcError(new OpenLedgerError(TXPOOL_ERROR.NONCE_TOO_LOW, 'nonce 1 < 2')), { code: -32003, message: 'nonce too low' })
  t.same(toJsonRpcError(new OpenLedgerError(TXPOOL_ERROR.REPLACEMENT_UNDERPRICED, 'x')), { code: -32003, message: 'replacement transaction underpriced' })
  t.same(toJsonRpcError(new OpenLedgerError(TXPOOL_ERROR.INSUFFICIENT_FUNDS, 'x')), {
    code: -32003,
    message: 'insufficient funds for gas * price + value',
  })
  // a row without its own wording shows the domain message (it names what was wrong)
  t.same(toJsonRpcError(new OpenLedgerError(TX_ERROR.WRONG_CHAIN_ID, 'invalid chain id')), { code: -32003, message: 'invalid chain id' })
  t.same(toJsonRpcError(new OpenLedgerError(TXPOOL_ERROR.OVERDRAFT, 'would overdraw')), { code: -32003, message: 'would overdraw' })
  t.same(toJsonRpcError(new RpcError(RPC_ERROR.LIMIT_EXCEEDED, 'too many')), { code: -32005, message: 'too many' })
  t.same(toJsonRpcError(new RpcError(RPC_ERROR.REVERTED, 'execution reverted', { data: '0x01' })), { code: 3, message: 'execution reverted', data: '0x01' })
  t.same(toJsonRpcError(new RpcError(RPC_ERROR.NOT_FOUND, 'header not found')), { code: -32001, message: 'header not found' })
  t.same(toJsonRpcError(new OpenLedgerError(SEQUENCER_ERROR.STOPPED, 'no block was built')), { code: -32002, message: 'the sequencer is stopped' })
})

t.test('the table has one row per catalogue code and nothing else', async (t) => {
  const codes = ERROR_CATALOGUES.flatMap((c) => Object.values(c) as string[])
  t.equal(new Set(codes).size, codes.length, 'no code belongs to two catalogues')
  t.same(Object.keys(ERROR_TABLE).sort(), [...codes].sort())
  for (const code of codes) {
    const answer = toJsonRpcError(new OpenLedgerError(code, 'detail'))
    t.ok(Number.isInteger(answer.code), `${code} maps to ${answer.code}`)
    if (answer.code === -32603) t.equal(answer.message, 'internal error', `${code}: no detail leaks`)
  }
})

t.test('unmapped errors are generic -32603 and reported for logging', async (t) => {
  const seen: unknown[] = []
  const secret = new Error('db path /secret/leveldb corrupt')
  t.same(
    toJsonRpcError(secret, (e) => seen.push(e)),
    { code: -32603, message: 'internal error' },
  )
  // a catalogue code the table maps to -32603 is reported too
  t.same(
    toJsonRpcError(new OpenLedgerError(CHAIN_ERROR.CORRUPT, 'corrupt at /x'), (e) => seen.push(e)),
    { code: -32603, message: 'internal error' },
  )
  t.same(
    toJsonRpcError(new OpenLedgerError(CONFIG_ERROR.INVALID_OPTION, '--rpc.port'), (e) => seen.push(e)),
    { code: -32603, message: 'internal error' },
  )
  t.same(
    toJsonRpcError(Object.assign(new Error('native'), { code: NativeErrorCode.OUT_OF_MEMORY }), (e) => seen.push(e)),
    { code: -32603, message: 'internal error' },
  )
  // a code no catalogue holds (a Node.js system error) is not a domain code
  t.same(
    toJsonRpcError(Object.assign(new Error('socket'), { code: 'ECONNRESET' }), (e) => seen.push(e)),
    { code: -32603, message: 'internal error' },
  )
  // inherited names are not rows
  t.same(
    toJsonRpcError(Object.assign(new Error('proto'), { code: 'toString' }), (e) => seen.push(e)),
    { code: -32603, message: 'internal error' },
  )
  t.same(
    toJsonRpcError('a string', (e) => seen.push(e)),
    { code: -32603, message: 'internal error' },
  )
  t.equal(seen.length, 7)
  t.equal(seen[0], secret)
})

t.test('revert reasons', async (t) => {
  t.equal(decodeRevertReason(REVERT_DATA), 'nope')
  t.equal(decodeRevertReason(CUSTOM_ERROR_DATA), undefined)
  const panic = new Uint8Array(36)
  panic.set([0x4e, 0x48, 0x7b, 0x71])
  panic[35] = 0x11
  t.equal(decodeRevertReason(panic), 'arithmetic underflow or overflow')
  // truncated Error(string) never throws
  t.equal(decodeRevertReason(REVERT_DATA.subarray(0, 40)), undefined)
  const lying = REVERT_DATA.slice()
  lying[4 + 31] = 0xff
  t.equal(decodeRevertReason(lying), undefined)
})
