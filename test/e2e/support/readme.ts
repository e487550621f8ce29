import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The README's quick starts, taken from the README itself so the tests run what users copy: each is
 * the fenced block right after a `<!-- quickstart: NAME -->` marker.
 */
export function readmeQuickStarts(repo: string): Map<string, string> {
  const text = readFileSync(join(repo, "README.md"), "utf8");
  const found = new Map<string, string>();
  for (const match of text.matchAll(/<!-- quickstart: ([\w-]+) -->\n```\w*\n([\s\S]*?)\n```/g)) {
    const [, name, body] = match;
    if (name && body !== undefined) found.set(name, `${body}\n`);
  }
  return found;
}

export function readmeQuickStart(repo: string, name: string): string {
  const block = readmeQuickStarts(repo).get(name);
  if (!block) throw new Error(`README.md has no quick start marked <!-- quickstart: ${name} -->`);
  return block;
}

/** The one change the simulation makes: the public registry's host. */
export function onRegistry(text: string, host: string): string {
  return text.replaceAll("ghcr.io", host);
}
