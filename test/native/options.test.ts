// One documented default per option: the TS face's defaultEngineOptions equal the C library's
// oli_engine_options_set_defaults (the header documents the values), and out-of-range options are
// typed errors naming the option.
import t from 'tap'
import { NativeError, NativeErrorCode, createEngine, defaultEngineOptions, nativeDefaultEngineOptions } from '../../native/index.ts'

t.test('TS defaults equal the native defaults', async (t) => {
  t.same(nativeDefaultEngineOptions(), defaultEngineOptions, 'defaultEngineOptions === oli_engine_options_set_defaults')
  t.equal(defaultEngineOptions.kvBlocks, 256, 'kv_blocks default 256 (header)')
  t.equal(defaultEngineOptions.adapterCacheBytes, 2 ** 30, 'host tier 1 GiB')
  t.equal(defaultEngineOptions.adapterDeviceCacheBytes, 2 ** 29, 'device tier 512 MiB')
})

t.test('new options are validated', async (t) => {
  for (const [name, value] of [
    ['adapterDeviceCacheBytes', 0],
    ['logQueueLines', 15],
    ['logQueueLines', 2 ** 20 + 1],
  ] as const) {
    try {
      await createEngine({ backend: 'cpu', [name]: value })
      t.fail(`${name} = ${value} accepted`)
    } catch (err) {
      t.ok(
        err instanceof NativeError && err.code === NativeErrorCode.INVALID_ARGUMENT && (err.meta as { option?: string }).option === name,
        `${name} = ${value}: INVALID_ARGUMENT naming the option`,
      )
    }
  }
})
