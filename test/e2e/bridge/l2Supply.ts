// The OPEN supply of a bridge node's L2, counted to the wei from its head state (every account of
// the trie, walked in-process) and from its blocks (deposit mints, MessagePassed withdrawals).
import { createAddressFromString } from '@ethereumjs/util'
import { parseAbi, parseEventLogs } from 'viem'
import { PREDEPLOYS } from '../../../runtime/index.ts'
import { walkState } from '../../integration/helpers/stateWalk.ts'
import { L1_BRIDGE_ABI } from './bridgeHarness.ts'
import type { BridgeHarness } from './bridgeHarness.ts'
import type { Withdrawal } from './bridgeFlows.ts'

const MESSAGE_PASSED_ABI = parseAbi([
  'event MessagePassed(uint256 indexed nonce, address indexed sender, address indexed target, uint256 value, uint256 gasLimit, bytes data, bytes32 withdrawalHash)',
])

/** What {@link l2Supply} counted, all at one L2 head. */
export type L2Supply = {
  head: bigint
  /** Σ balances of every account at `head`, less the message passer's (withdrawn OPEN waiting to be burned) */
  supply: bigint
  /** the message passer's balance at `head` */
  passerBalance: bigint
  /** Σ balances of the genesis state */
  genesisSupply: bigint
  /** the portal's balance() at the rollup's L1 genesis block (the genesis lock) */
  genesisLock: bigint
  /** Σ mint of the deposits in blocks 1..head */
  minted: bigint
  /** every MessagePassed in blocks 0..head */
  withdrawals: Withdrawal[]
  /** Σ of their values */
  withdrawn: bigint
  /** whatever the state walks found wrong (missing or mis-hashed nodes) */
  problems: string[]
}

/** Count the L2 supply of `h` at its current head (pinned first: the chain keeps growing). */
export async function l2Supply(h: BridgeHarness): Promise<L2Supply> {
  const { chain } = h.node
  const head = chain.head().header.number
  const walkAt = async (n: bigint) => walkState(await chain.stateAt(n), (await chain.getBlockByNumber(n))!.header.stateRoot)
  const [atHead, atGenesis] = [await walkAt(head), await walkAt(0n)]
  const passer = await (await chain.stateAt(head)).getAccount(createAddressFromString(PREDEPLOYS.L2ToL1MessagePasser))
  const passerBalance = passer?.balance ?? 0n

  let minted = 0n
  for (let n = 1n; n <= head; n++) {
    const block = await h.l2.getBlock({ blockNumber: n, includeTransactions: true })
    for (const tx of block.transactions) if (tx.type === 'deposit') minted += tx.mint ?? 0n
  }
  const logs = await h.l2.getLogs({ address: PREDEPLOYS.L2ToL1MessagePasser, fromBlock: 0n, toBlock: head })
  const withdrawals = parseEventLogs({ abi: MESSAGE_PASSED_ABI, eventName: 'MessagePassed', logs }).map((l) => l.args as Withdrawal)
  const genesisLock = await h.l1.readContract({
    address: h.rollup.depositContract,
    abi: L1_BRIDGE_ABI,
    functionName: 'balance',
    blockNumber: h.rollup.l1Genesis.number,
  })
  return {
    head,
    supply: atHead.totalBalance - passerBalance,
    passerBalance,
    genesisSupply: atGenesis.totalBalance,
    genesisLock,
    minted,
    withdrawals,
    withdrawn: withdrawals.reduce((sum, w) => sum + w.value, 0n),
    problems: [...atHead.problems, ...atGenesis.problems],
  }
}
