import t from 'tap'
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Address, equalsBytes } from '@ethereumjs/util'
import { createChain } from '../../../node/chain/index.ts'
import { createPrng } from '../../fixtures/chain/prng.ts'
import { tempDir } from '../../fixtures/chain/tempDir.ts'
import { crashAccounts, crashRecipients, crashSpec } from '../../fixtures/chain/crashWorkload.ts'
import { BASE_FEE_RECIPIENT, PRIORITY_FEE_RECIPIENT, genesisSupply, signed1559 } from '../../fixtures/chain/testSpec.ts'

const fixture = fileURLToPath(new URL('../../fixtures/chain/crashLoop.ts', import.meta.url))
const KILLS = 5

/** Run the block loop in a child; SIGKILL it after `afterBlocks` commits plus `extraMs`. Returns the last reported block. */
function runAndKill(dataDir: string, afterBlocks: number, extraMs: number, children: Set<ChildProcess>): Promise<{ lastReported: bigint; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] })
    children.add(child)
    let lastReported = -1n
    let seen = 0
    let buffered = ''
    let stderr = ''
    let killScheduled = false
    const deadline = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`child made no progress: ${stderr}`))
    }, 120_000)
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      let nl: number
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl)
        buffered = buffered.slice(nl + 1)
        const m = /^committed (\d+) /.exec(line)
        if (m === null) continue
        lastReported = BigInt(m[1] as string)
        seen++
        if (seen >= afterBlocks && !killScheduled) {
          killScheduled = true
          // a seeded delay lands the kill anywhere in the next block: execution, batch write, print
          setTimeout(() => child.kill('SIGKILL'), extraMs)
        }
      }
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('exit', (_code, signal) => {
      clearTimeout(deadline)
      children.delete(child)
      if (signal !== 'SIGKILL') reject(new Error(`child exited on its own (${_code}): ${stderr}`))
      else resolve({ lastReported, signal })
    })
  })
}

t.test('kill -9 during block production never exposes a half-written block', async (t) => {
  const dir = await tempDir(t)
  const dataDir = join(dir, 'node')
  const children = new Set<ChildProcess>()
  t.teardown(() => {
    for (const c of children) c.kill('SIGKILL')
  })
  const prng = createPrng(424242)
  const supply = genesisSupply(crashSpec)
  const holders = [...crashAccounts.map((a) => a.address), ...crashRecipients(), ...[BASE_FEE_RECIPIENT, PRIORITY_FEE_RECIPIENT].map((h) => new Address(Buffer.from(h.slice(2), 'hex')))]
  let previousHead = 0n
  for (let round = 1; round <= KILLS; round++) {
    const afterBlocks = 1 + prng.int(4)
    const extraMs = prng.int(40)
    const { lastReported } = await runAndKill(dataDir, afterBlocks, extraMs, children)
    const chain = await createChain({ dataDir, spec: crashSpec })
    const head = chain.head()
    const n = head.header.number
    t.ok(n >= lastReported && n <= lastReported + 1n, `round ${round}: head ${n} is the last committed block (reported ${lastReported})`)
    t.ok(n > previousHead, `round ${round}: progress`)
    // the head's state opens and is complete: every holder readable, supply conserved
    const state = await chain.stateAt(n)
    let total = 0n
    for (const address of holders) total += (await state.getAccount(address))?.balance ?? 0n
    t.equal(total, supply, `round ${round}: supply conserved at the head state`)
    // receipts and tx index of every block since the previous round are consistent
    for (let b = previousHead + 1n; b <= n; b++) {
      const block = await chain.getBlockByNumber(b)
      const receipts = block === undefined ? undefined : await chain.getReceipts(block.hash())
      t.ok(block !== undefined && receipts !== undefined && receipts.length === block.transactions.length, `round ${round}: block ${b} has its receipts`)
      const lastTx = block?.transactions.at(-1)
      const loc = lastTx === undefined ? undefined : await chain.getTxLocation(lastTx.hash())
      t.ok(loc !== undefined && block !== undefined && equalsBytes(loc.blockHash, block.hash()), `round ${round}: block ${b} tx index`)
    }
    // nothing of the killed, uncommitted block is visible
    t.equal(await chain.getBlockByNumber(n + 1n), undefined, `round ${round}: no block above the head`)
    // production continues on the recovered head
    const sender = crashAccounts[0] as (typeof crashAccounts)[0]
    const nonce = (await state.getAccount(sender.address))?.nonce ?? 0n
    const next = await chain.buildBlock([signed1559(chain.common, sender, { nonce, to: sender.address, value: 1n })], { timestamp: head.header.timestamp + 1n })
    t.equal(next.block.transactions.length, 1, `round ${round}: a new block builds on the recovered head`)
    previousHead = next.block.header.number
    await chain.close()
  }
})
