/**
 * Registry authentication as the distribution spec and Docker's clients do it: the registry's 401
 * says how (WWW-Authenticate). Bearer: a token from the realm for the scopes a request needs,
 * anonymous when we have no credentials (public pulls), with Basic credentials (GET), or with an
 * identity token (OAuth2 POST grant_type=refresh_token, GET with Basic where the token server has no
 * OAuth2 endpoint). Tokens are cached per scope until they expire; a 401 despite a cached token
 * fetches a new one once. Basic: the credentials on every request once the registry asked for them.
 */
import { MlBuildpacksError } from "../errors.js";
import { messages } from "../messages.js";
import { parseChallenges } from "./challenge.js";
import type { HttpFetch } from "./http.js";

/** What we hold for one registry. */
export type Credential =
  | { kind: "basic"; username: string; password: string }
  /** An OAuth2 refresh token (docker config `identitytoken`, a helper's `<token>` username). */
  | { kind: "identity"; token: string }
  /** A registry token handed to us as is (CNB_REGISTRY_AUTH "Bearer ..."): sent, never exchanged. */
  | { kind: "registry-token"; token: string };

/** The user name Docker's credential helpers and configs use to mark an identity token. */
export const IDENTITY_TOKEN_USER = "<token>";

/** Pure: a CNB_REGISTRY_AUTH value ("Basic <b64>", "Bearer <token>") as a credential. */
export function credentialOf(value: string | undefined): Credential | undefined {
  if (!value) return undefined;
  const [scheme = "", rest = ""] = value.split(/ (.*)/s);
  if (scheme.toLowerCase() === "bearer") return { kind: "registry-token", token: rest };
  if (scheme.toLowerCase() !== "basic") return undefined;
  const pair = Buffer.from(rest, "base64").toString("utf8");
  const colon = pair.indexOf(":");
  if (colon < 0) return undefined;
  const username = pair.slice(0, colon);
  const password = pair.slice(colon + 1);
  return username === IDENTITY_TOKEN_USER
    ? { kind: "identity", token: password }
    : { kind: "basic", username, password };
}

const basicHeader = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** Pure: the scope string of a request ("repo:pull,push other:pull") as token scopes. */
export function tokenScopes(scope: string): string[] {
  return scope
    .split(" ")
    .filter(Boolean)
    .map((part) => {
      const colon = part.lastIndexOf(":");
      return `repository:${part.slice(0, colon)}:${part.slice(colon + 1)}`;
    });
}

/** Pure: what a scope lets us do, in words, for error messages. */
export function describeScope(scope: string): string {
  const [first = "", ...others] = scope.split(" ").filter(Boolean);
  const colon = first.lastIndexOf(":");
  const repo = first.slice(0, colon);
  const actions = first.slice(colon + 1);
  if (!repo) return "use the registry";
  const from = others.length
    ? ` (mounting from ${others.map((o) => o.slice(0, o.lastIndexOf(":"))).join(", ")})`
    : "";
  if (actions.includes("delete")) return `delete manifests in ${repo}`;
  if (actions.includes("push")) return `push to ${repo}${from}`;
  return `pull from ${repo}`;
}

interface CachedToken {
  token: string;
  /** ms since the epoch; the token is renewed before it. */
  expires: number;
}

/** Seconds a token lives when the token server does not say (distribution's token spec). */
const DEFAULT_EXPIRES_IN = 60;
/** Renew this long before the expiry: a request must not start with a token about to lapse. */
const EXPIRY_MARGIN_MS = 5_000;

export class Authenticator {
  private readonly tokens = new Map<string, CachedToken>();
  /** Set once the registry asked for Basic: the credentials then go with every request. */
  private basic = false;
  private identity: string | undefined;

  constructor(
    private readonly registry: string,
    private readonly credential: Credential | undefined,
    private readonly fetch: HttpFetch,
    private readonly now: () => number = Date.now,
  ) {
    this.identity = credential?.kind === "identity" ? credential.token : undefined;
  }

  /** Whether we send credentials at all (for messages: anonymous or not). */
  get anonymous(): boolean {
    return this.credential === undefined;
  }

  /** The Authorization header for a request needing `scope`, from what is known without asking. */
  header(scope: string): Record<string, string> {
    if (this.credential?.kind === "registry-token")
      return { Authorization: `Bearer ${this.credential.token}` };
    const cached = this.tokens.get(scope);
    if (cached && cached.expires - EXPIRY_MARGIN_MS > this.now())
      return { Authorization: `Bearer ${cached.token}` };
    if (cached) this.tokens.delete(scope);
    const basic = this.basic && this.basicCredential();
    return basic ? { Authorization: basic } : {};
  }

