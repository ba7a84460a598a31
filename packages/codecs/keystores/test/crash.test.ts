import { type ChildProcess, fork } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { FileKeyStore, KeyManager } from "../src/index.js";
import { TEST_KDF, tempDir } from "./helpers.js";

const child = fileURLToPath(new URL("./fixtures/rotate-forever.mjs", import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function startRotator(directory: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const proc = fork(child, [directory, "pw"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    proc.once("message", () => resolve(proc));
    proc.once("error", reject);
    proc.once("exit", (code) => reject(new Error(`rotator exited early with ${code}`)));
  });
}

function killHard(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    proc.removeAllListeners("exit");
    proc.once("exit", () => resolve());
    proc.kill("SIGKILL");
  });
}

describe("FileKeyStore survives a writer killed mid-write", () => {
  it("after each SIGKILL the key file is whole, versions are consecutive and every version reads", {
    timeout: 120_000,
  }, async () => {
    const directory = tempDir("crash");
    dirs.push(directory);
    const setup = new KeyManager({
      store: new FileKeyStore({ directory, masterPassword: "pw", kdfParams: TEST_KDF }),
    });
    await setup.createKey("k");
    let lastVersion = 1;
    for (let round = 0; round < 8; round++) {
      const proc = await startRotator(directory);
      await new Promise((r) => setTimeout(r, 40 + round * 17));
      await killHard(proc);
      const manager = new KeyManager({
        store: new FileKeyStore({ directory, masterPassword: "pw" }),
        cacheTtlMs: 0,
      });
      const [info] = await manager.listKeys();
      expect(info?.versions.map((v) => v.version)).toEqual(
        Array.from({ length: info?.currentVersion ?? 0 }, (_, i) => i + 1),
      );
      expect(info?.currentVersion ?? 0).toBeGreaterThanOrEqual(lastVersion);
      for (const v of info?.versions ?? [])
        expect((await manager.getKey("k", v.version)).key).toHaveLength(32);
      lastVersion = (await manager.rotateKey("k")).version;
    }
    expect(lastVersion).toBeGreaterThan(9);
    // Temp files of killed writes may remain; they never count as keys.
    const names = readdirSync(join(directory, "keys"));
    expect(names.filter((n) => !n.startsWith("."))).toEqual(["k.key"]);
  });
});
