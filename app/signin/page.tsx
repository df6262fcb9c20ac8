import { SignInForm } from "@/components/SignInForm";

export default function SignInPage() {
  return (
    <main className="signin">
      <SignInForm />
    </main>
  );
}
