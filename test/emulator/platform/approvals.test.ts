import assert from "node:assert/strict";
import { APPROVAL_ID_HEADER, AwaitingApprovalData, RPC_ERRORS, RPC_MESSAGES } from "../../../provider/client/platform/jsonrpc";
import { ApprovalRecord } from "../../../provider/client/platform/tools";
import { EnvironmentVariableResource, ItemEnvelope } from "../../../provider/client/schemas";
import { collectionOf, expectError, uniqueSlug } from "../support";
import { callTool, platformSuite, rpcError, toolCall, type PlatformSuite } from "./support";

const DASHBOARD = "https://dashboard.example.com";

/** What Platos says with -32002: a first call asks for approval; a resend says the approval's state in words. */
function awaitingMessage(name: string, data: AwaitingApprovalData, resent: string | undefined): string {
  if (resent === undefined || data.status === "tool_mismatch") return RPC_MESSAGES.approvalRequired(name);
  const byStatus = {
    pending: RPC_MESSAGES.approvalPending,
    rejected: RPC_MESSAGES.approvalRejected,
    timed_out: RPC_MESSAGES.approvalExpired,
    not_found: RPC_MESSAGES.approvalNotFound,
  };
  return byStatus[data.status](resent);
}

/** The -32002 data of a call (resent with the approval id when given), its message checked against the state. */
async function awaiting(suite: PlatformSuite, token: string, name: string, args: unknown, approvalId?: string): Promise<AwaitingApprovalData> {
  const error = rpcError(await suite.rpc(token, toolCall(name, args), approvalId ? { [APPROVAL_ID_HEADER]: approvalId } : {}), RPC_ERRORS.AWAITING_APPROVAL);
  const data = AwaitingApprovalData.parse(error.data);
  assert.equal(error.message, awaitingMessage(name, data, approvalId));
  return data;
}

