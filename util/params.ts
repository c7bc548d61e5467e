// Declared integer parameters, as designs (hw/designs.ts) and kernels (sw/kernels/registry.ts) both
// have them: what `nmsparse list` shows, and how given values are checked against the declaration
// so that every problem is named.

export interface ParamSpec {
  readonly name: string;
  readonly description: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** Extra rule beyond the range, e.g. "a power of two"; returns a reason when the value is rejected. */
  readonly check?: (value: number) => string | null;
}

/** Parameter values by name. */
export type ParamValues = Readonly<Record<string, number>>;

/** What owns a list of parameters, as messages name it: `{ kind: 'design', name: 'counter' }`. */
export interface ParamOwner {
  readonly kind: string;
  readonly name: string;
  readonly params: readonly ParamSpec[];
}

export class ParamError extends Error {
  override name = 'ParamError';
}

export function powerOfTwo(value: number): string | null {
  return (value & (value - 1)) === 0 ? null : 'must be a power of two';
}

function specOf(owner: ParamOwner, key: string): ParamSpec {
  const spec = owner.params.find((p) => p.name === key);
  if (spec) return spec;
  const known = owner.params.map((p) => p.name).join(', ') || 'none';
  throw new ParamError(`${owner.kind} '${owner.name}' has no parameter '${key}' (parameters: ${known})`);
}

/** The owner's defaults overridden by `overrides`, each value checked against its declaration. */
export function resolveParams(owner: ParamOwner, overrides: ParamValues): ParamValues {
  const values: Record<string, number> = Object.fromEntries(owner.params.map((p) => [p.name, p.default]));
  for (const [key, value] of Object.entries(overrides)) {
    const spec = specOf(owner, key);
    const where = `parameter '${key}' of ${owner.kind} '${owner.name}'`;
    if (!Number.isInteger(value)) throw new ParamError(`${where} must be an integer, got ${value}`);
    if (value < spec.min || value > spec.max) throw new ParamError(`${where} must be between ${spec.min} and ${spec.max}, got ${value}`);
    const reason = spec.check?.(value);
    if (reason) throw new ParamError(`${where} ${reason}, got ${value}`);
    values[key] = value;
  }
  return values;
}

/** `name=value` assignments (as `--param` takes them) resolved against the owner's declaration. */
export function resolveParamAssignments(owner: ParamOwner, assignments: readonly string[]): ParamValues {
  const overrides: Record<string, number> = {};
  for (const text of assignments) {
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    const spec = specOf(owner, key);
    let raw = eq < 0 ? '' : text.slice(eq + 1);
    // A flag (declared 0..1) may also be written false or true.
    if (spec.min === 0 && spec.max === 1 && (raw === 'false' || raw === 'true')) raw = raw === 'true' ? '1' : '0';
    // Decimal digits only: Number() would also take '1e1', '0x8', ' 8' and '', as the user may not mean.
    if (!/^-?[0-9]+$/.test(raw)) {
      throw new ParamError(`parameter '${key}' of ${owner.kind} '${owner.name}' must be an integer in decimal digits, got '${raw}'`);
    }
    overrides[key] = Number(raw);
  }
  return resolveParams(owner, overrides);
}
