// Declared generator parameters: what `nmsparse list` shows and how `--param name=value` is checked.
import type { ModuleGenerator, Params, Ports } from './hdl';

export interface ParamSpec {
  readonly name: string;
  readonly description: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** Extra rule beyond the range, e.g. "a power of two"; returns a reason when the value is rejected. */
  readonly check?: (value: number) => string | null;
}

export interface DesignEntry {
  readonly name: string;
  readonly description: string;
  // Generators differ in their parameter and port types; the registry only passes them through.
  readonly generator: ModuleGenerator<any, Ports>;
  readonly params: readonly ParamSpec[];
  /** Parameterizations that the test suite lints, synthesizes and cross-checks against Icarus Verilog. */
  readonly checked: readonly Params[];
}

export class ParamError extends Error {
  override name = 'ParamError';
}

export function powerOfTwo(value: number): string | null {
  return (value & (value - 1)) === 0 ? null : 'must be a power of two';
}

/** Defaults overridden by `name=value` strings; every problem is named. */
export function resolveParams(entry: DesignEntry, overrides: readonly string[]): Params {
  const values: Record<string, number> = Object.fromEntries(entry.params.map((p) => [p.name, p.default]));
  for (const text of overrides) {
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    const spec = entry.params.find((p) => p.name === key);
    if (!spec) {
      const known = entry.params.map((p) => p.name).join(', ') || 'none';
      throw new ParamError(`design '${entry.name}' has no parameter '${key}' (parameters: ${known})`);
    }
    const raw = eq < 0 ? '' : text.slice(eq + 1);
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(value)) {
      throw new ParamError(`parameter '${key}' of design '${entry.name}' must be an integer, got '${raw}'`);
    }
    if (value < spec.min || value > spec.max) {
      throw new ParamError(`parameter '${key}' of design '${entry.name}' must be between ${spec.min} and ${spec.max}, got ${value}`);
    }
    const reason = spec.check?.(value);
    if (reason) throw new ParamError(`parameter '${key}' of design '${entry.name}' ${reason}, got ${value}`);
    values[key] = value;
  }
  return values;
}
