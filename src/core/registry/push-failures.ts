// What a failed push in the exporter's output means, in the user's terms. The lifecycle prints
// go-containerregistry's error (the registry's error body, Go's network errors) and exits 62; these
// lines say which of the common registry faults it was and what to do. Pure, but for the registry
// question injected into explainPushFailureAsking.

interface Known {
  test: RegExp;
  reason: string;
}

const GENERIC_500 =
  "the registry failed internally (HTTP 500) while taking the push: its log says why (often full storage, a broken storage backend, or a blob an earlier failed upload left half-written); mend the registry, then build again; no tag was written";

const KNOWN: Known[] = [
  {
    // docker-registry reports a full disk as UNKNOWN with the driver's errno (28 = ENOSPC).
    test: /no space left on device|\bErr"?:\s*28\b|ENOSPC|insufficient storage|\b507\b|quota exceeded/i,
    reason:
      "the registry's storage is full (it could not write an upload): free space on the registry or raise its quota, then build again; no tag was written",
  },
  {
    test: /connection refused|connection reset|broken pipe|EOF\b|i\/o timeout|no such host/i,
    reason:
      "the registry stopped answering during the push (after the exporter's retries): check that it is up and reachable from here, then build again; no tag was written, and the blobs it already has are reused",
  },
  {
    test: /\b(502|503|504)\b|UNAVAILABLE|Service Unavailable|Bad Gateway|Gateway Timeout|TOOMANYREQUESTS|\b429\b/i,
    reason:
      "the registry kept failing or throttling the push (5xx/429 after the exporter's retries): try again later; no tag was written",
  },
  {
    // Last: a bare 500 is the registry's own failure, whose cause only its log (or a GET's body) has.
    test: /\b500 Internal Server Error\b|status code 500\b|\bHTTP 500\b/i,
    reason: GENERIC_500,
  },
];

/** The exporter's error lines (ERROR: ... / failed to write image ...), mapped to the first matching explanation. */
export function explainPushFailure(lines: readonly string[]): string[] {
  const errors = lines.filter((l) => /ERROR:|failed to (export|write image)/i.test(l));
  for (const known of KNOWN) if (errors.some((l) => known.test.test(l))) return [known.reason];
  return [];
}

/** Where the exporter's HEAD got a 5xx: HEAD answers have no body, so the cause is not in its output. */
export function bodylessHeads(lines: readonly string[]): string[] {
  const urls = new Set<string>();
  for (const line of lines)
    for (const m of line.matchAll(/\bHEAD (https?:\/\/\S+): unexpected status code 5\d\d\b/g))
      if (m[1]) urls.add(m[1]);
  return [...urls];
}

/** What the build may ask the target registry after a failed push (each: its error answer, or undefined). */
export interface RegistryQuestions {
  /** A GET of a URL whose HEAD got a bodyless 5xx. */
  get(url: string): Promise<string | undefined>;
  /** Starting (and at once cancelling) an upload to that URL's repository: can it still store anything? */
  upload(url: string): Promise<string | undefined>;
}

/**
 * explainPushFailure, and where the exporter's output holds only a bodyless 5xx to a HEAD, the target
 * registry's answers to a GET of that URL and to a new upload, shown and matched too. A full disk can
 * show only there: the exporter's retry of a failed upload met a half-written blob (HEAD 500), and its
 * first error, the one naming ENOSPC, is not printed.
 */
export async function explainPushFailureAsking(
  lines: readonly string[],
  ask: RegistryQuestions,
): Promise<string[]> {
  const known = explainPushFailure(lines);
  const url = known.length === 0 || known[0] === GENERIC_500 ? bodylessHeads(lines)[0] : undefined;
  if (!url) return known;
  const answers: string[] = [];
  const got = await ask.get(url);
  if (got) answers.push(`the registry's answer to GET ${url}: ${got}`);
  const explainsGet =
    (explainPushFailure(answers.map((a) => `ERROR: ${a}`))[0] ?? GENERIC_500) !== GENERIC_500;
  const uploaded = explainsGet ? undefined : await ask.upload(url);
  if (uploaded) answers.push(`the registry's answer to starting a new upload: ${uploaded}`);
  if (answers.length === 0) return known;
  return [...answers, ...explainPushFailure([...lines, ...answers.map((a) => `ERROR: ${a}`)])];
}
