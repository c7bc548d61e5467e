// The one mechanism every command that writes goes through (util/atomic-write.ts): an output
// directory is checked before any work and leaves nothing behind, directories are created without
// Node's recursive mkdir (which loops forever under /proc), and a failed write leaves no file.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutputDirectory, OutputPathError, writeFileAtomic } from '../../util/atomic-write.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-output-paths-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function refusal(action: () => void): OutputPathError {
  try {
    action();
  } catch (e) {
    if (e instanceof OutputPathError) return e;
    throw e;
  }
  throw new Error('expected an OutputPathError');
}

describe('checkOutputDirectory', () => {
  it('accepts an existing or creatable directory and creates nothing', () => {
    const base = mkdtempSync(path.join(scratch, 'check-'));
    checkOutputDirectory(base);
    checkOutputDirectory(path.join(base, 'new', 'deeper'));
    expect(readdirSync(base)).toEqual([]);
  });

  it.each([
    ['/proc/forbidden', "cannot write to '/proc/forbidden': '/proc' does not accept new entries"],
    ['/etc/passwd', "cannot write to '/etc/passwd': it is a file, not a directory"],
    ['/dev/null/x', "cannot write to '/dev/null/x': '/dev/null' is a device, not a directory"],
    ['', "cannot write to '': no directory named (write '.' for the current one)"],
  ])('refuses %j with the path and the reason', (directory, message) => {
    expect(refusal(() => checkOutputDirectory(directory)).message).toBe(message);
  });

  it('refuses a path through a symbolic link to nothing', () => {
    const link = path.join(scratch, 'dangling');
    symlinkSync(path.join(scratch, 'nowhere'), link);
    expect(refusal(() => checkOutputDirectory(path.join(link, 'out'))).reason).toBe(`'${link}' is a symbolic link to nothing`);
  });
});

describe('writeFileAtomic', () => {
  it('creates the missing directories and writes the file', () => {
    const file = path.join(scratch, 'a', 'b', 'c.txt');
    writeFileAtomic(file, 'text\n');
    expect(readFileSync(file, 'utf8')).toBe('text\n');
  });

  it('stops at once where Node\'s recursive mkdir loops forever', () => {
    // mkdir('/proc/forbidden') fails with ENOENT although /proc exists.
    expect(refusal(() => writeFileAtomic('/proc/forbidden/deeper/file.v', '')).reason).toBe("'/proc' does not accept new entries");
  });

  it('removes its temporary file when the write fails', () => {
    const directory = mkdtempSync(path.join(scratch, 'failed-'));
    const target = path.join(directory, 'taken');
    mkdirSync(target);
    writeFileSync(path.join(target, 'inside'), '');
    // The temporary file is written, then cannot be renamed onto the directory.
    expect(refusal(() => writeFileAtomic(target, 'data')).reason).toBe('it is a directory');
    expect(readdirSync(directory)).toEqual(['taken']);
    expect(existsSync(path.join(target, 'inside'))).toBe(true);
  });
});
