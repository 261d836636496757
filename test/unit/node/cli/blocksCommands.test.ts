import t from 'tap'
import type { Test } from 'tap'
import { OpenLedgerError } from '../../../../runtime/index.ts'
import { CONFIG_ERROR } from '../../../../node/config/index.ts'
import { parseExportArgs, parseImportArgs } from '../../../../node/cli/blocksCommands.ts'

function usageError(t: Test, fn: () => unknown, text: string): void {
  try {
    fn()
    t.fail(`accepted: ${text}`)
  } catch (err) {
    t.ok(err instanceof OpenLedgerError && err.code === CONFIG_ERROR.INVALID_OPTION, `${text}: CONFIG_ERROR_INVALID_OPTION`)
    t.match((err as Error).message, text)
  }
}

t.test('export <file> [first] [last]', async (t) => {
  t.same(parseExportArgs(['out.rlp']), { file: 'out.rlp' })
  t.same(parseExportArgs(['out.rlp', '7']), { file: 'out.rlp', first: 7n })
  t.same(parseExportArgs(['out.rlp', '0', '18446744073709551616']), { file: 'out.rlp', first: 0n, last: 18446744073709551616n })
  usageError(t, () => parseExportArgs([]), 'usage: openledger export <file> [first] [last]')
  usageError(t, () => parseExportArgs(['a', '1', '2', '3']), 'usage: openledger export')
  usageError(t, () => parseExportArgs(['a', '-1']), 'invalid first block "-1"')
  usageError(t, () => parseExportArgs(['a', '1', '0x10']), 'invalid last block "0x10"')
})

t.test('import <file>...: files must exist', async (t) => {
  const me = new URL(import.meta.url).pathname
  t.same(parseImportArgs([me, me]), { files: [me, me] })
  usageError(t, () => parseImportArgs([]), 'usage: openledger import <file>...')
  usageError(t, () => parseImportArgs([me, '/nonexistent/blocks.rlp']), 'import file /nonexistent/blocks.rlp does not exist')
})
