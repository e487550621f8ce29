import { expect, test } from "vitest";
import {
  bodylessHeads,
  explainPushFailure,
  explainPushFailureAsking,
} from "../../../src/core/registry/push-failures.js";

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

// The exporter retried a layer whose upload hit a full disk; the retry's HEAD got a bare 500, and
// that is all its output says (test/e2e/faults.test.ts, lifecycle 0.21).
const URL_500 = "http://127.0.0.1:36239/v2/e2e/app/blobs/sha256:5d61";
const HEAD_500 = `ERROR: failed to export: failed to write image to the following tags: [127.0.0.1:36239/e2e/app:1: HEAD ${URL_500}: unexpected status code 500 Internal Server Error (HEAD responses have no body, use GET for details)]`;

test("a bare 500 says the registry failed internally and where to look", () => {
  const reasons = explainPushFailure([HEAD_500]);
  expect(reasons).toHaveLength(1);
  expect(reasons[0]).toMatch(/failed internally \(HTTP 500\).*its log says why/);
  expect(bodylessHeads([HEAD_500, HEAD_500])).toEqual([URL_500]);
});

const answers = (get: string | undefined, upload: string | undefined, asked: string[] = []) => ({
  get: async (url: string) => {
    asked.push(`GET ${url}`);
    return get;
  },
  upload: async (url: string) => {
    asked.push(`upload ${url}`);
    return upload;
  },
});

test("a bodyless 500 to a HEAD whose GET names the cause: shown, explained, no upload tried", async () => {
  const asked: string[] = [];
  const body = 'HTTP 500: {"errors":[{"code":"UNKNOWN","detail":{"Err":28,"Op":"write"}}]}';
  const reasons = await explainPushFailureAsking([HEAD_500], answers(body, "never asked", asked));
  expect(asked).toEqual([`GET ${URL_500}`]);
  expect(reasons[0]).toBe(`the registry's answer to GET ${URL_500}: ${body}`);
  expect(reasons[1]).toMatch(/storage is full/);
});

test("a half-written blob (GET says only 'unknown error'): a new upload's answer shows the full disk", async () => {
  const asked: string[] = [];
  const get = 'HTTP 500: {"errors":[{"code":"UNKNOWN","message":"unknown error","detail":{}}]}';
  const upload =
    'HTTP 500: {"errors":[{"code":"UNKNOWN","detail":"write /var/lib/registry/_uploads/x/startedat: no space left on device"}]}';
  const reasons = await explainPushFailureAsking([HEAD_500], answers(get, upload, asked));
  expect(asked).toEqual([`GET ${URL_500}`, `upload ${URL_500}`]);
  expect(reasons).toHaveLength(3);
  expect(reasons[1]).toBe(`the registry's answer to starting a new upload: ${upload}`);
  expect(reasons[2]).toMatch(/storage is full/);
});

test("the registry says nothing more: the 500 explanation stays; an explained failure asks nothing", async () => {
  expect(await explainPushFailureAsking([HEAD_500], answers(undefined, undefined))).toEqual(
    explainPushFailure([HEAD_500]),
  );
  const never = {
    get: async () => expect.unreachable("GET asked"),
    upload: async () => expect.unreachable("upload asked"),
  };
  expect(await explainPushFailureAsking([FULL], never)).toEqual(explainPushFailure([FULL]));
  expect(await explainPushFailureAsking(["ERROR: failed to export: invalid run image"], never)).toEqual([]);
});
