// What nmsparse prints to stderr about a failure starts with its name, as compilers' messages do,
// and takes one line, so that a script (or a person scanning a log) reads it whole.
export function messageLine(text: string): string {
  return `nmsparse: ${text.trim().replace(/\s*\n\s*/g, ' ')}\n`;
}
