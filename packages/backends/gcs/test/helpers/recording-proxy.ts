import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

/**
 * An HTTP proxy in front of the emulator that records every request, so tests see what reached the server.
 * `POST /token` answers like Google's token (STS) endpoint, for credential files pointed here.
 */
export class RecordingProxy {
  readonly requests: RecordedRequest[] = [];
  readonly token = "tt-access-token";
  #server: Server | undefined;

  constructor(private readonly target: string) {}

  get endpoint(): string {
    const address = this.#server?.address() as AddressInfo | null | undefined;
    if (!address) throw new Error("proxy not started");
    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<void> {
    const target = new URL(this.target);
    this.#server = createServer((req, res) => {
      this.requests.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
      if (req.method === "POST" && req.url === "/token") {
        req.resume();
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            access_token: this.token,
            issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
            token_type: "Bearer",
            expires_in: 3600,
          }),
        );
        return;
      }
      const upstream = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
  }

  /** Requests whose URL contains `fragment`. */
  matching(fragment: string): RecordedRequest[] {
    return this.requests.filter((r) => r.url.includes(fragment));
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }
}
