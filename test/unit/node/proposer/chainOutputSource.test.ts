// chainOutputSource: the proposer's L2 side on the node's chain answers what outputAtBlock answers.
import { bytesToHex } from '@ethereumjs/util'
import { pino } from 'pino'
import t from 'tap'
import { createChain, outputAtBlock } from '../../../../node/chain/index.ts'
import { chainOutputSource } from '../../../../node/proposer/index.ts'
import { createTestSpec, testAccounts } from '../../../fixtures/chain/testSpec.ts'
import { tempDir } from '../../../fixtures/chain/tempDir.ts'
import { buildRollupBlocks } from '../../../fixtures/l2/rollupBlocks.ts'
import { withRollup } from '../../../fixtures/l2/rollupSpec.ts'

t.test('head and output roots of the chain', async (t) => {
  const accounts = testAccounts(1)
  const chain = await createChain({ dataDir: await tempDir(t), spec: withRollup(createTestSpec({ accounts })), logger: pino({ level: 'silent' }) })
  t.teardown(() => chain.close())
  const source = chainOutputSource(chain)
  t.equal(source.headNumber(), 0n)
  await buildRollupBlocks(chain, accounts[0]!)
  t.equal(source.headNumber(), 3n, 'follows the head')
  for (let n = 0n; n <= 3n; n++) {
    const root = await source.outputRootAt(n)
    t.equal(bytesToHex(root!), bytesToHex((await outputAtBlock(chain, n))!.outputRoot), `block ${n}`)
  }
  const roots = await Promise.all([1n, 2n].map((n) => source.outputRootAt(n)))
  t.not(bytesToHex(roots[0]!), bytesToHex(roots[1]!), 'each block its own root')
  t.equal(await source.outputRootAt(4n), undefined, 'past the head')
})
