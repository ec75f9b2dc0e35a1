// The native `imlab` CLI for the end-to-end tests that compare the browser with it: the debug build
// at target/debug/imlab (built by `cargo build -p imlab-cli` if missing).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

function bin() {
  const path = join(ROOT, 'target/debug/imlab');
  if (!existsSync(path)) {
    execFileSync('cargo', ['build', '-p', 'imlab-cli'], { cwd: ROOT, stdio: 'inherit' });
  }
  return path;
}

/** `imlab run --link HASH --epochs N`, parsed. */
export function imlabRun(hash, epochs) {
  return JSON.parse(execFileSync(bin(), ['run', '--link', hash, '--epochs', String(epochs)], { encoding: 'utf8' }));
}

/** The CSV file `imlab sweep ARGS --output F` writes. */
export function imlabSweep(args) {
  const dir = mkdtempSync(join(tmpdir(), 'imlab-sweep-'));
  const out = join(dir, 'cli.csv');
  execFileSync(bin(), ['sweep', ...args, '--quiet', '--output', out], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return readFileSync(out, 'utf8');
}
