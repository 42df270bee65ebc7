/** Terminal output for the CLI (the only place besides the logger that writes to stdout/stderr). */
export function out(text: string): void {
  process.stdout.write(`${text}\n`);
}

export function fail(text: string): void {
  process.stderr.write(`${text}\n`);
}
