// docs/github-action.md's provenance examples must run as written: every `steps.<id>.outputs.<name>`
// they read is an output of the action that step uses, and the subject digest is a sha256 digest.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { imageName, parseImageRef } from "../../../src/core/image-ref.js";

const REPO = join(import.meta.dirname, "..", "..", "..");
const read = (...p: string[]) => readFileSync(join(REPO, ...p), "utf8");

/** The action.yml a `uses:` names: ours (root or merge/), or undefined for third-party actions. */
function actionFile(uses: string): string | undefined {
  if (/^ml-buildpacks\/ml-buildpacks\/merge@/.test(uses)) return "merge/action.yml";
  if (/^ml-buildpacks\/ml-buildpacks@/.test(uses)) return "action.yml";
  return undefined;
}

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  jobs: Record<string, { permissions?: Record<string, string>; steps: Step[] }>;
}

function provenanceExamples(): Workflow[] {
  const doc = read("docs", "github-action.md");
  const section = doc.slice(
    doc.indexOf("# Provenance and signing"),
    doc.indexOf("# Multi-arch: the merge step"),
  );
  const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map(
    (m) => parse(m[1] as string) as Workflow,
  );
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  return blocks;
}

describe("the provenance examples in docs/github-action.md", () => {
  const examples = provenanceExamples();

  test.each(examples.map((w, i) => [i, w] as const))(
    "example %i reads only outputs its steps' actions have",
    (_i, workflow) => {
      let used = 0;
      for (const job of Object.values(workflow.jobs)) {
        const actionOf = new Map(
          job.steps.filter((s) => s.id && s.uses).map((s) => [s.id, s.uses as string]),
        );
        const text = JSON.stringify(job.steps);
        for (const m of text.matchAll(/\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}/g)) {
          const [, id, output] = m as unknown as [string, string, string];
          const file = actionFile(actionOf.get(id) ?? "");
          expect(file, `step ${id} runs one of our actions`).toBeDefined();
          const outputs = (parse(read(file as string)) as { outputs: Record<string, unknown> }).outputs;
          expect(Object.keys(outputs), `${file} has output ${output}`).toContain(output);
          used++;
        }
      }
      expect(used, "the example reads the name and digest outputs").toBeGreaterThanOrEqual(2);
    },
  );

  test.each(examples.map((w, i) => [i, w] as const))(
    "example %i attests with the permissions it needs",
    (_i, workflow) => {
      const attesting = Object.values(workflow.jobs).filter((j) =>
        j.steps.some((s) => s.uses?.startsWith("actions/attest-build-provenance@")),
      );
      expect(attesting).toHaveLength(1);
      const [job] = attesting;
      expect(job?.permissions).toMatchObject({
        "id-token": "write",
        attestations: "write",
        packages: "write",
      });
      const attest = job?.steps.find((s) => s.uses?.startsWith("actions/attest-build-provenance@"));
      expect(attest?.with).toMatchObject({
        "subject-name": expect.stringMatching(/outputs\.name \}\}$/),
        "subject-digest": expect.stringMatching(/outputs\.digest \}\}$/),
        "push-to-registry": true,
      });
    },
  );
});

describe("the outputs attest-build-provenance takes", () => {
  test("name: the repository, fully qualified, without tag or digest", () => {
    expect(imageName(parseImageRef("ghcr.io/org/app:1.0"))).toBe("ghcr.io/org/app");
    expect(imageName(parseImageRef(`ghcr.io/org/app@sha256:${"a".repeat(64)}`))).toBe("ghcr.io/org/app");
    expect(imageName(parseImageRef("acme/app:1"))).toBe("index.docker.io/acme/app");
  });

  test("digest: both actions document a sha256 digest; the report's digest is one (test/e2e/signing.test.ts)", () => {
    for (const file of ["action.yml", "merge/action.yml"]) {
      const outputs = (parse(read(file)) as { outputs: Record<string, { description: string }> }).outputs;
      expect(outputs.digest?.description).toMatch(/sha256:/);
      expect(outputs.name).toBeDefined();
    }
  });
});
