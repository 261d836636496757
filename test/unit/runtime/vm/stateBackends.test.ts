import t from 'tap'
import { createBlockFromRLP } from '@ethereumjs/block'
import type { Block } from '@ethereumjs/block'
import type { TypedTransaction } from '@ethereumjs/tx'
import {
  Address,
  bigIntToBytes,
  bytesToHex,
  concatBytes,
  createContractAddress,
  equalsBytes,
  hexToBytes,
  setLengthLeft,
  setLengthRight,
  utf8ToBytes,
} from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { Hex } from '../../../../genesis/index.ts'
import {
  buildLinearBlock,
  chainParams,
  createChainCommon,
  createGenesisBlock,
  createRuntimeVm,
  defaultLinearBuildOptions,
  defaultRuntimeVmOptions,
  executeBlock,
  writeGenesisState,
} from '../../../../runtime/index.ts'
import type { RuntimeVm, StateBackend } from '../../../../runtime/index.ts'
import { MemoryChainReader } from '../../../fixtures/chain/memoryChain.ts'
import { createPrng } from '../../../fixtures/chain/prng.ts'
import { createTestSpec, signed1559, testAccounts } from '../../../fixtures/chain/testSpec.ts'
import { PROBE as PROBE_ARTIFACT } from '../../../fixtures/contracts/contracts.ts'
import { tokenDeployData, tokenTransferData } from '../../../fixtures/contracts/token.ts'

// Both state backends must give the same blocks (state roots, receipts, gas) for every tx kind
// the EVM can produce: transfers to new and existing accounts, token deploys and transfers,
// many fresh storage slots, slot deletes, nested calls, reverts, and contracts that write
// storage and SELFDESTRUCT in their constructor (EIP-6780 deletes) and are paid again later.

const PROBE = '0x00000000000000000000000000000000000b0b01' as Hex
const PROBE2 = '0x00000000000000000000000000000000000b0b02' as Hex
const word = (v: bigint): Uint8Array => setLengthLeft(bigIntToBytes(v), 32)
const selector = (signature: string): Uint8Array => keccak_256(utf8ToBytes(signature)).subarray(0, 4)
const probeStorage = { [bytesToHex(word(0n))]: bytesToHex(word(3n)), [bytesToHex(keccak_256(concatBytes(word(7n), word(1n))))]: bytesToHex(word(9n)) }
// init code: SSTORE(0, 1); SELFDESTRUCT(CALLER)
const SELF_DESTRUCTING_INIT = hexToBytes('0x600160005533ff')

const accounts = testAccounts(8)
const spec = createTestSpec({
  accounts,
  extraAlloc: {
    [PROBE]: { balance: 0n, nonce: 1n, code: PROBE_ARTIFACT.deployedBytecode, storage: probeStorage },
    [PROBE2]: { balance: 0n, nonce: 1n, code: PROBE_ARTIFACT.deployedBytecode },
  },
})

async function runtimeOn(backend: StateBackend): Promise<{ runtime: RuntimeVm; reader: MemoryChainReader; genesis: Block }> {
  const common = createChainCommon(spec)
  const reader = new MemoryChainReader()
  const runtime = await createRuntimeVm({ ...defaultRuntimeVmOptions, stateBackend: backend, spec, common, chain: reader })
  const genesis = createGenesisBlock(spec, common, await writeGenesisState(runtime.stateManager, spec))
  reader.add(genesis.header)
  return { runtime, reader, genesis }
}

