/** The API's OpenAPI 3.1 description, served at /api/v1/openapi.json. Kept beside the routes it describes. */
const error = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" }, fields: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } } },
    },
  },
};
const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Vetted API",
    version: "1.0.0",
    description: "Search certified answers and record their use from help-desk tools. Authenticate with `Authorization: Bearer <token>`; admins create tokens under Admin → API tokens. Rate limit: 600 requests per minute per token (bursts of 60); a 429 carries Retry-After.",
  },
  servers: [{ url: "/" }],
  security: [{ bearer: [] }],
  paths: {
    "/api/v1/search": {
      get: {
        summary: "Search certified answers",
        description: "Only certified answers (and those due for re-verification, flagged) are returned; drafts and archived answers never are. Needs the search:read scope.",
        parameters: [
          { name: "q", in: "query", required: true, schema: { type: "string", maxLength: 1000 }, description: "What the customer asked: keywords, a question or a whole message." },
          { name: "topic", in: "query", schema: { type: "string", format: "uuid" } },
          { name: "tag", in: "query", schema: { type: "string" } },
          { name: "audience", in: "query", schema: { type: "string", enum: ["internal", "public"] } },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 50, default: 10 } },
          { name: "format", in: "query", schema: { type: "string", enum: ["text", "markdown", "html"] }, description: "What `answer` holds (default text); answer_text, answer_markdown and answer_html are always there." },
          { name: "channel", in: "query", schema: { type: "string", enum: ["chat", "email", "social", "phone"] }, description: "Adds `reply`: the whole reply for that channel, as text and HTML." },
        ],
        responses: {
          "200": { description: "Results, best first", content: { "application/json": { schema: { $ref: "#/components/schemas/SearchResponse" } } } },
          "400": errorResponse("Invalid parameters (fields lists each problem)"),
          "401": errorResponse("Missing, invalid or revoked token"),
          "403": errorResponse("The token lacks the search:read scope"),
          "429": errorResponse("Rate limited; see Retry-After"),
        },
      },
    },
    "/api/v1/answers/{id}": {
      get: {
        summary: "One certified answer in every format, with its certificate",
        description: "text (link addresses, bullets and tables kept), Markdown, sanitised HTML, and the reply for each channel; the certificate says who certified which version when, and when it must be re-verified. Needs the search:read scope.",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        responses: {
          "200": { description: "The answer", content: { "application/json": { schema: { $ref: "#/components/schemas/Answer" } } } },
          "401": errorResponse("Missing, invalid or revoked token"),
          "403": errorResponse("The token lacks the search:read scope"),
          "404": errorResponse("No certified answer has this id"),
          "429": errorResponse("Rate limited; see Retry-After"),
        },
      },
    },
    "/api/v1/feedback/stats": {
      get: {
        summary: "How often flags on answers are acted on",
        description:
          "Flags filed since `days` ago, the share acted on (a revision started, or dismissed with a reason) and the median hours to act: overall, per topic and per owner. Needs the insights:read scope.",
        parameters: [
          { name: "topic", in: "query", schema: { type: "string", format: "uuid" } },
          { name: "days", in: "query", schema: { type: "integer", minimum: 1, maximum: 3650, default: 90 } },
        ],
        responses: {
          "200": {
            description: "The figures",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  properties: {
                    since: { type: "string", format: "date-time" },
                    filed: { type: "integer" },
                    acted: { type: "integer" },
                    open: { type: "integer" },
                    actedShare: { type: ["number", "null"], description: "Percent of filed flags acted on" },
                    medianHoursToAct: { type: ["number", "null"] },
                    topics: { type: "array", items: { $ref: "#/components/schemas/ActingRow" } },
                    owners: { type: "array", items: { $ref: "#/components/schemas/ActingRow" } },
                  },
                },
              },
            },
          },
          "400": errorResponse("Invalid parameters (fields lists each problem)"),
          "401": errorResponse("Missing, invalid or revoked token"),
          "403": errorResponse("The token lacks the insights:read scope"),
          "429": errorResponse("Rate limited; see Retry-After"),
        },
      },
    },
    "/api/v1/answers/{id}/uses": {
      post: {
        summary: "Record that an answer was used in a reply",
        description: "Feeds the answer's reuse metrics. Needs the uses:write scope.",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } }],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["channel"],
                properties: {
                  channel: { type: "string", enum: ["phone", "email", "chat", "social"] },
                  kind: { type: "string", enum: ["used", "copy_short", "copy_full"], default: "used" },
                  conversation: { type: "string", maxLength: 200, description: "The ticket: a use counts once per token, answer and conversation (without it, once per 10 minutes)" },
                  query: { type: "string", maxLength: 1000, description: "The search that led to the answer" },
                },
              },
            },
          },
        },
        responses: {
          "201": { description: "Recorded", content: { "application/json": { schema: { $ref: "#/components/schemas/UseResponse" } } } },
          "200": { description: "Already recorded for this conversation (or in the last 10 minutes): counted once", content: { "application/json": { schema: { $ref: "#/components/schemas/UseResponse" } } } },
          "400": errorResponse("Invalid body"),
          "401": errorResponse("Missing, invalid or revoked token"),
          "403": errorResponse("The token lacks the uses:write scope"),
          "404": errorResponse("No certified answer has this id"),
          "429": errorResponse("Rate limited; see Retry-After"),
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    schemas: {
      ActingRow: {
        type: "object",
        properties: {
          id: { type: ["string", "null"], format: "uuid" },
          name: { type: "string" },
          filed: { type: "integer" },
          acted: { type: "integer" },
          open: { type: "integer" },
          actedShare: { type: ["number", "null"] },
          medianHoursToAct: { type: ["number", "null"] },
        },
      },
      Error: error,
      UseResponse: { type: "object", properties: { recorded: { type: "boolean" }, repeated: { type: "boolean" }, useId: { type: "string" }, answerId: { type: "string" }, versionId: { type: "string" } } },
      Certificate: {
        type: "object",
        properties: {
          version: { type: "integer" },
          versionId: { type: "string", format: "uuid" },
          certifiedBy: { type: ["string", "null"] },
          certifiedAt: { type: ["string", "null"], format: "date-time" },
          reverifyAt: { type: ["string", "null"], format: "date-time" },
          reverificationDue: { type: "boolean" },
        },
      },
      Reply: { type: "object", properties: { channel: { type: "string" }, text: { type: "string" }, html: { type: "string" } } },
      Answer: {
        type: "object",
        required: ["id", "question", "shortAnswer", "answer_text", "answer_markdown", "answer_html", "certificate"],
        properties: {
          id: { type: "string", format: "uuid" },
          question: { type: "string" },
          shortAnswer: { type: "string" },
          answer: { type: "string" },
          answer_text: { type: "string", description: "Plain text: links as 'text (address)', '- ' bullets, '1.' steps, tables as aligned columns" },
          answer_markdown: { type: "string" },
          answer_html: { type: "string", description: "Sanitised HTML: only text formatting, links, lists and tables" },
          url: { type: "string" },
          faqUrl: { type: ["string", "null"] },
          audience: { type: "string", enum: ["internal", "public"] },
          certificate: { $ref: "#/components/schemas/Certificate" },
          replies: { type: "object", additionalProperties: { $ref: "#/components/schemas/Reply" } },
        },
      },
      SearchResponse: {
        type: "object",
        required: ["query", "total", "results"],
        properties: {
          query: { type: "string" },
          total: { type: "integer" },
          results: {
            type: "array",
            items: {
              type: "object",
              required: ["id", "question", "shortAnswer", "answer", "url"],
              properties: {
                id: { type: "string", format: "uuid" },
                question: { type: "string" },
                shortAnswer: { type: "string", description: "Fits a social reply (≤ 280 characters)" },
                answer: { type: "string", description: "The full answer, as plain text unless format= asks otherwise" },
                answer_text: { type: "string" },
                answer_markdown: { type: "string" },
                answer_html: { type: "string" },
                reply: { $ref: "#/components/schemas/Reply" },
                certificate: { $ref: "#/components/schemas/Certificate" },
                url: { type: "string" },
                topics: { type: "array", items: { type: "string" } },
                tags: { type: "array", items: { type: "string" } },
                audience: { type: "string", enum: ["internal", "public"] },
                certifiedBy: { type: ["string", "null"] },
                certifiedAt: { type: ["string", "null"], format: "date-time" },
                reverificationDue: { type: "boolean" },
                score: { type: "number" },
                highlights: { type: "object", description: "HTML-escaped snippets with <mark> around matches" },
              },
            },
          },
        },
      },
    },
  },
} as const;
