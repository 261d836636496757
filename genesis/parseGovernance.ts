import { GENESIS_ERROR, fieldError } from './errors.ts'
import { MAX_UINT64, readObject, readQuantity, readSmallInt, rejectUnknownKeys, requireField } from './fields.ts'
import type { GovernanceSpec } from './types.ts'

const GOVERNANCE_FIELDS = ['votingDelay', 'votingPeriod', 'proposalThreshold', 'quorumBps', 'lateQuorumExtension', 'timelockDelay', 'gracePeriod'] as const

/** The `governance` section in our JSON format (seconds and wei as decimal strings). */
export type GovernanceJson = Record<Exclude<(typeof GOVERNANCE_FIELDS)[number], 'quorumBps'>, string> & { quorumBps: number }

/**
 * Validate the `governance` section (runtime modules on): every field required, durations in
 * seconds (voting period and grace period at least 1), the threshold in wei of GOPEN votes,
 * quorum in basis points (0..10,000) of the past total voting supply.
 */
export function parseGovernance(value: unknown, path: string): GovernanceSpec {
  const raw = readObject(value, path)
  rejectUnknownKeys(raw, GOVERNANCE_FIELDS, path)
  const seconds = (key: string, min: bigint) => readQuantity(requireField(raw, key, path), `${path}.${key}`, min, MAX_UINT64)
  return {
    votingDelay: seconds('votingDelay', 0n),
    votingPeriod: seconds('votingPeriod', 1n),
    proposalThreshold: readQuantity(requireField(raw, 'proposalThreshold', path), `${path}.proposalThreshold`),
    quorumBps: readSmallInt(requireField(raw, 'quorumBps', path), `${path}.quorumBps`, 0, 10_000),
    lateQuorumExtension: seconds('lateQuorumExtension', 0n),
    timelockDelay: seconds('timelockDelay', 0n),
    gracePeriod: seconds('gracePeriod', 1n),
  }
}

/** Our JSON of a GovernanceSpec (round-trips through parseGovernance). */
export function serializeGovernance(g: GovernanceSpec): GovernanceJson {
  return {
    votingDelay: g.votingDelay.toString(),
    votingPeriod: g.votingPeriod.toString(),
    proposalThreshold: g.proposalThreshold.toString(),
    quorumBps: g.quorumBps,
    lateQuorumExtension: g.lateQuorumExtension.toString(),
    timelockDelay: g.timelockDelay.toString(),
    gracePeriod: g.gracePeriod.toString(),
  }
}

/** Vesting grants need the vesting module: a spec with them must turn the runtime modules on. */
export function requireGovernanceForVesting(hasVesting: boolean, hasGovernance: boolean): void {
  if (hasVesting && !hasGovernance) {
    throw fieldError(GENESIS_ERROR.MISSING_FIELD, 'governance', 'is required when tokenomics has vesting grants (the vesting module holds them)')
  }
}
