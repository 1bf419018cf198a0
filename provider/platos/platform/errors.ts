/**
 * How the platform gateway's refusals become the client's typed errors, so `isNotFound`/`isConflict`/... mean on
 * this protocol what they mean on V1: JSON-RPC error codes, `{"error": …}` domain results and HTTP-level refusals
 * (401 bearer, 413 body cap, proxies). The gateway's 404 is not "object gone": it means there is no gateway there.
 */
import { STATUS_OF_TITLE } from "../../client/error-codes";
import { fromRefusal, PlatosTransportError, type PlatosApiError } from "../../client/errors";
import { GatewayRefusal, InvalidArgumentsData, PayloadTooLarge, RPC_ERRORS, ToolBlockedData, type RpcError } from "../../client/platform/jsonrpc";
import type { ErrorTitle, FieldError } from "../../client/schemas";
import { safeJson } from "../../client/transport";

const RPC_TITLES: Record<number, ErrorTitle> = {
  [RPC_ERRORS.PARSE_ERROR]: "invalid_input",
  [RPC_ERRORS.INVALID_REQUEST]: "invalid_input",
  // A tool this gateway lacks: a version mismatch, never "the object is gone".
  [RPC_ERRORS.METHOD_NOT_FOUND]: "invalid_input",
  [RPC_ERRORS.INVALID_PARAMS]: "invalid_input",
  [RPC_ERRORS.INTERNAL_ERROR]: "internal",
  [RPC_ERRORS.TOOL_BLOCKED]: "forbidden",
  [RPC_ERRORS.PERMISSION_DENIED]: "forbidden",
  [RPC_ERRORS.RATE_LIMITED]: "rate_limited",
};

const RPC_NAMES = new Map<number, string>(Object.entries(RPC_ERRORS).map(([name, code]) => [code, name]));

/** The domain error codes of the tools this provider calls; any other code (`*_failed`) is internal. */
const DOMAIN_TITLES: Record<string, ErrorTitle> = {
  access_denied: "forbidden",
  not_found: "not_found",
  slug_taken: "conflict",
  slug_invalid: "invalid_input",
  name_invalid: "invalid_input",
  value_required: "invalid_input",
  value_too_long: "invalid_input",
  production_env_protected: "forbidden",
  env_in_use: "conflict",
  unavailable: "unavailable",
  invalid_input: "invalid_input",
  already_exists: "conflict",
  credential_unavailable: "invalid_input",
  pinned_agents: "conflict",
  provider_key_not_in_environment: "invalid_input",
};

export function rpcFailure(operation: string, error: RpcError): PlatosApiError {
  const title = RPC_TITLES[error.code] ?? "internal";
  const invalid = InvalidArgumentsData.safeParse(error.data);
  const fields: FieldError[] = invalid.success ? invalid.data.errors.map((e) => ({ field: e.path, code: "invalid", message: e.message })) : [];
  const blocked = ToolBlockedData.safeParse(error.data);
  const body = blocked.success ? `${error.message} (${blocked.data.reason})` : error.message;
  return fromRefusal(operation, `JSON-RPC ${error.code}`, { code: `RPC_${RPC_NAMES.get(error.code) ?? error.code}`, title, body, fields });
}

/** A tool's `{error: code, …}` result: the code is Platos's own, the details it adds are kept (never a value). */
export function domainFailure(operation: string, result: { readonly error: string; readonly [detail: string]: unknown }): PlatosApiError {
  const details = ["message", "reason", "count", "slug", "environmentId"]
    .filter((key) => typeof result[key] === "string" || typeof result[key] === "number")
    .map((key) => `${key} ${String(result[key])}`);
  const body = details.length > 0 ? `${result.error} (${details.join(", ")})` : result.error;
  return fromRefusal(operation, `domain error ${result.error}`, { code: result.error, title: DOMAIN_TITLES[result.error] ?? "internal", body });
}

const TITLE_OF_STATUS = new Map<number, ErrorTitle>([
  ...Object.entries(STATUS_OF_TITLE).map(([title, status]) => [status, title as ErrorTitle] as const),
  [413, "invalid_input"],
  [502, "unavailable"],
  [504, "unavailable"],
]);

/** An HTTP answer other than 200/201 from `POST /mcp/platform`. */
export function httpFailure(operation: string, status: number, text: string, apiUrl: string): Error {
  if (status === 404) {
    return new PlatosTransportError(
      "CONTRACT_STATUS_UNEXPECTED",
      operation,
      `no platform gateway at ${apiUrl}/mcp/platform (HTTP 404): platos:apiUrl must be the Platos agent app's base URL; for the V1 REST contract set platos:protocol to "v1"`,
      0,
    );
  }
  const title = TITLE_OF_STATUS.get(status);
  if (!title) return new PlatosTransportError("CONTRACT_STATUS_UNEXPECTED", operation, `unexpected HTTP ${status} from the platform gateway`, 0);
  const json = safeJson(text);
  const refusal = GatewayRefusal.safeParse(json);
  const tooLarge = PayloadTooLarge.safeParse(json);
  const body = refusal.success ? refusal.data.message : tooLarge.success ? `request body over the gateway's ${tooLarge.data.limit}-byte cap` : `HTTP ${status}`;
  // A 401's fix (which token setting) is named by the transport, which knows where its token came from.
  return fromRefusal(operation, `HTTP ${status}`, { code: `GATEWAY_${title.toUpperCase()}`, title, body });
}
