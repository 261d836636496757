/**
 * native/: the multi-LoRA inference engine addon (C++ CPU backend, optional CUDA backend) and its
 * typed face. A leaf: imports nothing else from the repository.
 */
export { createEngine, defaultEngineOptions, nativeDefaultEngineOptions, nativeInfo, samplerUniform, Backend, CpuKernels, LORA_TARGETS } from './engine.ts'
export type {
  AdapterInfo,
  Attribution,
  Completion,
  DebugFault,
  Engine,
  EngineOptions,
  EngineStats,
  GenerateRequest,
  GenerateResult,
  LogitsMode,
  LoraTarget,
  ModelInfo,
  NativeLogger,
} from './engine.ts'
export { NativeError, NativeErrorCode, toNativeError } from './nativeError.ts'
export type { NativeErrorMeta } from './nativeError.ts'
export {
  defaultSyntheticAdapterSpec,
  defaultSyntheticModelSpec,
  loraKey,
  projectionShape,
  seededTensor,
  syntheticAdapterConfig,
  syntheticAdapterTensors,
  syntheticModelConfig,
  syntheticModelTensors,
  syntheticParameterCount,
  writeSyntheticAdapter,
  writeSyntheticModel,
} from './syntheticModel.ts'
export type { SyntheticAdapterSpec, SyntheticModelSpec } from './syntheticModel.ts'
export { bf16BitsToF32, f16BitsToF32, f32ToBf16Bits, f32ToF16Bits, roundToDtype, writeSafetensors } from './safetensorsWriter.ts'
export type { TensorEntry, WeightDtype } from './safetensorsWriter.ts'
