/**
 * The OpenZeppelin 5.7 peers of the runtime modules, compiled from node_modules/@openzeppelin/
 * contracts by the pinned solc (optimizer 200 runs, Prague) when the bench starts, deployed on the
 * bench node with signed txs over JSON-RPC like any user's deployment, and the chain brought to
 * the states the operations are measured in:
 * - GOPEN: GopenReference.sol (ERC20 + ERC20Permit + ERC20Votes wrapping native OPEN);
 * - governor: GovernorReference.sol (Settings, CountingSimple, Storage, Votes, QuorumFraction,
 *   PreventLateQuorum, TimelockControl) with the devnet's settings, on OZ's TimelockController
 *   (the governor holds proposer, executor and canceller, as the governor module does);
 * - vesting: one VestingWalletReference.sol (VestingWalletCliff) per beneficiary, funded with the
 *   same OPEN, start, cliff and duration as its genesis schedule in the vesting module.
 */
import { hexToBytes } from '@ethereumjs/util'
import { encodeAbiParameters, encodeDeployData, encodeFunctionData, getContractAddress, keccak256, toHex } from 'viem'
import type { Abi } from 'viem'
import type { Hex } from '../../../genesis/index.ts'
import { MODULE_ADDRESSES, gopenAbi, governorAbi } from '../../../runtime/index.ts'
import { compileSolidity } from '../../../test/fixtures/modules/compileSolidity.ts'
import { compileGopenReference } from '../../../test/fixtures/modules/gopenGasScenario.ts'
import { GOVERNOR_REFERENCE, VESTING_WALLET_REFERENCE } from '../../../test/fixtures/modules/ozReferences.ts'
import type { RpcClient } from '../../node/jsonRpcClient.ts'
import { runRpcWorkload } from '../../node/rpcWorkload.ts'
import { benchCommon, signBenchTx } from '../../node/workload.ts'
import type { BenchCall } from '../../node/workload.ts'
import { MONTH_SECONDS, SCHEDULE_MONTHS, TREASURY_DEPOSIT } from './modulesSpec.ts'
import type { BenchAccount, ModulesBench } from './modulesSpec.ts'

const OPEN = 10n ** 18n
/** each holder wraps this much on each side */
export const HOLDER_DEPOSIT = 1_000n * OPEN
/** the txpool holds at most 64 txs per sender (maxPerSender, maxNonceGap): the treasury's setup goes in rounds */
const ROUND_TXS = 50
const CALL_GAS = 500_000n
const CREATE_GAS = 12_000_000n
/** a no-op proposal (a zero-value call to the treasury): only the votes on it are measured */
const PROPOSAL = { values: [0n], calldatas: ['0x' as Hex], description: 'modules bench: a proposal to vote on' }

/** Signed txs with their hashes, in submission order. */
export type SignedTxs = { raws: Uint8Array[]; hashes: Uint8Array[] }

/** Signs with a nonce per account that advances on each signature unless a nonce is given. */
export type TxSigner = { sign(from: BenchAccount, call: BenchCall, nonce?: bigint): SignedTxs; nonceOf(from: BenchAccount): bigint }

/** A {@link TxSigner} for `chainId`, every account at nonce 0. */
export function createTxSigner(chainId: bigint): TxSigner {
  const common = benchCommon(chainId)
  const nonces = new Map<Hex, bigint>()
  const nonceOf = (from: BenchAccount) => nonces.get(from.address) ?? 0n
  return {
    nonceOf,
    sign(from, call, nonce) {
      const n = nonce ?? nonceOf(from)
      if (nonce === undefined) nonces.set(from.address, n + 1n)
      const { raw, hash } = signBenchTx(common, from.key, n, call)
      return { raws: [raw], hashes: [hash] }
    },
  }
}

/** Concatenate signed tx lists. */
export function joinTxs(lists: readonly SignedTxs[]): SignedTxs {
  return { raws: lists.flatMap((l) => l.raws), hashes: lists.flatMap((l) => l.hashes) }
}

/** A contract call as a {@link BenchCall}. */
export function abiCall(to: Hex, abi: Abi | readonly unknown[], functionName: string, args: readonly unknown[] = [], value = 0n): BenchCall {
  return { to: hexToBytes(to), value, gasLimit: CALL_GAS, data: hexToBytes(encodeFunctionData({ abi: abi as Abi, functionName, args } as never)) }
}

/** Send `txs` over JSON-RPC, mine one block, wait for the receipts (all must succeed). */
export async function mineTxs(client: RpcClient, txs: SignedTxs): Promise<void> {
  await runRpcWorkload(client, txs, { sendBatch: 100, receiptBatch: 500, mine: async () => void (await client.call('evm_mine')), timeoutMs: 120_000 })
}

/** Where the peers live, and what the operations need. */
export type OzPeers = {
  gopen: Hex
  timelock: Hex
  governor: Hex
  /** beneficiaries[i]'s VestingWalletReference */
  wallets: Hex[]
  /** the proposal both governors vote on (the same id: same calls and description) */
  proposalId: bigint
}

