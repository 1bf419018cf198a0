/**
 * The approval gate. A call the gateway answers with -32002 `pending` is announced once (its
 * dashboard URL, never a token) and resent with X-Platos-Approval-Id every PLATOS_APPROVAL_POLL_MS until it runs
 * (an approved row runs once; a consumed one answers its cached result), is rejected or times out, or the
 * operation deadline passes.
 *
 * The announcement goes to the provider process's stderr: the Pulumi CLI shows a dynamic provider's
 * console output (pulumi/pulumi#18253), while `pulumi.log` from a dynamic provider reaches nobody (#6065, #18249).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { fromRefusal, PlatosTransportError } from "../../client/errors";
import type { AwaitingApprovalData } from "../../client/platform/jsonrpc";
import type { ToolArgs, ToolName, ToolSuccess } from "../../client/platform/tools";
import type { GatewaySession } from "./gateway";

export type ToolCaller = <N extends ToolName>(name: N, args: ToolArgs<N>) => Promise<ToolSuccess<N>>;

export interface ApprovalSettings {
  readonly pollMs: number;
  /** How long one call may wait for its approval, first send included. */
  readonly deadlineMs: number;
  readonly announce: (line: string) => void;
}

export const announceOnStderr = (line: string): void => void process.stderr.write(`${line}\n`);

const announced = new Set<string>();

function approvalFailure(operation: string, approvalId: string | undefined, approval: AwaitingApprovalData): Error {
  const which = `approval ${approvalId ?? approval.approvalId ?? "(no id)"}`;
  switch (approval.status) {
    case "rejected": {
      const by = approval.respondedBy ? ` (${approval.respondedBy})` : "";
      const reason = approval.reason ? `: ${approval.reason}` : "";
      return fromRefusal(operation, "approval rejected", {
        code: "APPROVAL_REJECTED",
        title: "forbidden",
        body: `an operator rejected ${which}${by}${reason}`,
      });
    }
    case "timed_out":
      return fromRefusal(operation, "approval timed out", {
        code: "APPROVAL_TIMED_OUT",
        title: "precondition_failed",
        body: `${which} expired before an operator answered it; run the operation again to ask again`,
      });
    case "not_found":
      return fromRefusal(operation, "approval not found", {
        code: "APPROVAL_NOT_FOUND",
        title: "precondition_failed",
        body: `${which} is gone; run the operation again to ask again`,
      });
    default:
      return fromRefusal(operation, `approval ${approval.status}`, {
        code: "APPROVAL_MISMATCH",
        title: "internal",
        body: `${which} answered ${approval.status}`,
      });
  }
}

export function gatedCaller(session: GatewaySession, settings: ApprovalSettings): ToolCaller {
  return async (name, args) => {
    const operation = `tools/call ${name}`;
    const deadline = Date.now() + settings.deadlineMs;
    let approvalId: string | undefined;
    // Only the first answer carries the dashboard URL: a pending resend's data is slimmer (mcp-router.ts@ceea22d7).
    let dashboardUrl: string | undefined;
    for (let answer = await session.send(name, args); ; answer = await session.send(name, args, approvalId)) {
      if (answer.kind === "result") return answer.value;
      const { approval } = answer;
      if (approval.status !== "pending" || (approvalId ??= approval.approvalId) === undefined) throw approvalFailure(operation, approvalId, approval);
      dashboardUrl ??= approval.dashboardUrl;
      const where = dashboardUrl ?? "the Platos dashboard";
      if (!announced.has(approvalId)) {
        announced.add(approvalId);
        settings.announce(`Platos: ${name} waits for an operator's approval (approval ${approvalId}): ${where}`);
      }
      if (Date.now() + settings.pollMs >= deadline) {
        throw new PlatosTransportError(
          "TRANSPORT_DEADLINE_EXCEEDED",
          operation,
          `approval ${approvalId} was still pending after ${settings.deadlineMs} ms: approve it at ${where}, or raise PLATOS_OPERATION_TIMEOUT_MS, and run again`,
          0,
        );
      }
      await sleep(settings.pollMs);
    }
  };
}
