// STYLE §1: the dependency direction between top-level folders, checked on every .ts/.js source.
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const SKIP_DIRS = new Set(['node_modules', 'build', '.git', '.tap', 'results', '.openledger'])
const SOURCE = /\.(ts|js|mts|mjs)$/

/** Top-level folders whose index.ts is their public face. */
const LIBRARIES = ['genesis', 'runtime', 'rpc', 'native'] as const

/** npm packages and built-ins runtime/ must not import (it declares ports instead, STYLE §1). */
const RUNTIME_FORBIDDEN = [
  /^level$/,
  /^classic-level$/,
  /^abstract-level$/,
  /^libp2p$/,
  /^@libp2p\//,
  /^@chainsafe\/libp2p/,
  /^node:(http|https|http2|net|dgram)$/,
  /^pino$/,
  /^prom-client$/,
  /^ws$/,
]

/**
 * STYLE §4: rpc/errors.ts holds the one domain-code -> JSON-RPC table, typed over every domain's
 * as-const catalogue. The catalogues of node/ and native/ domains are leaf files (they import
 * nothing), and rpc/errors.ts is the one file outside node/ that may import them: a compile-time
 * dependency on data, not on node behaviour.
 */
const ERROR_CATALOGUE_FILES = new Set([
  'node/chain/chainErrors.ts',
  'node/config/errors.ts',
  'node/crypto/cryptoErrors.ts',
  'node/nodeErrors.ts',
  'node/proposer/proposerErrors.ts',
  'node/sequencer/sequencerErrors.ts',
  'node/txpool/txPoolErrors.ts',
  'native/nativeError.ts',
])

/** One import found in a file. */
type Import = { file: string; specifier: string; line: number }

/** Every import/export-from/dynamic-import specifier of a source text. */
function findImports(file: string, text: string): Import[] {
  const stripped = text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/^\s*\/\/.*$/gm, '')
  const out: Import[] = []
  const patterns = [
    /^\s*(?:import|export)\s[^;'"]*?\sfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*(?:import|export)\s*\{[^}]*\}\s*from\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ]
  const seen = new Set<number>()
  for (const pattern of patterns) {
    for (const m of stripped.matchAll(pattern)) {
      const at = m.index! + m[0].lastIndexOf(m[1]!)
      if (seen.has(at)) continue
      seen.add(at)
      out.push({ file, specifier: m[1]!, line: stripped.slice(0, at).split('\n').length })
    }
  }
  return out
}

/** The rule an import breaks, or undefined. `file` is repo-relative with "/" separators. */
function checkImport(file: string, specifier: string): string | undefined {
  const from = file.split('/')[0]!
  if (!specifier.startsWith('.')) {
    if (from === 'runtime' && RUNTIME_FORBIDDEN.some((re) => re.test(specifier))) {
      return `runtime/ must not import ${specifier} (declare a port; node/ injects it)`
    }
    return undefined
  }
  const target = relative(ROOT, resolve(ROOT, dirname(file), specifier))
    .split(sep)
    .join('/')
  if (target.startsWith('..')) return `imports outside the repository: ${specifier}`
  const to = target.split('/')[0]!
  if (file === 'rpc/errors.ts' && ERROR_CATALOGUE_FILES.has(target)) return undefined
  if (to === from) return from === 'node' ? checkNodeImport(file, target) : undefined
  if (to === 'node' && from !== 'test' && from !== 'bench') return 'nothing imports node/ except test/ and bench/'
  if (from === 'genesis' || from === 'native') return `${from}/ is a leaf and imports nothing from the repo (found ${to}/)`
  if (from === 'runtime' && to !== 'genesis') return `runtime/ may import only genesis/ (found ${to}/)`
  if (from === 'rpc' && to !== 'runtime' && to !== 'genesis') return `rpc/ may import only runtime/ and genesis/ (found ${to}/)`
  // test/ and bench/ may reach into internals; everyone else goes through the folder's index.ts
  if (from !== 'test' && from !== 'bench' && (LIBRARIES as readonly string[]).includes(to) && target !== `${to}/index.ts`) {
    return `cross-folder import must go through ${to}/index.ts (found ${target})`
  }
  return undefined
}

/**
 * Inside node/ (the composition root), each subfolder (chain/, txpool/, cli/ ...) is a module
 * too: a file outside node/<sub>/ reaches it only through node/<sub>/index.ts. Files at node/'s
 * top level (node.ts, logger.ts, version.ts) are shared by all and may be imported directly.
 */
function checkNodeImport(file: string, target: string): string | undefined {
  const fromParts = file.split('/')
  const toParts = target.split('/')
  // a target at node/'s top level, or in the importer's own subfolder
  if (toParts.length < 3) return undefined
  const toSub = toParts[1]!
  const fromSub = fromParts.length >= 3 ? fromParts[1] : undefined
  if (toSub === fromSub) return undefined
  if (target !== `node/${toSub}/index.ts`) return `cross-folder import must go through node/${toSub}/index.ts (found ${target})`
  return undefined
}

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') && entry.name !== '.ci') continue
    if (SKIP_DIRS.has(entry.name)) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...sourceFiles(path))
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path)
  }
  return out
}

