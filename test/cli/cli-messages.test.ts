/**
 * What `pulumi-platos import` tells a user who has no stack config: `--help` names every setting's environment
 * variable (from the settings code) and flag, `--core-api-url` reaches platos:coreApiUrl, a token pasted with its line
 * end gets a message naming the setting, counts read as counts, and the README's troubleshooting states the
 * retry count the client's policy has.
 */
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { promisify } from "node:util";
import { SETTING_FLAGS } from "../../provider/cli/import-settings";
import { closeAllPools, createClient } from "../../provider/client";
import { DEFAULT_RETRY_POLICY } from "../../provider/client/retry-policy";
import { SETTINGS } from "../../provider/runtime/settings";

const root = path.resolve(__dirname, "../..");
const bin = path.join(root, "node_modules/.bin/pulumi-platos");
const TOKEN = "plt_mcp_Y2xpLW1lc3NhZ2VzLXRlc3QtdG9rZW4tMDA0Mg";

async function pulumiPlatos(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(bin, args, { env: { PATH: process.env.PATH ?? "", ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A local port nothing listens on. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise((resolve) => server.close(resolve));
  return url;
}

describe("pulumi-platos import: messages for a user without stack config", function () {
  this.timeout(60_000);
  const base = ["import", "--project", "default", "--environment", "dev"];

  it("--help names each setting's environment variable and flag, --core-api-url among them", async () => {
    const help = await pulumiPlatos(["import", "--help"]);
    assert.equal(help.code, 0, help.stderr);
    for (const [name, { key, env }] of Object.entries(SETTINGS)) {
      if (name === "prodPattern") continue;
      assert.match(help.stdout, new RegExp(`^  ${key} +\\S.* +${env}$`, "m"), `--help lacks ${key} / ${env}`);
    }
    for (const flag of Object.values(SETTING_FLAGS)) assert.match(help.stdout, new RegExp(`^  ${flag} <`, "m"), `--help lacks ${flag}`);
    assert.match(help.stdout, /^ {2}platos:token +\(no flag: secret\) +PLATOS_TOKEN$/m);
  });

  it("--core-api-url is read as platos:coreApiUrl", async () => {
    const refused = await pulumiPlatos([...base, "--api-url", "https://platos.example.com", "--core-api-url", "core.example.com"], { PLATOS_TOKEN: TOKEN });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /platos:coreApiUrl must be the http\(s\) base URL of Platos's core-api/);
  });

  it("a token with a trailing line end or space is refused before any call, naming platos:token and PLATOS_TOKEN, never the token", async () => {
    for (const [ending, message] of [
      ["\n", /platos:token contains whitespace \(a line end at its end/],
      ["\r\n", /platos:token contains whitespace \(a line end at its end/],
      [" ", /platos:token ends with a space: remove the trailing space/],
    ] as const) {
      const refused = await pulumiPlatos(base, { PLATOS_API_URL: "http://127.0.0.1:9", PLATOS_TOKEN: `${TOKEN}${ending}` });
      assert.equal(refused.code, 1, JSON.stringify(ending));
      assert.match(refused.stderr, message);
      assert.match(refused.stderr, /else PLATOS_TOKEN\)/);
      assert.doesNotMatch(refused.stderr, /not reachable/, "refused before any call");
      assert.ok(!refused.stderr.includes(TOKEN.slice(8)), "the token is never shown");
    }
  });

  it('says "after 1 attempt" and "after 2 attempts"', async () => {
    const url = await closedPortUrl();
    try {
      for (const [maxAttempts, counted] of [
        [1, "after 1 attempt:"],
        [2, "after 2 attempts:"],
      ] as const) {
        const client = createClient({ apiUrl: url, token: TOKEN, retryPolicy: { maxAttempts, baseDelayMs: 1, maxDelayMs: 2 } });
        const refused = await client.projects.list().catch((err: unknown) => err);
        assert.ok(String(refused).includes(`connection failed (ECONNREFUSED) ${counted}`), String(refused));
      }
    } finally {
      await closeAllPools();
    }
  });

  it("the README's troubleshooting states the retry count of the client's policy", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const troubleshooting = readme.slice(readme.indexOf("### Troubleshooting"), readme.indexOf("\n### ", readme.indexOf("### Troubleshooting") + 1));
    const stated = [...troubleshooting.matchAll(/after (\d+) attempts?/g)].map((match) => Number(match[1]));
    assert.ok(stated.length > 0, "the troubleshooting table states no retry count");
    assert.deepEqual([...new Set(stated)], [DEFAULT_RETRY_POLICY.maxAttempts]);
  });
});
