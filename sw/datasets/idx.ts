/**
 * The IDX file format of LeCun's MNIST and of Zalando's Fashion-MNIST (yann.lecun.com/exdb/mnist,
 * "FILE FORMATS FOR THE MNIST DATABASE"): a magic number of two zero bytes, a type byte (0x08 for
 * unsigned bytes, the only type these data sets use) and the number of dimensions, then each
 * dimension as a big-endian 32-bit count, then the values in row-major order. The files ship
 * gzip'd; both forms are read.
 */
import { gunzipSync } from 'node:zlib';

/** A data set file that is missing, unreadable or not what it should be: the message names the file. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

const UNSIGNED_BYTE = 0x08;
const GZIP_MAGIC = [0x1f, 0x8b];

export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

/** The file's bytes, gunzipped when they start with gzip's magic number. */
export function idxBytes(bytes: Uint8Array, source: string): Uint8Array {
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) return bytes;
  try {
    return new Uint8Array(gunzipSync(bytes));
  } catch (error) {
    throw new DatasetError(`${source}: not a readable gzip file (${(error as Error).message})`);
  }
}

/** An IDX array of unsigned bytes with `rank` dimensions, refusing any other type, rank or a size that does not match the header. */
export function parseIdx(bytes: Uint8Array, source: string, rank: number): IdxArray {
  const header = 4 + 4 * rank;
  if (bytes.length < 4) throw new DatasetError(`${source}: ${bytes.length} bytes, too short for an IDX file`);
  if (bytes[0] !== 0 || bytes[1] !== 0) throw new DatasetError(`${source}: not an IDX file (its magic number does not start with two zero bytes)`);
  if (bytes[2] !== UNSIGNED_BYTE) throw new DatasetError(`${source}: IDX values of type 0x${bytes[2]!.toString(16).padStart(2, '0')}, not unsigned bytes (0x08)`);
  if (bytes[3] !== rank) throw new DatasetError(`${source}: an IDX array of ${bytes[3]} dimensions, not ${rank}`);
  if (bytes.length < header) throw new DatasetError(`${source}: the IDX header is cut short (${bytes.length} bytes of ${header})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, d) => a * d, 1);
  if (bytes.length !== header + size) throw new DatasetError(`${source}: the header announces ${dims.join(' x ')} = ${size} values, the file holds ${bytes.length - header}`);
  return { dims, data: bytes.subarray(header) };
}
