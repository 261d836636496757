import { OpenLedgerError } from '../../runtime/index.ts'
import { CONFIG_ERROR } from '../config/index.ts'
import type { ConfigErrorCode } from '../config/index.ts'

/** Where an option value came from; errors name it (the flag, the env var or the config key). */
export type OptionSource = { kind: 'flag' | 'env' | 'config'; label: string }

/** An option error: message "invalid <label>: <problem>" naming the option as the user wrote it. */
export function optionError(code: ConfigErrorCode, source: OptionSource, problem: string, option: string): OpenLedgerError {
  return new OpenLedgerError(code, `invalid ${source.label}: ${problem}`, { option, source: source.kind })
}

export { CONFIG_ERROR }
