import { spawn } from "node:child_process";

/** Runs a Python script with `input` as JSON on stdin and parses the JSON it prints; rejects with its stderr. */
export function runPythonScript<T>(
  python: string,
  scriptPath: string,
  input: unknown,
  env: Record<string, string> = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [scriptPath], {
      env: { ...process.env, ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`${scriptPath} exited ${code}: ${err}`));
        return;
      }
      try {
        resolve(JSON.parse(Buffer.concat(out).toString("utf8")) as T);
      } catch (error) {
        reject(new Error(`${scriptPath} printed no JSON: ${String(error)}`));
      }
    });
    child.stdin.end(JSON.stringify(input));
  });
}
