import { describe, expect, it } from 'vitest';
import type { Node, NodeSelectorTerm } from './types.js';
import { nodeSelectorMatches } from './node-affinity.js';

describe('nodeSelectorMatches', () => {
  const node: Node = { metadata: { name: 'n1', labels: { disk: 'ssd', cores: '8' } } };
  it.each<[string, NodeSelectorTerm[], boolean]>([
    ['no terms', [], false],
    ['empty term matches nothing', [{}], false],
    ['In', [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }], true],
    ['NotIn', [{ matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['ssd'] }] }], false],
    ['Exists', [{ matchExpressions: [{ key: 'disk', operator: 'Exists' }] }], true],
    ['DoesNotExist', [{ matchExpressions: [{ key: 'gpu', operator: 'DoesNotExist' }] }], true],
    ['Gt true', [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }], true],
    ['Gt false', [{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['8'] }] }], false],
    ['Lt true', [{ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['16'] }] }], true],
    ['Gt non-integer', [{ matchExpressions: [{ key: 'disk', operator: 'Gt', values: ['1'] }] }], false],
    ['terms are ORed', [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }], true],
    ['expressions are ANDed', [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }, { key: 'gpu', operator: 'Exists' }] }], false],
    ['matchFields name NotIn', [{ matchFields: [{ key: 'metadata.name', operator: 'NotIn', values: ['n1'] }] }], false],
    ['matchFields other field', [{ matchFields: [{ key: 'metadata.uid', operator: 'Exists' }] }], false],
  ])('%s', (_n, terms, want) => {
    expect(nodeSelectorMatches(terms, node)).toBe(want);
  });
});
