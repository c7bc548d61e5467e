// docs/hdl-errors.md must stay true: its table and its sections are those of the check registry
// (hw/hdl/checks.ts), and each section's example is written to a file named example.ts, elaborated,
// and its error messages compared with the text block that follows it in the section.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { elaborate, HdlError } from '../../hw/hdl/index.js';
import { checks } from '../../hw/hdl/checks.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const doc = readFileSync(path.join(root, 'docs', 'hdl-errors.md'), 'utf8');
const hdlEntry = path.join(root, 'hw', 'hdl', 'index.ts');

interface Section {
  readonly check: string;
  readonly code: string;
  readonly expected: string;
}

/** The rows of the table before the first section: check, stage, summary. */
function tableRows(markdown: string): string[][] {
  const intro = markdown.slice(0, markdown.search(/^## /m));
  return [...intro.matchAll(/^\| `([^`]+)` \| (\w+) \| (.+) \|$/gm)].map((m) => [m[1]!, m[2]!, m[3]!]);
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

  it('has one section per registered check, in registry order, and no other', () => {
    expect(documented.map((s) => s.check)).toEqual(checks.map((c) => c.id));
  });

  it("lists every registered check in its table with the registry's stage and summary", () => {
    expect(tableRows(doc)).toEqual(checks.map((c) => [c.id, c.stage, c.summary]));
  });

  it.each(documented)('$check: the example prints the documented messages', async ({ check, code, expected }) => {
    const printed = await messagesOf(code);
    expect(printed).toBe(expected);
    for (const line of printed.split('\n').filter((l) => l.startsWith('error['))) expect(line).toMatch(new RegExp(`^error\\[${check}\\]`));
  });
});
