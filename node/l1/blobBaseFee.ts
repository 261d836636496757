/** Prague's (and Osaka's) BLOB_BASE_FEE_UPDATE_FRACTION (EIP-7691); Cancun's was 3338477 (EIP-4844). */
export const PRAGUE_BLOB_BASE_FEE_UPDATE_FRACTION = 5_007_716n

/**
 * EIP-4844's fake_exponential: factor * e^(numerator / denominator), in integers, as the EIP
 * specifies it (a Taylor series summed until a term rounds to 0).
 */
export function fakeExponential(factor: bigint, numerator: bigint, denominator: bigint): bigint {
  let i = 1n
  let output = 0n
  let accumulated = factor * denominator
  while (accumulated > 0n) {
    output += accumulated
    accumulated = (accumulated * numerator) / (denominator * i)
    i++
  }
  return output / denominator
}

/**
 * The blob base fee of an L1 block, as the L1-info deposit carries it: 1 (the minimum) when the
 * header has no excessBlobGas (pre-Cancun), else fake_exponential(MIN_BASE_FEE_PER_BLOB_GAS = 1,
 * excessBlobGas, updateFraction) with the L1 fork's update fraction.
 */
export function l1BlobBaseFee(excessBlobGas: bigint | undefined, updateFraction: bigint): bigint {
  return excessBlobGas === undefined ? 1n : fakeExponential(1n, excessBlobGas, updateFraction)
}
