// A kernel's parameter values: its defaults with overrides, each named and range-checked.
import type { KernelEntry, KernelParams } from './kernel';

export class KernelParamError extends Error {
  override name = 'KernelParamError';
}

export function resolveKernelParams(entry: KernelEntry, overrides: KernelParams = {}): KernelParams {
  const values: Record<string, number> = Object.fromEntries(entry.params.map((p) => [p.name, p.default]));
  for (const [name, value] of Object.entries(overrides)) {
    const spec = entry.params.find((p) => p.name === name);
    if (!spec) {
      const known = entry.params.map((p) => p.name).join(', ') || 'none';
      throw new KernelParamError(`kernel '${entry.name}' has no parameter '${name}' (parameters: ${known})`);
    }
    if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
      throw new KernelParamError(`parameter '${name}' of kernel '${entry.name}' must be an integer from ${spec.min} to ${spec.max}, got ${value}`);
    }
    values[name] = value;
  }
  return values;
}
