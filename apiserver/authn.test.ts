import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, parseTokenFile, TokenFileError } from './authn.js';

describe('parseTokenFile', () => {
  it('reads tokens, users, uids and quoted group lists', () => {
    const tokens = parseTokenFile('# comment\nabc,admin,uid-1,"system:masters,devs"\n\n def , bob , uid-2\nghi,carol,,ops\n');
    expect(tokens.get('abc')).toEqual({ name: 'admin', uid: 'uid-1', groups: ['system:masters', 'devs'] });
    expect(tokens.get('def')).toEqual({ name: 'bob', uid: 'uid-2', groups: [] });
    expect(tokens.get('ghi')).toEqual({ name: 'carol', groups: ['ops'] });
  });

  it.each([
    ['too few fields', 'abc,admin\n', /line 1: want at least/],
    ['empty token', ',admin,uid\n', /line 1: empty token or user/],
    ['unterminated quote', 'ok,a,b\nabc,admin,uid,"x\n', /line 2: unterminated quote/],
  ])('%s', (_name, text, message) => {
    expect(() => parseTokenFile(text)).toThrow(TokenFileError);
    expect(() => parseTokenFile(text)).toThrow(message);
  });
});

describe('createAuthenticator', () => {
  const tokens = parseTokenFile('good,alice,u1,"devs"\n');
  const req = (headers: Record<string, string>, socket: Record<string, unknown> = {}) => ({ headers, socket }) as unknown as IncomingMessage;
  const certSocket = (authorized: boolean, subject: Record<string, unknown>) => ({ authorized, getPeerCertificate: () => ({ subject }) });

  it.each([
    ['a known token', req({ authorization: 'Bearer good' }), { name: 'alice', uid: 'u1', groups: ['devs', 'system:authenticated'] }],
    ['an unknown token', req({ authorization: 'Bearer bad' }), undefined],
    ['no credentials', req({}), undefined],
    ['a verified certificate', req({}, certSocket(true, { CN: 'bob', O: ['a', 'b'] })), { name: 'bob', groups: ['a', 'b', 'system:authenticated'] }],
    ['a certificate with one O', req({}, certSocket(true, { CN: 'bob', O: 'a' })), { name: 'bob', groups: ['a', 'system:authenticated'] }],
    ['an unverified certificate', req({}, certSocket(false, { CN: 'mallory' })), undefined],
    ['a bad token beside a good certificate', req({ authorization: 'Bearer bad' }, certSocket(true, { CN: 'bob' })), undefined],
  ])('%s', (_name, request, want) => {
    expect(createAuthenticator(tokens, true).authenticate(request)).toEqual(want);
  });

  it('ignores certificates when no client CA is configured', () => {
    expect(createAuthenticator(tokens, false).authenticate(req({}, certSocket(true, { CN: 'bob' })))).toBeUndefined();
  });
});