  /**
   * After a 401: follows its challenge. Returns whether the request is worth sending again (false:
   * nothing we could do differently). Throws when the token server refuses us.
   */
  async challenged(header: string | null, scope: string): Promise<boolean> {
    this.tokens.delete(scope);
    const challenges = parseChallenges(header ?? "");
    const bearer = challenges.find((c) => c.scheme === "bearer");
    if (bearer?.params.realm && this.credential?.kind !== "registry-token") {
      await this.fetchToken(bearer.params.realm, bearer.params.service, scope, bearer.params.scope);
      return true;
    }
    if (challenges.some((c) => c.scheme === "basic") && !this.basic && this.basicCredential()) {
      this.basic = true;
      return true;
    }
    return false;
  }

  private basicCredential(): string | undefined {
    if (this.credential?.kind === "basic")
      return basicHeader(this.credential.username, this.credential.password);
    if (this.identity) return basicHeader(IDENTITY_TOKEN_USER, this.identity);
    return undefined;
  }

  private async fetchToken(
    realm: string,
    service: string | undefined,
    scope: string,
    asked: string | undefined,
  ) {
    const scopes = tokenScopes(scope);
    // The registry may name a scope of its own (e.g. a catalog); ask for it too.
    for (const s of asked?.split(" ") ?? []) if (s && !scopes.includes(s)) scopes.push(s);
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new MlBuildpacksError(
        messages.registryTokenRefused(
          this.registry,
          realm,
          0,
          describeScope(scope),
          this.anonymous,
          "its token realm is not a URL",
        ),
      );
    }
    const started = this.now();
    const unreachable = (err: unknown) => {
      throw this.tokenUnreachable(url.host, scope, err);
    };
    let res = this.identity
      ? await this.oauth(url, service, scopes, this.identity).catch(unreachable)
      : undefined;
    // Token servers without the OAuth2 endpoint (distribution's spec allows it) answer 404/405: GET.
    if (!res || res.status === 404 || res.status === 405) {
      const get = new URL(url);
      if (service) get.searchParams.set("service", service);
      for (const s of scopes) get.searchParams.append("scope", s);
      const basic = this.basicCredential();
      res = await this.fetch(get, { headers: basic ? { Authorization: basic } : {} }).catch(unreachable);
    }
    if (!res.ok) {
      const text = (await res.text().catch(() => "")).slice(0, 300);
      throw new MlBuildpacksError(
        messages.registryTokenRefused(
          this.registry,
          url.host,
          res.status,
          describeScope(scope),
          this.anonymous,
          text,
        ),
      );
    }
    const body = (await res.json().catch(() => ({}))) as {
      token?: string;
      access_token?: string;
      expires_in?: number;
      issued_at?: string;
      refresh_token?: string;
    };
    const token = body.token ?? body.access_token;
    if (!token)
      throw new MlBuildpacksError(
        messages.registryTokenRefused(
          this.registry,
          url.host,
          res.status,
          describeScope(scope),
          this.anonymous,
          "the answer holds no token",
        ),
      );
    if (body.refresh_token && this.identity) this.identity = body.refresh_token;
    const issued = body.issued_at ? Date.parse(body.issued_at) : Number.NaN;
    const lifetime =
      (typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : DEFAULT_EXPIRES_IN) *
      1000;
    // issued_at shortens the lifetime by the time the token spent on its way; a clock far off ours
    // (issued in our future, or longer ago than the token lives) is ignored.
    const from =
      Number.isFinite(issued) && issued <= started && started - issued < lifetime ? issued : started;
    this.tokens.set(scope, { token, expires: from + lifetime });
  }

  private oauth(url: URL, service: string | undefined, scopes: string[], refreshToken: string) {
    const form = new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: "ml-buildpacks",
      ...(service ? { service } : {}),
      ...(scopes.length ? { scope: scopes.join(" ") } : {}),
    });
    return this.fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
  }

  private tokenUnreachable(realm: string, scope: string, err: unknown): MlBuildpacksError {
    const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
    const reason = cause?.message ?? (err instanceof Error ? err.message : String(err));
    return new MlBuildpacksError(
      messages.registryTokenRefused(
        this.registry,
        realm,
        0,
        describeScope(scope),
        this.anonymous,
        `no answer: ${reason}`,
      ),
    );
  }
}
