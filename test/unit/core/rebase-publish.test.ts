// A signed rebase signs every new image before any tag moves, and a failed signature moves none; its
// staging tags are dropped through a placeholder manifest only they name.
import { describe, expect, test } from "vitest";
import { MlBuildpacksError } from "../../../src/core/errors.js";
import { stagingTag } from "../../../src/core/rebase/plan.js";
import { type StagedImage, signOrExplain, signThenTag } from "../../../src/core/rebase/publish.js";
import { placeholderManifest } from "../../../src/core/rebase/staging.js";
import { signMessages } from "../../../src/core/sign/messages.js";

const amd: StagedImage = {
  tag: "r.test/a:1-amd64",
  digest: "sha256:new-amd",
  previousDigest: "sha256:old-amd",
};
const arm: StagedImage = {
  tag: "r.test/a:1-arm64",
  digest: "sha256:new-arm",
  previousDigest: "sha256:old-arm",
};

/** A registry of tags and a signer that records what happened, in order. */
function fakes(failOn?: string) {
  const tags = new Map([
    [amd.tag, amd.previousDigest],
    [arm.tag, arm.previousDigest],
  ]);
  const events: string[] = [];
  return {
    tags,
    events,
    sign: async (image: StagedImage) => {
      if (image.digest === failOn)
        throw new MlBuildpacksError(signMessages.signFailed(`r.test/a@${image.digest}`, "Error: 500", false));
      events.push(`sign ${image.digest}`);
    },
    tag: async (image: StagedImage) => {
      // A tag may only name a signed image.
      if (!events.includes(`sign ${image.digest}`)) throw new Error(`${image.tag} tagged unsigned`);
      tags.set(image.tag, image.digest);
      events.push(`tag ${image.tag}`);
    },
  };
}

describe("signThenTag", () => {
  test("every image is signed before the first tag moves", async () => {
    const f = fakes();
    await signThenTag([amd, arm], f);
    expect(f.events).toEqual([
      "sign sha256:new-amd",
      "sign sha256:new-arm",
      `tag ${amd.tag}`,
      `tag ${arm.tag}`,
    ]);
    expect(f.tags.get(amd.tag)).toBe("sha256:new-amd");
  });

  test("a failed signature moves no tag and says which tag still names what", async () => {
    const f = fakes("sha256:new-arm");
    const run = signThenTag([amd, arm], f);
    await expect(run).rejects.toThrow(MlBuildpacksError);
    await expect(run).rejects.toMatchObject({
      title: expect.stringContaining(`the rebase stopped before moving ${arm.tag}`),
      detail: expect.stringContaining(`${arm.tag} still names the image it named before (sha256:old-arm)`),
    });
    expect([...f.tags.values()]).toEqual(["sha256:old-amd", "sha256:old-arm"]);
    expect(f.events.filter((e) => e.startsWith("tag"))).toEqual([]);
  });

  test("cosign's reason is kept; its own 'nothing was tagged' line gives way to the tag's", async () => {
    const err = await signOrExplain(
      async () => {
        throw new MlBuildpacksError(signMessages.signFailed("r.test/a@sha256:i", "Error: denied", false));
      },
      "r.test/a:1",
      "sha256:old",
    ).catch((e: unknown) => e as MlBuildpacksError);
    expect(err).toBeInstanceOf(MlBuildpacksError);
    expect((err as MlBuildpacksError).detail).toBe(
      "Error: denied\nr.test/a:1 still names the image it named before (sha256:old), with its old signature.",
    );
  });

  test("a bug (not an MlBuildpacksError) passes through unchanged", async () => {
    const bug = new TypeError("x is undefined");
    await expect(signOrExplain(() => Promise.reject(bug), "r.test/a:1", "sha256:old")).rejects.toBe(bug);
  });
});

describe("stagingTag", () => {
  test("names the tag's staging twin, within the 128 characters a tag may have", () => {
    expect(stagingTag("1.0-amd64")).toBe("1.0-amd64.rebase-staging");
    const long = stagingTag("t".repeat(128));
    expect(long).toHaveLength(128);
    expect(long.endsWith(".rebase-staging")).toBe(true);
  });
});

describe("placeholderManifest", () => {
  test("an OCI manifest without layers, unique to its staging tag and image, so only that tag names it", () => {
    const a = placeholderManifest("1.0-amd64.rebase-staging", "sha256:aaa");
    const body = JSON.parse(a.toString()) as {
      mediaType: string;
      layers: unknown[];
      config: { size: number };
    };
    expect(body).toMatchObject({ mediaType: "application/vnd.oci.image.manifest.v1+json", layers: [] });
    expect(body.config.size).toBe(2);
    expect(placeholderManifest("1.0-amd64.rebase-staging", "sha256:aaa").equals(a)).toBe(true);
    expect(placeholderManifest("1.0-amd64.rebase-staging", "sha256:bbb").equals(a)).toBe(false);
    expect(placeholderManifest("1.0-arm64.rebase-staging", "sha256:aaa").equals(a)).toBe(false);
  });
});
