/**
 * Node ingest tokens: `jkw_<public id>_<secret>`, shown once when issued.
 * Only the SHA-256 of the whole token is stored (the token carries 256 bits
 * of randomness, so a fast hash is enough); tokens can be revoked.
 */
import { createHash, randomBytes } from "node:crypto";
import { db } from "../db";

export interface IssuedToken {
  id: string;
  nodeId: string;
  token: string;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function issueNodeToken(nodeId: string): Promise<IssuedToken> {
  const node = await db().node.findUnique({ where: { id: nodeId } });
  if (!node) throw new Error(`unknown node "${nodeId}": import it with npm run registry:import first`);
  const id = `tok_${randomBytes(6).toString("hex")}`;
  const token = `jkw_${id.slice(4)}_${randomBytes(32).toString("base64url")}`;
  await db().nodeToken.create({ data: { id, nodeId, hash: hashToken(token) } });
  return { id, nodeId, token };
}

export async function revokeNodeToken(tokenId: string): Promise<void> {
  const res = await db().nodeToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (res.count === 0) throw new Error(`no active token "${tokenId}"`);
}

export async function listNodeTokens(nodeId?: string) {
  return db().nodeToken.findMany({
    where: nodeId ? { nodeId } : undefined,
    select: { id: true, nodeId: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: { createdAt: "asc" },
  });
}

export interface AuthenticatedNode {
  tokenId: string;
  id: string;
  type: string;
  organizationId: string;
}

/** The node a bearer token belongs to, or undefined for an unknown or revoked token. */
export async function authenticateNode(token: string): Promise<AuthenticatedNode | undefined> {
  if (!token.startsWith("jkw_") || token.length > 200) return undefined;
  const row = await db().nodeToken.findUnique({ where: { hash: hashToken(token) }, include: { node: true } });
  if (!row || row.revokedAt) return undefined;
  // Record use at most once a minute per token, off the request's path.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    db().nodeToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  }
  return { tokenId: row.id, id: row.node.id, type: row.node.type, organizationId: row.node.organizationId };
}