/** Compile the peers, deploy them from the treasury and wrap OPEN on both sides (holders and treasury); the treasury delegates to itself. */
export async function deployPeers(client: RpcClient, bench: ModulesBench, signer: TxSigner): Promise<Omit<OzPeers, 'proposalId'>> {
  const { spec, treasury, beneficiaries } = bench
  const gov = spec.governance!
  const governorSol = compileSolidity(GOVERNOR_REFERENCE.path, GOVERNOR_REFERENCE.name)
  const timelockSol = compileSolidity('@openzeppelin/contracts/governance/TimelockController.sol', 'TimelockController')
  const walletSol = compileSolidity(VESTING_WALLET_REFERENCE.path, VESTING_WALLET_REFERENCE.name)
  const create = (data: Hex, value = 0n) => {
    const address = getContractAddress({ from: treasury.address, nonce: signer.nonceOf(treasury) })
    return { address, txs: signer.sign(treasury, { data: hexToBytes(data), value, gasLimit: CREATE_GAS }) }
  }
  const gopen = create(compileGopenReference().bytecode)
  const timelock = create(encodeDeployData({ abi: timelockSol.abi, bytecode: timelockSol.bytecode, args: [gov.timelockDelay, [], [], treasury.address] }))
  if (gov.quorumBps % 100 !== 0) throw new Error('OZ QuorumFraction counts whole percent: quorumBps must be a multiple of 100')
  const governorArgs = [
    gopen.address,
    timelock.address,
    gov.votingDelay,
    gov.votingPeriod,
    gov.proposalThreshold,
    BigInt(gov.quorumBps / 100),
    gov.lateQuorumExtension,
  ]
  const governor = create(encodeDeployData({ abi: governorSol.abi, bytecode: governorSol.bytecode, args: governorArgs }))
  const start = spec.tokenomics!.tge
  const wallets = beneficiaries.map((u, i) =>
    create(
      encodeDeployData({
        abi: walletSol.abi,
        bytecode: walletSol.bytecode,
        args: [u.address, start, BigInt(SCHEDULE_MONTHS.duration) * MONTH_SECONDS, BigInt(SCHEDULE_MONTHS.cliff) * MONTH_SECONDS],
      }),
      bench.scheduleAmounts[i]!,
    ),
  )
  const roles = ['PROPOSER_ROLE', 'EXECUTOR_ROLE', 'CANCELLER_ROLE'].map((role) =>
    signer.sign(treasury, abiCall(timelock.address, timelockSol.abi, 'grantRole', [keccak256(toHex(role)), governor.address])),
  )
  const wrap = (who: BenchAccount, amount: bigint) => [
    signer.sign(who, abiCall(MODULE_ADDRESSES.gopen, gopenAbi, 'deposit', [], amount)),
    signer.sign(who, abiCall(gopen.address, gopenAbi, 'deposit', [], amount)),
  ]
  const treasuryTxs = [
    gopen.txs,
    timelock.txs,
    governor.txs,
    ...wallets.map((w) => w.txs),
    ...roles,
    ...wrap(treasury, TREASURY_DEPOSIT),
    signer.sign(treasury, abiCall(MODULE_ADDRESSES.gopen, gopenAbi, 'delegate', [treasury.address])),
    signer.sign(treasury, abiCall(gopen.address, gopenAbi, 'delegate', [treasury.address])),
  ]
  for (let i = 0; i < treasuryTxs.length; i += ROUND_TXS) await mineTxs(client, joinTxs(treasuryTxs.slice(i, i + ROUND_TXS)))
  await mineTxs(client, joinTxs(bench.holders.flatMap((u) => wrap(u, HOLDER_DEPOSIT))))
  return { gopen: gopen.address, timelock: timelock.address, governor: governor.address, wallets: wallets.map((w) => w.address) }
}

/**
 * The treasury proposes the same proposal on both governors; after the voting delay it votes For
 * on both, which reaches quorum (and sets the late-quorum deadline), so every measured vote is an
 * ordinary one.
 */
export async function openProposal(client: RpcClient, bench: ModulesBench, signer: TxSigner, peers: Omit<OzPeers, 'proposalId'>): Promise<bigint> {
  const { treasury } = bench
  const targets = [treasury.address]
  const args = [targets, PROPOSAL.values, PROPOSAL.calldatas, PROPOSAL.description]
  const governors = [MODULE_ADDRESSES.governor, peers.governor]
  await mineTxs(client, joinTxs(governors.map((g) => signer.sign(treasury, abiCall(g, governorAbi, 'propose', args)))))
  // blocks built back to back run ahead of the wall clock: time the vote from the proposal's block
  const proposed = await client.call<{ timestamp: Hex }>('eth_getBlockByNumber', ['latest', false])
  await client.call('evm_setNextBlockTimestamp', [toHex(BigInt(proposed.timestamp) + bench.spec.governance!.votingDelay + 1n)])
  const descriptionHash = keccak256(toHex(PROPOSAL.description))
  const params = [{ type: 'address[]' }, { type: 'uint256[]' }, { type: 'bytes[]' }, { type: 'bytes32' }] as const
  const proposalId = BigInt(keccak256(encodeAbiParameters(params, [targets, PROPOSAL.values, PROPOSAL.calldatas, descriptionHash])))
  await mineTxs(client, joinTxs(governors.map((g) => signer.sign(treasury, abiCall(g, governorAbi, 'castVote', [proposalId, 1])))))
  return proposalId
}
