import type { BlockHeader } from '@ethereumjs/block'
import type { Common } from '@ethereumjs/common'
import type { CustomPrecompile, EVM, EVMMockBlockchainInterface } from '@ethereumjs/evm'
import type { StateManagerInterface } from '@ethereumjs/common'
import { MapDB, createAddressFromString } from '@ethereumjs/util'
import { createVM } from '@ethereumjs/vm'
import type { VM } from '@ethereumjs/vm'
import type { ChainSpec } from '../../genesis/index.ts'
import { BLOCK_ERROR } from '../block/blockErrors.ts'
import { chainParams } from '../chainCommon.ts'
import { validateHeader } from '../block/validateHeader.ts'
import { OpenLedgerError } from '../errors.ts'
import { installFeeHook } from '../fees/feeHook.ts'
import { noBurnSelfdestructOpcode } from '../fees/noBurnSelfdestruct.ts'
import type { FeeHook } from '../fees/feeHook.ts'
import type { ChainReader } from '../ports/chainReader.ts'
import { createStateManager } from './createStateManager.ts'
import type { StateNodeDb } from './createStateManager.ts'
import { FlatStateManager, defaultFlatStateManagerOptions } from './flatStateManager.ts'
import { installJumpAnalysisCache } from './jumpAnalysisCache.ts'
import { compiledModules } from '../modules/framework/compileModule.ts'
import { installModuleFrames, modulePrecompiles } from '../modules/framework/installModules.ts'
import { runtimeModules } from '../modules/runtimeModules.ts'
import { readBlockParams, specBlockParams } from '../modules/chainParams/blockParams.ts'
import type { BlockParams } from '../modules/chainParams/blockParams.ts'
import { PREDEPLOYS } from '../l2/predeploys/predeployAddresses.ts'
import type { RuntimeModuleDefinition } from '../modules/framework/types.ts'

/** Options of {@link createRuntimeVm}. */
export type RuntimeVmOptions = {
  spec: ChainSpec
  /** the chain's Common (createChainCommon), with its customCrypto */
  common: Common
  /** parent / BLOCKHASH lookups (node/chain implements it) */
  chain: ChainReader
  /** trie node store; default: a fresh in-memory MapDB */
  stateDb?: StateNodeDb
  /** open the state at this root (must exist in stateDb); default: the empty trie */
  stateRoot?: Uint8Array
  /** extra precompiles besides the chain's runtime modules (runtimeModules(spec), always installed) */
  precompiles: CustomPrecompile[]
  /**
   * LRU size of the account trie's node cache (MPT cacheSize). The node's LevelDB adapter keeps
   * its own node cache that also covers storage tries, so the node passes 0 here.
   */
  trieCacheSize: number
  /** modules run besides the spec's own (runtimeModules(spec)); tests of the module framework */
  extraModules?: readonly RuntimeModuleDefinition[]
  /**
   * State backend of the VM: 'flat' ({@link FlatStateManager}: flat change sets, tries updated
   * once per state root) or 'merkle' (@ethereumjs MerkleStateManager with caches, which updates
   * and re-hashes the trie path on every flushed write). Both produce the same nodes and roots.
   */
  stateBackend: StateBackend
  /** 'flat' backend: decoded nodes and values kept between blocks (see FlatStateManagerOptions) */
  stateCacheLimit: number
  /**
   * Run on this state manager instead of building one from stateDb / stateRoot / stateBackend
   * (call simulation passes a {@link FlatStateManager.fork} of its per-head state).
   */
  stateManager?: StateManagerInterface
}

/** Which state manager the runtime VM executes on. */
export type StateBackend = 'flat' | 'merkle'

/** Defaults of {@link RuntimeVmOptions}. */
export const defaultRuntimeVmOptions = {
  precompiles: [] as CustomPrecompile[],
  trieCacheSize: 0,
  stateBackend: 'flat' as StateBackend,
  stateCacheLimit: defaultFlatStateManagerOptions.cacheLimit,
} as const

/** A VM wired for this chain: Merkle state with caches, our header rules, the base-fee hook. */
export type RuntimeVm = {
  vm: VM
  /** the chain it executes on (parent lookup) */
  chain: ChainReader
  stateManager: StateManagerInterface
  /**
   * 'flat': one trie commit per state root writes only nodes of that root, so a block's node
   * writes need no reachability pruning; 'merkle' writes every intermediate path version.
   */
  stateBackend: StateBackend
  feeHook: FeeHook
  spec: ChainSpec
  common: Common
}

/** The EVM's per-run environment (protected in the typings, public in JS): the block of the running tx or call. */
type EvmBlockEnv = { _block?: { header: { number: bigint } } }

