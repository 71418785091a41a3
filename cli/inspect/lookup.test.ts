import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES } from '../../api/resources.js';
import { editDistance, notFoundMessage } from './lookup.js';

const pods = BUILTIN_RESOURCES.find((t) => t.resource === 'pods')!;
const nodes = BUILTIN_RESOURCES.find((t) => t.resource === 'nodes')!;

describe('notFoundMessage', () => {
  const cases: { name: string; existing: string[]; want: string }[] = [
    { name: 'wbe', existing: ['api', 'web'], want: 'pods "wbe" not found in namespace default; did you mean "web"?' },
    { name: 'web', existing: ['web-7d9f-abcde', 'db'], want: 'pods "web" not found in namespace default; did you mean "web-7d9f-abcde"?' },
    { name: 'zzzzzz', existing: ['api', 'db'], want: 'pods "zzzzzz" not found in namespace default; pods in namespace default: api, db' },
    { name: 'web', existing: [], want: 'pods "web" not found in namespace default; there are no pods in namespace default' },
  ];
  it.each(cases)('$name among $existing', ({ name, existing, want }) => {
    expect(notFoundMessage(pods, 'default', name, existing)).toBe(want);
  });
  it('says no namespace for cluster-scoped kinds', () => {
    expect(notFoundMessage(nodes, undefined, 'node-9', ['node-0'])).toBe('nodes "node-9" not found; did you mean "node-0"?');
  });
  it('editDistance', () => {
    expect(editDistance('wbe', 'web')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