t.test('the checker catches each kind of violation', async (t) => {
  t.match(checkImport('genesis/x.ts', '../runtime/index.ts'), 'leaf')
  t.match(checkImport('native/index.ts', '../genesis/index.ts'), 'leaf')
  t.match(checkImport('runtime/a/b.ts', '../../native/index.ts'), 'runtime/ may import only genesis/')
  t.match(checkImport('runtime/a.ts', 'level'), 'runtime/ must not import level')
  t.match(checkImport('runtime/a.ts', 'node:http'), 'runtime/ must not import node:http')
  t.match(checkImport('runtime/a.ts', 'pino'), 'runtime/ must not import pino')
  t.match(checkImport('runtime/a.ts', '@libp2p/tcp'), 'runtime/ must not import')
  t.match(checkImport('rpc/a.ts', '../node/chain/types.ts'), 'nothing imports node/')
  t.match(checkImport('rpc/a.ts', '../native/index.ts'), 'rpc/ may import only')
  t.equal(checkImport('rpc/errors.ts', '../node/txpool/txPoolErrors.ts'), undefined)
  t.equal(checkImport('rpc/errors.ts', '../native/nativeError.ts'), undefined)
  t.match(checkImport('rpc/errors.ts', '../node/txpool/index.ts'), 'nothing imports node/')
  t.match(checkImport('rpc/methods/a.ts', '../../node/txpool/txPoolErrors.ts'), 'nothing imports node/')
  t.match(checkImport('rpc/a.ts', '../runtime/tx/decode.ts'), 'through runtime/index.ts')
  t.match(checkImport('node/a.ts', '../genesis/types.ts'), 'through genesis/index.ts')
  t.equal(checkImport('node/a/b.ts', '../../runtime/index.ts'), undefined)
  t.equal(checkImport('runtime/a.ts', '../genesis/index.ts'), undefined)
  t.equal(checkImport('runtime/a.ts', '@ethereumjs/vm'), undefined)
  t.equal(checkImport('test/unit/x.test.ts', '../../node/cli/parseCli.ts'), undefined)
  t.match(checkImport('node/txpool/a.ts', '../chain/types.ts'), 'through node/chain/index.ts')
  t.match(checkImport('node/metrics/m.ts', '../txpool/types.ts'), 'through node/txpool/index.ts')
  t.match(checkImport('node/node.ts', './cli/version.ts'), 'through node/cli/index.ts')
  t.match(checkImport('node/cli/main.ts', '../chain/chainErrors.ts'), 'through node/chain/index.ts')
  t.equal(checkImport('node/txpool/a.ts', '../chain/index.ts'), undefined)
  t.equal(checkImport('node/txpool/a.ts', './headView.ts'), undefined)
  t.equal(checkImport('node/cli/main.ts', '../node.ts'), undefined)
  t.equal(checkImport('node/node.ts', './txpool/index.ts'), undefined)
  t.equal(checkImport('node/node.ts', './logger.ts'), undefined)
  const found = findImports(
    'x.ts',
    [
      "import type { A } from '../a.ts'",
      'import {',
      '  b,',
      "} from './b.ts'",
      "export * from './c.ts'",
      "import './d.ts'",
      "const e = await import('./e.ts')",
      "// import f from './f.ts'",
      "/* import g from './g.ts' */",
    ].join('\n'),
  )
  t.same(found.map((i) => i.specifier).sort(), ['../a.ts', './b.ts', './c.ts', './d.ts', './e.ts'])
})

t.test('the error catalogues rpc/errors.ts may import are leaves', async (t) => {
  for (const file of ERROR_CATALOGUE_FILES) {
    t.same(findImports(file, readFileSync(join(ROOT, file), 'utf8')), [], `${file} imports nothing`)
  }
})

t.test('every source file respects the layer rules (STYLE §1)', async (t) => {
  const files = sourceFiles(ROOT)
  t.ok(files.length > 10, `scanned ${files.length} files`)
  const violations: string[] = []
  for (const path of files) {
    const file = relative(ROOT, path).split(sep).join('/')
    for (const imp of findImports(file, readFileSync(path, 'utf8'))) {
      const problem = checkImport(file, imp.specifier)
      if (problem !== undefined) violations.push(`${file}:${imp.line}: '${imp.specifier}': ${problem}`)
    }
  }
  t.same(violations, [], violations.join('\n'))
})
