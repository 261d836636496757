// Every tx type the chain executes, through the whole path on a real LevelDB chain: raw bytes into
// the txpool -> the sequencer builds blocks -> a fresh in-memory node re-validates each block from
// its RLP (runBlock via the validator path) -> the OPEN supply is conserved. EIP-7702: an EOA
// delegates its code to Probe, then is called like a contract.
import t from 'tap'
import { join } from 'node:path'
import { createBlockFromRLP } from '@ethereumjs/block'
import { Address, bytesToBigInt, createContractAddress, equalsBytes } from '@ethereumjs/util'
import { chainParams, createChainCommon, executeBlock } from '../../../runtime/index.ts'
import { createChain } from '../../../node/chain/index.ts'
import type { Chain } from '../../../node/chain/index.ts'
import { createSequencer } from '../../../node/sequencer/index.ts'
import type { SequencerBlock } from '../../../node/sequencer/index.ts'
import { createTxPool } from '../../../node/txpool/index.ts'
import type { TypedTransaction } from '@ethereumjs/tx'
import { memoryRuntime } from '../../fixtures/chain/memoryChain.ts'
import { tempDir } from '../../fixtures/chain/tempDir.ts'
import { createTestSpec, genesisSupply, testAccounts } from '../../fixtures/chain/testSpec.ts'
import { walkState } from '../helpers/stateWalk.ts'
import { BUMPED_TOPIC, BUMP_DATA, PROBE_BYTECODE, delegationCode, signed1559Tx, signed2930, signed7702, signedLegacy } from '../helpers/txTypes.ts'

const accounts = testAccounts(4, 'tx-types')
const [A, B, C, D] = accounts as [(typeof accounts)[0], (typeof accounts)[0], (typeof accounts)[0], (typeof accounts)[0]]
// the EIP-7702 authority: never sends a tx and holds no OPEN (bump() is not payable)
const [AUTHORITY] = testAccounts(1, 'tx-types-authority') as [(typeof accounts)[0]]
const SINK = new Address(new Uint8Array(20).fill(0x5e))

async function storageWord(chain: Chain, address: Address, slot: number): Promise<bigint> {
  const state = await chain.stateAt(chain.head().header.number)
  const key = new Uint8Array(32)
  key[31] = slot
  return bytesToBigInt(await state.getStorage(address, key))
}

t.test('legacy (EIP-155), EIP-2930, EIP-1559 and EIP-7702 txs: pool -> sequencer -> re-validation -> supply', async (t) => {
  const dir = await tempDir(t)
  const spec = createTestSpec({ accounts })
  const chain = await createChain({ dataDir: join(dir, 'node'), spec })
  const pool = await createTxPool({ chain })
  const sequencer = createSequencer({ chain, pool, automine: false, blockTime: 0 })
  t.teardown(async () => {
    await sequencer.stop()
    await pool.close()
    await chain.close()
  })
  const { common } = chain
  const submit = async (txs: TypedTransaction[]): Promise<SequencerBlock> => {
    for (const tx of txs) t.same(await pool.addRaw(tx.serialize()), tx.hash(), `pool accepts a type ${tx.type} tx`)
    const built = await sequencer.buildNow()
    t.equal(built.txs, txs.length, `block ${built.number}: every submitted tx included`)
    const receipts = (await chain.getReceipts(built.hash))!
    t.same(
      receipts.map((r) => r.status),
      txs.map(() => 1),
      `block ${built.number}: every tx succeeded`,
    )
    return built
  }

  // block 1: Probe, deployed by a legacy EIP-155 tx
  const legacyDeploy = signedLegacy(common, A, { nonce: 0n, to: undefined, data: PROBE_BYTECODE, gasLimit: 1_000_000n })
  t.ok(legacyDeploy.v === 2n * spec.chainId + 35n || legacyDeploy.v === 2n * spec.chainId + 36n, 'the legacy tx carries the chain id in v (EIP-155)')
  await submit([legacyDeploy])
  const probe = createContractAddress(A.address, 0n)

  // block 2: one tx of each type; the 7702 tx installs the delegation and calls the authority at once
  const block2 = [
    signedLegacy(common, A, { nonce: 1n, to: SINK, value: 1_000n }),
    signed2930(common, B, { nonce: 0n, to: probe, data: BUMP_DATA, gasLimit: 100_000n }),
    signed1559Tx(common, C, { nonce: 0n, to: SINK, value: 2_000n }),
    signed7702(common, D, { nonce: 0n, to: AUTHORITY.address, data: BUMP_DATA, delegations: [{ authority: AUTHORITY, target: probe, nonce: 0n }] }),
  ]
  const built2 = await submit(block2)
  const stored2 = (await chain.getBlockByNumber(built2.number))!
  t.same(stored2.transactions.map((tx) => tx.type).sort(), [0, 1, 2, 4], 'block 2 holds all four types')
  const state2 = await chain.stateAt(built2.number)
  t.same(await state2.getCode(AUTHORITY.address), delegationCode(probe), 'the authority carries the 0xef0100 delegation to Probe')
  t.equal((await state2.getAccount(AUTHORITY.address))?.nonce, 1n, 'the authorization bumped the authority nonce')
  t.equal(await storageWord(chain, probe, 0), 1n, "the 2930 call bumped Probe's own counter")
  t.equal(await storageWord(chain, AUTHORITY.address, 0), 1n, "the 7702 call ran Probe's code on the authority's storage")

  // block 3: a plain call to the delegated EOA runs Probe's code again
  const built3 = await submit([signed1559Tx(common, A, { nonce: 2n, to: AUTHORITY.address, data: BUMP_DATA, gasLimit: 100_000n })])
  t.equal(await storageWord(chain, AUTHORITY.address, 0), 2n, 'a call to the delegated EOA bumps its counter')
  const receipt3 = (await chain.getReceipts(built3.hash))![0]!
  const log = receipt3.logs[0]
  t.ok(
    receipt3.logs.length === 1 && log !== undefined && equalsBytes(log.address, AUTHORITY.address.bytes) && equalsBytes(log.topics[0]!, BUMPED_TOPIC),
    "the Bumped log comes from the authority's address",
  )

  // a fresh in-memory node (noble crypto, unlike the producer) re-validates every block from RLP
  const validatorCommon = createChainCommon(spec)
  const { runtime, reader } = await memoryRuntime(spec, validatorCommon)
  for (let n = 1n; n <= chain.head().header.number; n++) {
    const rlp = (await chain.getBlockByNumber(n))!.serialize()
    const executed = await executeBlock(runtime, createBlockFromRLP(rlp, { common: validatorCommon, params: chainParams(spec) }))
    reader.add(executed.block.header)
    t.ok(equalsBytes(await runtime.stateManager.getStateRoot(), executed.block.header.stateRoot), `block ${n} re-executes to its state root`)
  }

  // supply: every account of the head state, walked in full
  const head = chain.head()
  const walk = await walkState(await chain.stateAt(head.header.number), head.header.stateRoot)
  t.same(walk.problems, [])
  t.equal(walk.totalBalance, genesisSupply(spec), `the balances of all ${walk.accounts} accounts sum to the genesis supply`)
})
