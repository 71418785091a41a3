// Writes a set of files into a directory so that a reader (a container with the directory
// bind-mounted) sees either the old set or the new one, never a mix — the layout the kubelet
// uses for configMap and secret volumes: the files live in a timestamped `..<ts>` dir,
// `..data` is a symlink to it (swapped with one rename), and each visible name is a symlink
// through `..data`.

import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface Payload {
  /** Relative path inside the volume (may contain subdirectories). */
  path: string;
  content: Buffer;
  mode: number;
}

function sameAsCurrent(dir: string, files: Payload[]): boolean {
  const data = join(dir, '..data');
  if (!existsSync(data)) return false;
  try {
    const current = join(dir, readlinkSync(data));
    const count = (d: string): number => readdirSync(d, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? count(join(d, e.name)) : 1), 0);
    if (count(current) !== files.length) return false;
    return files.every((f) => {
      const p = join(current, f.path);
      return existsSync(p) && readFileSync(p).equals(f.content) && (lstatSync(p).mode & 0o777) === f.mode;
    });
  } catch {
    return false;
  }
}

/** Makes `dir` hold exactly `files`; returns false when it already did. */
export function writeAtomicDir(dir: string, files: Payload[]): boolean {
  mkdirSync(dir, { recursive: true });
  if (sameAsCurrent(dir, files)) return false;
  for (const f of files) {
    if (f.path.startsWith('/') || f.path.split('/').some((s) => s === '..' || s.startsWith('..'))) throw new Error(`invalid volume file path ${JSON.stringify(f.path)}`);
  }

  const tsName = `..${new Date().toISOString().replace(/[:.]/g, '_')}.${process.pid}.${Math.random().toString(36).slice(2, 8)}`;
  const tsDir = join(dir, tsName);
  mkdirSync(tsDir);
  for (const f of files) {
    const p = join(tsDir, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.content);
    chmodSync(p, f.mode);
  }

  const data = join(dir, '..data');
  const previous = existsSync(data) ? readlinkSync(data) : undefined;
  symlinkSync(tsName, join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), data);

  // Top-level names point through ..data, so they follow the swap.
  const top = new Set(files.map((f) => f.path.split('/')[0]));
  for (const name of top) {
    const link = join(dir, name);
    if (!existsSync(link) && !isSymlink(link)) symlinkSync(join('..data', name), link);
  }
  for (const e of readdirSync(dir)) {
    if (!e.startsWith('..') && !top.has(e)) rmSync(join(dir, e), { recursive: true, force: true });
  }
  if (previous) rmSync(join(dir, previous), { recursive: true, force: true });
  return true;
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
