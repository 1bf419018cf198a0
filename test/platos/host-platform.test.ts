/**
 * The platform protocol as Pulumi runs the provider: the real dynamic-provider host, configured with a pinned
 * `plt_mcp_` token. Check fails at preview for what Platos cannot honour, and the approval gate's one line reaches
 * the host's output (what the Pulumi CLI shows of a dynamic provider), without the token.
 */
import { strict as assert } from "node:assert";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Environment, EnvironmentVariable } from "pulumi-platos";
import { runProgram, type CapturedResource } from "../harness/program-runner";
import { startProviderHost, type ProviderHost } from "../harness/provider-host";
import { platosWorld } from "../helpers/platos-world";
import { announcedApprovalId, resolveApproval, stackConfig, type Access } from "./support";

const root = resolve(__dirname, "../..");

function program() {
  new Environment("qa", { project: "default", slug: "qa" });
  new EnvironmentVariable("plain", { project: "default", environment: "dev", key: "LOG_LEVEL", value: "info" });
}

describe("platform protocol through the real dynamic-provider host", function () {
  this.timeout(120_000);
  const world = platosWorld({ emulator: { interactiveApprovals: true, dashboardOrigin: "https://platos.example.test" } });
  let host: ProviderHost;
  let access: Access;
  let resources: CapturedResource[];
  const resource = (name: string) => resources.find((r) => r.name === name)!;

  before(async () => {
    access = await world.accessOn("platform", { home: "dev", operator: false });
    resources = (await runProgram(program, { project: "platform-host", stack: "dev" })).resources;
    host = await startProviderHost({ cwd: root, env: { PLATOS_APPROVAL_POLL_MS: "25" } });
    await host.configure(stackConfig(access.settings), { secretKeys: ["platos:token"] });
  });

  after(async () => {
    await host?.close();
  });

  it("check refuses a PLAIN variable without an operator token, naming the field and the way out", async () => {
    const plain = resource("plain");
    const checked = await host.check(plain.urn, {}, plain.inputs);
    assert.deepEqual(
      checked.failures.map((f) => f.property),
      ["secret"],
    );
    assert.match(checked.failures[0]!.reason, /Way out: set platos:operatorToken/);
  });

  it("announces a pending approval once on the host's output, then creates when approved", async () => {
    const qa = resource("qa");
    const checked = await host.check(qa.urn, {}, qa.inputs);
    assert.deepEqual(checked.failures, []);
    const creating = host.create(qa.urn, checked.inputs);
    let line: string | undefined;
    while (!(line = host.logs.find((l) => l.includes("waits for an operator's approval")))) await sleep(20);
    const approvalId = announcedApprovalId(line);
    await resolveApproval(world.emulator, approvalId, "approved");
    const created = await creating;
    assert.ok(created.id);
    assert.equal(created.properties.slug, "qa");
    assert.equal(host.logs.filter((l) => l.includes(approvalId)).length, 1, host.logs.join("\n"));
    assert.match(line, /https:\/\/platos\.example\.test\/orgs\/.+\/approvals\//);
    assert.ok(!host.logs.join("\n").includes(access.settings.token));
  });
});
