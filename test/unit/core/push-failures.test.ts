import { expect, test } from "vitest";
import { explainPushFailure } from "../../../src/core/registry/push-failures.js";

// Lines as the lifecycle 0.21 exporter printed them in test/e2e/faults.test.ts.
const FULL =
  "ERROR: failed to export: failed to write image to the following tags: [127.0.0.1:33721/e2e/app:1: POST http://127.0.0.1:33721/v2/e2e/app/blobs/uploads/: UNKNOWN: unknown error; map[DriverName:filesystem Enclosed:map[Err:28 Op:write Path:/tmp/x/_uploads/30874e6b/startedat]]]";
const DOWN =
  'ERROR: failed to export: failed to write image to the following tags: [127.0.0.1:43185/e2e/app:1: Head "http://127.0.0.1:43185/v2/e2e/app/blobs/sha256:04": dial tcp 127.0.0.1:43185: connect: connection refused]';
const THROTTLED =
  "ERROR: failed to export: failed to write image to the following tags: [r.test/app:1: PATCH https://r.test/v2/app/blobs/uploads/x: TOOMANYREQUESTS: retry later]";

test.each([
  ["the registry's disk is full", FULL, /storage is full.*no tag was written/],
  ["the registry went down", DOWN, /stopped answering during the push/],
  ["the registry throttles", THROTTLED, /kept failing or throttling/],
])("%s", (_name, line, reason) => {
  const reasons = explainPushFailure(["Saving 127.0.0.1:5000/e2e/app:1...", line]);
  expect(reasons).toHaveLength(1);
  expect(reasons[0]).toMatch(reason);
});

test("other failures and non-error lines add nothing", () => {
  expect(explainPushFailure(["ERROR: failed to export: invalid run image"])).toEqual([]);
  expect(
    explainPushFailure(["Adding layer 'EOF-handler'", "connection refused in a buildpack's log"]),
  ).toEqual([]);
});
