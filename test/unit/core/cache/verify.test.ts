import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  CACHE_METADATA,
  describeCacheProblem,
  pruneMetadata,
  repairCacheDir,
  stampCacheDir,
  stampPathOf,
} from "../../../../src/core/cache/verify.js";

const sha = (data: string) => `sha256:${createHash("sha256").update(data).digest("hex")}`;

/** A cache dir as the lifecycle leaves it: committed/ with two cached layers and their metadata. */
function cacheDir(): { dir: string; uv: string; wheels: string } {
  const dir = mkdtempSync(join(tmpdir(), "cache-verify-"));
  const committed = join(dir, "committed");
  mkdirSync(committed);
  const uvData = "uv binary ".repeat(1000);
  const wheelsData = "wheels";
  const uv = sha(uvData);
  const wheels = sha(wheelsData);
  writeFileSync(join(committed, `${uv}.tar`), uvData);
  writeFileSync(join(committed, `${wheels}.tar`), wheelsData);
  writeFileSync(
    join(committed, CACHE_METADATA),
    JSON.stringify({
      sbom: { sha: "" },
      buildpacks: [
        {
          key: "ml-buildpacks/uv",
          version: "0.1.0",
          layers: {
            uv: { sha: uv, data: { version: "0.13.9" }, cache: true },
            "uv-cache": { sha: wheels, cache: true },
          },
        },
      ],
    }),
  );
  return { dir, uv, wheels };
}

const layersOf = (dir: string) =>
  (
    JSON.parse(readFileSync(join(dir, "committed", CACHE_METADATA), "utf8")) as {
      buildpacks: { layers: Record<string, unknown> }[];
    }
  ).buildpacks[0]?.layers;

describe("pruneMetadata", () => {
  test("keeps the layers whose tar is sound and drops the others, SBOM included", () => {
    const { metadata, dropped } = pruneMetadata(
      {
        sbom: { sha: "sha256:s" },
        buildpacks: [{ key: "a", layers: { one: { sha: "sha256:1" }, two: { sha: "sha256:2" } } }],
      },
      new Set(["sha256:1"]),
    );
    expect(dropped).toEqual([
      { layer: "a:two", sha: "sha256:2" },
      { layer: "SBOM", sha: "sha256:s" },
    ]);
    expect(metadata.buildpacks?.[0]?.layers).toEqual({ one: { sha: "sha256:1" } });
    expect(metadata.sbom?.sha).toBe("");
  });

  test("nothing to drop: the same layers", () => {
    const input = { buildpacks: [{ key: "a", layers: { one: { sha: "sha256:1" } } }] };
    expect(pruneMetadata(input, new Set(["sha256:1"])).dropped).toEqual([]);
  });
});

