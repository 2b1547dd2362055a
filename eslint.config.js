import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";
import noServerValuesInBrowser from "./eslint-rules/no-server-values-in-browser.js";

// The classic Remix compiler only empties `.server` modules inside app/, and silently: the
// top-level db/, search/, workflows/ and server/ would be bundled for the browser if a client
// module imported them. Only app/**/*.server.ts (and route loaders/actions via those) may.
const serverOnly = {
  patterns: [
    {
      group: ["**/db/*", "**/db/**", "**/search/**", "**/server/**", "**/workflows/*.service*", "**/workflows/*.server*"],
      message: "Client-reachable code in app/ must reach db/, search/, server/ and workflow services through an app/**/*.server.ts module.",
    },
    { group: ["postgres", "drizzle-orm", "drizzle-orm/*", "@electric-sql/*", "meilisearch", "@tiptap/html", "@tiptap/html/*", "pino", "node:*"], message: "Server-only package: import it from an app/**/*.server.ts module." },
  ],
};

export default tseslint.config(
  { ignores: ["build/", "public/build/", "node_modules/", "vendor/", "data/", "artifacts/", "dist/", ".cache/", "db/migrations/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-restricted-imports": ["error", { patterns: [{ group: ["../tests/*", "../../tests/*", "**/tests/**"], message: "App code never imports tests." }] }],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/**/*.server.{ts,tsx}", "app/entry.server.tsx"],
    plugins: { vetted: { rules: { "no-server-values-in-browser": noServerValuesInBrowser } } },
    rules: { "no-restricted-imports": ["error", serverOnly], "vetted/no-server-values-in-browser": "error" },
  },
  {
    // The approval machine stays pure: no I/O of any kind.
    files: ["workflows/approval.machine.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/db/**", "**/*.server*", "postgres", "drizzle-orm*", "node:*", "**/server/**"], message: "The approval machine is pure: no I/O imports." }] }],
    },
  },
  {
    files: ["tests/**", "bench/**"],
    rules: { "no-restricted-imports": "off" },
  },
);
