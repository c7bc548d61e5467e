// 32-bit words to and from little-endian bytes (RISC-V memory order), whatever the host's order.

export function wordsToBytes(words: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(4 * words.length);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < words.length; i++) view.setUint32(4 * i, words[i]! >>> 0, true);
  return bytes;
}

export function bytesToWords(bytes: Uint8Array): Uint32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Uint32Array.from({ length: bytes.byteLength >>> 2 }, (_, i) => view.getUint32(4 * i, true));
}
