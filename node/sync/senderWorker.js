// Entry of the import pipeline's worker thread (senderRecovery.ts). Registers tsx (as the
// `openledger` bin does: worker threads do not inherit it), then answers each block's RLP with
// txPrecompute.ts's encodings, hashes, sender keys and addresses, transferred back without a copy.
import { parentPort, workerData } from 'node:worker_threads'
import { register } from 'tsx/esm/api'

register()
const { createPrecomputeCommon, precomputeBlockTxs } = await import('./txPrecompute.ts')
const common = await createPrecomputeCommon(workerData.spec)

parentPort.on('message', ({ id, raw }) => {
  const out = precomputeBlockTxs(raw, common)
  parentPort.postMessage({ id, ...out }, [out.flags.buffer, out.fixed.buffer, out.enc.buffer, out.offsets.buffer])
})
