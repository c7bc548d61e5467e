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

/** Run `compute`, turning any other error into an AsmError at `location`. */
export function atLocation<T>(location: SourceLocation, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof AsmError) throw error;
    throw new AsmError(location, error instanceof Error ? error.message : String(error));
  }
}
