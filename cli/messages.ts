// What nmsparse prints to stderr starts with its name, as compilers' messages do.

/** A message as it is written: its first line names nmsparse; lines after it (a quoted source line, a core's site) follow as they are. */
export function message(text: string): string {
  return `nmsparse: ${text}\n`;
}

/** A failure's message on one line, so that a script (or a person scanning a log) reads it whole. */
export function messageLine(text: string): string {
  return message(text.trim().replace(/\s*\n\s*/g, ' '));
}
