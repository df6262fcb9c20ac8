/**
 * The node certificate authority (INTERFACE.md §6): client certificates for
 * registered nodes (subject CN = node id), the ingest gateway's own server
 * certificate, revocation and the look-up the gateway makes for every TLS
 * client. Keys are generated on this machine by Debian's `openssl` (ECDSA
 * P-256, which rsyslog's GnuTLS and OpenSSL drivers both accept) and never
 * leave it except as the files handed to the node's operator.
 *
 * The CA's key and certificate live in NODE_CA_DIR (ca.key mode 0600,
 * ca.crt); a node's certificate and key are written to
 * NODE_CA_DIR/nodes/<nodeId>/<serial>.{crt,key}. Every issued certificate is
 * recorded (serial, fingerprint, expiry) so the gateway accepts only
 * certificates this CA issued, that are recorded, unrevoked, unexpired and
 * whose CN is still a registered node.
 */
import { execFileSync } from "node:child_process";
import { randomBytes, X509Certificate } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { config } from "../../lib/config";
import { db } from "../../lib/db";
import { AuthError } from "../../lib/auth/principal";
import type { Scope } from "../../lib/auth/scope";

export interface CaPaths {
  dir: string;
  key: string;
  cert: string;
}

export function caPaths(dir = config().NODE_CA_DIR): CaPaths {
  return { dir, key: path.join(dir, "ca.key"), cert: path.join(dir, "ca.crt") };
}

