// `skiff edit KIND NAME`: the edit loop (edit-loop.ts) with a real editor on a temp file and
// updates through the API server.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiVersionOf } from '../../api/resources.js';
import type { KubeObject } from '../../api/types.js';
import { connect, kindName, resourceName, type ConnectionFlags } from '../resources/connection.js';
import { printError, printOut } from '../resources/output.js';
import { editLoop } from './edit-loop.js';
import { parseTargets } from './target.js';

/** kubectl's choice: $KUBE_EDITOR, else $EDITOR, else vi. */
export function chooseEditor(env: Record<string, string | undefined> = process.env): string {
  return env.KUBE_EDITOR?.trim() || env.EDITOR?.trim() || 'vi';
}

/** Runs the editor on a file (through sh, so `code --wait` style commands work). */
function runEditor(editor: string, file: string): void {
  const r = spawnSync('sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' });
  if (r.error) throw new Error(`cannot start the editor "${editor}": ${r.error.message}`);
  if (r.status !== 0) throw new Error(`the editor "${editor}" exited with status ${r.status ?? r.signal}; nothing was saved`);
}

export async function runEdit(args: string[], flags: ConnectionFlags): Promise<number> {
  const conn = await connect(flags);
  const dir = mkdtempSync(join(tmpdir(), 'skiff-edit-'));
  try {
    const targets = parseTargets(args, conn.registry);
    if (targets.length !== 1) throw new Error('edit one object at a time');
    const { type, name } = targets[0];
    const client = conn.client.resource(type);
    const ns = type.namespaced ? conn.namespace : undefined;
    const file = join(dir, `${type.singular}-${name}.yaml`);
    const editor = chooseEditor();
    const result = await editLoop({
      what: `${resourceName(type)} "${name}"`,
      load: async () => ({ apiVersion: apiVersionOf(type), kind: type.kind, ...(await client.get(ns, name)) }) as KubeObject,
      save: async (obj) => {
        await client.update(obj);
      },
      edit: async (text) => {
        writeFileSync(file, text);
        runEditor(editor, file);
        return readFileSync(file, 'utf8');
      },
    });
    switch (result.outcome) {
      case 'saved':
        printOut(`${kindName(type)}/${name} edited`);
        return 0;
      case 'cancelled':
        printOut(result.message);
        return 0;
      case 'failed': {
        // Keep the user's work: it is not lost with the temp dir.
        const kept = join(tmpdir(), `skiff-edit-${name}-${Date.now()}.yaml`);
        writeFileSync(kept, result.lastText);
        printError(`error: ${result.message}`);
        process.stderr.write(`A copy of your changes has been stored to "${kept}"\n`);
        return 1;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    conn.client.close();
  }
}
