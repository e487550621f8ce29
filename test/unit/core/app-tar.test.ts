import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  appLayerTar,
  layerEntries,
  notUstar,
  splitName,
  ustarHeader,
} from "../../../src/core/fast-path/app-tar.js";
import { listSourceTree } from "../../../src/core/fast-path/source-digest.js";

const owner = { uid: 1000, gid: 1001 };
const file = (name: string, size = 3) => ({
  name,
  kind: "file" as const,
  mode: 0o644,
  size,
  linkTarget: "",
  rel: name,
});

/** A field as Go's reader sees it: text up to the first NUL. */
const field = (b: Buffer, off: number, len: number): string =>
  b
    .subarray(off, off + len)
    .toString("latin1")
    .split("\0")[0] ?? "";

describe("USTAR headers as Go's archive/tar writes them", () => {
  test("fields: octal with a NUL, mtime 1980-01-01T00:00:01Z, ustar magic, empty user and group names", () => {
    const h = ustarHeader(file("/workspace/app.py", 1234), owner);
    expect(h.length).toBe(512);
    expect(field(h, 0, 100)).toBe("/workspace/app.py");
    expect(h.subarray(100, 108).toString("latin1")).toBe("0000644\0");
    expect(field(h, 108, 8)).toBe("0001750");
    expect(field(h, 116, 8)).toBe("0001751");
    expect(h.subarray(124, 136).toString("latin1")).toBe("00000002322\0");
    expect(Number.parseInt(field(h, 136, 12), 8)).toBe(Date.UTC(1980, 0, 1, 0, 0, 1) / 1000);
    expect(String.fromCharCode(h[156] ?? 0)).toBe("0");
    expect(h.subarray(257, 265).toString("latin1")).toBe("ustar\x0000");
    expect(field(h, 265, 32)).toBe("");
    expect(h.subarray(329, 345).toString("latin1")).toBe("0000000\x000000000\0");
  });

  test("the checksum: six octal digits, NUL, space, over the header with the field as spaces", () => {
    const h = ustarHeader({ ...file("/workspace/run.sh"), mode: 0o4755 }, owner);
    const stored = h.subarray(148, 156).toString("latin1");
    expect(stored).toMatch(/^[0-7]{6}\0 $/);
    const copy = Buffer.from(h);
    copy.fill(0x20, 148, 156);
    expect(Number.parseInt(stored, 8)).toBe(copy.reduce((n, b) => n + b, 0));
    expect(field(h, 100, 8)).toBe("0004755");
  });

  test("directories and symlinks have size 0; a symlink keeps its target", () => {
    const dir = ustarHeader({ ...file("/workspace/src"), kind: "dir", mode: 0o755, size: 0 }, owner);
    expect(String.fromCharCode(dir[156] ?? 0)).toBe("5");
    expect(field(dir, 0, 100)).toBe("/workspace/src");
    const link = ustarHeader(
      { ...file("/workspace/l"), kind: "symlink", size: 0, linkTarget: "app.py" },
      owner,
    );
    expect(String.fromCharCode(link[156] ?? 0)).toBe("2");
    expect(field(link, 157, 100)).toBe("app.py");
    expect(field(link, 124, 12)).toBe("00000000000");
  });

  test("names over 100 bytes split at a slash into prefix and name, as splitUSTARPath does", () => {
    const long = `/workspace/${"d".repeat(60)}/${"e".repeat(40)}/model.bin`;
    expect(splitName(long)).toEqual([`/workspace/${"d".repeat(60)}/${"e".repeat(40)}`, "model.bin"]);
    const h = ustarHeader(file(long), owner);
    expect(field(h, 345, 155)).toBe(`/workspace/${"d".repeat(60)}/${"e".repeat(40)}`);
    expect(field(h, 0, 100)).toBe("model.bin");
    expect(splitName(`/workspace/${"x".repeat(120)}`)).toBeUndefined();
  });

  test("what Go would write as PAX is refused (the build then runs every phase)", () => {
    expect(notUstar(file("/workspace/app.py"), owner)).toBeUndefined();
    expect(notUstar(file("/workspace/café.py"), owner)).toMatch(/PAX/);
    expect(notUstar(file(`/workspace/${"x".repeat(120)}`), owner)).toMatch(/PAX/);
    expect(notUstar(file("/workspace/big.bin", 8 ** 11), owner)).toMatch(/8 GiB/);
    expect(
      notUstar({ ...file("/workspace/l"), kind: "symlink", linkTarget: "t".repeat(101) }, owner),
    ).toMatch(/symlink/);
    expect(notUstar(file("/workspace/a"), { uid: 8 ** 7, gid: 0 })).toMatch(/user id/);
  });
});

test("entries: /workspace first, then byte order of the full path (a.b before a/x)", () => {
  const names = layerEntries({
    rootMode: 0o755,
    entries: ["a", "a/x", "a.b", "B"].map((p) => ({
      path: p,
      kind: p === "a" ? ("dir" as const) : ("file" as const),
      executable: false,
      content: "",
      mode: 0o644,
      size: 0,
      linkTarget: "",
    })),
  }).map((e) => e.name);
  expect(names).toEqual(["/workspace", "/workspace/B", "/workspace/a", "/workspace/a.b", "/workspace/a/x"]);
});

test("the whole tar reads back with GNU tar: owner, mode, mtime, symlink, file bytes", () => {
  const app = mkdtempSync(join(tmpdir(), "app-tar-"));
  mkdirSync(join(app, "src"));
  writeFileSync(join(app, "src", "main.py"), "print('hi')\n");
  writeFileSync(join(app, "run.sh"), "#!/bin/sh\n");
  chmodSync(join(app, "run.sh"), 0o755);
  symlinkSync("src/main.py", join(app, "main.py"));
  const tree = listSourceTree(app, []);
  const tar = appLayerTar(layerEntries(tree), owner, (rel) => readFileSync(join(app, rel)));
  expect(tar.length % 512).toBe(0);
  const list = spawnSync("tar", ["-tv", "--numeric-owner", "--full-time", "-f", "-"], { input: tar });
  expect(list.status, list.stderr.toString()).toBe(0);
  const lines = list.stdout.toString().trim().split("\n");
  expect(lines.map((l) => l.split(/\s+/).slice(5).join(" "))).toEqual([
    "/workspace",
    "/workspace/main.py -> src/main.py",
    "/workspace/run.sh",
    "/workspace/src",
    "/workspace/src/main.py",
  ]);
  expect(lines[2]).toMatch(/^-rwxr-xr-x 1000\/1001\s+10 1980-01-01 00:00:01 /);
  const content = spawnSync("tar", ["-xO", "-f", "-", "/workspace/src/main.py"], { input: tar });
  expect(content.stdout.toString()).toBe("print('hi')\n");
});
