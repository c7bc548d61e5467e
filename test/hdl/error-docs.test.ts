// docs/hdl-errors.md must stay true: each section's example is written to a file named example.ts,
// elaborated, and its error messages compared with the text block that follows it in the section.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { elaborate, HdlError } from '../../hw/hdl';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const doc = readFileSync(path.join(root, 'docs', 'hdl-errors.md'), 'utf8');
const hdlEntry = path.join(root, 'hw', 'hdl', 'index.ts');

/** Every check an elaboration error can name, each of which needs a section. */
const checks = ['names', 'drivers', 'conflicting-drivers', 'width-mismatch', 'foreign-refs', 'undriven', 'comb-loops', 'operator', 'memory-port'];

interface Section {
  readonly check: string;
  readonly code: string;
  readonly expected: string;
}

function sections(markdown: string): Section[] {
  return markdown.split(/^## /m).slice(1).map((text) => {
    const check = text.slice(0, text.indexOf('\n')).trim();
    const code = /```ts\n([\s\S]*?)```/.exec(text)?.[1];
    const expected = /```text\n([\s\S]*?)```/.exec(text)?.[1];
    if (!code || !expected) throw new Error(`section '${check}' of docs/hdl-errors.md needs a ts example and a text block`);
    return { check, code, expected: expected.trimEnd() };
  });
}

const scratch: string[] = [];
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Writes the example as example.ts in a fresh directory, runs it and returns what it prints. */
async function messagesOf(code: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hdl-errors-'));
  scratch.push(dir);
  const file = path.join(dir, 'example.ts');
  writeFileSync(file, code.replaceAll("from '../hw/hdl'", `from '${hdlEntry}'`));
  try {
    const example = (await import(pathToFileURL(file).href)) as { Top: Parameters<typeof elaborate>[0] };
    elaborate(example.Top, {});
  } catch (e) {
    if (e instanceof HdlError) return e.message.replaceAll(`${file}:`, 'example.ts:');
    throw e;
  }
  throw new Error('the example elaborated without errors');
}

describe('docs/hdl-errors.md', () => {
  const documented = sections(doc);

  it('has one section per check', () => {
    expect(documented.map((s) => s.check)).toEqual(checks);
  });

  it.each(documented)('$check: the example prints the documented messages', async ({ check, code, expected }) => {
    const printed = await messagesOf(code);
    expect(printed).toBe(expected);
    for (const line of printed.split('\n').filter((l) => l.startsWith('error['))) expect(line).toMatch(new RegExp(`^error\\[${check}\\]`));
  });
});
