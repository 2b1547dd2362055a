import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { csrfTokenFor } from "./auth/csrf.server";
import { ROLE_LABELS } from "./auth/policy";
import { getSessionUser } from "./auth/session.server";
import { unreadCount } from "./models/answer.server";
import { navigationFor } from "./ui/navigation";
import { readFlash } from "./utils/flash.server";
import { SignOutForm } from "./ui/sign-out";
import { useEffect, useRef } from "react";
import stylesUrl from "./styles.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesUrl },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Vetted" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, csrf, flash] = await Promise.all([getSessionUser(request), csrfTokenFor(request), readFlash(request)]);
  const unread = user ? await unreadCount(user.id) : 0;
  const headers = new Headers();
  if (csrf.setCookie) headers.append("Set-Cookie", csrf.setCookie);
  if (flash.clear) headers.append("Set-Cookie", flash.clear);
  return data({ user, csrf: csrf.token, unread, flash: flash.message }, { headers });
}

export type RootData = Awaited<ReturnType<typeof loader>>["data"];

export function useRootData(): RootData | undefined {
  return useRouteLoaderData<typeof loader>("root") as RootData | undefined;
}

function Header() {
  const root = useRootData();
  const user = root?.user;
  const location = useLocation();
  const menu = useRef<HTMLInputElement>(null);
  // The phone menu is a checkbox (it works without JavaScript); a page change closes it.
  useEffect(() => {
    if (menu.current) menu.current.checked = false;
  }, [location.pathname]);
  return (
    <header className="site-header">
      <a className="brand" href="/">
        <span className="brand-mark" aria-hidden="true">
          ✓
        </span>
        Vetted
      </a>
      {user ? (
        <>
          {/* The visible text starts the accessible name ("Inbox 3 unread"), as speech users say it. */}
          <NavLink to="/inbox" className="inbox-link">
            Inbox{" "}
            {root?.unread ? <span className="count">{root.unread}</span> : <span className="visually-hidden">0</span>}
            <span className="visually-hidden"> unread</span>
          </NavLink>
          <input type="checkbox" id="menu-toggle" className="menu-toggle" ref={menu} aria-controls="header-panel" />
          <label htmlFor="menu-toggle" className="menu-button">
            <span aria-hidden="true">☰</span> Menu
          </label>
          <div className="header-panel" id="header-panel">
            <nav aria-label="Main">
              <ul>
                {navigationFor(user.roles).map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to} prefetch={item.document ? "none" : "intent"} reloadDocument={item.document}>
                      {item.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
            <div className="whoami">
              <span className="who" data-user-email={user.email}>
                {user.displayName}
                <small>{user.roles.map((r) => ROLE_LABELS[r]).join(", ")}</small>
                <NavLink to="/settings/notifications" className="settings-link">
                  Notification settings
                </NavLink>
              </span>
              <SignOutForm />
            </div>
          </div>
        </>
      ) : null}
    </header>
  );
}

const SESSION_STORAGE_FALLBACK = `try{window.sessionStorage.getItem("x")}catch(e){var m=new Map();Object.defineProperty(window,"sessionStorage",{configurable:true,value:{getItem:function(k){return m.has(k)?m.get(k):null},setItem:function(k,v){m.set(k,String(v))},removeItem:function(k){m.delete(k)},clear:function(){m.clear()},key:function(i){return Array.from(m.keys())[i]||null},get length(){return m.size}}})}`;

/** The message of a form posted without JavaScript, shown once on the page it redirected to. */
function Flash() {
  const message = useRootData()?.flash;
  return message ? (
    <p className="notice success" role="status">
      {message}
    </p>
  ) : null;
}

export function Layout({ children }: { children: React.ReactNode }) {
  // The help-desk panel is framed in another tool's sidebar: no app header there.
  const path = useLocation().pathname;
  const panel = path === "/panel" || path.startsWith("/panel/");
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        {/* A cross-site frame may be denied sessionStorage, which Remix's router touches: a page error
            in the help-desk panel. There, a throwaway in-memory stand-in takes its place. */}
        {panel ? <script dangerouslySetInnerHTML={{ __html: SESSION_STORAGE_FALLBACK }} /> : null}
      </head>
      <body className={panel ? "panel-body" : undefined}>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        {panel ? null : <Header />}
        <main id="main">
          <Flash />
          {children}
        </main>
        {panel ? null : <ScrollRestoration />}
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const title =
      error.status === 403
        ? "You may not do that"
        : error.status === 404
          ? "Page not found"
          : error.status === 409
            ? "This changed since you opened it"
            : `Error ${error.status}`;
    const text =
      typeof error.data === "string" && error.data.length < 500
        ? error.data
        : error.status === 404
          ? "There is nothing at this address. Check the link, or go back to the home page."
          : error.statusText;
    return (
      <section className="error-page" data-status={error.status}>
        <h1>{title}</h1>
        <p>{text}</p>
        <p>
          <a href="/">Go to the home page</a>
        </p>
      </section>
    );
  }
  // Never the stack: in production Remix already replaces the message; in development we still
  // only show it in the console.
  return (
    <section className="error-page" data-status={500}>
      <h1>Something went wrong</h1>
      <p>An unexpected error occurred. It has been logged; please try again.</p>
      <p>
        <a href="/">Go to the home page</a>
      </p>
    </section>
  );
}
