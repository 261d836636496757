// STYLE §7: test/unit mirrors the source tree. Every test/unit/<path>/<name>.test.ts lies in a
// folder that exists in the source tree (<path>/) and tests the source file <path>/<name>.ts, or
// is listed below as a cross-cutting test, with the reason it is not named after one file.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, posix, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const UNIT = join(ROOT, 'test', 'unit')
const TEST_SUFFIX = '.test.ts'
const SOURCE_EXTENSIONS = ['.ts', '.js', '.mts', '.mjs']

/** Unit tests not named after one source file, by path under test/unit, with the reason. */
const CROSS_CUTTING: Record<string, string> = {
  'layers.test.ts': 'the import rules of STYLE §1, over every source file',
  'testLayout.test.ts': 'this layout rule, over every unit test',
  'node/cli/docs.test.ts': "README.md's CLI reference against node/cli/flags.ts",
  'node/cli/rpcFlags.test.ts': 'the JSON-RPC limit flags through flags.ts, parseCli.ts and toNodeOptions.ts',
  'node/db/flatStateWrites.test.ts': "runtime's flat state backend stored through stateDb.ts: only nodes reachable from each new root",
  'rpc/methods/devControls.test.ts':
    'the --dev control methods (evm/increaseTime.ts, evm/setNextBlockTimestamp.ts, evm/snapshot.ts, evm/revert.ts, anvil/ and hardhat/setBalance.ts) through the server on one fake backend',
  'rpc/methods/methods.test.ts': 'every method namespace through the server, on one fake chain whose blocks the cases build on in turn',
  'rpc/server/fuzz.test.ts': 'random and malformed requests through the whole server: dispatch, params and methods',
  'rpc/conformance.test.ts': "rpc/README.md's execution-apis conformance table against the method registry and the dispatcher",
  'rpc/format/blockTimestamp.test.ts': 'blockTimestamp in the tx, receipt and log objects of formatTx.ts and formatReceipt.ts',
  'rpc/methods/debug/getRaw.test.ts': 'the four debug_getRaw* methods (getRawHeader.ts, getRawBlock.ts, getRawReceipts.ts, getRawTransaction.ts) on one chain',
  'runtime/modules/framework/runModule.test.ts': 'the module framework end to end (compileModule.ts, installModules.ts, moduleFrame.ts) on a runtime VM',
  'runtime/vm/stateBackends.test.ts': 'the flat and merkle state backends (flatStateManager.ts, createStateManager.ts) build identical blocks',
}

/** What the checker asks of the source tree: repo-relative paths with "/" separators. */
type SourceTree = { isDir(path: string): boolean; isFile(path: string): boolean }

/** The rule a unit test's path breaks, or undefined. `file` is relative to test/unit with "/" separators. */
function checkTestPath(file: string, tree: SourceTree, crossCutting: Record<string, string>): string | undefined {
  const folder = posix.dirname(file)
  if (folder !== '.' && !tree.isDir(folder)) return `test/unit/${folder}/ mirrors no source folder: ${folder}/ does not exist`
  const source = posix.join(folder, posix.basename(file, TEST_SUFFIX))
  const named = SOURCE_EXTENSIONS.some((ext) => tree.isFile(source + ext))
  if (named && file in crossCutting) return `tests ${source}.ts, so it is not cross-cutting: take it off the list`
  if (named || file in crossCutting) return undefined
  return `names no source file: ${source}.ts does not exist (name it after the file it tests, or list it as cross-cutting with a reason)`
}

function unitTests(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...unitTests(path))
    else if (entry.name.endsWith(TEST_SUFFIX)) out.push(relative(UNIT, path).split(sep).join('/'))
  }
  return out
}

const realTree: SourceTree = {
  isDir: (path) => existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isDirectory(),
  isFile: (path) => existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isFile(),
}

t.test('the checker catches each kind of misplaced test', async (t) => {
  const dirs = new Set(['runtime', 'runtime/vm', 'node', 'node/cli'])
  const files = new Set(['runtime/vm/flatStateManager.ts', 'node/cli/openledger.js'])
  const tree: SourceTree = { isDir: (p) => dirs.has(p), isFile: (p) => files.has(p) }
  const listed = { 'node/cli/docs.test.ts': 'reason', 'runtime/vm/flatStateManager.test.ts': 'reason', 'layers.test.ts': 'reason' }
  t.equal(checkTestPath('runtime/vm/flatStateManager.test.ts', tree, {}), undefined, 'named after its source file')
  t.equal(checkTestPath('node/cli/openledger.test.ts', tree, {}), undefined, 'a .js source counts')
  t.equal(checkTestPath('node/cli/docs.test.ts', tree, listed), undefined, 'listed as cross-cutting')
  t.equal(checkTestPath('layers.test.ts', tree, listed), undefined, 'at the top of test/unit')
  t.match(checkTestPath('runtime/flatStateManager.test.ts', tree, {}), 'names no source file: runtime/flatStateManager.ts')
  t.match(checkTestPath('runtime/block/x.test.ts', tree, listed), 'test/unit/runtime/block/ mirrors no source folder')
  t.match(checkTestPath('runtime/vm/flatStateManager.test.ts', tree, listed), 'not cross-cutting')
  t.match(checkTestPath('other.test.ts', tree, listed), 'names no source file')
})

t.test('every unit test mirrors the source tree (STYLE §7)', async (t) => {
  const tests = unitTests(UNIT)
  t.ok(tests.length > 10, `checked ${tests.length} test files`)
  const problems = tests.flatMap((file) => {
    const problem = checkTestPath(file, realTree, CROSS_CUTTING)
    return problem === undefined ? [] : [`test/unit/${file}: ${problem}`]
  })
  t.same(problems, [], problems.join('\n'))
  const stale = Object.keys(CROSS_CUTTING).filter((file) => !tests.includes(file))
  t.same(stale, [], `cross-cutting entries without a test file: ${stale.join(', ')}`)
})
