import { describe, expect, test } from "vitest";
import {
  inputsAfterExport,
  runsPreExport,
  throwawayPlan,
} from "../../../../src/core/pre-export/throwaway-plan.js";
import { type Fetch, RegistryClient } from "../../../../src/core/registry/client.js";

const works = { supported: true, why: "HTTP 404" };
const refused = { supported: false, why: "HTTP 405, deletes disabled" };

describe("what a build may push that it then has to delete", () => {
  test("where deletes work: pre-export stages, --compression small recompresses; no note", () => {
    expect(throwawayPlan(works, "fast")).toEqual({ stage: true, recompress: false });
    expect(throwawayPlan(works, "small")).toEqual({ stage: true, recompress: true });
  });

  test("where the registry refuses deletes: neither, and the log says why once", () => {
    const fast = throwawayPlan(refused, "fast");
    expect(fast).toMatchObject({ stage: false, recompress: false });
    expect(fast.note).toContain("does not delete manifests (HTTP 405, deletes disabled)");
    expect(fast.note).not.toContain("--compression small");
    const small = throwawayPlan(refused, "small");
    expect(small).toMatchObject({ stage: false, recompress: false });
    expect(small.note).toContain("nor recompresses the new layers after it (--compression small)");
  });

  test("not publishing (no registry asked): nothing", () => {
    expect(throwawayPlan(undefined, "small")).toEqual({ stage: false, recompress: false });
  });
});

describe("whether pre-export runs", () => {
  test("only with a runner and something to do: staging or the inputs", () => {
    expect(runsPreExport({ runner: true, stage: true, label: false })).toBe(true);
    expect(runsPreExport({ runner: true, stage: false, label: true })).toBe(true);
    expect(runsPreExport({ runner: true, stage: false, label: false })).toBe(false);
    expect(runsPreExport({ runner: false, stage: true, label: true })).toBe(false);
  });
});

describe("how the inputs reach the image", () => {
  test("in the exporter's image when pre-export wrote them, whatever the registry", () => {
    expect(inputsAfterExport({ inputs: true, labeled: true, deletes: false })).toBe("exported");
    expect(inputsAfterExport({ inputs: true, labeled: true, deletes: true })).toBe("exported");
  });

  test("otherwise a relabelled copy where deletes work; nowhere (no leftover) where they don't", () => {
    expect(inputsAfterExport({ inputs: true, labeled: false, deletes: true })).toBe("relabel");
    expect(inputsAfterExport({ inputs: true, labeled: false, deletes: false })).toBe("lost");
  });

  test("no inputs to record: nothing to do", () => {
    expect(inputsAfterExport({ inputs: false, labeled: false, deletes: false })).toBe("exported");
  });
});

describe("asking the registry whether it deletes (RegistryClient.deleteSupport)", () => {
  const client = (status: number) => {
    const asked: { url: string; method?: string }[] = [];
    const fetch = async (url: string | URL, init?: { method?: string }) => {
      asked.push({ url: String(url), method: init?.method });
      return new Response(status === 202 ? null : "{}", { status });
    };
    return {
      asked,
      client: new RegistryClient("registry.example", {
        fetch: fetch as unknown as Fetch,
        backoff: [],
      }),
    };
  };

  test("a DELETE of the all-zero digest: 404 (unknown) or 202 means deletes work", async () => {
    const { client: c, asked } = client(404);
    expect(await c.deleteSupport("org/app")).toEqual({ supported: true, why: "HTTP 404" });
    expect(asked).toEqual([
      { url: `https://registry.example/v2/org/app/manifests/sha256:${"0".repeat(64)}`, method: "DELETE" },
    ]);
    expect((await client(202).client.deleteSupport("org/app")).supported).toBe(true);
  });

  test("405 (GHCR, deletes disabled), 403 (no delete scope) or a server error: they don't", async () => {
    expect(await client(405).client.deleteSupport("org/app")).toEqual({
      supported: false,
      why: "HTTP 405, deletes disabled",
    });
    expect((await client(403).client.deleteSupport("org/app")).supported).toBe(false);
    expect((await client(500).client.deleteSupport("org/app")).supported).toBe(false);
  });
});
