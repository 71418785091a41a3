import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateHosts, certificateSubject, createCA, issueClientCert, issueServingCert, loadOrCreateCA, loadOrCreateServingCert } from './pki.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('pki', () => {
  it('issues serving certificates signed by the CA, valid for each host', async () => {
    const ca = await createCA('test-ca');
    const serving = await issueServingCert(ca, { commonName: 'apiserver', hosts: ['127.0.0.1', 'localhost', '10.96.0.1'] });
    const cert = new X509Certificate(serving.certPem);
    const caCert = new X509Certificate(ca.certPem);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('10.96.0.1')).toBe('10.96.0.1');
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkHost('example.com')).toBeUndefined();
    expect(certificateHosts(serving.certPem).sort()).toEqual(['10.96.0.1', '127.0.0.1', 'localhost']);
    expect(createPrivateKey(serving.keyPem).asymmetricKeyType).toBe('ec');
  });

  it.each([
    { user: 'admin', groups: ['system:masters'] },
    { user: 'system:node:node-1', groups: ['system:nodes', 'extra'] },
    { user: 'nobody', groups: [] },
  ])('client certificate for $user carries the user in CN and groups in O', async ({ user, groups }) => {
    const ca = await createCA('test-ca');
    const client = await issueClientCert(ca, { user, groups });
    expect(certificateSubject(client.certPem)).toEqual({ commonName: user, organizations: groups });
    expect(new X509Certificate(client.certPem).verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
  });

  it('reuses what a directory holds and reissues a serving cert missing a host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'skiff-pki-'));
    dirs.push(dir);
    const ca1 = await loadOrCreateCA(dir);
    const ca2 = await loadOrCreateCA(dir);
    expect(ca2).toEqual(ca1);
    const s1 = await loadOrCreateServingCert(dir, 'apiserver', ca1, { commonName: 'a', hosts: ['127.0.0.1'] });
    const s2 = await loadOrCreateServingCert(dir, 'apiserver', ca1, { commonName: 'a', hosts: ['127.0.0.1'] });
    expect(s2).toEqual(s1);
    const s3 = await loadOrCreateServingCert(dir, 'apiserver', ca1, { commonName: 'a', hosts: ['127.0.0.1', '10.200.0.1'] });
    expect(s3.certPem).not.toEqual(s1.certPem);
    expect(certificateHosts(s3.certPem)).toContain('10.200.0.1');
  });
});
