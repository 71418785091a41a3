import { describe, expect, it } from 'vitest';
import type { LabelSelector, Node, NodeSelectorTerm } from '../api/types.js';
import { labelSelectorMatches, nodeSelectorMatches } from './selectors.js';

describe('labelSelectorMatches', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each<[string, LabelSelector | undefined, boolean]>([
    ['missing selector matches nothing', undefined, false],
    ['empty selector matches everything', {}, true],
    ['matchLabels equal', { matchLabels: { app: 'web' } }, true],
    ['matchLabels differ', { matchLabels: { app: 'db' } }, false],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    ['In without the key', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, false],
    ['NotIn without the key', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    ['NotIn with the value', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, false],
    ['Exists', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    ['unknown operator', { matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, false],
  ])('%s', (_n, sel, want) => {
    expect(labelSelectorMatches(sel, labels)).toBe(want);
  });
});

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