describe("platform approval gate (interactive approvals on)", () => {
  let now = Date.now();
  const suite = platformSuite({ interactiveApprovals: true, dashboardOrigin: DASHBOARD, clock: () => new Date(now) });
  let environmentId: string;
  let token: string;
  before(async () => {
    environmentId = (await suite().environment(uniqueSlug("gated"))).id;
    token = await suite().mint(environmentId);
  });

  const resolve = (approvalId: string, body: Record<string, unknown>) => suite().admin.post(`/emulator/approvals/${approvalId}/resolve`, body);
  const secretVersion = async (key: string) =>
    collectionOf(await suite().admin.get(`/api/v1/environments/${environmentId}/variables`), EnvironmentVariableResource).data.find(
      (variable) => variable.key === key,
    )?.version;

  it("answers a gated call with -32002 pending and Platos's data, and deduplicates the pending row", async () => {
    const data = await awaiting(suite(), token, "environments.set_secret", { name: "GATED", value: "first-value" });
    assert.equal(data.status, "pending");
    assert.equal(data.retryHeader, "X-Platos-Approval-Id");
    assert.deepEqual(data.retryMeta, { platosApprovalId: data.approvalId });
    assert.deepEqual([data.tier, data.reason], [1, "tier-1 require_approval"]);
    const whoami = await callTool(suite(), token, "platos.whoami", {});
    assert.ok(!("error" in whoami));
    const { organizationId, projectId } = whoami.scope;
    assert.equal(data.dashboardUrl, `${DASHBOARD}/orgs/${organizationId}/projects/${projectId}/env/${environmentId}/approvals/${data.approvalId}`);
    assert.ok(data.expiresAt && Date.parse(data.expiresAt) > now);

    const again = await awaiting(suite(), token, "environments.set_secret", { name: "GATED", value: "first-value" });
    assert.equal(again.approvalId, data.approvalId, "same call, same pending row");
    const other = await awaiting(suite(), token, "environments.set_secret", { name: "GATED2", value: "first-value" });
    assert.notEqual(other.approvalId, data.approvalId);
    assert.equal(await secretVersion("GATED"), undefined, "nothing ran");
    assert.deepEqual(await callTool(suite(), token, "environments.list_secrets", {}), { secrets: [], count: 0 }, "ungated tools still run");
  });

  it("pending → approved: runs once with the original args, then answers the cached result", async () => {
    const args = { name: "APPROVED", value: "approved-value" };
    const { approvalId } = await awaiting(suite(), token, "environments.set_secret", args);
    assert.ok(approvalId);
    assert.equal((await awaiting(suite(), token, "environments.set_secret", args, approvalId)).status, "pending");
    const resolved = ItemEnvelope(ApprovalRecord).parse((await resolve(approvalId, { status: "approved", comment: "ok" })).json).data;
    assert.deepEqual([resolved.status, resolved.respondedBy], ["approved", "admin"]);
    assert.equal(resolved.redactedArgs.value, "<redacted>", "no secret in an approval record, not even its first characters");

    const headers = { [APPROVAL_ID_HEADER]: approvalId };
    assert.deepEqual(await callTool(suite(), token, "environments.set_secret", args, headers), { ok: true, name: "APPROVED", version: "1" });
    assert.deepEqual(await callTool(suite(), token, "environments.set_secret", args, headers), { ok: true, name: "APPROVED", version: "1" }, "cached");
    assert.equal(await secretVersion("APPROVED"), 1, "executed once");
    expectError(await resolve(approvalId, { status: "rejected" }), "APPROVAL_NOT_PENDING");
  });

  it("keeps nothing of a secret in clear in the approval row, not even its first characters", async () => {
    const value = "sk-PREFIX-the-rest-of-the-secret";
    const { approvalId } = await awaiting(suite(), token, "environments.set_secret", { name: "ROW_CHECK", value });
    const rows = await suite().emulator.db.query<Record<string, unknown>>("SELECT * FROM approvals WHERE id = $1", [approvalId]);
    assert.equal(rows.length, 1);
    const clear = JSON.stringify(rows[0], (_key, item: unknown) => (item instanceof Uint8Array ? Buffer.from(item).toString("latin1") : item));
    for (const part of [value, value.slice(0, 4), "sk-P"]) assert.ok(!clear.includes(part), `${part} in ${clear}`);
    assert.deepEqual(rows[0]!.redactedArgs ?? rows[0]!.redacted_args, { name: "ROW_CHECK", value: "<redacted>" });
  });

  it("checks the approval against the tool name only", async () => {
    const { approvalId } = await awaiting(suite(), token, "environments.delete_secret", { name: "X1" });
    assert.ok(approvalId);
    await resolve(approvalId, { status: "approved" });
    assert.equal((await awaiting(suite(), token, "environments.set_secret", { name: "X1", value: "v" }, approvalId)).status, "tool_mismatch");
    // Platos runs the resend's arguments: only an operator's edits replace them (mcp-router.ts@ceea22d7).
    assert.deepEqual(
      await callTool(suite(), token, "environments.delete_secret", { name: "OTHER" }, { [APPROVAL_ID_HEADER]: approvalId }),
      { deleted: false, name: "OTHER" },
      "runs the resend's args",
    );
  });

  it("rejected → -32002 rejected with the reason and who answered", async () => {
    const args = { slug: uniqueSlug("rej") };
    const { approvalId } = await awaiting(suite(), token, "environments.create", args);
    assert.ok(approvalId);
    await resolve(approvalId, { status: "rejected", comment: "not today" });
    const data = await awaiting(suite(), token, "environments.create", args, approvalId);
    assert.deepEqual([data.status, data.reason, data.respondedBy], ["rejected", "not today", "admin"]);
  });

  it("timed_out → -32002 timed_out, whether resolved so or expired", async () => {
    const firstArgs = { slug: uniqueSlug("t1") };
    const first = await awaiting(suite(), token, "environments.create", firstArgs);
    assert.ok(first.approvalId);
    await resolve(first.approvalId, { status: "timed_out" });
    assert.equal((await awaiting(suite(), token, "environments.create", firstArgs, first.approvalId)).status, "timed_out");

    const args = { slug: uniqueSlug("t2") };
    const second = await awaiting(suite(), token, "environments.create", args);
    now += 3601 * 1000;
    assert.equal((await awaiting(suite(), token, "environments.create", args, second.approvalId)).status, "timed_out");
    const fresh = await awaiting(suite(), token, "environments.create", args);
    assert.notEqual(fresh.approvalId, second.approvalId, "an expired row is not reused");
  });

  it("answers not_found for an unknown id or another environment's approval", async () => {
    assert.equal((await awaiting(suite(), token, "environments.create", { slug: "x" }, "no-such-approval")).status, "not_found");
    const otherToken = await suite().mint((await suite().environment(uniqueSlug("other"))).id);
    const { approvalId } = await awaiting(suite(), otherToken, "environments.create", { slug: uniqueSlug("o") });
    assert.equal((await awaiting(suite(), token, "environments.create", { slug: "x" }, approvalId)).status, "not_found");
  });

  it("approved_with_edits runs the edited args, re-validated against the schema", async () => {
    const slug = uniqueSlug("edited");
    const original = { slug: uniqueSlug("orig") };
    const { approvalId } = await awaiting(suite(), token, "environments.create", original);
    assert.ok(approvalId);
    await resolve(approvalId, { status: "approved_with_edits", editedArgs: { slug } });
    const created = await callTool(suite(), token, "environments.create", original, { [APPROVAL_ID_HEADER]: approvalId });
    assert.ok(!("error" in created) && created.slug === slug);

    const badOriginal = { slug: uniqueSlug("orig2") };
    const bad = await awaiting(suite(), token, "environments.create", badOriginal);
    assert.ok(bad.approvalId);
    await resolve(bad.approvalId, { status: "approved_with_edits", editedArgs: { slug: 5 } });
    const error = rpcError(
      await suite().rpc(token, toolCall("environments.create", badOriginal), { [APPROVAL_ID_HEADER]: bad.approvalId }),
      RPC_ERRORS.INVALID_PARAMS,
    );
    assert.equal((error.data as { source?: string }).source, "edited_args");
  });

  it("approvals.get and approvals.resolve let a token holding approvals.* answer its own calls", async () => {
    const args = { name: "SELF", value: "self-approved" };
    const { approvalId } = await awaiting(suite(), token, "environments.set_secret", args);
    assert.ok(approvalId);
    const read = await callTool(suite(), token, "approvals.get", { approvalId });
    assert.ok(!("error" in read));
    assert.deepEqual([read.status, read.toolName], ["pending", "environments.set_secret"]);
    const resolved = await callTool(suite(), token, "approvals.resolve", { approvalId, status: "approved" });
    assert.ok(!("error" in resolved) && resolved.status === "approved" && resolved.respondedBy === "admin");
    assert.deepEqual(await callTool(suite(), token, "approvals.resolve", { approvalId, status: "rejected" }), { error: "not_pending", status: "approved" });
    assert.deepEqual(await callTool(suite(), token, "approvals.resolve", { approvalId: "nope", status: "approved" }), { error: "not_found" });
    assert.deepEqual(await callTool(suite(), token, "environments.set_secret", args, { [APPROVAL_ID_HEADER]: approvalId }), {
      ok: true,
      name: "SELF",
      version: "1",
    });
  });

  it("agents.delete is gated; agents.create and agents.update are not", async () => {
    const agent = await callTool(suite(), token, "agents.create", { name: "Gated", model: "anthropic:claude-sonnet-4-6", slug: uniqueSlug("gated") });
    assert.ok(!("error" in agent));
    assert.ok(!("error" in (await callTool(suite(), token, "agents.update", { agentId: agent.id, systemPrompt: "x" }))));
    assert.equal((await awaiting(suite(), token, "agents.delete", { agentId: agent.id })).status, "pending");
  });

  it("admin-tier tokens need approval for every mutating call", async () => {
    const admin = await suite().mint(environmentId, { tier: "admin" });
    assert.equal((await awaiting(suite(), admin, "agents.create", { name: "A", model: "anthropic:claude-sonnet-4-6" })).reason, "admin-tier mutating call");
    assert.ok(!("error" in (await callTool(suite(), admin, "agents.list", {}))), "reads run");
  });
});
