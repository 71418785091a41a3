import { describe, expect, it } from 'vitest';
import type { ConfigMap } from '../../api/types.js';
import { configMapUpToDate, desiredConfigMap, greetingText, type Greeting } from './greeting.js';

const greeting = (spec: Greeting['spec']): Greeting => ({
  apiVersion: 'examples.skiff.dev/v1',
  kind: 'Greeting',
  metadata: { name: 'hello', namespace: 'default', uid: 'u-1' },
  spec,
});

describe('greetingText', () => {
  const cases: Array<{ spec: Greeting['spec']; want: string }> = [
    { spec: { message: 'Hello' }, want: 'Hello, world!\n' },
    { spec: { message: 'Hi', recipients: ['a', 'b'] }, want: 'Hi, a!\nHi, b!\n' },
    { spec: { message: 'Hi', recipients: ['a'], punctuation: '?' }, want: 'Hi, a?\n' },
    { spec: { message: 'Hi', recipients: [] }, want: '' },
  ];
  for (const c of cases) it(JSON.stringify(c.spec), () => expect(greetingText(greeting(c.spec))).toBe(c.want));
});

describe('desiredConfigMap', () => {
  it('is named after the Greeting, in its namespace, and owned by it', () => {
    const cm = desiredConfigMap(greeting({ message: 'Hello' }));
    expect(cm.metadata).toMatchObject({
      name: 'greeting-hello',
      namespace: 'default',
      ownerReferences: [{ apiVersion: 'examples.skiff.dev/v1', kind: 'Greeting', name: 'hello', uid: 'u-1', controller: true, blockOwnerDeletion: true }],
    });
  });

  it('is up to date only when the text and our label match', () => {
    const want = desiredConfigMap(greeting({ message: 'Hello' }));
    const same: ConfigMap = { ...want, metadata: { ...want.metadata, labels: { ...want.metadata!.labels, extra: 'kept' } } };
    expect(configMapUpToDate(same, want)).toBe(true);
    expect(configMapUpToDate({ ...want, data: { 'greeting.txt': 'Bye\n' } }, want)).toBe(false);
    expect(configMapUpToDate({ ...want, metadata: { ...want.metadata, labels: {} } }, want)).toBe(false);
  });
});
