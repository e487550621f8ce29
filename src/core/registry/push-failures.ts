// What a failed push in the exporter's output means, in the user's terms. The lifecycle prints
// go-containerregistry's error (the registry's error body, Go's network errors) and exits 62; these
// lines say which of the common registry faults it was and what to do. Pure.

interface Known {
  test: RegExp;
  reason: string;
}

const KNOWN: Known[] = [
  {
    // docker-registry reports a full disk as UNKNOWN with the driver's errno (28 = ENOSPC).
    test: /no space left on device|\bErr:28\b|ENOSPC|insufficient storage|\b507\b|quota exceeded/i,
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
];

/** The exporter's error lines (ERROR: ... / failed to write image ...), mapped to the first matching explanation. */
export function explainPushFailure(lines: readonly string[]): string[] {
  const errors = lines.filter((l) => /ERROR:|failed to (export|write image)/i.test(l));
  for (const known of KNOWN) if (errors.some((l) => known.test.test(l))) return [known.reason];
  return [];
}
