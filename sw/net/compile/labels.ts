/**
 * Giving each tile code's labels a prefix of their own, so many generated kernels can share one
 * program: every label a code defines is renamed wherever it appears; the labels it only uses
 * (`kernel_end`, the runtime's) keep their names.
 */

const LABEL_DEFINITION = /^\s*([A-Za-z_.$][\w.$]*):/;

export function scopeLabels(lines: readonly string[], prefix: string): string[] {
  const defined = new Set<string>();
  for (const line of lines) {
    const match = LABEL_DEFINITION.exec(line);
    if (match) defined.add(match[1]!);
  }
  if (defined.size === 0) return [...lines];
  const names = [...defined].sort((a, b) => b.length - a.length).map((name) => name.replace(/[.$]/g, '\\$&'));
  const pattern = new RegExp(`(?<![\\w.$])(${names.join('|')})(?![\\w.$])`, 'g');
  return lines.map((line) => line.replace(pattern, `${prefix}$1`));
}
