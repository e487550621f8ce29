import { describe, expect, test } from "vitest";
import { rebaserArgs, rebaserDockerArgs, reportDigest } from "../../../src/core/rebase/rebaser.js";

const D = `sha256:${"c".repeat(64)}`;
const plan = {
  image: `reg.test/team/app@${D}`,
  runImage: `reg.test/ns/run:cpu@${D}`,
  force: false,
  output: "reg.test/team/app:1.0-arm64",
};

describe("the lifecycle's rebaser", () => {
  test("reads the image by digest, pushes the output tag, run image pinned", () => {
    expect(
      rebaserArgs(plan, { insecureRegistries: [], logLevel: "info", reportPath: "/o/report.toml" }),
    ).toEqual([
      "-log-level",
      "info",
      "-no-color",
      "-report",
      "/o/report.toml",
      "-previous-image",
      plan.image,
      "-run-image",
      plan.runImage,
      "reg.test/team/app:1.0-arm64",
    ]);
  });

  test("-force only when planned; -insecure-registry per registry", () => {
    const args = rebaserArgs(
      { ...plan, force: true },
      { insecureRegistries: ["a.test:5000", "b.test"], logLevel: "debug", reportPath: "/r" },
    );
    expect(args).toContain("-force");
    expect(args.join(" ")).toContain("-insecure-registry a.test:5000 -insecure-registry b.test");
    expect(args.at(-1)).toBe(plan.output);
  });

  test("docker run: the builder of the platform, root, credentials by name only, CA bundle mounted", () => {
    const args = rebaserDockerArgs({
      builder: { ref: `reg.test/builder@${D}`, platform: "linux/arm64" },
      platformApi: "0.14",
      outDir: "/tmp/out",
      caCerts: "/etc/ca.pem",
      envNames: ["CNB_REGISTRY_AUTH", "HTTPS_PROXY"],
      name: "n",
      args: ["-run-image", "x", "out:1"],
    });
    expect(args.join(" ")).toContain("--platform linux/arm64 --user 0:0");
    expect(args.join(" ")).toContain("-v /etc/ca.pem:/etc/ssl/certs/ca-certificates.crt:ro");
    expect(args.join(" ")).toContain("-e CNB_PLATFORM_API=0.14 -e CNB_REGISTRY_AUTH -e HTTPS_PROXY");
    expect(args.join(" ")).toContain(
      `--entrypoint /cnb/lifecycle/rebaser reg.test/builder@${D} -run-image x out:1`,
    );
    expect(args.some((a) => a.startsWith("CNB_REGISTRY_AUTH="))).toBe(false);
  });

  test("the new digest comes from report.toml", () => {
    expect(reportDigest(`[image]\ntags = ["a:1"]\ndigest = "${D}"\nmanifest-size = 1\n`, "report.toml")).toBe(
      D,
    );
    expect(reportDigest("[image]\n", "report.toml")).toBeUndefined();
  });
});