/** Deterministic blocks of mixed txs (signed with the given runtime's Common). */
function planBlocks(runtime: RuntimeVm, blocks: number, txsPerBlock: number): { plan: TypedTransaction[][]; destroyed: Address[] } {
  const prng = createPrng(2024)
  const { common } = runtime
  const nonces = accounts.map(() => 0n)
  const deployer = accounts[0]!
  const token = createContractAddress(deployer.address, 0n)
  const destroyed: Address[] = []
  const plan: TypedTransaction[][] = []
  const next = (i: number): bigint => nonces[i]!++
  for (let b = 0; b < blocks; b++) {
    const txs: TypedTransaction[] = []
    if (b === 0) txs.push(signed1559(common, deployer, { nonce: next(0), data: tokenDeployData(10n ** 24n), gasLimit: 1_000_000n }))
    for (let i = 0; i < txsPerBlock; i++) {
      const s = 1 + prng.int(accounts.length - 1)
      const from = accounts[s]!
      const roll = prng.int(9)
      const probe = new Address(hexToBytes(prng.int(2) === 0 ? PROBE : PROBE2))
      if (roll === 0) {
        txs.push(signed1559(common, from, { nonce: next(s), to: new Address(keccak_256(word(BigInt(b * 1000 + i))).subarray(0, 20)), value: 1n + BigInt(i) }))
      } else if (roll === 1) {
        txs.push(signed1559(common, from, { nonce: next(s), to: prng.pick(accounts).address, value: 7n }))
      } else if (roll === 2 && b > 0) {
        // the deployer hands out tokens; holders pass them on (some transfers revert: no balance)
        const sender = prng.int(2) === 0 ? 0 : s
        txs.push(
          signed1559(common, accounts[sender]!, {
            nonce: next(sender),
            to: token,
            data: tokenTransferData(prng.pick(accounts).address, BigInt(1 + prng.int(1000))),
            gasLimit: 100_000n,
          }),
        )
      } else if (roll === 3) {
        txs.push(
          signed1559(common, from, { nonce: next(s), to: probe, data: concatBytes(selector('burn(uint256)'), word(BigInt(prng.int(12)))), gasLimit: 600_000n }),
        )
      } else if (roll === 4) {
        txs.push(signed1559(common, from, { nonce: next(s), to: probe, data: selector('bump()'), gasLimit: 100_000n }))
      } else if (roll === 5) {
        const other = probe.toString() === PROBE ? PROBE2 : PROBE
        txs.push(
          signed1559(common, from, { nonce: next(s), to: probe, data: concatBytes(selector('callBump(address)'), word(BigInt(other))), gasLimit: 200_000n }),
        )
      } else if (roll === 6) {
        // reverts with a reason: state changes of the call are undone, the fee is kept
        const data = concatBytes(selector('fail(string)'), word(32n), word(1n), setLengthRight(utf8ToBytes('x'), 32))
        txs.push(signed1559(common, from, { nonce: next(s), to: probe, data, gasLimit: 100_000n }))
      } else if (roll === 7) {
        const nonce = next(s)
        destroyed.push(createContractAddress(from.address, nonce))
        txs.push(signed1559(common, from, { nonce, data: SELF_DESTRUCTING_INIT, value: 5n, gasLimit: 200_000n }))
      } else if (destroyed.length > 0) {
        // pay an address whose contract destroyed itself (the account is re-created as an EOA)
        txs.push(signed1559(common, from, { nonce: next(s), to: prng.pick(destroyed), value: 3n }))
      } else {
        txs.push(signed1559(common, from, { nonce: next(s), to: from.address, value: 0n }))
      }
    }
    plan.push(txs)
  }
  return { plan, destroyed }
}

t.test('flat and merkle state backends build identical blocks and validate each other', async (t) => {
  const flat = await runtimeOn('flat')
  const merkle = await runtimeOn('merkle')
  t.ok(equalsBytes(flat.genesis.hash(), merkle.genesis.hash()), 'same genesis')
  const { plan, destroyed } = planBlocks(flat.runtime, 8, 40)
  const built: Block[] = []
  let [parentFlat, parentMerkle] = [flat.genesis, merkle.genesis]
  for (const [i, txs] of plan.entries()) {
    const timestamp = parentFlat.header.timestamp + 1n
    const a = await buildLinearBlock(flat.runtime, parentFlat.header, txs, { ...defaultLinearBuildOptions, timestamp })
    const b = await buildLinearBlock(merkle.runtime, parentMerkle.header, txs, { ...defaultLinearBuildOptions, timestamp })
    t.equal(a.block.transactions.length, txs.length, `block ${i + 1}: every tx included`)
    t.ok(
      a.receipts.some((r) => r.status === 0),
      `block ${i + 1}: has failed txs`,
    )
    t.equal(bytesToHex(a.block.header.stateRoot), bytesToHex(b.block.header.stateRoot), `block ${i + 1}: state root`)
    t.ok(equalsBytes(a.block.hash(), b.block.hash()), `block ${i + 1}: same block hash (receipts, bloom, gas)`)
    flat.reader.add(a.block.header)
    merkle.reader.add(b.block.header)
    built.push(a.block)
    ;[parentFlat, parentMerkle] = [a.block, b.block]
  }
  let paid = 0
  for (const address of destroyed) {
    t.equal((await flat.runtime.stateManager.getCode(address)).length, 0, `${address}: destroyed in its constructor`)
    if ((await flat.runtime.stateManager.getAccount(address)) !== undefined) paid++
  }
  t.ok(paid > 0, `${paid} destroyed addresses were paid again`)
  // validators of either backend re-execute the flat-built blocks from RLP (runBlock checks roots and receipts)
  for (const backend of ['merkle', 'flat'] as const) {
    const validator = await runtimeOn(backend)
    for (const block of built) {
      const decoded = createBlockFromRLP(block.serialize(), { common: validator.runtime.common, params: chainParams(spec) })
      await executeBlock(validator.runtime, decoded)
      validator.reader.add(decoded.header)
    }
    t.pass(`${backend} validator accepted all ${built.length} blocks`)
  }
})
