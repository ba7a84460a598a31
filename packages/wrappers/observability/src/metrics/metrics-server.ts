import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { StoreConfigurationError } from "@truthound/store-core";
import type { Registry } from "prom-client";

/** Serves a prom-client registry at one path (GET only); bound to 127.0.0.1 unless told otherwise. */
export class MetricsServer {
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(registry: Registry, host: string, port: number, path: string): Promise<MetricsServer> {
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://localhost");
      if (url.pathname !== path) {
        response.writeHead(404).end();
        return;
      }
      if (request.method !== "GET" && request.method !== "HEAD") {
        response.writeHead(405, { allow: "GET, HEAD" }).end();
        return;
      }
      registry.metrics().then(
        (text) => {
          response.writeHead(200, { "content-type": registry.contentType });
          response.end(request.method === "HEAD" ? undefined : text);
        },
        (error: unknown) => {
          response.writeHead(500, { "content-type": "text/plain" });
          response.end(
            `metrics collection failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (error) =>
        reject(
          new StoreConfigurationError(
            `metrics HTTP server could not listen on ${host}:${port}: ${error.message}`,
            {
              cause: error,
              details: { field: "metrics.httpPort" },
            },
          ),
        ),
      );
      server.listen(port, host, () => resolve());
    });
    return new MetricsServer(server);
  }

  get address(): { host: string; port: number } {
    const address = this.#server.address() as AddressInfo;
    return { host: address.address, port: address.port };
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#server.close((error) => (error ? reject(error) : resolve()));
      this.#server.closeAllConnections();
    });
  }
}
