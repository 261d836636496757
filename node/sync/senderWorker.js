// Entry of the sender-recovery worker thread (senderRecovery.ts): libsecp256k1 ecdsaRecover for
// the signed txs of the next block, off the main thread. Plain JS: it needs no repo module (and so
// no tsx), only npm secp256k1's bindings entry (the same one node/crypto loads).
import { createRequire } from 'node:module'
import { parentPort } from 'node:worker_threads'

const secp = createRequire(import.meta.url)('secp256k1/bindings.js')
const ITEM = 97 // 32 hash ‖ 64 r ‖ s ‖ 1 recovery id

parentPort.on('message', ({ id, input }) => {
  const count = input.length / ITEM
  const keys = new Uint8Array(count * 64)
  const ok = new Uint8Array(count)
  for (let i = 0; i < count; i++) {
    const at = i * ITEM
    try {
      const key = secp.ecdsaRecover(input.subarray(at + 32, at + 96), input[at + 96], input.subarray(at, at + 32), false)
      keys.set(key.subarray(1), i * 64)
      ok[i] = 1
    } catch {
      // left to the main thread, which recovers it again and throws ethereumjs' error
    }
  }
  parentPort.postMessage({ id, keys, ok }, [keys.buffer, ok.buffer])
})
