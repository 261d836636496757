import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { FLAGS, envVarName } from '../../../../node/cli/flags.ts'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

// The README's CLI reference is hand-written; this keeps it from drifting from the parser.
t.test('README.md documents every flag and its env var', async (t) => {
  for (const flag of FLAGS) {
    t.ok(readme.includes(`\`--${flag.name}`), `README shows --${flag.name}`)
    t.ok(readme.includes(`\`${envVarName(flag.name)}\``), `README shows ${envVarName(flag.name)}`)
  }
})

t.test("the CLI table has one row per flag, with the flag's env var and documented default in it", async (t) => {
  const rows = readme.split('\n').filter((line) => line.startsWith('| `--'))
  t.equal(rows.length, FLAGS.length, 'as many rows as flags')
  for (const flag of FLAGS) {
    const row = rows.find((r) => r.startsWith(`| \`--${flag.name}\``) || r.startsWith(`| \`--${flag.name} `))
    t.ok(row !== undefined, `a row for --${flag.name}`)
    const cells = row?.split(' | ') ?? []
    t.equal(cells[1], `\`${envVarName(flag.name)}\``, `--${flag.name}: its env var`)
    // the default's first word as --help shows it (e.g. 8545, on, none, 30s)
    const shown = flag.defaultText.split(/[ ;(]/)[0]!
    t.ok(cells[2]?.includes(shown), `--${flag.name}: default "${shown}" (row says ${cells[2]})`)
  }
})

t.test('README links point at files inside the repository', async (t) => {
  const links = [...readme.matchAll(/\]\(([^)#]+)(#[^)]*)?\)/g)].map((m) => m[1]!).filter((href) => !/^[a-z]+:/.test(href))
  t.ok(links.length > 0, `${links.length} relative links`)
  for (const href of links) {
    const target = resolve(ROOT, href)
    t.notOk(relative(ROOT, target).startsWith('..'), `${href} stays inside the repository`)
    t.ok(existsSync(target), `${href} exists`)
  }
})

// parseCli merges config file < env < flags over the modules' defaults; every text that states
// the order must state it that way round (it was once written backwards in two places).
/** The sources named in a chain like "defaults < config file < env < flags", in the order written (argv counts as flags). */
function precedenceOrder(line: string): string[] {
  const parts = line.split('<')
  if (parts.length < 3) return []
  // only the words next to the chain: the text before it may mention an env var in passing
  const near = parts.map((part, i) => (i === 0 ? part.slice(-20) : i === parts.length - 1 ? part.slice(0, 20) : part))
  return near.flatMap((part) => {
    const word = /\b(config|env|flags|argv)\b/.exec(part)?.[1]
    return word === undefined ? [] : [word === 'argv' ? 'flags' : word]
  })
}

t.test('every statement of the option precedence reads config file < env < flags', async (t) => {
  t.same(precedenceOrder('parse (argv < env < --config precedence handled by parseCli)'), ['flags', 'env', 'config'], 'the checker reads a backwards chain')
  t.same(precedenceOrder('hand-written parser (`parseCli`: argv < env < `--config`)'), ['flags', 'env', 'config'])
  t.same(precedenceOrder("Options (each also as an env var; precedence: defaults < --config file < env < flags):')"), ['config', 'env', 'flags'])
  const files = ['README.md', 'node/README.md', 'node/cli/help.ts', 'node/cli/main.ts', 'node/cli/parseCli.ts']
  let statements = 0
  for (const file of files) {
    for (const line of readFileSync(join(ROOT, file), 'utf8').split('\n')) {
      // a chain that names two of the sources states the precedence, with the word or without
      if (precedenceOrder(line).length < 2) continue
      statements++
      t.same(precedenceOrder(line), ['config', 'env', 'flags'], `${file}: ${line.trim()}`)
    }
  }
  t.ok(statements >= 5, `${statements} statements of the precedence`)
})
