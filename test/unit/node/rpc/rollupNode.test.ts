// The optimism_* methods over the real node backend (node/rpc rollupNode.ts) on a rollup chain in a
// temp LevelDB: outputs checked against eth_getBlockByNumber and eth_getProof, block refs from the
// L1-info deposits, op-node's error past the head, the sync status, the rollup.json round trip,
// rpc_modules; and -32601 on a chain without rollup.
import { bytesToHex, concatBytes, hexToBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import t from 'tap'
import { parseRollupConfig } from '../../../../genesis/index.ts'
import type { L1Follower } from '../../../../node/l1/index.ts'
import { createRollupNode } from '../../../../node/rpc/index.ts'
import type { RollupL1View } from '../../../../node/rpc/index.ts'
import { packageVersion } from '../../../../node/version.ts'
import { PREDEPLOYS } from '../../../../runtime/index.ts'
import { createTestSpec, testAccounts } from '../../../fixtures/chain/testSpec.ts'
import { ROLLUP_BLOCKS, buildRollupBlocks, rollupBlockTime } from '../../../fixtures/l2/rollupBlocks.ts'
import { TEST_ROLLUP, testOrigin, withRollup } from '../../../fixtures/l2/rollupSpec.ts'
import { startNodeHarness } from '../../../fixtures/rpc/nodeHarness.ts'

const accounts = testAccounts(2)
const spec = withRollup(createTestSpec({ accounts }))
const ZERO = `0x${'00'.repeat(32)}`
const ZERO_L1_REF = { hash: ZERO, number: 0, parentHash: ZERO, timestamp: 0 }
/** An L1 as the follower sees it: testOrigin blocks, confirmed up to 20. */
const L1_HEAD = 20n
const l1: RollupL1View = {
  confirmedHead: async () => L1_HEAD,
  originAt: async (n) => (n > L1_HEAD ? undefined : { ...testOrigin(n), parentHash: testOrigin(n - 1n).hash }),
}
// node.ts passes node/l1's follower as the backend's rollupL1 as it is (checked by tsc)
export const followerFits: (f: L1Follower) => RollupL1View = (f) => f
const l1RefJson = (n: bigint) => ({
  hash: bytesToHex(testOrigin(n).hash),
  number: Number(n),
  parentHash: bytesToHex(testOrigin(n - 1n).hash),
  timestamp: Number(testOrigin(n).timestamp),
})

const node = await startNodeHarness({ spec, dev: false, backend: { rollupL1: l1 } })
t.teardown(() => node.close())
const { rpc, chain } = node
await buildRollupBlocks(chain, accounts[0]!)
const q = (n: bigint) => `0x${n.toString(16)}`

/** The L2 block ref of block `n` as op-node writes it, from eth_getBlockByNumber and the block plan. */
async function expectedRef(n: bigint) {
  const block = (await rpc('eth_getBlockByNumber', [q(n), false])).result
  const plan = n === 0n ? undefined : ROLLUP_BLOCKS[Number(n) - 1]!
  return {
    hash: block.hash,
    number: Number(n),
    parentHash: block.parentHash,
    timestamp: Number(n === 0n ? spec.timestamp : rollupBlockTime(chain, n)),
    l1origin:
      plan === undefined
        ? { hash: TEST_ROLLUP.l1Genesis.hash, number: Number(TEST_ROLLUP.l1Genesis.number) }
        : { hash: bytesToHex(testOrigin(plan.origin).hash), number: Number(plan.origin) },
    sequenceNumber: Number(plan?.sequenceNumber ?? 0n),
  }
}

t.test('optimism_outputAtBlock: the output root from eth_getProof(0x4200…16) and the header', async (t) => {
  const roots = new Set<string>()
  for (let n = 0n; n <= 3n; n++) {
    const block = (await rpc('eth_getBlockByNumber', [q(n), false])).result
    const proof = (await rpc('eth_getProof', [PREDEPLOYS.L2ToL1MessagePasser, [], q(n)])).result
    const expected = bytesToHex(keccak_256(concatBytes(new Uint8Array(32), hexToBytes(block.stateRoot), hexToBytes(proof.storageHash), hexToBytes(block.hash))))
    const { result, error } = await rpc('optimism_outputAtBlock', [q(n)])
    t.equal(error, undefined, `block ${n}: no error`)
    t.equal(result.version, ZERO, `block ${n}: version 0`)
    t.equal(result.outputRoot, expected, `block ${n}: output root`)
    t.equal(result.withdrawalStorageRoot, proof.storageHash, `block ${n}: withdrawal storage root`)
    t.equal(result.stateRoot, block.stateRoot, `block ${n}: state root`)
    t.same(result.blockRef, await expectedRef(n), `block ${n}: block ref`)
    t.equal(result.syncStatus.unsafe_l2.number, 3, `block ${n}: sync status at the head`)
    roots.add(result.withdrawalStorageRoot)
  }
  t.equal(roots.size, 2, 'the withdrawal in block 2 changed the storage root, once')
})

t.test('optimism_outputAtBlock: op-node errors past the head and for a bad number', async (t) => {
  const past = await rpc('optimism_outputAtBlock', ['0x4'])
  t.same(past.error, {
    code: -32000,
    message: 'failed to get L2 block ref with sync status: failed to determine L2BlockRef of height 4, could not get payload: not found',
  })
  t.equal((await rpc('optimism_outputAtBlock', ['0x01'])).error?.code, -32602, 'leading zeros (hexutil.Uint64)')
  t.equal((await rpc('optimism_outputAtBlock', [4])).error?.code, -32602, 'a JSON number')
  t.equal((await rpc('optimism_outputAtBlock', [])).error?.code, -32602, 'no block number')
})

t.test('optimism_syncStatus: L2 heads at the head, L1 as the follower knows it', async (t) => {
  const { result } = await rpc('optimism_syncStatus')
  const head = await expectedRef(3n)
  t.same(Object.keys(result).sort(), [
    'cross_unsafe_l2',
    'current_l1',
    'current_l1_finalized',
    'finalized_l1',
    'finalized_l2',
    'head_l1',
    'local_safe_l2',
    'pending_safe_l2',
    'safe_l1',
    'safe_l2',
    'unsafe_l2',
  ])
  for (const key of ['unsafe_l2', 'safe_l2', 'finalized_l2', 'pending_safe_l2', 'cross_unsafe_l2', 'local_safe_l2']) t.same(result[key], head, key)
  t.same(result.current_l1, l1RefJson(14n), "current_l1: the head's L1 origin")
  t.same(result.head_l1, l1RefJson(L1_HEAD), "head_l1: the follower's confirmed head")
  for (const key of ['safe_l1', 'finalized_l1', 'current_l1_finalized']) t.same(result[key], ZERO_L1_REF, `${key} unknown`)
})

t.test('without an L1 view, or when L1 holds another block, the L1 refs are zero', async (t) => {
  const base = { chain, rollup: TEST_ROLLUP, safeBlockNumber: () => 3n, finalizedBlockNumber: () => 1n, version: 'v1' }
  const alone = await createRollupNode({ ...base, l1: undefined }).syncStatus()
  t.equal(alone.currentL1, undefined)
  t.equal(alone.headL1, undefined)
  t.equal(alone.finalizedL2.number, 1n, 'finalized from its marker')
  t.equal(alone.finalizedL2.l1origin.number, 13n)
  const reorged = await createRollupNode({
    ...base,
    l1: { ...l1, originAt: async (n) => ({ ...testOrigin(n + 100n), number: n, parentHash: new Uint8Array(32) }) },
  }).syncStatus()
  t.equal(reorged.currentL1, undefined, 'not the origin the head names')
  t.equal(reorged.headL1?.number, L1_HEAD)
})

t.test('optimism_rollupConfig round-trips through parseRollupConfig', async (t) => {
  const { result } = await rpc('optimism_rollupConfig')
  const parsed = parseRollupConfig(result, spec)
  t.equal(parsed.l2GenesisHash, (await rpc('eth_getBlockByNumber', ['0x0', false])).result.hash)
  const { seqWindowSize: _w, channelTimeout: _c, ...rest } = parsed.rollup
  t.same(rest, TEST_ROLLUP)
  t.equal(result.genesis.l2.number, 0)
})

t.test('optimism_version and rpc_modules', async (t) => {
  t.equal((await rpc('optimism_version')).result, `v${packageVersion()}`)
  t.equal((await rpc('rpc_modules')).result.optimism, '1.0')
})

t.test('a chain without rollup answers -32601', async (t) => {
  const plain = await startNodeHarness({ spec: createTestSpec({ accounts }), dev: false })
  t.teardown(() => plain.close())
  for (const [method, params] of [
    ['optimism_outputAtBlock', ['0x0']],
    ['optimism_syncStatus', []],
    ['optimism_rollupConfig', []],
    ['optimism_version', []],
  ] as const) {
    const answer = await plain.rpc(method, [...params])
    t.equal(answer.error?.code, -32601, method)
    t.equal(answer.error?.message, `${method} is only available on a rollup chain`, method)
  }
  const modules = (await plain.rpc('rpc_modules')).result
  t.equal(modules.optimism, undefined)
  t.equal(modules.eth, '1.0')
})
