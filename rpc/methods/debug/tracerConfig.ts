import { RPC_ERROR, RpcError } from '../../errors.ts'
import { badArg, parseObject } from '../../params/parse.ts'

/** Parsed tracer options: only geth's callTracer is served. */
export type TracerConfig = { onlyTopCall: boolean; withLog: boolean }

/** Parse {tracer: "callTracer", tracerConfig: {onlyTopCall, withLog}}; other tracers answer -32602. */
export function parseTracerConfig(value: unknown, index: number): TracerConfig {
  if (value === undefined || value === null) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMS, 'only the callTracer is supported: pass {"tracer":"callTracer"}')
  }
  const o = parseObject(value, index, 'tracers.TraceConfig')
  if (o.tracer !== 'callTracer') {
    throw badArg(index, `tracer ${JSON.stringify(o.tracer ?? 'structLogger')} is not supported; use "callTracer"`)
  }
  const cfg = o.tracerConfig === undefined || o.tracerConfig === null ? {} : parseObject(o.tracerConfig, index, 'callTracerConfig')
  return { onlyTopCall: cfg.onlyTopCall === true, withLog: cfg.withLog === true }
}
