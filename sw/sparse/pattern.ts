// Reading an N:M pattern as users write it ("1:8"), with an error naming what is wrong.
import { patterns, patternName, type SparsityPattern } from '../../isa/xnmsparse/gather.js';

export class PatternError extends Error {
  override name = 'PatternError';
}

export function parsePattern(text: string): SparsityPattern {
  const pattern = patterns.find((p) => patternName(p) === text.trim());
  if (!pattern) throw new PatternError(`'${text}' is no supported N:M pattern (supported: ${patterns.map(patternName).join(', ')})`);
  return pattern;
}
