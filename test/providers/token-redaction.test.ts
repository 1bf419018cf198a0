/**
 * Tokens stay where they belong (#26): a server that reflects the Authorization header into its error puts no token
 * into the error the provider's create throws, on either protocol, whether it answers with a JSON refusal or a
 * non-JSON 502; each credential the process holds is found verbatim, and anything shaped like one by its shape.
 */
import { strict as assert } from "node:assert";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { closeAllPools, createHttp } from "../../provider/client/transport";
import { coreApiClient } from "../../provider/platos/platform/core-api";
import { describeFailure, describing } from "../../provider/providers/describe-error";
import { environmentProvider } from "../../provider/providers/environment";
import { noticeOnce } from "../../provider/runtime/notices";
import { forgetCredentials, redact } from "../../provider/runtime/redact";
import { checkedInputs, configureProviders, newProviderProcess } from "../helpers/provider-process";
import { stderrDuring } from "../helpers/stderr-lines";

// Shaped as Platos mints them: `plt_mcp_` + base64url of 32 bytes (apps/agent/src/mcp-platform/token.service.ts@28b7cfa6).
const MCP_TOKEN = "plt_mcp_Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE";
const V1_TOKEN = "plt_v1tokenAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
// An operator session token is opaque: nothing but its configured value finds it.
const OPERATOR_TOKEN = "opaque-operator-session-5f1c2a9e77";

type Answer = "json-4xx" | "text-502";

/** A server that echoes what it was sent with, as a careless proxy or debug build would. */
async function reflectingServer(answer: Answer): Promise<{ url: string; seen: IncomingHttpHeaders[]; server: Server }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    const auth = req.headers.authorization ?? "";
    const echoed = `rejected Authorization: ${auth} (raw ${auth.replace(/^Bearer /, "")})`;
    req.resume();
    if (answer === "text-502") {
      res.writeHead(502, { "content-type": "text/plain" }).end(`bad gateway; ${echoed}`);
      return;
    }
    // One body for both protocols: the V1 envelope (ErrorEnvelope) and the gateway's refusal (GatewayRefusal).
    const body = {
      statusCode: 400,
      message: echoed,
      error: {
        code: "BAD_HEADER",
        title: "invalid_input",
        body: echoed,
        errorId: "e1",
        traceRef: "t1",
        version: "1",
        fields: [{ field: "authorization", code: "invalid", message: echoed }],
      },
    };
    res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

/** Every string an error carries to the engine: message, stack, and the same down its cause chain. */
function everythingShown(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error; e = e.cause) parts.push(e.message, e.stack ?? "", JSON.stringify(e));
  return parts.join("\n");
}

const SETTINGS = {
  v1: (url: string) => ({ "platos:protocol": "v1", "platos:apiUrl": url, "platos:token": V1_TOKEN }),
  platform: (url: string) => ({ "platos:protocol": "platform", "platos:apiUrl": url, "platos:token": MCP_TOKEN, "platos:operatorToken": OPERATOR_TOKEN }),
};

