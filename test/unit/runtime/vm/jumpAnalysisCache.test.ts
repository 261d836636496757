import t from 'tap'
import { createEVM } from '@ethereumjs/evm'
import { Address, bytesToBigInt } from '@ethereumjs/util'
import { createChainCommon } from '../../../../runtime/index.ts'
import { installJumpAnalysisCache } from '../../../../runtime/vm/jumpAnalysisCache.ts'
import { createTestSpec } from '../../../fixtures/chain/testSpec.ts'
import { TOKEN_RUNTIME } from '../../../fixtures/contracts/token.ts'

type Analysis = { jumps: Uint8Array; pushes: Record<number, bigint>; opcodesCached: unknown[] }

// Independent reference: JUMPDEST positions outside PUSH immediates, and every PUSH immediate.
function reference(code: Uint8Array): { jumps: number[]; pushes: Map<number, bigint> } {
  const jumps: number[] = []
  const pushes = new Map<number, bigint>()
  for (let i = 0; i < code.length; i++) {
    const op = code[i]!
    if (op === 0x5b) jumps.push(i)
    if (op >= 0x60 && op <= 0x7f) {
      const n = op - 0x5f
      const immediate = new Uint8Array(n)
      immediate.set(code.subarray(i + 1, i + 1 + n))
      pushes.set(i + 1, bytesToBigInt(immediate))
      i += n
    }
  }
  return { jumps, pushes }
}

t.test('the jump analysis cache installs on this @ethereumjs/evm and returns correct, shared analyses', async (t) => {
  t.equal(await installJumpAnalysisCache(), true, 'installed (an @ethereumjs/evm upgrade that moves Interpreter must revisit the hook)')
  const url = import.meta.resolve('@ethereumjs/evm').replace(/index\.(js|ts)$/, 'interpreter.$1')
  const { Interpreter } = (await import(url)) as { Interpreter: { prototype: { _getValidJumpDestinations(code: Uint8Array): Analysis } } }
  const common = createChainCommon(createTestSpec())
  const evm = await createEVM({ common })
  // an interpreter shell: the analysis reads only the EVM's opcode table and Common
  const fake = Object.assign(Object.create(Interpreter.prototype) as object, { _evm: evm, common })
  const analyse = Interpreter.prototype._getValidJumpDestinations
  const first = analyse.call(fake, TOKEN_RUNTIME)
  const second = analyse.call(fake, TOKEN_RUNTIME)
  t.equal(first, second, 'second analysis of the same code is the cached one')
  const copy = analyse.call(fake, TOKEN_RUNTIME.slice())
  t.not(copy, first, 'a different code object is analysed on its own')
  const ref = reference(TOKEN_RUNTIME)
  t.same(
    [...first.jumps.keys()].filter((i) => first.jumps[i] === 1),
    ref.jumps,
    'JUMPDEST bitmap',
  )
  t.same(new Map(Object.entries(first.pushes).map(([k, v]) => [Number(k), v])), ref.pushes, 'PUSH immediates')
  t.same(copy.jumps, first.jumps, 'same bitmap for equal code')
  // and the EVM runs with it
  const result = await evm.runCode({ code: TOKEN_RUNTIME, data: new Uint8Array(4), gasLimit: 100_000n, to: new Address(new Uint8Array(20)) })
  t.ok(result.exceptionError !== undefined, 'unknown selector reverts, as without the cache')
})
