// The loop of `skiff edit`, as kubectl runs it: the object as YAML in an editor; on save an
// update. An invalid edit (bad YAML, a changed name, the server's 422) reopens the editor on
// what was written with the error as comments at the top; a conflict reopens it on the
// latest version with the user's changes applied again, and says so; no change, or an empty
// file, cancels. Saving the same invalid text twice gives up. The editor and the server are
// passed in, so the loop is tested with a fake editor.

import { parse, stringify } from 'yaml';
import type { KubeObject } from '../../api/types.js';
import { applyMergePatch } from '../../client/patches.js';
import { ApiStatusError, isConflict } from '../../client/errors.js';
import { deepEqual, mergePatchBetween } from '../resources/apply-patch.js';

export const EDIT_HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

export interface EditSession {
  /** The object as the server has it now. */
  load(): Promise<KubeObject>;
  /** Writes the edited object (an update carrying its resourceVersion). */
  save(obj: KubeObject): Promise<void>;
  /** Lets the user edit `text`; returns what was saved. */
  edit(text: string): Promise<string>;
  /** `deployments.apps "web"`, for messages. */
  what: string;
}

export type EditResult =
  | { outcome: 'saved' }
  | { outcome: 'cancelled'; message: string }
  | { outcome: 'failed'; message: string; lastText: string };

type JsonObject = Record<string, unknown>;

/** The text without `#` comment lines (ours, and the user's). */
export function stripComments(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.trimStart().startsWith('#'))
    .join('\n');
}

const asComments = (lines: string[]) => `${lines.map((l) => `# ${l}`.trimEnd()).join('\n')}\n#\n`;

/** Why a server refused the write, as comment lines: the message and each failing field. */
function refusal(what: string, err: unknown): string[] {
  if (!(err instanceof ApiStatusError)) return [`${what} was not saved: ${err instanceof Error ? err.message : String(err)}`];
  const causes = (err.details?.causes ?? []).map((c) => `* ${c.field ? `${c.field}: ` : ''}${c.message ?? c.reason ?? ''}`);
  return causes.length ? [`${what} was not valid:`, ...causes] : [`${what} was not saved: ${err.message}`];
}

export async function editLoop(session: EditSession): Promise<EditResult> {
  let original = await session.load();
  let body = stringify(original);
  let notes = '';
  /** Shown again after a refusal or a conflict: saving it untouched means giving up. */
  let reopened = false;
  for (;;) {
    const shown = `${notes}${EDIT_HEADER}${body}`;
    const text = await session.edit(shown);
    const content = stripComments(text);
    if (reopened && text === shown) {
      return { outcome: 'failed', message: `Edit cancelled, no valid changes were saved.`, lastText: content };
    }
    if (content.trim() === '') return { outcome: 'cancelled', message: 'Edit cancelled, saved file was empty.' };
    let edited: unknown;
    try {
      edited = parse(content);
    } catch (err) {
      notes = asComments([`The edited file is not valid YAML: ${(err as Error).message.split('\n')[0]}`]);
      body = content.replace(/^\n+/, '');
      reopened = true;
      continue;
    }
    if (typeof edited !== 'object' || edited === null || Array.isArray(edited)) {
      notes = asComments(['The edited file must hold one object (a YAML mapping).']);
      body = content.replace(/^\n+/, '');
      reopened = true;
      continue;
    }
    const obj = edited as KubeObject;
    if (deepEqual(obj, original)) return { outcome: 'cancelled', message: 'Edit cancelled, no changes made.' };
    const identity = (o: KubeObject) => [o.apiVersion, o.kind, o.metadata?.name, o.metadata?.namespace ?? ''].join('/');
    if (identity(obj) !== identity(original)) {
      notes = asComments([`apiVersion, kind, metadata.name and metadata.namespace cannot be changed by edit (${identity(original)}).`]);
      body = content.replace(/^\n+/, '');
      reopened = true;
      continue;
    }
    try {
      await session.save(obj);
      return { outcome: 'saved' };
    } catch (err) {
      reopened = true;
      if (isConflict(err)) {
        // Someone else wrote meanwhile: start again from theirs, with these edits on top.
        const changes = mergePatchBetween(original as JsonObject, obj as JsonObject);
        original = await session.load();
        body = stringify(applyMergePatch(original, changes));
        notes = asComments([
          `${session.what} was changed on the server while you edited it (409 Conflict).`,
          'Below is the latest version with your changes applied again: save to retry, or quit without saving to give up.',
        ]);
        continue;
      }
      notes = asComments(refusal(session.what, err));
      body = content.replace(/^\n+/, '');
    }
  }
}
