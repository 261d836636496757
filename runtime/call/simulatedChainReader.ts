import type { BlockHeader } from '@ethereumjs/block'
import { bytesToHex, equalsBytes } from '@ethereumjs/util'
import type { ChainReader } from '../ports/chainReader.ts'

/**
 * The chain as a simulated block sees it (geth's simBackend): headers up to the base block from
 * the real chain, the base block itself (it may be off the canonical chain), then the simulated
 * blocks built so far, so that BLOCKHASH inside block N + k names the simulated blocks N + 1 ...
 * N + k - 1, not canonical blocks that may exist at those heights.
 */
export class SimulatedChainReader implements ChainReader {
  readonly #chain: ChainReader
  readonly #base: BlockHeader
  readonly #byNumber = new Map<bigint, BlockHeader>()
  readonly #byHash = new Map<string, BlockHeader>()

  constructor(chain: ChainReader, base: BlockHeader) {
    this.#chain = chain
    this.#base = base
  }

  /** Add a simulated block's final header. */
  add(header: BlockHeader): void {
    this.#byNumber.set(header.number, header)
    this.#byHash.set(bytesToHex(header.hash()), header)
  }

  async getHeaderByNumber(number: bigint): Promise<BlockHeader | undefined> {
    if (number === this.#base.number) return this.#base
    if (number < this.#base.number) return this.#chain.getHeaderByNumber(number)
    return this.#byNumber.get(number)
  }

  async getHeaderByHash(hash: Uint8Array): Promise<BlockHeader | undefined> {
    if (equalsBytes(hash, this.#base.hash())) return this.#base
    return this.#byHash.get(bytesToHex(hash)) ?? this.#chain.getHeaderByHash(hash)
  }
}
