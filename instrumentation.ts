/**
 * Runs once when the console server starts (Next.js instrumentation hook):
 * a production start without an explicit NEXTAUTH_SECRET refuses to run
 * (lib/config sessionSecret) instead of failing at the first request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { sessionSecret } = await import("./lib/config");
  try {
    sessionSecret();
  } catch (e) {
    console.error(`[console] refusing to start: ${(e as Error).message}`);
    throw e;
  }
}
