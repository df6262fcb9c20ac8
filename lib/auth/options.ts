/**
 * next-auth configuration: credentials (login id + password + TOTP) checked
 * by lib/auth/accounts, JWT sessions that expire after 8 hours (idle 30 min
 * refresh), the role and organisation carried in the token. next-auth's own
 * CSRF token protects the sign-in and sign-out posts.
 */
import fs from "node:fs";
import path from "node:path";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { VAR_DIR } from "../paths";
import { signIn, type SessionUser } from "./accounts";

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

function secret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = path.join(VAR_DIR, "secrets", "nextauth.secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    throw new Error(`no session secret: set NEXTAUTH_SECRET or run npm run setup to create ${file}`);
  }
}

export const authOptions: NextAuthOptions = {
  secret: secret(),
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS, updateAge: 30 * 60 },
  pages: { signIn: "/signin", error: "/signin" },
  providers: [
    CredentialsProvider({
      name: "credentials",
      credentials: { loginId: { type: "text" }, password: { type: "password" }, totp: { type: "text" } },
      async authorize(credentials) {
        const result = await signIn(credentials?.loginId ?? "", credentials?.password ?? "", credentials?.totp || undefined);
        if (!result.ok) throw new Error(result.reason);
        return { ...result.user, id: result.user.id };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) token.user = user as unknown as SessionUser;
      return token;
    },
    async session({ session, token }) {
      (session as unknown as { user: SessionUser }).user = token.user as SessionUser;
      return session;
    },
  },
};
