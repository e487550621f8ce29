/**
 * WWW-Authenticate parsing (RFC 7235): a header may hold several challenges, each a scheme and
 * auth-params whose values are tokens or quoted strings; quoted strings may hold commas (a scope
 * such as "repository:a:pull,push") and backslash escapes. Pure.
 */
export interface Challenge {
  /** Lower case: "bearer", "basic". */
  scheme: string;
  /** Parameter names lower case, values unquoted. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let rest = header;
  const skip = (pattern: RegExp) => {
    rest = rest.replace(pattern, "");
  };
  while (rest.length > 0) {
    skip(/^[\s,]+/);
    const scheme = TOKEN.exec(rest)?.[0];
    if (!scheme) break;
    rest = rest.slice(scheme.length);
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    // Params until the next challenge: a token not followed by "=" starts one.
    for (;;) {
      skip(/^[\s,]+/);
      const name = TOKEN.exec(rest)?.[0];
      if (!name) break;
      const after = rest.slice(name.length).replace(/^\s*/, "");
      if (!after.startsWith("=") || after.startsWith("==")) {
        // token68 (e.g. "Basic abc=") belongs to this challenge only when it comes first.
        if (Object.keys(challenge.params).length === 0 && after.startsWith("=")) {
          rest = after.replace(/^=+/, "");
          continue;
        }
        break;
      }
      rest = after.slice(1).replace(/^\s*/, "");
      let value: string;
      if (rest.startsWith('"')) {
        let i = 1;
        value = "";
        while (i < rest.length && rest[i] !== '"') {
          if (rest[i] === "\\" && i + 1 < rest.length) i++;
          value += rest[i];
          i++;
        }
        rest = rest.slice(i + 1);
      } else {
        value = /^[^\s,]*/.exec(rest)?.[0] ?? "";
        rest = rest.slice(value.length);
      }
      challenge.params[name.toLowerCase()] = value;
    }
  }
  return challenges;
}
