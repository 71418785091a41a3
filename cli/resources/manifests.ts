// Reading manifests for apply and delete -f: files, directories (`-R` to descend), or stdin
// (`-`); each file may hold several YAML documents. Every problem names its place the way
// compilers do (`web.yaml:12:3: ...`) so an editor can jump to it.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../api/types.js';

export interface Manifest {
  /** `web.yaml` or `web.yaml#2` (the document's number, from 1) when the file has several. */
  source: string;
  object: KubeObject & Record<string, unknown>;
}

export interface ManifestProblem {
  /** `file:line:col: message` */
  message: string;
}

export interface ReadResult {
  manifests: Manifest[];
  problems: ManifestProblem[];
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** The files a `-f` argument stands for: itself, or a directory's manifests (sorted). */
export function manifestFiles(path: string, recursive: boolean): string[] {
  if (path === '-') return ['-'];
  const st = statSync(path);
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...manifestFiles(full, true));
    } else if (MANIFEST_EXTENSIONS.has(extname(entry.name))) out.push(full);
  }
  return out;
}

/** Every object in a text of YAML documents; `name` is how errors call the file. */
export function parseManifests(text: string, name: string): ReadResult {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const list = Array.isArray(docs) ? docs : [];
  const result: ReadResult = { manifests: [], problems: [] };
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${name}:${line}:${col}`;
  };
  list.forEach((doc, index) => {
    if (doc.errors.length) {
      for (const e of doc.errors) result.problems.push({ message: `${at(e.pos[0])}: ${e.message.split(' at line ')[0]}` });
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // an empty document (a trailing `---`)
    const start = doc.contents?.range[0] ?? 0;
    if (typeof value !== 'object' || Array.isArray(value)) {
      result.problems.push({ message: `${at(start)}: a manifest must be a mapping with apiVersion, kind and metadata` });
      return;
    }
    const obj = value as Manifest['object'];
    const missing = ['apiVersion', 'kind'].filter((k) => typeof obj[k] !== 'string' || obj[k] === '');
    if (typeof obj.metadata?.name !== 'string' || obj.metadata.name === '') missing.push('metadata.name');
    if (missing.length) {
      result.problems.push({ message: `${at(start)}: the object has no ${missing.join(', ')}` });
      return;
    }
    result.manifests.push({ source: list.length > 1 ? `${name}#${index + 1}` : name, object: obj });
  });
  return result;
}

/** Reads every `-f` argument; stdin is read at most once. */
export function readManifests(paths: string[], recursive: boolean, readStdin: () => string = () => readFileSync(0, 'utf8')): ReadResult {
  const result: ReadResult = { manifests: [], problems: [] };
  for (const path of paths) {
    let files: string[];
    try {
      files = manifestFiles(path, recursive);
    } catch (err) {
      result.problems.push({ message: `${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}` });
      continue;
    }
    if (files.length === 0) result.problems.push({ message: `${path}: no manifests (.yaml, .yml, .json) in this directory${recursive ? '' : ' (use -R to look in subdirectories)'}` });
    for (const file of files) {
      const text = file === '-' ? readStdin() : readFileSync(file, 'utf8');
      const one = parseManifests(text, file === '-' ? '<stdin>' : file);
      result.manifests.push(...one.manifests);
      result.problems.push(...one.problems);
    }
  }
  return result;
}
