import { crc32 } from 'node:zlib'
import { getActivePrecompiles } from '@ethereumjs/evm'
import { BEACON_ROOTS_ADDRESS, HISTORY_STORAGE_ADDRESS } from '../../../runtime/index.ts'
import type { RpcMethod } from '../../types.ts'
import type { ChainInfo } from '../../ports/index.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { toQuantity } from '../../hex.ts'

/** EIP-7910's precompile names, by address (the EIP's table; geth's PrecompiledContract.Name()). */
const PRECOMPILE_NAMES: Readonly<Record<string, string>> = {
  '0000000000000000000000000000000000000001': 'ECREC',
  '0000000000000000000000000000000000000002': 'SHA256',
  '0000000000000000000000000000000000000003': 'RIPEMD160',
  '0000000000000000000000000000000000000004': 'ID',
  '0000000000000000000000000000000000000005': 'MODEXP',
  '0000000000000000000000000000000000000006': 'BN254_ADD',
  '0000000000000000000000000000000000000007': 'BN254_MUL',
  '0000000000000000000000000000000000000008': 'BN254_PAIRING',
  '0000000000000000000000000000000000000009': 'BLAKE2F',
  '000000000000000000000000000000000000000a': 'KZG_POINT_EVALUATION',
  '000000000000000000000000000000000000000b': 'BLS12_G1ADD',
  '000000000000000000000000000000000000000c': 'BLS12_G1MSM',
  '000000000000000000000000000000000000000d': 'BLS12_G2ADD',
  '000000000000000000000000000000000000000e': 'BLS12_G2MSM',
  '000000000000000000000000000000000000000f': 'BLS12_PAIRING_CHECK',
  '0000000000000000000000000000000000000010': 'BLS12_MAP_FP_TO_G1',
  '0000000000000000000000000000000000000011': 'BLS12_MAP_FP2_TO_G2',
  '0000000000000000000000000000000000000100': 'P256VERIFY',
}

/**
 * System contracts whose Prague system calls this chain performs (EIP-4788, EIP-2935). The
 * EIP-7685 request contracts (deposit, withdrawal, consolidation) are left out: this L2 serves no
 * requests and runtime/block refuses a genesis that gives them code.
 */
const SYSTEM_CONTRACTS = { BEACON_ROOTS_ADDRESS, HISTORY_STORAGE_ADDRESS }

function sortedByKey(entries: [string, string][]): Record<string, string> {
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** The EIP-7910 configuration object of the one fork this chain runs (Prague from genesis). */
function forkConfig(chain: ChainInfo, genesisHash: Uint8Array): Record<string, unknown> {
  const precompiles: [string, string][] = []
  for (const address of getActivePrecompiles(chain.common).keys()) {
    const name = PRECOMPILE_NAMES[address]
    if (name !== undefined) precompiles.push([name, '0x' + address])
  }
  return {
    // active since genesis: the EIP (and geth) report 0
    activationTime: 0,
    // blob txs are disabled (runtime/tx): no blob may be included, so max and target are 0; the
    // fraction is Prague's, which the header's blob fee formula uses (eth_blobBaseFee)
    blobSchedule: { baseFeeUpdateFraction: Number(chain.common.param('blobGasPriceUpdateFraction')), max: 0, target: 0 },
    chainId: toQuantity(chain.chainId),
    // EIP-6122 FORK_HASH: CRC32 of the genesis hash and every later fork block / time; all of
    // ours activate at genesis, so it is the checksum of the genesis hash alone
    forkId: '0x' + crc32(genesisHash).toString(16).padStart(8, '0'),
    precompiles: sortedByKey(precompiles),
    systemContracts: sortedByKey(Object.entries(SYSTEM_CONTRACTS)),
  }
}

/**
 * eth_config (EIP-7910): the current fork's configuration; next and last are null, no later fork
 * is scheduled. Example: [] -> { current: { activationTime: 0, chainId: "0x539", forkId: "0x...", ... }, next: null, last: null }.
 */
export const config: RpcMethod<'blocks' | 'chainInfo'> = {
  name: 'eth_config',
  minParams: 0,
  maxParams: 0,
  async handler(ctx) {
    const genesis = await ctx.blocks.getBlockByNumber(0n)
    if (genesis === undefined) throw new RpcError(RPC_ERROR.INTERNAL, 'genesis block not found')
    return { current: forkConfig(ctx.chainInfo, genesis.hash()), next: null, last: null }
  },
}
