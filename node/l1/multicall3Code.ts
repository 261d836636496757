import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Hex } from 'viem'
import { contractsBedrockDir } from './opArtifacts.ts'

/** Where viem (and most tooling) expects Multicall3 on every chain. */
export const MULTICALL3_ADDRESS: Hex = '0xcA11bde05977b3631167028862bE2a173976CA11'

let code: Hex | undefined

/**
 * Multicall3's runtime code, the `MultiCall3Code` constant of contracts-bedrock's
 * src/libraries/Preinstalls.sol (the OP preinstall). A local reader: runtime/l2/predeploys
 * exports the same for the L2 genesis, and this one goes once node/l1 can import it.
 */
export function multicall3Code(): Hex {
  if (code === undefined) {
    const source = readFileSync(join(contractsBedrockDir(), 'src/libraries/Preinstalls.sol'), 'utf8')
    const match = /MultiCall3Code\s*=\s*hex"([0-9a-fA-F]+)"/.exec(source)
    if (match === null) throw new Error('MultiCall3Code not found in contracts-bedrock Preinstalls.sol')
    code = `0x${match[1]!}`
  }
  return code
}
