/**
 * Sign-in rate limiting per login id and per source address, with
 * rate-limiter-flexible's Prisma store (table SignInRateLimit) so that every
 * console instance sharing the database shares the counters. Failed sign-ins
 * consume a point on both keys; once either key has used its points within
 * the window, sign-in answers 429 with Retry-After until the window ends. A
 * successful sign-in clears the login id's counter (not the address's).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { recordAudit } from "../audit/trail";
import { config } from "../config";
import { db } from "../db";
import { signIn, type SignInResult } from "./accounts";

type Limiters = { account: RateLimiterPrisma; address: RateLimiterPrisma };
const globalForLimiters = globalThis as unknown as { jukinetSignInLimiters?: { client: unknown; limiters: Limiters } };

function limiters(): Limiters {
  const client = db();
  if (globalForLimiters.jukinetSignInLimiters?.client === client) return globalForLimiters.jukinetSignInLimiters.limiters;
  const c = config();
  const make = (keyPrefix: string, points: number) =>
    new RateLimiterPrisma({ storeClient: client, tableName: "signInRateLimit", keyPrefix, points, duration: c.SIGNIN_LIMIT_WINDOW_SECONDS });
  const limiters = { account: make("account", c.SIGNIN_LIMIT_PER_ACCOUNT), address: make("address", c.SIGNIN_LIMIT_PER_ADDRESS) };
  globalForLimiters.jukinetSignInLimiters = { client, limiters };
  return limiters;
}

/** Login ids are keys as typed (bounded length; an unknown id has a counter too). */
const accountKey = (loginId: string) => loginId.trim().slice(0, 200);

/**
 * The client's address for the per-address limit.
 * - TRUST_PROXY=N (N reverse proxies in front, each appending the address it
 *   received from to X-Forwarded-For): the Nth entry from the right, i.e. the
 *   address the outermost trusted proxy saw. Entries left of it are whatever
 *   the client sent and are ignored. (With one proxy that sets the header to
 *   the client address instead of appending, this is that address.)
 * - TRUST_PROXY=0 (default, the console reached directly): Next.js fills
 *   X-Forwarded-For with the socket's remote address when the request has no
 *   such header, so the last entry is the socket address. A client that sends
 *   the header itself can choose its per-address key; the per-login-id limit
 *   and the account lock still hold. Deployments behind a proxy must set
 *   TRUST_PROXY.
 */
export function sourceAddress(headers: Headers, trustProxy = config().TRUST_PROXY): string {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  if (hops.length === 0) return "unknown";
  return (trustProxy > 0 ? hops[Math.max(0, hops.length - trustProxy)] : hops[hops.length - 1]).slice(0, 100);
}

const blockedFor = (res: RateLimiterRes | null, points: number): number | undefined =>
  res && res.consumedPoints >= points ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : undefined;

/** Seconds until sign-in is allowed again for this login id and address, or undefined when it is allowed now. */
export async function signInRetryAfter(loginId: string, address: string): Promise<number | undefined> {
  const l = limiters();
  const [a, b] = await Promise.all([l.account.get(accountKey(loginId)), l.address.get(address)]);
  const waits = [blockedFor(a, l.account.points), blockedFor(b, l.address.points)].filter((s): s is number => s !== undefined);
  return waits.length ? Math.max(...waits) : undefined;
}

async function consume(limiter: RateLimiterPrisma, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e; // a store failure fails the sign-in (closed)
  }
}

export async function recordSignInFailure(loginId: string, address: string): Promise<void> {
  const l = limiters();
  await consume(l.account, accountKey(loginId));
  await consume(l.address, address);
}

/** Where the current sign-in request came from (set by the next-auth route for the credentials callback). */
export const signInRequest = new AsyncLocalStorage<{ address: string; retryAfter?: number }>();

export type LimitedSignInResult = SignInResult | { ok: false; reason: "rate_limited"; retryAfter: number };

/**
 * Sign-in behind the rate limits: refused without any check of the
 * credentials while limited; a failure (wrong password or code, unknown,
 * locked or disabled account) consumes a point for the login id and the address.
 */
export async function limitedSignIn(
  loginId: string,
  password: string,
  code: string | undefined,
  address: string,
  now = Date.now(),
): Promise<LimitedSignInResult> {
  const retryAfter = await signInRetryAfter(loginId, address);
  if (retryAfter !== undefined) {
    await recordAudit({ action: "signin_failure", actorLogin: loginId.slice(0, 200), details: { reason: "rate_limited", address, retryAfter } });
    return { ok: false, reason: "rate_limited", retryAfter };
  }
  const result = await signIn(loginId, password, code, now);
  if (result.ok) await limiters().account.delete(accountKey(loginId));
  else if (result.reason !== "totp_required") await recordSignInFailure(loginId, address);
  return result;
}

/** The answer of the credentials callback while limited: next-auth's client reads `url` (error=rate_limited) and the status. */
export function rateLimitedResponse(retryAfter: number, baseUrl: string): Response {
  return new Response(JSON.stringify({ url: new URL("/signin?error=rate_limited", baseUrl).toString() }), {
    status: 429,
    headers: { "Content-Type": "application/json", "Retry-After": String(retryAfter), "Cache-Control": "no-store" },
  });
}
