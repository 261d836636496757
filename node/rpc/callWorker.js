// Entry of a call worker thread (node/rpc/callWorkerPool.ts): registers tsx so the TypeScript
// sources run as they are (as the `openledger` bin does), then hands over.
import { register } from 'tsx/esm/api'

register()
await import('./callWorkerMain.ts')
