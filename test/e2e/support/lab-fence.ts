import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Puts the lab registry (127.0.0.1:5000, which holds the lab's builders) out of reach of the
 * processes and containers a test starts through the fence, and of nothing else: other e2e files
 * run at the same time against it from the host.
 *
 * dockerd has no bridge here (every container runs with `--network host`), so a container's
 * traffic cannot be told apart by interface or source address. It can by cgroup: a socket belongs
 * to the cgroup v2 of the process that made it, and iptables' `cgroup --path` match takes a cgroup
 * and its descendants. The fence is one cgroup, `ml-buildpacks-fence-<id>`:
 *  - host processes (act, gitlab-ci-local, and what they spawn: the action, the CLI) are started in
 *    it (`command`);
 *  - containers join it through a Docker engine API proxy (`dockerHost`, for DOCKER_HOST) that sets
 *    HostConfig.CgroupParent on every container it creates (runc puts the container under it in
 *    every hierarchy, the unified one included);
 *  - one OUTPUT rule rejects TCP from the cgroup to 127.0.0.1:5000 with a reset (connection refused).
 * dockerd itself stays outside (its pulls are not the jobs' sockets), so the proxy also refuses to
 * create containers from, pull, or push images named on the lab registry.
 */
export const LAB_REGISTRY = { address: "127.0.0.1", port: 5000 } as const;
const LAB_NAMES = [`${LAB_REGISTRY.address}:${LAB_REGISTRY.port}/`, `localhost:${LAB_REGISTRY.port}/`];
const DOCKER_SOCKET = "/var/run/docker.sock";
const IPTABLES = "/usr/sbin/iptables";
const CGROUP_PREFIX = "ml-buildpacks-fence-";
const FENCE_COMMENT = "ml-buildpacks-e2e-lab-fence";

export interface LabFence {
  /** The cgroup's name (relative to the cgroup v2 root). */
  cgroup: string;
  /** DOCKER_HOST for clients whose containers must be fenced. */
  dockerHost: string;
  /** The images of the containers created through the fence so far (what ran inside it). */
  created: readonly string[];
  /** A command line that runs `command args` inside the fence. */
  command(command: string, args: string[]): [string, string[]];
  /** Lifts the fence: the rule, the proxy, the cgroup. Safe to call twice. */
  remove(): Promise<void>;
}

/** Pure: does an image reference name the lab registry? */
export function namesLabRegistry(ref: string): boolean {
  return LAB_NAMES.some((prefix) => ref.toLowerCase().startsWith(prefix));
}

/** Pure: the iptables rule (after -I/-D OUTPUT) that rejects the cgroup's connections to the lab registry. */
export function fenceRule(cgroup: string): string[] {
  return [
    "-d",
    `${LAB_REGISTRY.address}/32`,
    "-p",
    "tcp",
    "--dport",
    String(LAB_REGISTRY.port),
    "-m",
    "cgroup",
    "--path",
    cgroup,
    "-m",
    "comment",
    "--comment",
    FENCE_COMMENT,
    "-j",
    "REJECT",
    "--reject-with",
    "tcp-reset",
  ];
}

/**
 * Pure: the fence rules of `iptables -S OUTPUT` whose cgroup holds no process (a run cut short
 * before its clean-up), as the arguments that delete them.
 */
export function staleFenceRules(listing: string, inUse: (cgroup: string) => boolean): string[][] {
  return listing
    .split("\n")
    .filter((line) => line.startsWith("-A OUTPUT ") && line.includes(FENCE_COMMENT))
    .map((line) => line.split(" ").slice(2))
    .filter((args) => {
      const cgroup = args[args.indexOf("--path") + 1] ?? "";
      return cgroup.startsWith(CGROUP_PREFIX) && !inUse(cgroup);
    })
    .map((args) => ["-D", "OUTPUT", ...args]);
}

/** Does a cgroup (or a cgroup below it) hold a process? */
function cgroupInUse(dir: string): boolean {
  if (!existsSync(dir)) return false;
  if (readFileSync(join(dir, "cgroup.procs"), "utf8").trim()) return true;
  return readdirSync(dir, { withFileTypes: true }).some(
    (e) => e.isDirectory() && cgroupInUse(join(dir, e.name)),
  );
}

/** Pure: the mount points of every cgroup hierarchy (v1 and v2) in a /proc/self/mounts text. */
export function cgroupMounts(mounts: string): { v2: string | undefined; all: string[] } {
  const rows = mounts
    .split("\n")
    .map((line) => line.split(" "))
    .filter((f) => f[2] === "cgroup" || f[2] === "cgroup2");
  return { v2: rows.find((f) => f[2] === "cgroup2")?.[1], all: rows.map((f) => f[1] as string) };
}

/**
 * Pure: what the proxy refuses, as the engine's error message; undefined when the request may pass.
 * `body` is the parsed JSON of a container create.
 */
export function refusal(method: string, url: string, body?: { Image?: string }): string | undefined {
  const path = new URL(url, "http://docker").pathname.replace(/^\/v[\d.]+/, "");
  const query = new URL(url, "http://docker").searchParams;
  const why = (ref: string) =>
    `the lab registry (${LAB_REGISTRY.address}:${LAB_REGISTRY.port}) is fenced off from this test's jobs: ${ref}`;
  if (method !== "POST") return undefined;
  if (path === "/containers/create" && body?.Image && namesLabRegistry(body.Image)) return why(body.Image);
  const from = query.get("fromImage");
  if (path === "/images/create" && from && namesLabRegistry(from)) return why(from);
  const push = /^\/images\/(.+)\/push$/.exec(path)?.[1];
  if (push && namesLabRegistry(decodeURIComponent(push))) return why(decodeURIComponent(push));
  return undefined;
}

function headersOf(raw: string[]): string {
  let out = "";
  for (let i = 0; i < raw.length; i += 2) out += `${raw[i]}: ${raw[i + 1]}\r\n`;
  return out;
}

/** The engine API proxy: every request passes to dockerd unchanged but for the container's cgroup parent. */
function startProxy(socket: string, cgroupParent: string, created: string[]): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    const isCreate = req.method === "POST" && /^(\/v[\d.]+)?\/containers\/create(\?|$)/.test(req.url ?? "");
    const forward = (body?: Buffer) => {
      const headers = { ...req.headers };
      if (body) headers["content-length"] = String(body.length);
      const upstream = http.request(
        { socketPath: DOCKER_SOCKET, method: req.method, path: req.url, headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.rawHeaders);
          // Streams such as /containers/{id}/wait send their headers long before a body.
          res.flushHeaders();
          up.pipe(res);
        },
      );
      upstream.on("error", (e) => res.destroy(e));
      if (body) upstream.end(body);
      else req.pipe(upstream);
    };
    const refuse = (message: string) => {
      res.writeHead(403, { "Content-Type": "application/json" });
      res.end(`${JSON.stringify({ message })}\n`);
    };
    if (!isCreate) {
      const refused = refusal(req.method ?? "", req.url ?? "");
      if (refused) {
        req.resume();
        refuse(refused);
      } else forward();
      return;
    }
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const spec = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as {
        Image?: string;
        HostConfig?: Record<string, unknown>;
      };
      const refused = refusal("POST", req.url ?? "", spec);
      if (refused) return refuse(refused);
      spec.HostConfig = { ...spec.HostConfig, CgroupParent: cgroupParent };
      created.push(spec.Image ?? "");
      forward(Buffer.from(JSON.stringify(spec)));
    });
  });
  // attach and exec hijack the connection (Upgrade: tcp): pass the raw stream both ways.
  server.on("upgrade", (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const upstream = net.connect(DOCKER_SOCKET, () => {
      upstream.write(`${req.method} ${req.url} HTTP/1.1\r\n${headersOf(req.rawHeaders)}\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(socket, () => resolve(server));
  });
}

/** Raises the fence (see above). Needs root, iptables with the cgroup match, and dockerd's cgroupfs driver. */
export async function fenceOffLabRegistry(id: string): Promise<LabFence> {
  const driver = execFileSync("docker", ["info", "--format", "{{.CgroupDriver}}"]).toString().trim();
  if (driver !== "cgroupfs")
    throw new Error(`the lab fence needs dockerd's cgroupfs driver (CgroupParent as a path), not ${driver}`);
  const mounts = cgroupMounts(readFileSync("/proc/self/mounts", "utf8"));
  if (!mounts.v2) throw new Error("the lab fence needs a cgroup v2 hierarchy (iptables' cgroup --path)");
  const cgroup = `${CGROUP_PREFIX}${id}`;
  const v2root = mounts.v2;
  for (const stale of staleFenceRules(execFileSync(IPTABLES, ["-S", "OUTPUT"]).toString(), (c) =>
    cgroupInUse(join(v2root, c)),
  ))
    execFileSync(IPTABLES, stale);
  const v2dir = join(mounts.v2, cgroup);
  mkdirSync(v2dir, { recursive: true });
  const rule = fenceRule(cgroup);
  execFileSync(IPTABLES, ["-I", "OUTPUT", ...rule]);
  let removed = false;
  // Even if the run is cut short (afterAll never runs), the rule goes with the process.
  const dropRule = () => {
    if (removed) return;
    removed = true;
    execFileSync(IPTABLES, ["-D", "OUTPUT", ...rule], { stdio: "ignore" });
  };
  process.once("exit", dropRule);
  const socket = join(mkdtempSync(join(tmpdir(), "lab-fence-")), "docker.sock");
  const created: string[] = [];
  let server: http.Server;
  try {
    server = await startProxy(socket, `/${cgroup}`, created);
  } catch (e) {
    dropRule();
    throw e;
  }
  return {
    cgroup,
    dockerHost: `unix://${socket}`,
    created,
    command: (command, args) => [
      "/bin/sh",
      ["-c", 'echo $$ > "$1" && shift && exec "$@"', "sh", join(v2dir, "cgroup.procs"), command, ...args],
    ],
    async remove() {
      try {
        dropRule();
      } finally {
        process.removeListener("exit", dropRule);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        // docker made the parent in every hierarchy; empty once the fenced processes and containers are gone.
        for (const root of mounts.all) {
          const dir = join(root, cgroup);
          if (!existsSync(dir)) continue;
          try {
            rmdirSync(dir);
          } catch (e) {
            process.stderr.write(`lab fence: ${dir} left behind (${(e as Error).message})\n`);
          }
        }
      }
    },
  };
}
