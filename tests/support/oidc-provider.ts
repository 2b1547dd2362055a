import { createServer, type Server } from "node:http";
import Provider from "oidc-provider";
import { freePort } from "./server";

/** The claims the test identity provider asserts for one account (its login name is the subject). */
export interface IdpAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Login name → claims; change them between sign-ins to play a change at the company. */
  accounts: Map<string, IdpAccount>;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (the `oidc-provider` package) on a free loopback port, with one static
 * confidential client and accounts whose claims the test controls. Its development login and
 * consent pages are the interaction (any password is taken). PKCE is required, as a strict
 * company provider would; email and groups are put in the ID token and /userinfo alike.
 */
export async function startTestIdp(redirectUris: string[], port?: number): Promise<TestIdp> {
  port ??= await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map<string, IdpAccount>();
  const clientId = "vetted-test";
  const clientSecret = "vetted-test-secret-0123456789abcdef";
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: redirectUris, token_endpoint_auth_method: "client_secret_basic" }],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["test-idp-cookie-key-0123456789"] },
    async findAccount(_ctx, id) {
      const claims = accounts.get(id);
      if (!claims) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...claims }) };
    },
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Drives the provider's own pages as a browser without JavaScript would: follows its redirects,
 * fills the login form with `login` and accepts the consent, and returns the URL it finally sends
 * the browser to (our callback, with code and state).
 */
export async function signInAtIdp(authorizationUrl: string, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  let url = new URL(authorizationUrl);
  const origin = url.origin;
  for (let hop = 0; hop < 20; hop++) {
    if (url.origin !== origin) return url;
    let res = await fetch(url, { redirect: "manual", headers: { Cookie: cookieHeader() } });
    keep(res);
    if (res.status === 200 && url.pathname.startsWith("/interaction/")) {
      const html = await res.text();
      const form: Record<string, string> = html.includes('name="login"') ? { prompt: "login", login, password: "any" } : { prompt: "consent" };
      res = await fetch(url, { method: "POST", redirect: "manual", headers: { Cookie: cookieHeader(), "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form) });
      keep(res);
    }
    const location = res.headers.get("location");
    if (!location) throw new Error(`the provider stopped at ${url.href} with ${res.status}: ${(await res.text()).slice(0, 300)}`);
    url = new URL(location, url);
  }
  throw new Error("the provider redirected too often");
}
