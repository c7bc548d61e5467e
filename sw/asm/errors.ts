/** Assembly errors carry the file, line and text they come from: `file:line: message`. */

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

export class AsmError extends Error {
  constructor(
    readonly location: SourceLocation,
    readonly reason: string,
  ) {
    super(`${location.file}:${location.line}: ${reason}\n    ${location.text.trim()}`);
    this.name = 'AsmError';
  }
}

/**
 * A mistake in the source found where its line is not at hand (an expression, a symbol, an operand
 * list); `atLocation` gives it one. Only these become AsmErrors: anything else thrown while
 * assembling is a bug of the assembler and must not pass for the user's mistake.
 */
export class SourceError extends Error {}

/** Run `compute`, turning a SourceError into an AsmError at `location`. */
export function atLocation<T>(location: SourceLocation, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof SourceError) throw new AsmError(location, error.message);
    throw error;
  }
}
