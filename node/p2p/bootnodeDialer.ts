import './polyfill.ts'
import type { Libp2p } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Logger } from 'pino'

/** Options of {@link createBootnodeDialer}. */
export type BootnodeDialerOptions = {
  libp2p: Libp2p
  /** validated bootnode multiaddrs, each ending in /p2p/<peer id> */
  bootnodes: Multiaddr[]
  /** first retry delay after a failed dial or a disconnect */
  minBackoffMs: number
  /** the delay doubles per failure up to this */
  maxBackoffMs: number
  log: Logger
}

/** Keeps the node connected to its bootnodes. */
export type BootnodeDialer = { stop(): void }

/**
 * Dial every bootnode at start and again whenever it drops, retrying a failed dial with
 * exponential backoff (minBackoffMs doubling to maxBackoffMs), so a bootnode that restarts is
 * found again without operator action. @libp2p/bootstrap alone dials only once at start.
 *
 * @example
 * const dialer = createBootnodeDialer({ libp2p, bootnodes, minBackoffMs: 250, maxBackoffMs: 10_000, log })
 */
export function createBootnodeDialer(options: BootnodeDialerOptions): BootnodeDialer {
  const { libp2p, log } = options
  let stopped = false
  const states = options.bootnodes.map((addr) => ({
    addr,
    peerId: addr.getPeerId()!,
    backoff: options.minBackoffMs,
    timer: undefined as NodeJS.Timeout | undefined,
    dialing: false,
  }))
  type State = (typeof states)[number]

  function schedule(state: State, delay: number): void {
    if (stopped) return
    clearTimeout(state.timer)
    state.timer = setTimeout(() => void dial(state), delay)
  }

  async function dial(state: State): Promise<void> {
    if (stopped || state.dialing) return
    if (libp2p.getConnections().some((c) => c.remotePeer.toString() === state.peerId)) {
      state.backoff = options.minBackoffMs
      return
    }
    state.dialing = true
    try {
      await libp2p.dial(state.addr)
      state.backoff = options.minBackoffMs
      log.debug({ bootnode: state.addr.toString() }, 'bootnode connected')
    } catch (err) {
      if (stopped) return
      log.debug({ err, bootnode: state.addr.toString(), retryMs: state.backoff }, 'bootnode dial failed')
      schedule(state, state.backoff)
      state.backoff = Math.min(state.backoff * 2, options.maxBackoffMs)
    } finally {
      state.dialing = false
    }
  }

  const onDisconnect = (evt: CustomEvent<{ toString(): string }>): void => {
    const state = states.find((s) => s.peerId === evt.detail.toString())
    if (state !== undefined) schedule(state, state.backoff)
  }
  libp2p.addEventListener('peer:disconnect', onDisconnect)
  for (const state of states) void dial(state)

  return {
    stop() {
      stopped = true
      libp2p.removeEventListener('peer:disconnect', onDisconnect)
      for (const state of states) clearTimeout(state.timer)
    },
  }
}
