import { describe, expect, it } from 'vitest';
import { BUILTIN_RESOURCES, type ResourceType } from './resources.js';
import { FieldSelectorError, escapeFieldValue, fieldSelectorFromSet, fieldsOf, parseFieldSelector, selectableFields, unsupportedFields } from './fields.js';
import type { KubeObject } from './types.js';

const type = (kind: string): ResourceType => BUILTIN_RESOURCES.find((t) => t.kind === kind)!;
/** A manifest fragment as the generic object the API handles. */
const obj = (o: object): KubeObject => o as KubeObject;

describe('parseFieldSelector', () => {
  const fields = { 'metadata.name': 'web', 'spec.nodeName': 'n1', 'status.phase': 'Running', weird: 'a,b=c\\d' };
  it.each<[string, boolean]>([
    ['', true],
    ['metadata.name=web', true],
    ['metadata.name==web', true],
    ['metadata.name!=web', false],
    ['spec.nodeName=n1,status.phase!=Failed', true],
    ['spec.nodeName=n2,status.phase=Running', false],
    ['spec.nodeName=', false],
    ['missing=', true],
    ['missing!=x', true],
    ['constructor=', true],
    ['__proto__!=', false],
    ['weird=a\\,b\\=c\\\\d', true],
  ])('%j matches: %s', (text, expected) => {
    expect(parseFieldSelector(text).matches(fields)).toBe(expected);
  });

  it('keeps requirements in order', () => {
    expect(parseFieldSelector('a=1,b!=2,c==3').requirements).toEqual([
      { field: 'a', operator: 'Equals', value: '1' },
      { field: 'b', operator: 'NotEquals', value: '2' },
      { field: 'c', operator: 'DoubleEquals', value: '3' },
    ]);
  });

  it.each<[string, string]>([
    ['nodeName', "can't understand 'nodeName'"],
    ['a=b=c', "unescaped '='"],
    ['a=b\\x', 'invalid escape sequence'],
    ['=x', 'missing field name'],
    ['a=1,,b=2', "can't understand ''"],
  ])('rejects %j', (text, fragment) => {
    expect(() => parseFieldSelector(text)).toThrow(FieldSelectorError);
    expect(() => parseFieldSelector(text)).toThrow(fragment);
  });

  it('escapes and prints', () => {
    expect(escapeFieldValue('a,b=c\\')).toBe('a\\,b\\=c\\\\');
    const sel = fieldSelectorFromSet({ 'involvedObject.name': 'x,y' });
    expect(parseFieldSelector(sel.toString()).matches({ 'involvedObject.name': 'x,y' })).toBe(true);
    expect(sel.requiredValue('involvedObject.name')).toBe('x,y');
    expect(parseFieldSelector('a!=1').requiredValue('a')).toBeUndefined();
  });
});

describe('fieldsOf', () => {
  const cases: [string, KubeObject, Record<string, string>][] = [
    [
      'Pod',
      obj({ metadata: { name: 'p', namespace: 'ns' }, spec: { nodeName: 'n1', restartPolicy: 'Always', containers: [] }, status: { phase: 'Running', podIP: '10.244.0.5' } }),
      {
        'metadata.name': 'p', 'metadata.namespace': 'ns', 'spec.nodeName': 'n1', 'spec.restartPolicy': 'Always', 'spec.schedulerName': '',
        'spec.serviceAccountName': '', 'spec.hostNetwork': 'false', 'status.phase': 'Running', 'status.podIP': '10.244.0.5', 'status.nominatedNodeName': '',
      },
    ],
    ['Node', obj({ metadata: { name: 'n1' }, spec: { unschedulable: true } }), { 'metadata.name': 'n1', 'spec.unschedulable': 'true' }],
    ['Node', obj({ metadata: { name: 'n1' } }), { 'metadata.name': 'n1', 'spec.unschedulable': 'false' }],
    ['Secret', obj({ metadata: { name: 's', namespace: 'd' }, type: 'Opaque' }), { 'metadata.name': 's', 'metadata.namespace': 'd', type: 'Opaque' }],
    ['Namespace', obj({ metadata: { name: 'd' }, status: { phase: 'Active' } }), { 'metadata.name': 'd', 'status.phase': 'Active' }],
    ['ReplicaSet', obj({ metadata: { name: 'r', namespace: 'd' }, status: { replicas: 3 } }), { 'metadata.name': 'r', 'metadata.namespace': 'd', 'status.replicas': '3' }],
    ['ReplicaSet', obj({ metadata: { name: 'r', namespace: 'd' } }), { 'metadata.name': 'r', 'metadata.namespace': 'd', 'status.replicas': '0' }],
    ['Job', obj({ metadata: { name: 'j', namespace: 'd' }, status: { succeeded: 2 } }), { 'metadata.name': 'j', 'metadata.namespace': 'd', 'status.successful': '2' }],
    ['ConfigMap', obj({ metadata: { name: 'c', namespace: 'd' } }), { 'metadata.name': 'c', 'metadata.namespace': 'd' }],
  ];
  it.each(cases)('%s', (kind, obj, expected) => {
    expect(fieldsOf(type(kind), obj)).toEqual(expected);
  });

  it('gives events their involved object, source component and type', () => {
    const ev = obj({
      metadata: { name: 'e', namespace: 'd' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'd', uid: 'u1', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{c}' },
      reason: 'Pulled',
      source: { component: 'kubelet' },
      reportingComponent: 'kubelet',
      type: 'Normal',
    });
    const f = fieldsOf(type('Event'), ev);
    expect(f).toMatchObject({
      'involvedObject.kind': 'Pod', 'involvedObject.name': 'web', 'involvedObject.uid': 'u1', 'involvedObject.fieldPath': 'spec.containers{c}',
      'involvedObject.resourceVersion': '7', reason: 'Pulled', source: 'kubelet', reportingComponent: 'kubelet', type: 'Normal',
    });
    expect(parseFieldSelector('involvedObject.name=web,type!=Warning').matches(f)).toBe(true);
  });
});

describe('unsupportedFields', () => {
  it.each<[string, string, string[]]>([
    ['Pod', 'spec.nodeName=n1,status.phase=Running', []],
    ['Pod', 'spec.nodeName=n1,spec.foo=x', ['spec.foo']],
    ['Node', 'metadata.namespace=x', ['metadata.namespace']],
    ['Node', 'spec.unschedulable=false', []],
    ['ConfigMap', 'data.x=1,data.x=2', ['data.x']],
    ['Secret', 'type=Opaque', []],
    ['Event', 'involvedObject.kind=Pod,source=kubelet', []],
  ])('%s %j → %j', (kind, text, expected) => {
    expect(unsupportedFields(type(kind), parseFieldSelector(text))).toEqual(expected);
  });

  it('every kind supports metadata.name', () => {
    for (const t of BUILTIN_RESOURCES) expect(selectableFields(t)).toContain('metadata.name');
  });
});
