import { DEV_ACCOUNTS } from '../../../genesis/index.ts'
import { allMethods } from '../../../rpc/index.ts'

const DEV0 = DEV_ACCOUNTS[0]!.address.toLowerCase()
const OTHER = '0x' + 'a'.repeat(40)

/** mulberry32: small seeded PRNG so every run sends the same requests */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Seeded generator of malformed and semi-valid JSON-RPC bodies: garbage and truncated JSON, bad
 * envelopes, unknown methods, and every known method with random parameter shapes.
 */
export function createFuzzer(seed: number): () => string {
  const rand = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  const names = allMethods.map((m) => m.name)

  const atoms: unknown[] = [
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    '',
    '0x',
    '0x0',
    '0x00',
    '0xzz',
    'latest',
    'pending',
    'earliest',
    'bogus',
    '0x' + 'f'.repeat(65),
    '0x' + 'a'.repeat(40),
    '0x' + 'b'.repeat(64),
    '0x' + 'c'.repeat(41),
    '\u0000',
    '💥',
    [],
    {},
    { blockHash: '0x' + '1'.repeat(64) },
    { blockHash: 5 },
    { to: 7 },
    { from: '0x', to: '0x' + 'a'.repeat(40), data: '0x1' },
    { fromBlock: 'latest', toBlock: '0x0' },
    { topics: [[null, 5]] },
    { address: [1, 2] },
    { tracer: 'callTracer', tracerConfig: 5 },
    { types: { A: 5 }, primaryType: 'A', domain: {}, message: {} },
    '{"types":',
    [[[[[]]]]],
    { __proto__: { x: 1 } },
    { from: DEV0, to: OTHER, maxFeePerGas: '0x1' },
    { from: DEV0, to: OTHER, maxFeePerGas: '0x1', maxPriorityFeePerGas: '0x2' },
    { from: DEV0, to: OTHER, gasPrice: '0x0' },
    { from: DEV0, to: OTHER, chainId: '0x5' },
    { from: DEV0, maxPriorityFeePerGas: '0x0' },
  ]

  function randomValue(depth = 0): unknown {
    const r = rand()
    if (depth > 2 || r < 0.6) return pick(atoms)
    if (r < 0.8) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(depth + 1))
    const o: Record<string, unknown> = {}
    const keys = [
      'to',
      'from',
      'data',
      'input',
      'gas',
      'value',
      'address',
      'topics',
      'blockHash',
      'fromBlock',
      'gasPrice',
      'maxFeePerGas',
      'maxPriorityFeePerGas',
      'chainId',
      'nonce',
    ]
    for (const k of keys.filter(() => rand() < 0.3)) {
      o[k] = randomValue(depth + 1)
    }
    return o
  }

  function randomBody(): string {
    const kind = rand()
    if (kind < 0.1) {
      // truncated or garbage JSON
      const s = JSON.stringify({ jsonrpc: '2.0', id: 1, method: pick(names), params: [randomValue()] })
      return s.slice(0, Math.floor(rand() * s.length))
    }
    if (kind < 0.2) return pick(['', 'null', '"str"', '[1,2]', '{"jsonrpc":"2.0"}', '[{}]', '{"id":{}}', '{"jsonrpc":"2.0","id":[1],"method":"eth_chainId"}'])
    const req: Record<string, unknown> = {
      jsonrpc: rand() < 0.9 ? '2.0' : pick(['1.0', 2, null]),
      id: rand() < 0.9 ? Math.floor(rand() * 1e6) : pick([null, 'x', {}, 1.5]),
    }
    req.method = rand() < 0.9 ? pick(names) : pick(['', 'eth_', 'rpc_modules', 5, null, 'constructor', '__proto__', 'toString'])
    const r = rand()
    if (r < 0.8) req.params = Array.from({ length: Math.floor(rand() * 5) }, () => randomValue())
    else if (r < 0.9) req.params = randomValue()
    if (rand() < 0.1) return JSON.stringify([req, req])
    return JSON.stringify(req)
  }

  return randomBody
}

/** Fee-bearing methods and the values each tx field is drawn from (valid, edge and malformed). */
const TX_METHODS = ['eth_sendTransaction', 'eth_call', 'eth_estimateGas', 'eth_createAccessList', 'debug_traceCall'] as const
const TX_FIELDS: Record<string, readonly unknown[]> = {
  from: [undefined, DEV0, OTHER],
  to: [undefined, OTHER, null],
  gas: [undefined, '0x5208', '0x1', '0xffffffffffffffff'],
  gasPrice: [undefined, undefined, '0x0', '0x1', '0x3b9aca00', '0x' + 'f'.repeat(64)],
  maxFeePerGas: [undefined, '0x0', '0x1', '0x3b9aca00', '0x2540be400', '0x' + 'f'.repeat(64), '0x01'],
  maxPriorityFeePerGas: [undefined, '0x0', '0x1', '0x3b9aca00', '0x2540be400', '0x' + 'f'.repeat(64)],
  value: [undefined, '0x0', '0x1', '0x' + 'f'.repeat(64)],
  chainId: [undefined, '0x539', '0x5', 'x'],
  data: [undefined, '0x', '0x00', '0x6000'],
}

/**
 * Seeded generator of tx-shaped requests (eth_sendTransaction, eth_call, ...) with every
 * combination of fee fields, chain id, gas and value: fee mistakes must answer -32000 / -32602,
 * never -32603.
 */
export function createTxFuzzer(seed: number): () => string {
  const rand = prng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  let id = 0
  return () => {
    const tx: Record<string, unknown> = {}
    for (const [k, values] of Object.entries(TX_FIELDS)) {
      const v = pick(values)
      if (v !== undefined) tx[k] = v
    }
    const method = pick(TX_METHODS)
    const params: unknown[] = method === 'eth_sendTransaction' ? [tx] : method === 'debug_traceCall' ? [tx, 'latest', { tracer: 'callTracer' }] : [tx, 'latest']
    return JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params })
  }
}

/** Check one response text; returns a reason when it is not a well-formed JSON-RPC answer. */
export function checkResponse(text: string): { errors: number; internal: number; problem?: string } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { errors: 0, internal: 0, problem: 'not JSON' }
  }
  let errors = 0
  let internal = 0
  for (const item of (Array.isArray(json) ? json : [json]) as Record<string, unknown>[]) {
    const ok =
      item !== null &&
      typeof item === 'object' &&
      item.jsonrpc === '2.0' &&
      'id' in item &&
      (('result' in item && !('error' in item)) ||
        ('error' in item && typeof (item.error as { code: unknown }).code === 'number' && typeof (item.error as { message: unknown }).message === 'string'))
    if (!ok) return { errors, internal, problem: 'malformed response' }
    if ('error' in item) {
      errors++
      if ((item.error as { code: number }).code === -32603) internal++
    }
  }
  return { errors, internal }
}
