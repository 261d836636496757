#!/usr/bin/env node
// The `openledger` bin: registers tsx so the TypeScript sources run as they are, then hands over.
import { register } from 'tsx/esm/api'

register()
const { run } = await import('./main.ts')
await run()
