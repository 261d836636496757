// outputAtBlock on a rollup chain in a temp LevelDB: the output root against one computed here
// from the header and an EIP-1186 proof of the L2ToL1MessagePasser, the storage root moving with a
// withdrawal, nothing past the head, and the empty trie's root where the predeploy is absent.
import { getMerkleStateProof } from '@ethereumjs/statemanager'
import { KECCAK256_RLP, bytesToHex, concatBytes, createAddressFromString, hexToBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { pino } from 'pino'
import t from 'tap'
import { createChain, outputAtBlock } from '../../../../node/chain/index.ts'
import { PREDEPLOYS } from '../../../../runtime/index.ts'
import { createTestSpec, testAccounts } from '../../../fixtures/chain/testSpec.ts'
import { tempDir } from '../../../fixtures/chain/tempDir.ts'
import { buildRollupBlocks } from '../../../fixtures/l2/rollupBlocks.ts'
import { withRollup } from '../../../fixtures/l2/rollupSpec.ts'

const logger = pino({ level: 'silent' })
const accounts = testAccounts(2)
const PASSER = createAddressFromString(PREDEPLOYS.L2ToL1MessagePasser)

t.test('the output root of every block, from the header and a proof of 0x4200…16', async (t) => {
  const chain = await createChain({ dataDir: await tempDir(t), spec: withRollup(createTestSpec({ accounts })), logger })
  t.teardown(() => chain.close())
  await buildRollupBlocks(chain, accounts[0]!)
  const storageRoots: string[] = []
  for (let n = 0n; n <= 3n; n++) {
    const block = (await chain.getBlockByNumber(n))!
    const proof = await getMerkleStateProof(await chain.stateAt(n), PASSER, [])
    const storageHash = hexToBytes(proof.storageHash)
    const expected = keccak_256(concatBytes(new Uint8Array(32), block.header.stateRoot, storageHash, block.hash()))
    const output = await outputAtBlock(chain, n)
    t.equal(bytesToHex(output!.outputRoot), bytesToHex(expected), `block ${n}: output root`)
    t.equal(bytesToHex(output!.stateRoot), bytesToHex(block.header.stateRoot), `block ${n}: state root`)
    t.equal(bytesToHex(output!.messagePasserStorageRoot), proof.storageHash, `block ${n}: message passer storage root`)
    t.equal(bytesToHex(output!.blockHash), bytesToHex(block.hash()), `block ${n}: hash`)
    t.equal(output!.block.header.number, n, `block ${n}: the block`)
    storageRoots.push(proof.storageHash)
  }
  t.not(storageRoots[0], bytesToHex(KECCAK256_RLP), 'the genesis proxy has storage')
  t.equal(storageRoots[1], storageRoots[0], 'a transfer leaves the message passer alone')
  t.not(storageRoots[2], storageRoots[1], 'the withdrawal changes its storage root')
  const receipts = await chain.getReceipts((await chain.getBlockByNumber(2n))!.hash())
  t.equal(receipts?.[1]?.status, 1, 'the withdrawal succeeded')
  t.equal(storageRoots[3], storageRoots[2])
  t.equal(await outputAtBlock(chain, 4n), undefined, 'past the head')
})

t.test('a chain without the message passer commits to the empty storage root', async (t) => {
  const chain = await createChain({ dataDir: await tempDir(t), spec: createTestSpec({ accounts }), logger })
  t.teardown(() => chain.close())
  const output = await outputAtBlock(chain, 0n)
  t.equal(bytesToHex(output!.messagePasserStorageRoot), bytesToHex(KECCAK256_RLP))
  const genesis = chain.head()
  t.equal(bytesToHex(output!.outputRoot), bytesToHex(keccak_256(concatBytes(new Uint8Array(32), genesis.header.stateRoot, KECCAK256_RLP, genesis.hash()))))
})
