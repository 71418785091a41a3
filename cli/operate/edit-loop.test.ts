import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/types.js';
import { statusErrors } from '../../client/errors.js';
import { EDIT_HEADER, editLoop, type EditSession } from './edit-loop.js';

const cm = (data: Record<string, string>, rv = '5'): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default', resourceVersion: rv }, data }) as KubeObject;

/** A session whose editor applies `edits` in turn to the text it is shown, recording each. */
function session(edits: ((text: string) => string)[], opts: { server?: KubeObject[]; saveErrors?: unknown[] } = {}) {
  const shown: string[] = [];
  const saved: KubeObject[] = [];
  const server = [...(opts.server ?? [cm({ mode: 'fast' })])];
  const saveErrors = [...(opts.saveErrors ?? [])];
  const s: EditSession = {
    what: 'configmaps "settings"',
    load: async () => structuredClone(server.length > 1 ? server.shift()! : server[0]),
    save: async (obj) => {
      const err = saveErrors.shift();
      if (err) throw err;
      saved.push(obj);
    },
    edit: async (text) => {
      shown.push(text);
      const edit = edits.shift();
      if (!edit) throw new Error('the editor was opened more often than expected');
      return edit(text);
    },
  };
  return { s, shown, saved };
}

describe('editLoop', () => {
  it('saves a change', async () => {
    const { s, shown, saved } = session([(t) => t.replace('mode: fast', 'mode: safe')]);
    expect(await editLoop(s)).toEqual({ outcome: 'saved' });
    expect(shown[0].startsWith(EDIT_HEADER)).toBe(true);
    expect(saved).toEqual([cm({ mode: 'safe' })]);
  });

  it('cancels when nothing changed, or the file was emptied', async () => {
    expect(await editLoop(session([(t) => t]).s)).toEqual({ outcome: 'cancelled', message: 'Edit cancelled, no changes made.' });
    expect(await editLoop(session([() => '# only comments\n']).s)).toEqual({ outcome: 'cancelled', message: 'Edit cancelled, saved file was empty.' });
  });

  it('reopens invalid YAML with the error on top, then saves the fix', async () => {
    const { s, shown, saved } = session([(t) => t.replace('mode: fast', 'mode: [fast'), (t) => t.replace('mode: [fast', 'mode: fixed')]);
    expect(await editLoop(s)).toEqual({ outcome: 'saved' });
    expect(shown[1]).toMatch(/^# The edited file is not valid YAML: /);
    expect(shown[1]).toContain('mode: [fast');
    expect(saved[0]).toMatchObject({ data: { mode: 'fixed' } });
  });

  it("reopens the server's refusal with each failing field, and gives up when saved untouched", async () => {
    const invalid = statusErrors.invalid('ConfigMap', 'settings', 'data', 'a key must consist of alphanumeric characters');
    const { s, shown } = session([(t) => t.replace('mode: fast', 'bad key: x'), (t) => t], { saveErrors: [invalid] });
    const result = await editLoop(s);
    expect(result).toMatchObject({ outcome: 'failed', message: 'Edit cancelled, no valid changes were saved.' });
    expect(result.outcome === 'failed' && result.lastText).toContain('bad key: x');
    expect(shown[1]).toMatch(/^# configmaps "settings" was not valid:\n# \* data: a key must consist/);
  });

  it('refuses a renamed object', async () => {
    const { s, shown } = session([(t) => t.replace('name: settings', 'name: other'), (t) => t]);
    expect((await editLoop(s)).outcome).toBe('failed');
    expect(shown[1]).toContain('cannot be changed by edit');
  });

  it("on a conflict reopens on the server's latest version with the user's change applied again", async () => {
    const conflict = statusErrors.conflict('configmaps', '', 'settings');
    const latest = cm({ mode: 'fast', owner: 'someone-else' }, '9');
    const { s, shown, saved } = session([(t) => t.replace('mode: fast', 'mode: safe'), (t) => t.replace('# Please', '# ok, Please')], {
      server: [cm({ mode: 'fast' }), latest],
      saveErrors: [conflict],
    });
    expect(await editLoop(s)).toEqual({ outcome: 'saved' });
    expect(shown[1]).toMatch(/^# configmaps "settings" was changed on the server while you edited it \(409 Conflict\)/);
    expect(saved).toEqual([cm({ mode: 'safe', owner: 'someone-else' }, '9')]);
  });
});
