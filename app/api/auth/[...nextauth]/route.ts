/**
 * next-auth's routes. The credentials callback (the sign-in post) is checked
 * against the sign-in rate limits first: while the login id or the source
 * address is limited it answers 429 with Retry-After without looking at the
 * credentials (lib/auth/ratelimit).
 */
import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { rateLimitedResponse, signInRequest, signInRetryAfter, sourceAddress } from "@/lib/auth/ratelimit";

export const runtime = "nodejs";

type Context = { params: Promise<{ nextauth: string[] }> };

const handler = NextAuth(authOptions) as (req: NextRequest, ctx: Context) => Promise<Response>;

const baseUrl = (req: Request) => process.env.NEXTAUTH_URL ?? new URL(req.url).origin;

async function POST(req: NextRequest, ctx: Context): Promise<Response> {
  const { nextauth } = await ctx.params;
  if (nextauth?.[0] !== "callback" || nextauth[1] !== "credentials") return handler(req, ctx);
  const address = sourceAddress(req.headers);
  const form = await req
    .clone()
    .formData()
    .catch(() => undefined);
  const loginId = String(form?.get("loginId") ?? "");
  const retryAfter = await signInRetryAfter(loginId, address);
  if (retryAfter !== undefined) return rateLimitedResponse(retryAfter, baseUrl(req));
  const store: { address: string; retryAfter?: number } = { address };
  const res = await signInRequest.run(store, () => handler(req, ctx));
  // The limit was reached by a concurrent request between the check above and the sign-in.
  return store.retryAfter !== undefined ? rateLimitedResponse(store.retryAfter, baseUrl(req)) : res;
}

export { handler as GET, POST };
