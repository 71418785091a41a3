// Certificates for a skiff cluster: a CA, serving certificates (SANs: IPs and DNS names) and
// client certificates (CN = user, O = groups), as PEM. Keys are ECDSA P-256: small, fast to
// make, and accepted by Node's TLS, Go's crypto/tls (kubectl) and etcd alike.
// `loadOrCreate*` keep files in a directory so a restarted process presents the same identity.

import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const KEY_ALGORITHM: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING_ALGORITHM: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 24 * 3600 * 1000;

/** A certificate and its private key, both PEM. */
export interface KeyPair {
  certPem: string;
  keyPem: string;
}

export interface ServingCertOptions {
  commonName: string;
  /** IP addresses and DNS names the certificate is valid for. */
  hosts: string[];
  validDays?: number;
}

export interface ClientCertOptions {
  user: string;
  groups?: string[];
  validDays?: number;
}

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function keyToPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function keyFromPem(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return (await webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, true, ['sign'])) as CryptoKey;
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  // Backdated an hour so clocks slightly behind still accept a fresh certificate.
  const now = Date.now();
  return { notBefore: new Date(now - 3600 * 1000), notAfter: new Date(now + days * DAY_MS) };
}

function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] &= 0x7f; // positive
  return Buffer.from(bytes).toString('hex');
}

/** Makes a self-signed CA valid for ten years (or `validDays`). */
export async function createCA(commonName: string, validDays = 3650): Promise<KeyPair> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: [{ CN: [commonName] }],
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    ...validity(validDays),
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyToPem(keys.privateKey) };
}

async function issue(
  ca: KeyPair,
  subject: x509.JsonName,
  usage: x509.ExtendedKeyUsage[],
  validDays: number,
  sans: x509.JsonGeneralNames = [],
): Promise<KeyPair> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await keyFromPem(ca.keyPem);
  const keys = await newKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension(usage),
    await x509.AuthorityKeyIdentifierExtension.create(caCert),
  ];
  if (sans.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(sans));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: caCert.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    ...validity(validDays),
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await keyToPem(keys.privateKey) };
}

/** A TLS server certificate for `hosts` (each an IP address or a DNS name). */
export async function issueServingCert(ca: KeyPair, opts: ServingCertOptions): Promise<KeyPair> {
  const sans: x509.JsonGeneralNames = opts.hosts.map((h) => ({ type: isIP(h) ? 'ip' : 'dns', value: h }));
  return issue(ca, [{ CN: [opts.commonName] }], [x509.ExtendedKeyUsage.serverAuth], opts.validDays ?? 365, sans);
}

/** A TLS client certificate: the API server reads the user from CN and the groups from O. */
export async function issueClientCert(ca: KeyPair, opts: ClientCertOptions): Promise<KeyPair> {
  const subject: x509.JsonName = [{ CN: [opts.user] }];
  for (const g of opts.groups ?? []) subject.push({ O: [g] });
  return issue(ca, subject, [x509.ExtendedKeyUsage.clientAuth], opts.validDays ?? 365);
}

/** The subject's CN and O values of a PEM certificate. */
export function certificateSubject(certPem: string): { commonName: string; organizations: string[] } {
  const cert = new x509.X509Certificate(certPem);
  return {
    commonName: cert.subjectName.getField('CN')[0] ?? '',
    organizations: cert.subjectName.getField('O'),
  };
}

/** The IP and DNS names a certificate is valid for. */
export function certificateHosts(certPem: string): string[] {
  const cert = new x509.X509Certificate(certPem);
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  return ext ? ext.names.items.map((n) => n.value) : [];
}

function readPair(dir: string, base: string): KeyPair | undefined {
  const certFile = join(dir, `${base}.crt`);
  const keyFile = join(dir, `${base}.key`);
  if (!existsSync(certFile) || !existsSync(keyFile)) return undefined;
  return { certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
}

/** Writes `base.crt` and `base.key` (0600) into `dir`; returns their paths. */
export function writePair(dir: string, base: string, pair: KeyPair): { certFile: string; keyFile: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certFile = join(dir, `${base}.crt`);
  const keyFile = join(dir, `${base}.key`);
  writeFileSync(certFile, pair.certPem, { mode: 0o644 });
  writeFileSync(keyFile, pair.keyPem, { mode: 0o600 });
  return { certFile, keyFile };
}

/** The CA kept in `dir` as `base.crt`/`base.key`, made on first use. */
export async function loadOrCreateCA(dir: string, base = 'ca', commonName = 'skiff-ca'): Promise<KeyPair> {
  const existing = readPair(dir, base);
  if (existing) return existing;
  const ca = await createCA(commonName);
  writePair(dir, base, ca);
  return ca;
}

/**
 * The serving certificate kept in `dir`, reissued when it is missing, expired or does not
 * cover every requested host (say the advertise address changed).
 */
export async function loadOrCreateServingCert(dir: string, base: string, ca: KeyPair, opts: ServingCertOptions): Promise<KeyPair> {
  const existing = readPair(dir, base);
  if (existing && stillCovers(existing.certPem, opts.hosts)) return existing;
  const pair = await issueServingCert(ca, opts);
  writePair(dir, base, pair);
  return pair;
}

function stillCovers(certPem: string, hosts: string[]): boolean {
  const cert = new x509.X509Certificate(certPem);
  if (cert.notAfter.getTime() < Date.now() + DAY_MS) return false;
  const have = new Set(certificateHosts(certPem));
  return hosts.every((h) => have.has(h));
}
