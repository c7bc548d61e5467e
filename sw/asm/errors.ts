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
