/**
 * The route-handler wrapper (the edge of the authorisation): authenticates
 * the request (bearer API token, else the console session with its second
 * factor), builds the caller's Scope, refuses state changes that are not
 * same-origin POSTs of a session, and maps AuthError to its status. API
 * tokens are read-only: they reach GET handlers only.
 */
import { AuthError, type Principal } from "./principal";
import { apiTokenPrincipal } from "./api-tokens";
import { scopeOf, type Scope } from "./scope";
import { sessionPrincipal } from "./session";

/** The principal of a request: its bearer API token, else the console session; throws 401 when neither. */
export async function principalFromRequest(req: Request): Promise<Principal> {
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.get("authorization") ?? "")?.[1];
  if (!token) {
    const p = await sessionPrincipal();
    if (!p) throw new AuthError(401, "authentication required");
    return p;
  }
  const p = await apiTokenPrincipal(token);
  if (!p) throw new AuthError(401, "unknown or revoked API token");
  return p;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state change must come from the console's own pages: the Origin header
 * (sent by every browser on a POST) must name this host. Forms from other
 * sites and scripted cross-site requests are refused.
 */
export function requireSameOrigin(req: Request): void {
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (!origin || !host) throw new AuthError(403, "a state change needs the Origin header of this console");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AuthError(403, "malformed Origin header");
  }
  if (originHost !== host) throw new AuthError(403, `cross-origin request from ${origin} refused`);
}

/**
 * Wraps a route handler: `handler(req, scope, ctx)` runs with the caller's
 * Scope (its principal in `scope.principal`). Responses are never cached.
 */
export function withScope<C = unknown>(handler: (req: Request, scope: Scope, ctx: C) => Promise<Response>) {
  return async (req: Request, ctx?: C): Promise<Response> => {
    try {
      const principal = await principalFromRequest(req);
      if (!SAFE.has(req.method)) {
        if (principal.kind === "api_token") throw new AuthError(403, "API tokens are read-only");
        requireSameOrigin(req);
      }
      return noStore(await handler(req, await scopeOf(principal), ctx as C));
    } catch (e) {
      if (e instanceof AuthError) {
        return Response.json(
          { error: e.message },
          { status: e.status, headers: { "cache-control": "no-store", ...(e.status === 401 ? { "www-authenticate": "Bearer" } : {}) } },
        );
      }
      throw e;
    }
  };
}

/** The response with `Cache-Control: no-store` unless it sets its own (a redirect's headers are immutable: copied). */
export function noStore(res: Response): Response {
  if (res.headers.has("cache-control")) return res;
  const headers = new Headers(res.headers);
  headers.set("cache-control", "no-store");
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

/** The principal of a scope made by `withScope` (every such scope has one). */
export function principalOf(scope: Scope): Principal {
  if (!scope.principal) throw new AuthError(403, `${scope.label} has no principal`);
  return scope.principal;
}
