import { randomBytes } from "node:crypto";

/** A toxic as Toxiproxy's HTTP API takes it; see scripts/services/README.md. */
export interface ToxicSpec {
  type: "latency" | "bandwidth" | "slow_close" | "timeout" | "reset_peer" | "slicer" | "limit_data";
  stream?: "upstream" | "downstream";
  /** Share of connections the toxic applies to, 0..1; default 1. */
  toxicity?: number;
  attributes: Record<string, number>;
}

/** One proxy in front of a test server, created for a test file and deleted when it ends. */
export interface ToxicProxy {
  /** `127.0.0.1:PORT` clients connect to instead of the server. */
  listen: string;
  addToxic(spec: ToxicSpec): Promise<string>;
  removeToxic(name: string): Promise<void>;
  removeAllToxics(): Promise<void>;
  /** Refuses new connections and cuts open ones, as a server that went away. */
  setEnabled(enabled: boolean): Promise<void>;
  delete(): Promise<void>;
}

async function call(api: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`toxiproxy ${method} ${path}: ${response.status} ${text}`);
  return text === "" ? undefined : JSON.parse(text);
}

/**
 * Creates a proxy to `upstream` (`host:port`) on a free port of 127.0.0.1, through the Toxiproxy API at
 * `apiUrl` (TRUTHOUND_TEST_TOXIPROXY_URL).
 */
export async function createToxicProxy(apiUrl: string, label: string, upstream: string): Promise<ToxicProxy> {
  const api = apiUrl.replace(/\/+$/, "");
  const name = `${label}-${randomBytes(4).toString("hex")}`;
  const created = (await call(api, "POST", "/proxies", {
    name,
    listen: "127.0.0.1:0",
    upstream,
    enabled: true,
  })) as { listen: string };
  const toxics: string[] = [];
  const removeToxic = async (toxicName: string) => {
    await call(api, "DELETE", `/proxies/${name}/toxics/${toxicName}`);
    toxics.splice(toxics.indexOf(toxicName), 1);
  };
  return {
    listen: created.listen,
    async addToxic(spec) {
      const toxicName = `${spec.type}-${spec.stream ?? "downstream"}-${toxics.length}`;
      await call(api, "POST", `/proxies/${name}/toxics`, {
        name: toxicName,
        type: spec.type,
        stream: spec.stream ?? "downstream",
        toxicity: spec.toxicity ?? 1,
        attributes: spec.attributes,
      });
      toxics.push(toxicName);
      return toxicName;
    },
    removeToxic,
    async removeAllToxics() {
      for (const toxicName of [...toxics]) await removeToxic(toxicName);
    },
    async setEnabled(enabled) {
      await call(api, "POST", `/proxies/${name}`, { enabled });
    },
    async delete() {
      await call(api, "DELETE", `/proxies/${name}`);
    },
  };
}

/** `host:port` of an `http://host:port/...` endpoint, for a proxy's upstream. */
export function hostPortOf(endpoint: string): string {
  const url = new URL(endpoint);
  return `${url.hostname}:${url.port}`;
}

/** The endpoint with its host and port replaced by the proxy's, path kept. */
export function throughProxy(endpoint: string, proxy: ToxicProxy): string {
  const url = new URL(endpoint);
  const [host, port] = proxy.listen.split(":");
  url.hostname = host as string;
  url.port = port as string;
  return url.toString().replace(/\/$/, endpoint.endsWith("/") ? "/" : "");
}