/**
 * The parameters of the block the VM is executing (the EVM's current block), read from the VM's
 * state once per block object: a change made inside block n applies from n + 1, so any point of
 * block n reads block n's values (readBlockParams).
 */
function blockParamsResolver(spec: ChainSpec, vmOf: () => VM): () => Promise<BlockParams> {
  if (spec.governance === undefined) {
    const fixed = Promise.resolve(specBlockParams(spec))
    return () => fixed
  }
  const memo = new WeakMap<object, Promise<BlockParams>>()
  return () => {
    const vm = vmOf()
    const block = (vm.evm as unknown as EvmBlockEnv)._block
    if (block === undefined) return readBlockParams(vm.stateManager, spec, 0n)
    let p = memo.get(block)
    if (p === undefined) {
      p = readBlockParams(vm.stateManager, spec, block.header.number)
      memo.set(block, p)
    }
    return p
  }
}

/** The VM's blockchain: BLOCKHASH lookups and header validation through the ChainReader port. */
function chainAdapter(
  chain: ChainReader,
  spec: ChainSpec,
  vmOf: () => VM,
): EVMMockBlockchainInterface & { validateHeader(header: BlockHeader): Promise<void> } {
  const adapter = {
    async getBlock(blockId: number) {
      const header = await chain.getHeaderByNumber(BigInt(blockId))
      // an unknown block hashes to zero, like BLOCKHASH outside its window
      const hash = header?.hash() ?? new Uint8Array(32)
      return { hash: () => hash }
    },
    async putBlock() {
      // blocks are stored by node/chain in its atomic commit, never through the VM
    },
    shallowCopy() {
      return adapter
    },
    async validateHeader(header: BlockHeader) {
      const parent = await chain.getHeaderByHash(header.parentHash)
      if (parent === undefined) {
        throw new OpenLedgerError(BLOCK_ERROR.UNKNOWN_PARENT, 'parent block is unknown', { number: header.number.toString() })
      }
      validateHeader(header, parent, await readBlockParams(vmOf().stateManager, spec, header.number))
    },
  }
  return adapter
}

/**
 * Create the VM that builds and validates blocks: the state backend (default {@link FlatStateManager})
 * over the secure tries in `stateDb` (byte values), the chain's Common, the ChainReader as
 * blockchain (header validation, BLOCKHASH), optional custom precompiles, and the fee hook that
 * credits the base fee to `spec.feeRecipients.baseFee` instead of burning it.
 *
 * @example
 * const { vm, stateManager } = await createRuntimeVm({ ...defaultRuntimeVmOptions, spec, common, chain, stateDb, stateRoot })
 */
export async function createRuntimeVm(options: RuntimeVmOptions): Promise<RuntimeVm> {
  const { spec, common } = options
  await installJumpAnalysisCache()
  const stateManager: StateManagerInterface =
    options.stateManager ??
    (options.stateBackend === 'merkle'
      ? createStateManager({
          common,
          trieCacheSize: options.trieCacheSize,
          ...(options.stateDb !== undefined ? { stateDb: options.stateDb } : {}),
          ...(options.stateRoot !== undefined ? { stateRoot: options.stateRoot } : {}),
        })
      : new FlatStateManager({
          common,
          db: options.stateDb ?? new MapDB<string, string | Uint8Array>(),
          cacheLimit: options.stateCacheLimit,
          ...(options.stateRoot !== undefined ? { stateRoot: options.stateRoot } : {}),
        }))
  const params = chainParams(spec)
  let vmRef: VM | undefined
  const paramsOf = blockParamsResolver(spec, () => vmRef as VM)
  const modules = compiledModules([...runtimeModules(spec), ...(options.extraModules ?? [])])
  const vm = await createVM({
    common,
    stateManager,
    blockchain: chainAdapter(options.chain, spec, () => vmRef as VM),
    params,
    evmOpts: {
      customPrecompiles: [...modulePrecompiles(modules), ...options.precompiles],
      customOpcodes: [
        noBurnSelfdestructOpcode(
          common,
          async () => createAddressFromString((await paramsOf()).feeRecipients.baseFee),
          // a rollup's withdrawn OPEN leaves L2: the message passer's burn() stands
          spec.rollup === undefined ? undefined : createAddressFromString(PREDEPLOYS.L2ToL1MessagePasser),
        ),
      ],
      params,
    },
  })
  vmRef = vm
  installModuleFrames(vm.evm as EVM, modules)
  const feeHook = installFeeHook(vm, paramsOf)
  return { vm, chain: options.chain, stateManager, stateBackend: options.stateBackend, feeHook, spec, common }
}
