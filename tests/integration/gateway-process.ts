/** The gateway as its own process (`npm run gateway` without npm), for tests and benchmarks that kill and restart it. */
import { spawn, type ChildProcess } from "node:child_process";
import { REPO_ROOT } from "../../lib/paths";

export interface GatewayProcess {
  proc: ChildProcess;
  output(): string;
  /** Counters and peak RSS, asked over stdin. */
  stats(): Promise<Record<string, number>>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function spawnGateway(env: Record<string, string>): Promise<GatewayProcess> {
  const proc = spawn(process.execPath, ["--max-old-space-size=256", "--import", "tsx", "gateway/main.ts"], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  proc.stderr!.on("data", (d) => (out += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${out}`)), 60_000);
    const onData = () => {
      if (out.includes("RELP over TLS on")) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on("data", onData);
    proc.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited (${code}):\n${out}`));
    });
  });
  return {
    proc,
    output: () => out,
    async stats() {
      const from = out.length;
      proc.stdin!.write("stats\n");
      for (let i = 0; i < 100; i++) {
        const m = /\{"stats":(\{[^\n]*\})\}/.exec(out.slice(from));
        if (m) return JSON.parse(m[1]);
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error("gateway did not answer stats");
    },
    async kill(signal = "SIGKILL") {
      if (proc.exitCode !== null || proc.signalCode) return;
      const exited = new Promise((r) => proc.once("exit", r));
      proc.kill(signal);
      await exited;
    },
  };
}
