import t from 'tap'
import { OpenLedgerError } from '../../../runtime/index.ts'
import { RPC_ERROR, RpcError, decodeRevertReason, toJsonRpcError } from '../../../rpc/index.ts'
import { CUSTOM_ERROR_DATA, REVERT_DATA } from '../../fixtures/rpc/fakeBackend.ts'

t.test('domain codes map through the one table', async (t) => {
  t.same(toJsonRpcError(new OpenLedgerError('TXPOOL_ERROR_NONCE_TOO_LOW', 'nonce 1 < 2')), { code: -32003, message: 'nonce too low' })
  t.same(toJsonRpcError(new OpenLedgerError('TXPOOL_ERROR_REPLACEMENT_UNDERPRICED', 'x')), { code: -32003, message: 'replacement transaction underpriced' })
  t.same(toJsonRpcError(new OpenLedgerError('TXPOOL_ERROR_INSUFFICIENT_FUNDS', 'x')), {
    code: -32003,
    message: 'insufficient funds for gas * price + value',
  })
  t.same(toJsonRpcError(new OpenLedgerError('TX_ERROR_WRONG_CHAIN_ID', 'invalid chain id')), { code: -32003, message: 'invalid chain id' })
  t.same(toJsonRpcError(new RpcError(RPC_ERROR.LIMIT_EXCEEDED, 'too many')), { code: -32005, message: 'too many' })
  t.same(toJsonRpcError(new RpcError(RPC_ERROR.REVERTED, 'execution reverted', { data: '0x01' })), { code: 3, message: 'execution reverted', data: '0x01' })
  t.same(toJsonRpcError(new RpcError(RPC_ERROR.NOT_FOUND, 'header not found')), { code: -32001, message: 'header not found' })
  t.same(toJsonRpcError(new OpenLedgerError('SEQUENCER_ERROR_STOPPED', 'no block was built')), { code: -32002, message: 'the sequencer is stopped' })
})

t.test('unmapped errors are generic -32603 and reported for logging', async (t) => {
  const seen: unknown[] = []
  const secret = new Error('db path /secret/leveldb corrupt')
  t.same(
    toJsonRpcError(secret, (e) => seen.push(e)),
    { code: -32603, message: 'internal error' },
  )
  t.same(
    toJsonRpcError(new OpenLedgerError('CHAIN_ERROR_CORRUPT', 'corrupt at /x'), (e) => seen.push(e)),
    { code: -32603, message: 'internal error' },
  )
  t.same(
    toJsonRpcError('a string', (e) => seen.push(e)),
    { code: -32603, message: 'internal error' },
  )
  t.equal(seen.length, 3)
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
