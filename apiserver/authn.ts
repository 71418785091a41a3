// Authentication: who is calling. A client certificate verified against the client CA
// (CN = user, O = groups) or a bearer token from the static token file. Anything else is
// anonymous, which only the health and version endpoints accept.

import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { UserInfo } from './context.js';

export class TokenFileError extends Error {}

/**
 * Parses kube-apiserver's static token file: `token,user,uid,"group1,group2"` per line
 * (groups optional; blank lines and `#` comments skipped).
 */
export function parseTokenFile(text: string): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const fields = splitCsvLine(line, i + 1);
    if (fields.length < 3) throw new TokenFileError(`token file line ${i + 1}: want at least token,user,uid`);
    const [token, name, uid, groups] = fields;
    if (!token || !name) throw new TokenFileError(`token file line ${i + 1}: empty token or user`);
    const user: UserInfo = { name, groups: groups ? groups.split(',').map((g) => g.trim()).filter((g) => g !== '') : [] };
    if (uid) user.uid = uid;
    tokens.set(token, user);
  });
  return tokens;
}

function splitCsvLine(line: string, lineNo: number): string[] {
  const fields: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(cur);
      cur = '';
    } else cur += c;
  }
  if (quoted) throw new TokenFileError(`token file line ${lineNo}: unterminated quote`);
  fields.push(cur.trim());
  return fields.map((f) => f.trim());
}

export interface Authenticator {
  authenticate(req: IncomingMessage): UserInfo | undefined;
}

/** Bearer tokens first (kubectl sends one or the other), then a verified client certificate. */
export function createAuthenticator(tokens: Map<string, UserInfo>, clientCertsTrusted: boolean): Authenticator {
  return {
    authenticate(req) {
      const header = req.headers.authorization;
      if (header?.startsWith('Bearer ')) {
        const user = tokens.get(header.slice('Bearer '.length).trim());
        if (user) return { ...user, groups: withAuthenticated(user.groups) };
        return undefined;
      }
      if (!clientCertsTrusted) return undefined;
      const socket = req.socket as TLSSocket;
      if (!socket.authorized) return undefined;
      const cert = socket.getPeerCertificate();
      const cn = cert.subject?.CN;
      if (!cn) return undefined;
      const org = cert.subject.O as string | string[] | undefined;
      const groups = org === undefined ? [] : Array.isArray(org) ? org : [org];
      return { name: Array.isArray(cn) ? String(cn[0]) : cn, groups: withAuthenticated(groups) };
    },
  };
}

function withAuthenticated(groups: string[]): string[] {
  return groups.includes('system:authenticated') ? groups : [...groups, 'system:authenticated'];
}
