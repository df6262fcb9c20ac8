/**
 * Node ingest tokens: `jkw_<public id>_<secret>`, shown once when issued.
 * Only the SHA-256 of the whole token is stored (the token carries 256 bits
 * of randomness, so a fast hash is enough); tokens can be revoked.
 * Issuing, revoking and listing are limited to nodes whose organisation is in
 * the caller's scope (the CLI uses the system scope).
 */
import { createHash, randomBytes } from "node:crypto";
import { db } from "../../lib/db";
import { AuthError } from "../../lib/auth/principal";
import type { Scope } from "../../lib/auth/scope";

export interface IssuedToken {
  id: string;
  nodeId: string;
  token: string;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** The node, when its organisation is in scope; 403 when it exists outside, an error when unknown. */
async function nodeInScope(nodeId: string, scope: Scope) {
  const node = await db().node.findFirst({ where: { id: nodeId, ...scope.where() } });
  if (node) return node;
  if (await db().node.findUnique({ where: { id: nodeId }, select: { id: true } }))
    throw new AuthError(403, `node "${nodeId}" belongs to an organisation outside your scope`);
  throw new Error(`unknown node "${nodeId}": import it with npm run registry:import first`);
}

export async function issueNodeToken(nodeId: string, scope: Scope): Promise<IssuedToken> {
  await nodeInScope(nodeId, scope);
  const id = `tok_${randomBytes(6).toString("hex")}`;
  const token = `jkw_${id.slice(4)}_${randomBytes(32).toString("base64url")}`;
  await db().nodeToken.create({ data: { id, nodeId, hash: hashToken(token) } });
  return { id, nodeId, token };
}

/** Revokes an active token of a node in scope; returns the node it belonged to. */
export async function revokeNodeToken(tokenId: string, scope: Scope): Promise<{ nodeId: string }> {
  const row = await db().nodeToken.findUnique({
    where: { id: tokenId },
    select: { nodeId: true, revokedAt: true, node: { select: { organizationId: true } } },
  });
  if (row && !scope.includes(row.node.organizationId)) throw new AuthError(403, `token "${tokenId}" belongs to a node outside your scope`);
  const res = await db().nodeToken.updateMany({
    where: { id: tokenId, revokedAt: null, node: scope.where<"organizationId">() },
    data: { revokedAt: new Date() },
  });
  if (!row || res.count === 0) throw new Error(`no active token "${tokenId}"`);
  return { nodeId: row.nodeId };
}

export async function listNodeTokens(nodeId: string | undefined, scope: Scope) {
  if (nodeId) await nodeInScope(nodeId, scope);
  return db().nodeToken.findMany({
    where: { ...(nodeId ? { nodeId } : {}), node: scope.where<"organizationId">() },
    select: { id: true, nodeId: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: { createdAt: "asc" },
  });
}

/** The nodes in scope with their tokens (never the hashes), for the admin page. */
export async function listNodes(scope: Scope) {
  return db().node.findMany({
    where: scope.where(),
    include: { tokens: { select: { id: true, createdAt: true, lastUsedAt: true, revokedAt: true }, orderBy: { createdAt: "desc" } } },
    orderBy: { id: "asc" },
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
    db()
      .nodeToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } })
      .catch(() => {});
  }
  return { tokenId: row.id, id: row.node.id, type: row.node.type, organizationId: row.node.organizationId };
}
