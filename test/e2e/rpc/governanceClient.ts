// viem clients for the runtime modules of a spawned --dev node, driven as a user drives them:
// wrap OPEN into GOPEN, delegate, propose, vote, queue and execute through the Governor, time
// travel over the devnet's minute-scale governance periods, and reverts decoded by name.
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  decodeErrorResult,
  defineChain,
  http,
  parseEventLogs,
} from 'viem'
import type { Abi, Address, Chain, Hex, HttpTransport, TransactionReceipt, WalletClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { PrivateKeyAccount } from 'viem/accounts'
import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { MODULE_ADDRESSES, chainParamsAbi, gopenAbi, governorAbi, timelockAbi, vestingAbi } from '../../../runtime/index.ts'
import { type Proposal, STATE, operations } from '../../fixtures/modules/governanceHarness.ts'
import type { DevNode } from './nodeProcess.ts'

export { STATE, operations }
export type { Proposal }

/** The errors of every module, once each: a revert bubbles from a module through the timelock and the governor. */
export const MODULE_ERRORS = [
  ...new Map(
    [...governorAbi, ...timelockAbi, ...gopenAbi, ...vestingAbi, ...chainParamsAbi].filter((i) => i.type === 'error').map((i) => [i.name, i]),
  ).values(),
] as Abi

/** A revert decoded by name, with its arguments. */
export type DecodedRevert = { errorName: string; args: readonly unknown[] }

/** Decode revert data with the module errors (and `abi`, for a contract's own). */
export function decodeRevert(data: Hex, abi: Abi = []): DecodedRevert {
  const d = decodeErrorResult({ abi: [...abi, ...MODULE_ERRORS], data })
  return { errorName: d.errorName, args: d.args ?? [] }
}

/** A dev account's wallet: a local signer (viem estimates, signs and sends raw txs). */
export type DevWallet = WalletClient<HttpTransport, Chain, PrivateKeyAccount>

/** How the node's `state(id)` names the ProposalState values. */
export type ProposalStateName = keyof typeof STATE

/**
 * Clients on `node` and the steps of a governance walkthrough. Every write waits for its receipt
 * (the node automines) and fails on a reverted status; reads are at the head.
 */
export function createGovernanceClient(node: DevNode) {
  const chain = defineChain({
    id: 1337,
    name: 'openledger-devnet',
    nativeCurrency: { name: 'Open', symbol: 'OPEN', decimals: 18 },
    rpcUrls: { default: { http: [node.url] } },
  })
  const transport = http(node.url)
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50, cacheTime: 0 })
  const testClient = createTestClient({ chain, mode: 'anvil', transport, cacheTime: 0 })
  const accounts = DEV_ACCOUNTS.map((a) => privateKeyToAccount(a.privateKey as Hex))
  const wallets: DevWallet[] = accounts.map((account) => createWalletClient({ chain, transport, account }))

  /** The wallet of dev account `i`. */
  const wallet = (i: number): DevWallet => wallets[i]!

  /** Wait for a tx's receipt; throws on a reverted one, naming `what`. */
  async function mined(hash: Hex, what: string): Promise<TransactionReceipt> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new Error(`${what} reverted in block ${receipt.blockNumber}`)
    return receipt
  }

  /** writeContract by `from`, mined. */
  async function write(from: DevWallet, request: { address: Address; abi: Abi; functionName: string; args?: readonly unknown[]; value?: bigint }) {
    const hash = await from.writeContract(request as never)
    return mined(hash, `${request.functionName} by ${from.account.address}`)
  }

  /** What `p` rejects with, decoded (fails when it resolves or rejects without revert data). */
  async function revertOf(p: Promise<unknown>, abi: Abi = []): Promise<DecodedRevert> {
    try {
      await p
    } catch (err) {
      const revert = err instanceof BaseError ? err.walk((e) => e instanceof ContractFunctionRevertedError) : null
      if (revert instanceof ContractFunctionRevertedError) {
        // viem decodes errors of the ABI it called with; one that bubbled up from another module decodes with theirs
        if (revert.data !== undefined) return { errorName: revert.data.errorName, args: revert.data.args ?? [] }
        if (revert.raw !== undefined) return decodeRevert(revert.raw, abi)
      }
      const data = (err as { cause?: { data?: Hex }; data?: Hex }).data ?? (err as { cause?: { data?: Hex } }).cause?.data
      if (typeof data === 'string') return decodeRevert(data, abi)
      throw err
    }
    throw new Error('expected a revert')
  }

  /** The head block's timestamp. */
  const now = async (): Promise<bigint> => (await publicClient.getBlock({ blockTag: 'latest' })).timestamp

  /**
   * evm_increaseTime, then evm_mine: the new head is at least `seconds` after the old one. The
   * offset counts from the node's clock, which blocks built in a burst (one a second at least) may
   * be ahead of, so the lead is added (anvil's rule: read the offset, compare with the head).
   */
  async function travel(seconds: bigint): Promise<bigint> {
    const before = await now()
    const offset = BigInt(await testClient.request({ method: 'evm_increaseTime', params: [0] } as never))
    const clock = BigInt(Math.floor(Date.now() / 1000)) + offset
    const lead = before > clock ? before - clock : 0n
    await testClient.increaseTime({ seconds: Number(seconds + lead) })
    await mine()
    const after = await now()
    if (after < before + seconds) throw new Error(`travel: the head moved ${after - before} s, not ${seconds} s`)
    return after
  }

  /** Travel until the head is past `timestamp`. */
  async function travelPast(timestamp: bigint): Promise<bigint> {
    const head = await now()
    return head > timestamp ? head : travel(timestamp + 1n - head)
  }

  /** evm_mine: one block now (viem's mine() calls anvil_mine, which the node does not serve). */
  const mine = async (): Promise<void> => {
    await testClient.request({ method: 'evm_mine' } as never)
  }

  const read = <T>(address: Address, abi: Abi, functionName: string, args: readonly unknown[] = [], blockNumber?: bigint): Promise<T> =>
    publicClient.readContract({ address, abi, functionName, args, blockNumber } as never) as Promise<T>
  const governor = <T>(functionName: string, args: readonly unknown[] = []) => read<T>(MODULE_ADDRESSES.governor, governorAbi as Abi, functionName, args)
  const gopen = <T>(functionName: string, args: readonly unknown[] = [], blockNumber?: bigint) =>
    read<T>(MODULE_ADDRESSES.gopen, gopenAbi as Abi, functionName, args, blockNumber)

  /** A proposal's state by name. */
  async function state(id: bigint): Promise<ProposalStateName> {
    const n = await governor<number>('state', [id])
    return (Object.keys(STATE) as ProposalStateName[]).find((k) => STATE[k] === n)!
  }

  /** The id the governor gives `p` (hashProposal). */
  const proposalId = (p: Proposal): Promise<bigint> => governor<bigint>('hashProposal', operations(p))

  /**
   * Release the devnet's genesis investor and team schedules (ids 1 and 2; anyone may) after
   * traveling past their end (a fresh --dev chain starts them at its creation: months 12-48 of
   * 60-second months): until released their locked OPEN (333M) counts in GOPEN's voting supply,
   * so no wrapped dev OPEN could reach the 5% quorum. Afterwards the voting supply is what the
   * tests wrap and lock (the timelock's own schedule never votes).
   */
  async function releaseGenesisVotes(from: DevWallet): Promise<void> {
    for (const id of [1n, 2n]) {
      const schedule = await read<readonly bigint[]>(MODULE_ADDRESSES.vesting, vestingAbi as Abi, 'getSchedule', [id])
      await travelPast((schedule[3] as bigint) + (schedule[5] as bigint))
      await write(from, { address: MODULE_ADDRESSES.vesting, abi: vestingAbi as Abi, functionName: 'release', args: [id] })
    }
  }

  /** Wrap `amount` OPEN (GOPEN.deposit) and delegate the votes to oneself. */
  async function wrapAndDelegate(from: DevWallet, amount: bigint): Promise<void> {
    await write(from, { address: MODULE_ADDRESSES.gopen, abi: gopenAbi as Abi, functionName: 'deposit', value: amount })
    await write(from, { address: MODULE_ADDRESSES.gopen, abi: gopenAbi as Abi, functionName: 'delegate', args: [from.account.address] })
  }

  /** Propose `p` as `from`; resolves to its id once mined. */
  async function propose(from: DevWallet, p: Proposal): Promise<{ id: bigint; receipt: TransactionReceipt }> {
    const receipt = await write(from, {
      address: MODULE_ADDRESSES.governor,
      abi: governorAbi as Abi,
      functionName: 'propose',
      args: [p.targets, p.values, p.calldatas, p.description],
    })
    const [created] = parseEventLogs({ abi: governorAbi, logs: receipt.logs, eventName: 'ProposalCreated' })
    return { id: created!.args.proposalId, receipt }
  }

  /** castVote as `from`; resolves to the weight its VoteCast event carries. */
  async function vote(from: DevWallet, id: bigint, support: 0 | 1 | 2): Promise<bigint> {
    const receipt = await write(from, { address: MODULE_ADDRESSES.governor, abi: governorAbi as Abi, functionName: 'castVote', args: [id, support] })
    const [cast] = parseEventLogs({ abi: governorAbi, logs: receipt.logs, eventName: 'VoteCast' })
    return cast!.args.weight
  }

  /** queue or execute `p` (the overloads that take the operations) as `from`. */
  const queue = (from: DevWallet, p: Proposal) =>
    write(from, { address: MODULE_ADDRESSES.governor, abi: governorAbi as Abi, functionName: 'queue', args: operations(p) })
  const execute = (from: DevWallet, p: Proposal) =>
    write(from, { address: MODULE_ADDRESSES.governor, abi: governorAbi as Abi, functionName: 'execute', args: operations(p) })

  /**
   * Take proposals through the whole lifecycle with `voter`'s For votes (which must reach quorum):
   * propose all, travel past the voting delay, vote, travel past the deadline, queue, travel past
   * eta. Resolves to their ids, Queued and ready to execute.
   */
  async function passToQueue(voter: DevWallet, proposals: Proposal[]): Promise<bigint[]> {
    const ids: bigint[] = []
    for (const p of proposals) ids.push((await propose(voter, p)).id)
    await travelPast(await governor<bigint>('proposalSnapshot', [ids.at(-1)]))
    for (const id of ids) await vote(voter, id, 1)
    await travelPast(await governor<bigint>('proposalDeadline', [ids.at(-1)]))
    for (const p of proposals) await queue(voter, p)
    await travelPast(await governor<bigint>('proposalEta', [ids.at(-1)]))
    return ids
  }

  /** openledger_getSupply at `block`, as bigints. */
  async function supply(block: bigint | 'latest' = 'latest') {
    const s = (await publicClient.request({
      method: 'openledger_getSupply',
      params: [typeof block === 'bigint' ? `0x${block.toString(16)}` : block],
    } as never)) as Record<'block' | 'total' | 'circulating' | 'locked' | 'unvested' | 'wrapped' | 'fees', Hex> & { feeRecipients: Address[] }
    const n = (k: keyof typeof s) => BigInt(s[k] as Hex)
    return {
      block: n('block'),
      total: n('total'),
      circulating: n('circulating'),
      locked: n('locked'),
      wrapped: n('wrapped'),
      fees: n('fees'),
      feeRecipients: s.feeRecipients,
    }
  }

  return {
    chain,
    publicClient,
    testClient,
    accounts,
    wallet,
    mined,
    write,
    revertOf,
    now,
    travel,
    travelPast,
    mine,
    read,
    governor,
    gopen,
    state,
    proposalId,
    releaseGenesisVotes,
    wrapAndDelegate,
    propose,
    vote,
    queue,
    execute,
    passToQueue,
    supply,
  }
}

/** What {@link createGovernanceClient} returns. */
export type GovernanceClient = ReturnType<typeof createGovernanceClient>
