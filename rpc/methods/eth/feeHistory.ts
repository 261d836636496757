import type { Block } from '@ethereumjs/block'
import type { RpcMethod } from '../../types.ts'
import type { BlockReader } from '../../ports/index.ts'
import { calcNextBaseFee, isDepositTx } from '../../../runtime/index.ts'
import { RPC_ERROR, RpcError } from '../../errors.ts'
import { effectiveGasPrice } from '../../format/formatTx.ts'
import { toQuantity } from '../../hex.ts'
import { badArg, jsonKind, parseHexOrDecimal64 } from '../../params/parse.ts'
import { parseBlockNumberOrTag, tagToNumber } from '../../params/blockParam.ts'

/** geth's maxBlockCount for eth_feeHistory */
const MAX_BLOCK_COUNT = 1024n
/** geth's maxRewardPercentiles (number of percentiles per request) */
const MAX_PERCENTILES = 100

function parsePercentiles(v: unknown): number[] {
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) throw badArg(2, `json: cannot unmarshal ${jsonKind(v)} into Go value of type []float64`)
  return v.map((p) => {
    if (typeof p !== 'number') throw badArg(2, `json: cannot unmarshal ${jsonKind(p)} into Go value of type float64`)
    return p
  })
}

/** Go's %f: fixed-point with six decimals. */
function goFloat(p: number): string {
  return p.toFixed(6)
}

/** geth's checks (eth/gasprice/feehistory.go): at most 100, each in [0, 100], strictly increasing; -32000. */
function checkPercentiles(percentiles: number[]): void {
  const invalid = (why: string): RpcError => new RpcError(RPC_ERROR.INVALID_INPUT, `invalid reward percentile: ${why}`)
  if (percentiles.length > MAX_PERCENTILES) throw invalid(`over the query limit ${MAX_PERCENTILES}`)
  for (let i = 0; i < percentiles.length; i++) {
    const p = percentiles[i]!
    if (p < 0 || p > 100) throw invalid(goFloat(p))
    const prev = percentiles[i - 1]
    if (prev !== undefined && p <= prev) throw invalid(`#${i - 1}:${goFloat(prev)} >= #${i}:${goFloat(p)}`)
  }
}

async function rewards(blocks: BlockReader, block: Block, percentiles: number[]): Promise<string[]> {
  const baseFee = block.header.baseFeePerGas ?? 0n
  // deposits (0x7E) pay no fees: they are left out of the reward percentiles
  if (!block.transactions.some((tx) => !isDepositTx(tx))) return percentiles.map(() => '0x0')
  const receipts = (await blocks.getReceipts(block.hash())) ?? []
  const items = block.transactions.flatMap((tx, i) =>
    isDepositTx(tx) ? [] : [{ tip: effectiveGasPrice(tx, baseFee) - baseFee, gas: receipts[i]?.gasUsed ?? tx.gasLimit }],
  )
  items.sort((a, b) => (a.tip < b.tip ? -1 : a.tip > b.tip ? 1 : 0))
  const total = items.reduce((s, it) => s + it.gas, 0n)
  const out: string[] = []
  let idx = 0
  let sum = items[0]!.gas
  for (const p of percentiles) {
    // threshold in gas units; percentiles are fractional, scale by 1e6 to stay in bigint
    const threshold = (total * BigInt(Math.round(p * 1e6))) / 100_000_000n
    while (sum < threshold && idx < items.length - 1) {
      idx++
      sum += items[idx]!.gas
    }
    out.push(toQuantity(items[idx]!.tip))
  }
  return out
}

/**
 * eth_feeHistory: base fees (one more than blocks: the next block's), gas used ratios and, with
 * percentiles (strictly increasing, within [0, 100]), the gas-weighted effective tips per block.
 * Example: ["0x5", "latest", [25, 75]].
 */
export const feeHistory: RpcMethod<'blocks' | 'chainInfo'> = {
  name: 'eth_feeHistory',
  minParams: 2,
  maxParams: 3,
  async handler(ctx, params) {
    let count = parseHexOrDecimal64(params[0], 0, 'block count')
    const newestParam = parseBlockNumberOrTag(params[1], 1)
    const percentiles = parsePercentiles(params[2])
    if (newestParam.kind === 'hash') throw badArg(1, 'block hash not supported')
    const empty = { oldestBlock: '0x0', baseFeePerGas: [], gasUsedRatio: [], baseFeePerBlobGas: [], blobGasUsedRatio: [] }
    // geth's order: no blocks asked, no checks; then the percentiles; then the range
    if (count === 0n) return empty
    checkPercentiles(percentiles)
    const head = ctx.blocks.head().header.number
    const newest = tagToNumber(ctx.blocks, newestParam)
    if (newest > head) throw new RpcError(RPC_ERROR.INVALID_INPUT, `request beyond head block: requested ${newest}, head ${head}`)
    if (count > MAX_BLOCK_COUNT) count = MAX_BLOCK_COUNT
    if (count > newest + 1n) count = newest + 1n
    if (count === 0n) return empty
    const oldest = newest - count + 1n
    const baseFeePerGas: string[] = []
    const gasUsedRatio: number[] = []
    const reward: string[][] = []
    let last: Block | undefined
    for (let n = oldest; n <= newest; n++) {
      const block = n === head ? ctx.blocks.head() : await ctx.blocks.getBlockByNumber(n)
      if (block === undefined) throw new RpcError(RPC_ERROR.NOT_FOUND, 'header not found')
      baseFeePerGas.push(toQuantity(block.header.baseFeePerGas ?? 0n))
      gasUsedRatio.push(block.header.gasLimit === 0n ? 0 : Number(block.header.gasUsed) / Number(block.header.gasLimit))
      if (percentiles.length > 0) reward.push(await rewards(ctx.blocks, block, percentiles))
      last = block
    }
    const next = last!.header.baseFeePerGas === undefined ? 0n : calcNextBaseFee(last!.header, ctx.chainInfo.baseFeeParams)
    baseFeePerGas.push(toQuantity(next))
    const out: Record<string, unknown> = {
      oldestBlock: toQuantity(oldest),
      baseFeePerGas,
      gasUsedRatio,
      // blob txs are disabled on this chain: zero blob fees, kept for clients that expect the fields
      baseFeePerBlobGas: baseFeePerGas.map(() => '0x0'),
      blobGasUsedRatio: gasUsedRatio.map(() => 0),
    }
    // no percentiles asked (absent or empty): no reward field at all (geth)
    if (percentiles.length > 0) out.reward = reward
    return out
  },
}
