import { Common } from '@ethereumjs/common'
import type { ParamsDict } from '@ethereumjs/common'
import { paramsTx } from '@ethereumjs/tx'

/**
 * A Common for decoding pool txs, equivalent to `common` but cheap to construct txs with.
 *
 * Every ethereumjs tx constructor copies its Common and calls `updateParams(paramsTx)`, which
 * deep-copies every EIP's parameter dictionary through JSON and rebuilds the parameter cache:
 * about 0.3 ms per tx, more than half the cost of decoding a transfer (profiled on the
 * block-production bench). Here that merge is done once, on a private copy of the parameters;
 * the copies the tx constructors make inherit the merged dictionary and cache, and their
 * `updateParams(paramsTx)` becomes a no-op. Any other dictionary still goes through the real
 * merge. Chain id, hardfork, EIPs and customCrypto are those of `common`.
 */
export function createDecodeCommon(common: Common): Common {
  const own = common.copy()
  const internals = own as unknown as { _params: ParamsDict }
  // a private dictionary: merges other libraries make into the chain Common's shared one do not leak in
  internals._params = structuredClone(internals._params)
  own.updateParams(paramsTx)
  // an own enumerable property, so Common.copy() (Object.assign) hands it to every tx's copy
  Object.defineProperty(own, 'updateParams', {
    enumerable: true,
    writable: true,
    configurable: true,
    value(this: Common, params: ParamsDict): void {
      if (params === paramsTx) return
      Common.prototype.updateParams.call(this, params)
    },
  })
  return own
}
