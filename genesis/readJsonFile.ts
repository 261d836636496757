import { readFileSync } from 'node:fs'
import { GENESIS_ERROR, GenesisError } from './errors.ts'

/** JSON.parse whose failure is a GenesisError (INVALID_JSON) naming `file` when there is one. */
export function parseJson(text: string, file: string | undefined): unknown {
  try {
    return JSON.parse(text)
  } catch (err) {
    const where = file === undefined ? '' : `${file}: `
    throw new GenesisError(GENESIS_ERROR.INVALID_JSON, `${where}invalid JSON (${(err as Error).message})`, { file, path: '' }, { cause: err })
  }
}

/**
 * Read the JSON file `file` and validate it with `parse`. An unreadable file is FILE_UNREADABLE
 * ("cannot read <what>"); every GenesisError gets `meta.file` and a message starting with the file.
 */
export function parseJsonFile<T>(file: string, what: string, parse: (json: unknown) => T): T {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'read failed'
    throw new GenesisError(GENESIS_ERROR.FILE_UNREADABLE, `${file}: cannot read ${what} (${reason})`, { file, path: '' }, { cause: err })
  }
  try {
    return parse(parseJson(text, file))
  } catch (err) {
    if (err instanceof GenesisError && err.meta.file === undefined) {
      throw new GenesisError(err.code, `${file}: ${err.message}`, { ...err.meta, file }, { cause: err })
    }
    throw err
  }
}
