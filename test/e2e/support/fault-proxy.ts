// A fault-injecting HTTP proxy in front of a real registry (the lab's 127.0.0.1:5000): requests go
// through unchanged (Host kept, so the registry's upload Locations name the proxy) until a test
// arms a fault: answer an HTTP status N times, drop the connection after N bytes of a request body,
// or go down (connections refused) and come back on the same port. Every request is logged, so a
// test can check what was pushed and in which order.
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface Match {
  method?: string;
  /** Tested against the request path (with its query). */
  path?: RegExp;
}

export interface Seen {
  method: string;
  path: string;
  /** The status the client got, or what happened instead. */
  outcome: number | "dropped";
}

type Fault =
  | { kind: "status"; status: number; left: number; match: Match }
  | { kind: "drop"; afterBytes: number; left: number; match: Match }
  | { kind: "down"; left: number; match: Match };

export class FaultProxy {
  readonly log: Seen[] = [];
  private faults: Fault[] = [];
  private readonly sockets = new Set<Socket>();
  private server: Server;

  private constructor(
    private readonly upstream: { host: string; port: number },
    private port = 0,
  ) {
    this.server = this.makeServer();
  }

  /** Listens on 127.0.0.1 (a free port) in front of `upstream` (host:port). */
  static async start(upstream = "127.0.0.1:5000"): Promise<FaultProxy> {
    const [host, port] = upstream.split(":");
    const proxy = new FaultProxy({ host: host as string, port: Number(port) });
    await proxy.up();
    return proxy;
  }

  /** host:port of the proxy: use it as the registry part of an image reference. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** The next `times` matching requests get `status` (the registry never sees them). */
  answer(status: number, times: number, match: Match = {}): void {
    this.faults.push({ kind: "status", status, left: times, match });
  }

  /** The next `times` matching requests are cut (both sockets destroyed) after `afterBytes` of their body. */
  dropAfter(afterBytes: number, times: number, match: Match = {}): void {
    this.faults.push({ kind: "drop", afterBytes, left: times, match });
  }

  /** The first matching request finds the registry gone: it is cut and the proxy goes down (until up()). */
  downAt(match: Match): void {
    this.faults.push({ kind: "down", left: 1, match });
  }

  /** Faults armed but not yet used up. */
  pending(): number {
    return this.faults.reduce((n, f) => n + f.left, 0);
  }

  clear(): void {
    this.faults = [];
    this.log.length = 0;
  }

  /** Stops listening and cuts open connections: clients get ECONNREFUSED / ECONNRESET. */
  async down(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Listens again, on the same port once it had one. */
  async up(): Promise<void> {
    if (this.server.listening) return;
    this.server = this.makeServer();
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.down();
  }

  private makeServer(): Server {
    const server = createServer((req, res) => this.handle(req, res));
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    return server;
  }

  private take(req: IncomingMessage): Fault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.left > 0 &&
        (!f.match.method || f.match.method === req.method) &&
        (!f.match.path || f.match.path.test(req.url ?? "")),
    );
    if (fault) fault.left--;
    return fault;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const seen: Seen = { method: req.method ?? "", path: req.url ?? "", outcome: 0 };
    this.log.push(seen);
    const fault = this.take(req);
    if (fault?.kind === "status") {
      seen.outcome = fault.status;
      req.resume();
      res.writeHead(fault.status, { "Content-Type": "application/json", Connection: "close" });
      res.end(JSON.stringify({ errors: [{ code: "UNAVAILABLE", message: "injected by the fault proxy" }] }));
      return;
    }
    if (fault?.kind === "down") {
      seen.outcome = "dropped";
      void this.down();
      return;
    }
    const upstream = request(
      {
        host: this.upstream.host,
        port: this.upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: false,
      },
      (answer) => {
        seen.outcome = answer.statusCode ?? 0;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    const cut = () => {
      seen.outcome = "dropped";
      upstream.destroy();
      req.socket.destroy();
    };
    upstream.on("error", () => req.socket.destroy());
    if (fault?.kind !== "drop") {
      req.pipe(upstream);
      return;
    }
    if (fault.afterBytes === 0) {
      cut();
      return;
    }
    let bytes = 0;
    req.on("data", (chunk: Buffer) => {
      if (seen.outcome === "dropped") return;
      const room = fault.afterBytes - bytes;
      bytes += chunk.length;
      if (chunk.length < room) return void upstream.write(chunk);
      upstream.write(chunk.subarray(0, room));
      cut();
    });
    // A body shorter than the cut point: the request was whole, so it is cut before the answer.
    req.on("end", () => {
      if (seen.outcome !== "dropped") cut();
    });
  }
}
