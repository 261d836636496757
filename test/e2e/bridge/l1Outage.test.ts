// An L1 that stops answering (its anvil paused with SIGSTOP: requests hang, as with a black-holed
// endpoint) does not stop the L2: blocks go on on their L1 origin, and once L1 is back a deposit
// made there is included.
import { join } from 'node:path'
import t from 'tap'
import { parseEther } from 'viem'
import { DEV_L1_STATE_FILE } from '../../../node/l1/index.ts'
import { poll } from '../../fixtures/poll.ts'
import { anvilOf } from './anvilProcess.ts'
import { depositOpen, waitForL2 } from './bridgeFlows.ts'
import { startBridgeNode } from './bridgeHarness.ts'

const h = await startBridgeNode(t)
const user = h.accounts[4]!

t.test('blocks go on while L1 hangs; a deposit made after it is back is included', async (t) => {
  const pid = anvilOf(join(h.datadir, DEV_L1_STATE_FILE))
  if (pid === undefined) throw new Error('the --dev.l1 anvil was not found')
  const before = await h.l2.getBlockNumber()
  process.kill(pid, 'SIGSTOP')
  t.teardown(() => {
    try {
      process.kill(pid, 'SIGCONT')
    } catch {
      // already gone with the node
    }
  })
  // one block a second (the dev block time): five more while L1 does not answer
  await poll(async () => (await h.l2.getBlockNumber()) >= before + 5n, { timeoutMs: 20_000, intervalMs: 100, what: 'L2 blocks during the L1 outage' })
  const during = await h.l2.getBlock()
  t.ok(during.number >= before + 5n, `L2 went on from ${before} to ${during.number} with L1 paused`)
  process.kill(pid, 'SIGCONT')
  const mint = parseEther('3')
  const balance = await h.l2.getBalance({ address: user.address })
  const { l2Hash } = await depositOpen(h, user, { to: user.address, mint })
  const receipt = await waitForL2(h, l2Hash)
  t.equal(receipt.status, 'success', 'the deposit made after the outage is included')
  t.equal(await h.l2.getBalance({ address: user.address }), balance + mint, 'and minted exactly')
})
