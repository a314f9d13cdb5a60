/**
 * The receiver's TLS certificate: generated on first use for the names a simulator, an emulator and this
 * machine reach the receiver by, kept under the user's config directory and reused; or the user's own
 * (`--cert/--key`, e.g. from mkcert). Built with node-forge; the key pair comes from node:crypto.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Loopback by name and address (v4, v6), and the Android emulator's alias for the host. */
export const CERT_DNS = ['localhost'];
export const CERT_IPS = ['127.0.0.1', '::1', '10.0.2.2'];
/** Apple's limit for TLS server certificates (longer ones are refused even when trusted). */
const VALID_DAYS = 825;
/** Replace a generated certificate this close to expiry. */
const RENEW_MS = 7 * 24 * 3600 * 1000;

export interface TlsMaterial {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
  /** `AB:CD:…`, as browsers and `openssl x509 -fingerprint -sha256` show it. */
  fingerprint256: string;
  validTo: string;
  /** DNS:…, IP Address:… */
  names: string;
  /** Made just now (false: reused, or the user's own). */
  generated: boolean;
}

export class CertError extends Error {
  override name = 'CertError';
}

/** `$XDG_CONFIG_HOME`, else `%APPDATA%` on Windows, else `~/.config`. */
export function configHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CONFIG_HOME) return env.XDG_CONFIG_HOME;
  if (process.platform === 'win32' && env.APPDATA) return env.APPDATA;
  return join(homedir(), '.config');
}

/** Where the generated certificate lives. */
export function certDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(configHome(env), 'dataplan', 'tls');
}

function read(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new CertError(`cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

/** Parse and pair-check a certificate and key; throws CertError naming the file. */
function inspect(cert: string, key: string, certFile: string, keyFile: string): { x509: X509Certificate } {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (err) {
    throw new CertError(`${certFile} is not a PEM certificate: ${(err as Error).message}`);
  }
  let pk;
  try {
    pk = createPrivateKey(key);
  } catch (err) {
    throw new CertError(`${keyFile} is not a PEM private key: ${(err as Error).message}`);
  }
  if (!x509.checkPrivateKey(pk)) throw new CertError(`${keyFile} is not the private key of ${certFile}`);
  return { x509 };
}

function material(cert: string, key: string, certFile: string, keyFile: string, x509: X509Certificate, generated: boolean): TlsMaterial {
  return { cert, key, certFile, keyFile, fingerprint256: x509.fingerprint256, validTo: new Date(x509.validTo).toISOString(), names: x509.subjectAltName ?? '', generated };
}

/** Does a generated certificate still serve: not expiring soon, and covering every name we promise? */
function stillGood(x509: X509Certificate, now: number): boolean {
  if (Date.parse(x509.validTo) - now < RENEW_MS || Date.parse(x509.validFrom) > now + 60_000) return false;
  const san = x509.subjectAltName ?? '';
  return CERT_DNS.every((d) => san.includes(`DNS:${d}`)) && ['127.0.0.1', '10.0.2.2'].every((ip) => san.includes(`IP Address:${ip}`));
}

/** A self-signed certificate (a CA, so iOS and Android let a user trust it) for the loopback names. */
async function generate(): Promise<{ cert: string; key: string }> {
  const { default: forge } = await import('node-forge');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  const c = forge.pki.createCertificate();
  c.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string);
  // Positive serial: a leading 0x01..0x7f byte.
  c.serialNumber = (0x10 + (randomBytes(1)[0] & 0x6f)).toString(16) + randomBytes(15).toString('hex');
  c.validity.notBefore = new Date(Date.now() - 60_000);
  c.validity.notAfter = new Date(Date.now() + VALID_DAYS * 24 * 3600 * 1000);
  const subject = [{ name: 'commonName', value: 'dataplan stream (localhost)' }, { name: 'organizationName', value: 'dataplan local receiver' }];
  c.setSubject(subject);
  c.setIssuer(subject);
  c.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: [...CERT_DNS.map((value) => ({ type: 2, value })), ...CERT_IPS.map((ip) => ({ type: 7, ip }))] },
    { name: 'subjectKeyIdentifier' },
  ]);
  c.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(c), key: keyPem };
}

function writeAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
  chmodSync(file, mode);
}

export interface CertOptions {
  certFile?: string;
  keyFile?: string;
  /** Where a generated certificate is kept (default `certDir()`). */
  dir?: string;
}

/**
 * The user's certificate and key when given (both, or neither); else the one kept in `dir`, made there
 * on first use and made again when it nears expiry or is unreadable.
 */
export async function loadCert(o: CertOptions = {}): Promise<TlsMaterial> {
  if (o.certFile !== undefined || o.keyFile !== undefined) {
    if (o.certFile === undefined || o.keyFile === undefined) throw new CertError(`--cert and --key go together: pass both (got only ${o.certFile !== undefined ? '--cert' : '--key'})`);
    const cert = read(o.certFile, 'certificate');
    const key = read(o.keyFile, 'private key');
    const { x509 } = inspect(cert, key, o.certFile, o.keyFile);
    return material(cert, key, o.certFile, o.keyFile, x509, false);
  }
  const dir = o.dir ?? certDir();
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    try {
      const cert = readFileSync(certFile, 'utf8');
      const key = readFileSync(keyFile, 'utf8');
      const { x509 } = inspect(cert, key, certFile, keyFile);
      if (stillGood(x509, Date.now())) return material(cert, key, certFile, keyFile, x509, false);
    } catch {
      // Unreadable or mismatched: make a new pair below.
    }
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new CertError(`cannot create ${dir} for the receiver's certificate: ${(err as Error).message} (set XDG_CONFIG_HOME, or pass --cert and --key)`);
  }
  const { cert, key } = await generate();
  try {
    writeAtomic(keyFile, key, 0o600);
    writeAtomic(certFile, cert, 0o644);
  } catch (err) {
    throw new CertError(`cannot write the receiver's certificate to ${dir}: ${(err as Error).message} (set XDG_CONFIG_HOME, or pass --cert and --key)`);
  }
  return material(cert, key, certFile, keyFile, new X509Certificate(cert), true);
}
