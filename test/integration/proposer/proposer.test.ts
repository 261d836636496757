// The output proposer against a real L2OutputOracle (contracts-bedrock 0.17.3 on anvil): consecutive
// proposals, nothing posted twice after a restart, waiting for L1 time, and L1 outages.
import t from 'tap'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { bytesToHex } from '@ethereumjs/util'
import { Registry } from 'prom-client'
import { privateKeyToAccount } from 'viem/accounts'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { createAnvil, deployL1, readOpArtifact } from '../../../node/l1/index.ts'
import { createProposer } from '../../../node/proposer/index.ts'
import type { OutputSource } from '../../../node/proposer/index.ts'
import { l1Clients } from '../../fixtures/l1/l1Clients.ts'

const [deployer, proxyAdmin, stranger] = [0, 1, 2].map((i) => privateKeyToAccount(DEV_ACCOUNTS[i]!.privateKey as `0x${string}`)) as [
  ReturnType<typeof privateKeyToAccount>,
  ReturnType<typeof privateKeyToAccount>,
  ReturnType<typeof privateKeyToAccount>,
]
const oracleAbi = readOpArtifact('L2OutputOracle').abi

const anvil = await createAnvil({ chainId: 900n })
t.teardown(() => anvil.stop())
const { wallet, l1 } = l1Clients(anvil)
const now = (await l1.getBlock()).timestamp
// the L2 started 100 s ago at one block a second: L2 blocks up to ~100 are in the oracle's past
const deployment = await deployL1(wallet, { deployer, proxyAdmin }, { l2GenesisTimestamp: now - 100n, genesisSupply: 0n, l2ChainId: 1337n, l2BlockTime: 1n })
const oracle = deployment.rollup.l2OutputOracle

/** A fake L2: head `head`, output root of block n = keccak(n). */
function l2(head: bigint): OutputSource & { head: bigint } {
  return {
    head,
    headNumber() {
      return this.head
    },
    async outputRootAt(n) {
      return n <= this.head ? keccak_256(new TextEncoder().encode(`output ${n}`)) : undefined
    },
  }
}
const read = <T>(functionName: string, args: unknown[] = []): Promise<T> =>
  l1.readContract({ address: oracle, abi: oracleAbi, functionName, args }) as Promise<T>

t.test('posts every output the oracle accepts next, in order, and nothing twice after a restart', async (t) => {
  const outputs = l2(5n)
  const registry = new Registry()
  const first = createProposer({
    l1RpcUrl: anvil.url,
    account: deployer,
    l2OutputOracle: oracle,
    outputs,
    intervalSeconds: 0.2,
    metrics: { registry, prefix: 'test_' },
  })
  t.equal(await first.round(), 5, 'blocks 1..5 proposed')
  t.equal(await read<bigint>('latestBlockNumber'), 5n)
  for (const n of [1n, 3n, 5n]) {
    const index = await read<bigint>('getL2OutputIndexAfter', [n])
    const output = await read<{ outputRoot: string; l2BlockNumber: bigint }>('getL2Output', [index])
    t.equal(output.l2BlockNumber, n)
    t.equal(output.outputRoot, bytesToHex((await outputs.outputRootAt(n))!), `output root of block ${n}`)
  }
  t.match(await registry.metrics(), /test_proposer_l2_block_number 5/, 'metric: last proposed block')
  const restarted = createProposer({ l1RpcUrl: anvil.url, account: deployer, l2OutputOracle: oracle, outputs, intervalSeconds: 0.2 })
  t.equal(await restarted.round(), 0, 'a restarted proposer posts nothing already posted')
  outputs.head = 7n
  t.equal(await restarted.round(), 2, 'then goes on from the oracle: 6 and 7')
  t.equal(await read<bigint>('nextBlockNumber'), 8n)
})

t.test('waits while the oracle would compute an L2 time in the future', async (t) => {
  const outputs = l2(10_000n)
  const proposer = createProposer({ l1RpcUrl: anvil.url, account: deployer, l2OutputOracle: oracle, outputs, intervalSeconds: 0.2, maxProposalsPerRound: 500 })
  const posted = await proposer.round()
  const latest = await read<bigint>('latestBlockNumber')
  const l1Time = (await l1.getBlock()).timestamp
  const l2TimeOfNext = await read<bigint>('computeL2Timestamp', [latest + 1n])
  t.ok(posted > 0 && latest < 10_000n, `stopped at ${latest}, short of the head`)
  t.ok(l2TimeOfNext >= l1Time, 'the next output would be in the future of L1')
})

t.test('an account that is not the PROPOSER gets its failure logged and counted, never thrown', async (t) => {
  const registry = new Registry()
  const proposer = createProposer({
    l1RpcUrl: anvil.url,
    account: stranger,
    l2OutputOracle: oracle,
    outputs: l2(200n),
    intervalSeconds: 0.2,
    metrics: { registry, prefix: 'test_' },
  })
  // L1 time moves on, so the next output is proposable: only the caller's role stands in the way
  await l1.increaseTime({ seconds: 50 })
  await l1.mine({ blocks: 1 })
  const before = await read<bigint>('latestBlockNumber')
  t.equal(await proposer.round(), 0)
  t.equal(await read<bigint>('latestBlockNumber'), before, 'nothing posted')
  t.match(await registry.metrics(), /test_proposer_errors_total 1/)
})

t.test('an unreachable L1 costs a round, not the node', async (t) => {
  const proposer = createProposer({ l1RpcUrl: 'http://127.0.0.1:9', account: deployer, l2OutputOracle: oracle, outputs: l2(5n), intervalSeconds: 0.2 })
  t.equal(await proposer.round(), 0)
  proposer.start()
  await proposer.stop()
  t.pass('start and stop with L1 down return')
})
