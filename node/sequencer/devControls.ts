import { bytesToHex } from '@ethereumjs/util'
import { pino } from 'pino'
import type { Logger } from 'pino'
import type { DevControls } from '../../rpc/index.ts'
import type { Chain } from '../chain/index.ts'
import type { BlockClockState, BlockClock } from './blockClock.ts'
import type { Sequencer } from './sequencer.ts'

/** Options of {@link createDevControls}. */
export type DevControlsOptions = {
  chain: Chain
  sequencer: Sequencer
  /** the clock the sequencer builds with */
  clock: BlockClock
  logger?: Logger
}

type Snapshot = { hash: Uint8Array; number: bigint; clock: BlockClockState }

/**
 * The --dev controls anvil and Hardhat serve, over the sequencer, its block clock and the chain.
 * - Time: the clock's offset and next exact timestamp (blockClock.ts); the clock is in memory,
 *   like anvil's, so a restart starts from offset 0 (timestamps still only go up).
 * - Snapshots (in memory, ids 1, 2, ...): the head block and the clock. evm_revert runs between
 *   builds: chain.rewindTo deletes the later blocks in one batch, the pool follows the `rewind`,
 *   the clock is put back; that snapshot and the later ones are gone.
 * - Balances: one block of their own (sequencer.buildNow with devBalances), so "latest" shows
 *   them when setBalance resolves, every reader follows a normal new head, and they are on disk
 *   with that block's state root.
 *
 * @example
 * const clock = createBlockClock()
 * const sequencer = createSequencer({ chain, pool, clock, automine: true })
 * const devControls = createDevControls({ chain, sequencer, clock })
 * const id = await devControls.snapshot()
 */
export function createDevControls(options: DevControlsOptions): DevControls {
  const { chain, sequencer, clock } = options
  const log = (options.logger ?? pino({ level: 'silent' })).child({ name: 'node:sequencer:dev' })
  const snapshots = new Map<bigint, Snapshot>()
  let nextId = 1n
  return {
    increaseTime(seconds) {
      const total = clock.increaseTime(seconds)
      log.debug({ seconds, total }, 'time increased')
      return total
    },
    setNextBlockTimestamp(timestamp) {
      clock.setNextTimestamp(timestamp, chain.head().header.timestamp)
    },
    snapshot() {
      return sequencer.exclusive(async () => {
        const head = chain.head()
        const id = nextId++
        snapshots.set(id, { hash: head.hash(), number: head.header.number, clock: clock.save() })
        log.debug({ id, number: head.header.number }, 'snapshot taken')
        return id
      })
    },
    revert(id) {
      return sequencer.exclusive(async () => {
        const snapshot = snapshots.get(id)
        if (snapshot === undefined) return false
        // as Hardhat and anvil: reverting uses up this snapshot and every later one
        for (const later of snapshots.keys()) if (later >= id) snapshots.delete(later)
        await chain.rewindTo(snapshot.hash)
        clock.restore(snapshot.clock)
        log.debug({ id, number: snapshot.number }, 'reverted to snapshot')
        return true
      })
    },
    async setBalance(address, balance) {
      const block = await sequencer.buildNow({ devBalances: [{ address, balance }] })
      log.debug({ address: bytesToHex(address), balance, number: block.number }, 'balance set')
    },
  }
}