describe("repairCacheDir", () => {
  test("a sound cache is left as it is", async () => {
    const { dir } = cacheDir();
    const before = readdirSync(join(dir, "committed")).sort();
    expect(await repairCacheDir(dir)).toEqual([]);
    expect(readdirSync(join(dir, "committed")).sort()).toEqual(before);
  });

  test("a truncated layer tar is deleted with its metadata entry; the other layer stays", async () => {
    const { dir, uv, wheels } = cacheDir();
    truncateSync(join(dir, "committed", `${uv}.tar`), 100);
    const problems = await repairCacheDir(dir);
    expect(problems).toEqual([
      {
        kind: "damaged-layer",
        layer: "ml-buildpacks/uv:uv",
        expected: uv,
        found: expect.stringMatching(/^sha256:/),
      },
    ]);
    expect(existsSync(join(dir, "committed", `${uv}.tar`))).toBe(false);
    expect(existsSync(join(dir, "committed", `${wheels}.tar`))).toBe(true);
    expect(Object.keys(layersOf(dir) ?? {})).toEqual(["uv-cache"]);
    expect(describeCacheProblem(dir, problems[0] as never)).toMatch(
      /the cached layer ml-buildpacks\/uv:uv in .* is damaged \(truncated or corrupted: .*\): it is dropped and rebuilt/,
    );
  });

  test("a corrupted layer (same size, other bytes) is found too", async () => {
    const { dir, wheels } = cacheDir();
    writeFileSync(join(dir, "committed", `${wheels}.tar`), "wheelz");
    expect((await repairCacheDir(dir)).map((p) => p.kind)).toEqual(["damaged-layer"]);
    expect(Object.keys(layersOf(dir) ?? {})).toEqual(["uv"]);
  });

  test("a layer whose tar is missing is dropped from the metadata", async () => {
    const { dir, uv } = cacheDir();
    const { rmSync } = await import("node:fs");
    rmSync(join(dir, "committed", `${uv}.tar`));
    expect(await repairCacheDir(dir)).toEqual([
      { kind: "missing-layer", layer: "ml-buildpacks/uv:uv", expected: uv },
    ]);
  });

  test("unreadable metadata (a truncated archive): committed/ is emptied", async () => {
    const { dir } = cacheDir();
    writeFileSync(join(dir, "committed", CACHE_METADATA), '{"buildpacks": [');
    const problems = await repairCacheDir(dir);
    expect(problems.map((p) => p.kind)).toEqual(["unreadable-metadata"]);
    expect(readdirSync(join(dir, "committed"))).toEqual([]);
  });

  test("a commit interrupted between its two renames: committed-backup/ becomes committed/ again", async () => {
    const { dir, uv } = cacheDir();
    const { renameSync } = await import("node:fs");
    renameSync(join(dir, "committed"), join(dir, "committed-backup"));
    expect(await repairCacheDir(dir)).toEqual([{ kind: "restored-backup" }]);
    expect(existsSync(join(dir, "committed", `${uv}.tar`))).toBe(true);
  });

  test("an empty or new cache dir is fine", async () => {
    expect(await repairCacheDir(mkdtempSync(join(tmpdir(), "cache-verify-")))).toEqual([]);
  });
});

describe("guardCacheDir with clear (--clear-cache)", () => {
  test("empties the dir once the lock (beside it) is held", async () => {
    const { guardCacheDir } = await import("../../../../src/core/executor/cache-guard.js");
    const { lockPathOf } = await import("../../../../src/core/cache/lock.js");
    const { dir } = cacheDir();
    const infos: string[] = [];
    const release = await guardCacheDir(dir, { info: (m) => void infos.push(m), warn: () => {} }, true);
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(lockPathOf(dir))).toBe(true);
    expect(infos).toEqual([`cleared the layer cache in ${dir}`]);
    release();
    expect(existsSync(lockPathOf(dir))).toBe(false);
  });
});

describe("the stamp a build leaves beside the cache dir", () => {
  test("a tar unchanged since the stamp (same inode, size, mtime) is trusted without hashing", async () => {
    const { dir, wheels } = cacheDir();
    const tar = join(dir, "committed", `${wheels}.tar`);
    utimesSync(tar, 1_700_000_000, 1_700_000_000);
    stampCacheDir(dir);
    expect(existsSync(stampPathOf(dir))).toBe(true);
    // Same size and mtime, other bytes: only a hash would see it, and the stamp says none is needed.
    writeFileSync(tar, "wheelz");
    utimesSync(tar, 1_700_000_000, 1_700_000_000);
    expect(await repairCacheDir(dir)).toEqual([]);
  });

  test("a tar changed since the stamp is hashed again and dropped when damaged", async () => {
    const { dir, uv } = cacheDir();
    stampCacheDir(dir);
    truncateSync(join(dir, "committed", `${uv}.tar`), 100);
    expect((await repairCacheDir(dir)).map((p) => p.kind)).toEqual(["damaged-layer"]);
  });

  test("an unreadable stamp means hashing everything", async () => {
    const { dir, wheels } = cacheDir();
    writeFileSync(stampPathOf(dir), "not json");
    writeFileSync(join(dir, "committed", `${wheels}.tar`), "wheelz");
    expect((await repairCacheDir(dir)).map((p) => p.kind)).toEqual(["damaged-layer"]);
  });
});
