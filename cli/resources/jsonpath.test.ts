import { describe, expect, it } from 'vitest';
import { evaluateJsonPath, JsonPathError } from './jsonpath.js';

const list = {
  kind: 'List',
  items: [
    { metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } }, spec: { containers: [{ image: 'nginx' }, { image: 'envoy' }] }, status: { phase: 'Running' } },
    { metadata: { name: 'db', labels: {} }, spec: { containers: [{ image: 'postgres' }] }, status: { phase: 'Pending' } },
  ],
};

describe('evaluateJsonPath', () => {
  it.each([
    ['a field', '{.kind}', 'List'],
    ['an index', '{.items[1].metadata.name}', 'db'],
    ['a wildcard: values space-separated', '{.items[*].metadata.name}', 'web db'],
    ['nested wildcards', '{.items[*].spec.containers[*].image}', 'nginx envoy postgres'],
    ['an escaped dot in a key', '{.items[0].metadata.labels.app\\.kubernetes\\.io/name}', 'web'],
    ['a quoted subscript', "{.items[0].metadata.labels['app.kubernetes.io/name']}", 'web'],
    ['literal text around', 'first={.items[0].metadata.name}!', 'first=web!'],
    ['a missing field prints nothing', '{.items[0].nope}', ''],
    ['an object prints as JSON', '{.items[1].metadata.labels}', '{}'],
    ['range with quoted escapes', '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}', 'web\tRunning\ndb\tPending\n'],
    ['range with plain-text escapes', '{range .items[*]}{.metadata.name}\\n{end}', 'web\ndb\n'],
    ['$ as the root', '{$.items[0].status.phase}', 'Running'],
  ])('%s: %s', (_, template, want) => {
    expect(evaluateJsonPath(template, list)).toBe(want);
  });

  it.each([
    ['a filter', '{.items[?(@.x)]}'],
    ['recursive descent', '{..name}'],
    ['an unclosed brace', '{.items'],
    ['range without end', '{range .items[*]}{.x}'],
    ['end without range', '{end}'],
  ])('rejects %s', (_, template) => {
    expect(() => evaluateJsonPath(template, list)).toThrow(JsonPathError);
  });
});