describe("tokens in errors", function () {
  this.timeout(30_000);
  const saved = process.env.PLATOS_OPERATION_TIMEOUT_MS;
  // A 502 is retried: a short deadline ends the create with the last failure quoted, which must be redacted too.
  before(() => (process.env.PLATOS_OPERATION_TIMEOUT_MS = "1500"));
  after(async () => {
    if (saved === undefined) delete process.env.PLATOS_OPERATION_TIMEOUT_MS;
    else process.env.PLATOS_OPERATION_TIMEOUT_MS = saved;
    await closeAllPools();
  });
  beforeEach(() => forgetCredentials());

  for (const protocol of ["v1", "platform"] as const) {
    for (const answer of ["json-4xx", "text-502"] as const) {
      it(`a ${protocol} server that reflects the Authorization header in a ${answer} gets no token into create's error`, async () => {
        const { url, seen, server } = await reflectingServer(answer);
        try {
          newProviderProcess();
          await configureProviders(SETTINGS[protocol](url));
          const inputs = await checkedInputs(environmentProvider, { project: "default", slug: "dev" });
          const { result: failure } = await stderrDuring(() =>
            environmentProvider.create(inputs).then(
              () => undefined,
              (err: unknown) => err,
            ),
          );
          assert.ok(failure instanceof Error, "create must fail");
          assert.ok(seen.length > 0, "the server was reached");
          assert.equal(seen[0]!.authorization, `Bearer ${protocol === "v1" ? V1_TOKEN : MCP_TOKEN}`);
          const shown = everythingShown(failure);
          for (const token of [V1_TOKEN, MCP_TOKEN, OPERATOR_TOKEN]) assert.ok(!shown.includes(token), `a token in: ${shown}`);
          assert.doesNotMatch(shown, /plt_mcp_[A-Za-z0-9]/);
          if (answer === "json-4xx") assert.match(failure.message, /rejected Authorization: Bearer \[token\] \(raw \[token\]\)/);
        } finally {
          server.close();
        }
      });
    }
  }

  for (const answer of ["json-4xx", "text-502"] as const) {
    it(`core-api reflecting the operator token (opaque: found by its value alone) in a ${answer} shows [token]`, async () => {
      const { url, seen, server } = await reflectingServer(answer);
      try {
        const core = coreApiClient({ apiUrl: url, token: OPERATOR_TOKEN, retryPolicy: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
        const failure = await describing("listing projects", () => core.projects.list()).then(
          () => undefined,
          (err: unknown) => err,
        );
        assert.ok(failure instanceof Error, "the call must fail");
        assert.equal(seen[0]!.authorization, `Bearer ${OPERATOR_TOKEN}`);
        assert.ok(!everythingShown(failure).includes(OPERATOR_TOKEN), everythingShown(failure));
        if (answer === "json-4xx") assert.match(failure.message, /rejected Authorization: Bearer \[token\] \(raw \[token\]\)/);
      } finally {
        server.close();
      }
    });
  }

  it("an error quoting any credential the process has sent (a minted token too) shows [token] instead", async () => {
    // createHttp remembers each token it is given, as it is for a token the provider mints for another environment.
    const minted = "minted-opaque-7d3b9c0e4f1a";
    createHttp({ apiUrl: "http://127.0.0.1:9", token: minted });
    const underneath = new Error(`refused ${minted}`, { cause: new Error(`echo: ${minted}`) });
    const failure = describeFailure('creating environment "dev"', underneath);
    assert.equal(failure.message, 'creating environment "dev": refused [token]');
    assert.ok(!everythingShown(failure).includes(minted));
  });

  it("a notice quoting error text shows [token] for a credential", async () => {
    createHttp({ apiUrl: "http://127.0.0.1:9", token: OPERATOR_TOKEN });
    newProviderProcess();
    const { lines } = await stderrDuring(async () => noticeOnce(`Platos: could not read the project slugs (${OPERATOR_TOKEN} rejected)`));
    assert.deepEqual(lines, ["Platos: could not read the project slugs ([token] rejected)"]);
  });

  it("finds what looks like a credential: plt_ tokens, Bearer values and JWTs, and leaves placeholders alone", () => {
    const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcCJ9.c2lnbmF0dXJl";
    assert.equal(redact(`a ${MCP_TOKEN} b`), "a [token] b");
    assert.equal(redact(`authorization: bearer s3cr3t-value, next`), "authorization: Bearer [token], next");
    assert.equal(redact(`X-Platos-Session-Token: ${jwt}`), "X-Platos-Session-Token: [token]");
    assert.equal(redact("Authorization: Bearer <PLATOS_MCP_TOKEN> required"), "Authorization: Bearer <PLATOS_MCP_TOKEN> required");
    assert.equal(redact("no such environment plt_env"), "no such environment plt_env");
  });
});