function openssl(args: string[], input?: string): string {
  return execFileSync("openssl", args, { input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

/** Creates the CA (once) and returns where it is. */
export function ensureCa(dir = config().NODE_CA_DIR): CaPaths {
  const p = caPaths(dir);
  if (fs.existsSync(p.key) && fs.existsSync(p.cert)) return p;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  openssl([
    "req",
    "-x509",
    ...EC_KEY,
    "-keyout",
    p.key,
    "-out",
    p.cert,
    "-days",
    "3650",
    "-subj",
    "/O=Juki-net Watch/CN=Juki-net Watch node CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  fs.chmodSync(p.key, 0o600);
  return p;
}

/** Signs a new key for `subject` with the CA; returns the PEM certificate and key. */
function signNew(ca: CaPaths, subject: string, days: number, extensions: string): { cert: string; key: string } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "jukinet-cert-"));
  try {
    const key = path.join(work, "key.pem");
    const csr = path.join(work, "req.csr");
    const ext = path.join(work, "ext.cnf");
    const crt = path.join(work, "cert.pem");
    openssl(["req", "-new", ...EC_KEY, "-keyout", key, "-out", csr, "-subj", subject]);
    fs.writeFileSync(ext, extensions);
    openssl([
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      ca.cert,
      "-CAkey",
      ca.key,
      "-set_serial",
      `0x${(randomBytes(16)[0] & 0x7f).toString(16)}${randomBytes(15).toString("hex")}`,
      "-days",
      String(days),
      "-sha256",
      "-extfile",
      ext,
      "-out",
      crt,
    ]);
    return { cert: fs.readFileSync(crt, "utf8"), key: fs.readFileSync(key, "utf8") };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export interface IssuedCertificate {
  nodeId: string;
  serial: string;
  fingerprint: string;
  notAfter: Date;
  certFile: string;
  keyFile: string;
  caFile: string;
}

/** Subject CN: node ids are registry ids (letters, digits, dashes); anything else cannot be put in a subject safely. */
const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export async function issueNodeCertificate(nodeId: string, scope: Scope, options: { days?: number; dir?: string } = {}): Promise<IssuedCertificate> {
  const node = await db().node.findFirst({ where: { id: nodeId, ...scope.where() } });
  if (!node) {
    if (await db().node.findUnique({ where: { id: nodeId }, select: { id: true } }))
      throw new AuthError(403, `node "${nodeId}" belongs to an organisation outside your scope`);
    throw new Error(`unknown node "${nodeId}": import it with npm run registry:import first`);
  }
  if (!NODE_ID.test(nodeId)) throw new Error(`node id "${nodeId}" cannot be a certificate subject (letters, digits, . _ - only)`);
  const ca = ensureCa(options.dir);
  const { cert, key } = signNew(
    ca,
    `/O=Juki-net Watch/OU=${node.type}/CN=${nodeId}`,
    options.days ?? config().NODE_CERT_DAYS,
    "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n",
  );
  const x = new X509Certificate(cert);
  const outDir = path.join(ca.dir, "nodes", nodeId);
  fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });
  const certFile = path.join(outDir, `${x.serialNumber}.crt`);
  const keyFile = path.join(outDir, `${x.serialNumber}.key`);
  fs.writeFileSync(certFile, cert);
  fs.writeFileSync(keyFile, key, { mode: 0o600 });
  const notAfter = new Date(x.validTo);
  await db().nodeCertificate.create({ data: { serial: x.serialNumber, nodeId, fingerprint: x.fingerprint256, notAfter } });
  return { nodeId, serial: x.serialNumber, fingerprint: x.fingerprint256, notAfter, certFile, keyFile, caFile: ca.cert };
}

/** The gateway's server certificate (serverAuth, the names as subjectAltName), issued by the same CA when none is configured. */
export function ensureServerCertificate(names: string[], dir = config().NODE_CA_DIR): { cert: string; key: string; ca: string } {
  const ca = ensureCa(dir);
  const certFile = path.join(dir, "gateway.crt");
  const keyFile = path.join(dir, "gateway.key");
  const wanted = [...new Set(names.map((n) => n.trim()).filter(Boolean))];
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    const x = new X509Certificate(fs.readFileSync(certFile));
    const has = x.subjectAltName ?? "";
    const covers = wanted.every((n) => has.includes(`DNS:${n}`) || has.includes(`IP Address:${n}`));
    if (covers && Date.parse(x.validTo) > Date.now() + 7 * 86_400_000)
      return { cert: fs.readFileSync(certFile, "utf8"), key: fs.readFileSync(keyFile, "utf8"), ca: ca.cert };
  }
  const san = wanted.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(",");
  const { cert, key } = signNew(
    ca,
    `/O=Juki-net Watch/CN=${wanted[0] ?? "localhost"}`,
    825,
    `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
  );
  fs.writeFileSync(certFile, cert);
  fs.writeFileSync(keyFile, key, { mode: 0o600 });
  return { cert, key, ca: ca.cert };
}

/** Revokes a certificate by serial (or every certificate of a node when given a node id). */
export async function revokeNodeCertificate(serialOrNode: string, scope: Scope): Promise<{ revoked: string[] }> {
  const rows = await db().nodeCertificate.findMany({
    where: { OR: [{ serial: serialOrNode.toUpperCase() }, { nodeId: serialOrNode }], revokedAt: null },
    include: { node: { select: { organizationId: true } } },
  });
  if (rows.some((r) => !scope.includes(r.node.organizationId))) throw new AuthError(403, `certificate "${serialOrNode}" belongs to a node outside your scope`);
  if (!rows.length) throw new Error(`no active certificate "${serialOrNode}"`);
  await db().nodeCertificate.updateMany({ where: { serial: { in: rows.map((r) => r.serial) } }, data: { revokedAt: new Date() } });
  return { revoked: rows.map((r) => r.serial) };
}

export async function listNodeCertificates(nodeId: string | undefined, scope: Scope) {
  return db().nodeCertificate.findMany({
    where: { ...(nodeId ? { nodeId } : {}), node: scope.where<"organizationId">() },
    select: { serial: true, nodeId: true, fingerprint: true, notAfter: true, createdAt: true, revokedAt: true },
    orderBy: [{ nodeId: "asc" }, { createdAt: "asc" }],
  });
}

export type CertificateCheck = { ok: true; node: { id: string; type: string; organizationId: string } } | { ok: false; nodeId?: string; reason: string };

/**
 * The gateway's decision on a client certificate that OpenSSL already
 * verified against the CA (signature, validity period): it must also be one
 * this CA recorded, not revoked, not past its recorded expiry, and its CN a
 * registered node.
 */
export async function checkClientCertificate(peer: {
  serialNumber?: string;
  fingerprint256?: string;
  subject?: { CN?: string | string[] };
}): Promise<CertificateCheck> {
  const cn = Array.isArray(peer.subject?.CN) ? peer.subject.CN[0] : peer.subject?.CN;
  if (!peer.serialNumber || !cn) return { ok: false, reason: "no client certificate" };
  const row = await db().nodeCertificate.findUnique({ where: { serial: peer.serialNumber.toUpperCase() }, include: { node: true } });
  if (!row || row.fingerprint !== peer.fingerprint256)
    return { ok: false, nodeId: row?.nodeId, reason: `certificate ${peer.serialNumber} (CN ${cn}) was not issued by this console` };
  if (row.revokedAt)
    return { ok: false, nodeId: row.nodeId, reason: `certificate ${row.serial} of node ${row.nodeId} is revoked (${row.revokedAt.toISOString()})` };
  if (row.notAfter.getTime() < Date.now()) return { ok: false, nodeId: row.nodeId, reason: `certificate ${row.serial} of node ${row.nodeId} expired` };
  if (row.nodeId !== cn) return { ok: false, nodeId: row.nodeId, reason: `certificate CN ${cn} is not its node ${row.nodeId}` };
  return { ok: true, node: { id: row.node.id, type: row.node.type, organizationId: row.node.organizationId } };
}
