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
