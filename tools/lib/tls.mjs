// The local certificate authority of LAN mode: created once in the data folder, then it signs a
// short-lived server certificate for the names and addresses the system is reached at. Trusting
// the CA once on a phone or PC makes every later server certificate trusted, so browsers treat
// the origin as secure (camera and microphone work) without a public domain or internet access.
import 'reflect-metadata'; // @peculiar/x509's dependency injection needs the polyfill
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(crypto.webcrypto);
const { subtle } = crypto.webcrypto;
const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY = 86_400_000;
/** Apple devices refuse server certificates valid for longer than 825 days; browsers, 398. */
const SERVER_DAYS = 397;
const CA_YEARS = 10;
/** A server certificate closer than this to its end is renewed at start. */
const RENEW_BEFORE_DAYS = 30;

const serial = () =>
  crypto
    .randomBytes(16)
    .toString('hex')
    .replace(/^[89a-f]/, '1');
const write = (file, text) => fs.writeFileSync(file, text, { mode: 0o600 });

function keyPem(der) {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN PRIVATE KEY-----\n${b64.match(/.{1,64}/g).join('\n')}\n-----END PRIVATE KEY-----\n`;
}

async function importSigningKey(pem) {
  const der = crypto.createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  return subtle.importKey('pkcs8', der, ALG, false, ['sign']);
}

/** base64(SHA-256(SubjectPublicKeyInfo)) of a PEM certificate: Chromium's SPKI pin format. */
export function spkiHash(certPem) {
  const spki = new crypto.X509Certificate(certPem).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  return crypto.createHash('sha256').update(spki).digest('base64');
}

/** The CA in `dir` (ca.crt / ca.key), created on first use and kept afterwards. */
export async function ensureLocalCa(dir, label = 'Cau Noi') {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certFile = path.join(dir, 'ca.crt');
  const keyFile = path.join(dir, 'ca.key');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile))
    return { certFile, keyFile, created: false };
  const keys = await subtle.generateKey(ALG, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${label} local CA, O=${label}`,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + CA_YEARS * 365 * DAY),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  write(keyFile, keyPem(await subtle.exportKey('pkcs8', keys.privateKey)));
  write(certFile, cert.toString('pem') + '\n');
  return { certFile, keyFile, created: true };
}

/** Does this server certificate still serve: issued by the CA, every name in it, not ending soon. */
function stillGood(certPem, caPem, names) {
  const cert = new crypto.X509Certificate(certPem);
  if (!cert.checkIssued(new crypto.X509Certificate(caPem))) return false;
  if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_DAYS * DAY) return false;
  return names.every((n) => (isIp(n) ? cert.checkIP(n) : cert.checkHost(n)) !== undefined);
}

const isIp = (n) => /^[\d.]+$/.test(n) || n.includes(':');

/**
 * The server certificate (server.crt = leaf + CA chain, server.key) for `names` (DNS names and
 * IP addresses), signed by the CA; reused while it covers them all and is not near its end.
 */
export async function ensureServerCertificate(dir, ca, names) {
  const certFile = path.join(dir, 'server.crt');
  const keyFile = path.join(dir, 'server.key');
  const caPem = fs.readFileSync(ca.certFile, 'utf8');
  if (
    fs.existsSync(certFile) &&
    fs.existsSync(keyFile) &&
    stillGood(fs.readFileSync(certFile, 'utf8'), caPem, names)
  )
    return { certFile, keyFile, issued: false };
  const caCert = new x509.X509Certificate(caPem);
  const keys = await subtle.generateKey(ALG, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${names[0]}`,
    issuer: caCert.subject,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + SERVER_DAYS * DAY),
    publicKey: keys.publicKey,
    signingKey: await importSigningKey(fs.readFileSync(ca.keyFile, 'utf8')),
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(
        names.map((n) => ({ type: isIp(n) ? 'ip' : 'dns', value: n })),
        false,
      ),
      await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  write(keyFile, keyPem(await subtle.exportKey('pkcs8', keys.privateKey)));
  write(certFile, `${cert.toString('pem')}\n${caPem.trim()}\n`);
  return { certFile, keyFile, issued: true };
}
