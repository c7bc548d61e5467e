// Reading a model file named on the command line, and the name its outputs take.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

export interface ModelFile {
  readonly bytes: Uint8Array;
  /** The file's name as given, for messages. */
  readonly source: string;
  /** Its base name without `.onnx`, for the files compile writes. */
  readonly name: string;
}

export function readModelFile(file: string): ModelFile {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (error) {
    throw new UsageError(`cannot read model '${file}': ${(error as Error).message}`);
  }
  return { bytes, source: path.basename(file), name: path.basename(file).replace(/\.onnx$/i, '') };
}
