import { readFileSync } from 'node:fs'
import t from 'tap'
import { FLAGS, envVarName } from '../../../../node/cli/flags.ts'

// The README's CLI reference is hand-written; this keeps it from drifting from the parser.
t.test('README.md documents every flag and its env var', async (t) => {
  const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8')
  for (const flag of FLAGS) {
    t.ok(readme.includes(`\`--${flag.name}`), `README shows --${flag.name}`)
    t.ok(readme.includes(`\`${envVarName(flag.name)}\``), `README shows ${envVarName(flag.name)}`)
  }
})
