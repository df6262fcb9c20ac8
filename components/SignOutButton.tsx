"use client";
import { signOut } from "next-auth/react";
import { messages } from "@/lib/i18n";

export function SignOutButton() {
  return (
    <button type="button" className="link" onClick={() => signOut({ callbackUrl: "/signin" })}>
      {messages["signin.signout"]}
    </button>
  );
}
