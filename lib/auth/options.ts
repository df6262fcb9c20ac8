/**
 * next-auth configuration: credentials (login id + password + TOTP) checked
 * by lib/auth/accounts behind the sign-in rate limits (lib/auth/ratelimit),
 * JWT sessions. The token carries the user (role, organisation, session
 * version) and the time of sign-in; lib/auth/session checks both on every
 * request (session version against the database, absolute lifetime
 * SESSION_MAX_AGE_SECONDS from sign-in, whatever refreshes happen). Sign-out
 * ends every session of the user. next-auth's own CSRF token protects the
 * sign-in and sign-out posts.
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { config, sessionSecret } from "../config";
import { endSessions } from "./accounts";
import type { SessionUser } from "./principal";
import { limitedSignIn, signInRequest, sourceAddress } from "./ratelimit";

export const SESSION_MAX_AGE_SECONDS = config().SESSION_MAX_AGE_SECONDS;

/** What the session token carries besides next-auth's own claims. */
export interface SessionClaims {
  user?: SessionUser;
  /** Seconds since the epoch of the sign-in that began this session (kept through refreshes). */
  authAt?: number;
}

export const authOptions: NextAuthOptions = {
  secret: sessionSecret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 30 * 60 },
  pages: { signIn: "/signin", error: "/signin" },
  providers: [
    CredentialsProvider({
      name: "credentials",
      credentials: { loginId: { type: "text" }, password: { type: "password" }, totp: { type: "text" } },
      async authorize(credentials, req) {
        const request = signInRequest.getStore();
        const address = request?.address ?? sourceAddress(new Headers((req?.headers ?? {}) as Record<string, string>));
        const result = await limitedSignIn(credentials?.loginId ?? "", credentials?.password ?? "", credentials?.totp || undefined, address);
        if (!result.ok) {
          if (result.reason === "rate_limited" && request) request.retryAfter = result.retryAfter;
          throw new Error(result.reason);
        }
        return { ...result.user, id: result.user.id };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.user = user as unknown as SessionUser;
        token.authAt = Math.floor(Date.now() / 1000);
      }
      return token;
    },
    async session({ session, token }) {
      const s = session as unknown as SessionClaims;
      s.user = token.user as SessionUser;
      s.authAt = token.authAt as number | undefined;
      return session;
    },
  },
  events: {
    /** Sign-out ends every session of the user, not only this browser's cookie. */
    async signOut({ token }) {
      const id = (token as SessionClaims | null)?.user?.id;
      if (id) await endSessions(id);
    },
  },
};
