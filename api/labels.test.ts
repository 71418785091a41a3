import { describe, expect, it } from 'vitest';
import { SelectorError, everything, formatLabels, labelSelectorMatches, labelSelectorToSelector, nothing, parseLabelSelector, selectorFromSet } from './labels.js';

describe('parseLabelSelector', () => {
  const labels = { app: 'web', tier: 'frontend', version: '3' };
  it.each<[string, Record<string, string> | undefined, boolean]>([
    ['', labels, true],
    ['app=web', labels, true],
    ['app==web', labels, true],
    ['app=db', labels, false],
    ['app!=db', labels, true],
    ['app!=web', labels, false],
    ['missing!=x', labels, true],
    ['app in (web,db)', labels, true],
    ['app in (db)', labels, false],
    ['missing in (x)', labels, false],
    ['app notin (db)', labels, true],
    ['app notin (web,db)', labels, false],
    ['missing notin (x)', labels, true],
    ['app', labels, true],
    ['missing', labels, false],
    ['!missing', labels, true],
    ['!app', labels, false],
    ['app=web,tier=frontend', labels, true],
    ['app=web,tier=backend', labels, false],
    [' app = web , tier in ( frontend , x ) ', labels, true],
    ['version>2', labels, true],
    ['version<3', labels, false],
    ['app>1', labels, false],
    ['app=', { app: '' }, true],
    ['app=', labels, false],
    ['app in (x,)', { app: '' }, true],
    // As upstream, `app==` and `app in ()` both mean the empty value.
    ['app==', { app: '' }, true],
    ['app in ()', { app: '' }, true],
    ['app', undefined, false],
    ['!app', undefined, true],
    ['example.com/role=db', { 'example.com/role': 'db' }, true],
  ])('%j matches %j: %s', (text, lbls, expected) => {
    expect(parseLabelSelector(text).matches(lbls)).toBe(expected);
  });

  it.each<[string, string]>([
    ['app=web,', 'end of string'],
    ['app in web', "found 'web'"],
    ['app in (a b)', "found 'b'"],
    ['app in (a', 'end of string'],
    ['app notin', 'end of string'],
    ['=web', "found '='"],
    ['!', 'end of string'],
    ['app web', "found 'web'"],
    ['app=web=x', "found '='"],
    ['App Name=x', "found 'Name'"],
    ['a/b/c=x', 'invalid label key "a/b/c"'],
    ['app=bad value!', "found 'value'"],
    ['app=-x', 'invalid label value "-x"'],
    ['app>x', 'must be an integer'],
    [',', "found ','"],
  ])('rejects %j (%s)', (text, fragment) => {
    expect(() => parseLabelSelector(text)).toThrow(SelectorError);
    expect(() => parseLabelSelector(text)).toThrow(fragment);
  });

  it('prints requirements sorted by key in canonical form', () => {
    expect(parseLabelSelector('z=1,a in (y,x),!b,c,d!=2,e notin (q),f==3').toString()).toBe('a in (x,y),!b,c,d!=2,e notin (q),f==3,z=1');
  });

  it('round-trips through toString', () => {
    const text = 'app=web,env in (a,b),!gone,tier';
    expect(parseLabelSelector(parseLabelSelector(text).toString()).toString()).toBe(parseLabelSelector(text).toString());
  });

  it('reports emptiness', () => {
    expect(parseLabelSelector('').isEmpty()).toBe(true);
    expect(parseLabelSelector('a').isEmpty()).toBe(false);
    expect(parseLabelSelector('a=b').requirements).toEqual([{ key: 'a', operator: 'Equals', values: ['b'] }]);
  });
});

describe('labelSelectorToSelector', () => {
  it('follows upstream: nil selects nothing, empty selects everything', () => {
    expect(labelSelectorToSelector(undefined).matches({ a: 'b' })).toBe(false);
    expect(labelSelectorToSelector(null).matches({})).toBe(false);
    expect(labelSelectorToSelector({}).matches({ a: 'b' })).toBe(true);
    expect(labelSelectorToSelector({ matchLabels: {}, matchExpressions: [] }).isEmpty()).toBe(true);
  });

  it.each<[Parameters<typeof labelSelectorToSelector>[0], Record<string, string>, boolean]>([
    [{ matchLabels: { app: 'web' } }, { app: 'web', x: 'y' }, true],
    [{ matchLabels: { app: 'web' } }, { app: 'db' }, false],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'staging'] }] }, { env: 'prod' }, true],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, { env: 'prod' }, false],
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, {}, true],
    [{ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, { env: '' }, true],
    [{ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, { env: '' }, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'Exists' }] }, { app: 'web' }, false],
  ])('%j matches %j: %s', (ls, lbls, expected) => {
    expect(labelSelectorToSelector(ls).matches(lbls)).toBe(expected);
    expect(labelSelectorMatches(ls, lbls)).toBe(expected);
  });

  it.each<[Parameters<typeof labelSelectorToSelector>[0], string]>([
    [{ matchExpressions: [{ key: 'env', operator: 'Gt', values: ['1'] }] }, '"Gt" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: [] }] }, "values set can't be empty"],
    [{ matchExpressions: [{ key: 'env', operator: 'Exists', values: ['x'] }] }, 'values set must be empty'],
    [{ matchLabels: { 'bad key': 'x' } }, 'invalid label key "bad key"'],
    [{ matchLabels: { ok: 'bad value' } }, 'invalid label value "bad value"'],
  ])('rejects %j', (ls, fragment) => {
    expect(() => labelSelectorToSelector(ls)).toThrow(fragment);
  });

  it('prints the structured form in the string grammar', () => {
    expect(labelSelectorToSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['b', 'a'] }] }).toString()).toBe(
      'app=web,env in (a,b)',
    );
  });
});

describe('helpers', () => {
  it('everything, nothing and sets', () => {
    expect(everything().matches(undefined)).toBe(true);
    expect(nothing().matches({})).toBe(false);
    expect(nothing().isEmpty()).toBe(false);
    expect(selectorFromSet({ b: '2', a: '1' }).toString()).toBe('a=1,b=2');
    expect(selectorFromSet({ a: '1' }).matches({ a: '1', b: '2' })).toBe(true);
    expect(selectorFromSet(undefined).isEmpty()).toBe(true);
  });
  it.each<[Record<string, string> | undefined, string]>([
    [undefined, '<none>'],
    [{}, '<none>'],
    [{ b: '2', a: '1' }, 'a=1,b=2'],
  ])('formatLabels(%j) = %s', (lbls, text) => expect(formatLabels(lbls)).toBe(text));
});
