/**
 * Every gateway tool the provider uses, sent the edge inputs a client can send: each required property left out, an
 * unknown property, null, the wrong type, empty strings, strings at and past their length limits, long strings,
 * integers at and past their bounds and not whole, NUL characters, a huge array, and `arguments` that are not an
 * object. Two things are held for each:
 * - the emulator never answers HTTP 500 nor -32603, except where Platos's own tool throws too (below);
 * - it accepts or refuses (-32602) as Platos's validator does (apps/agent/src/mcp-platform/schema-validator.ts@50f73dc5,
 *   `validateNode`, run by mcp-router.ts@2833ffba on `params?.arguments ?? {}`). The verdict of each case is worked out
 *   here from the tool's inputSchema (tools/index.ts@9960ce1f, copied verbatim in provider/client/platform/tools.ts)
 *   and that validator's rules, not asked of the emulator's validator.
 * One departure is asserted as such: a string holding U+0000 is refused with -32602 here, where Platos's validator
 * lets it through (it has no such rule) and its database then refuses it (docs/api.md, "Where the emulator departs").
 */
import assert from "node:assert/strict";
import { RPC_ERRORS, RpcResponse } from "../../../provider/client/platform/jsonrpc";
import type { JsonSchema } from "../../../provider/client/platform/json-schema";
import { TOOL_NAMES, TOOLS, type ToolName } from "../../../provider/client/platform/tools";
import { uniqueSlug } from "../support";
import { callTool, platformSuite, toolCall } from "./support";

type Verdict = "accepted" | "refused" | "refusedHereOnly";

interface EdgeCase {
  readonly what: string;
  readonly args: unknown;
  readonly verdict: Verdict;
}

const HUGE_ARRAY = Array.from({ length: 20_000 }, (_, index) => index);
const LONG_STRING = "x".repeat(100_000);

/** The properties of a tool's input schema. */
const propertiesOf = (schema: JsonSchema): Record<string, JsonSchema> => (schema.properties ?? {}) as Record<string, JsonSchema>;

/** A value of `schema` the validator accepts, unique where it can be (so creates do not collide). */
function validValue(name: string, schema: JsonSchema): unknown {
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 1;
    case "boolean":
      return false;
    case "object":
      return {};
    default:
      return name === "slug" ? uniqueSlug("edge") : `${name}-${uniqueSlug("v")}`;
  }
}

/** A value of another JSON type than the schema's one. */
const wrongType = (schema: JsonSchema): unknown => (schema.type === "string" ? 12345 : "text");

/** The cases for one property, with the verdict Platos's validator gives (the rest of the arguments valid). */
function propertyCases(name: string, schema: JsonSchema): { what: string; value: unknown; verdict: Verdict }[] {
  const cases: { what: string; value: unknown; verdict: Verdict }[] = [
    { what: "null", value: null, verdict: "refused" },
    { what: "the wrong type", value: wrongType(schema), verdict: "refused" },
    { what: "a huge array", value: HUGE_ARRAY, verdict: "refused" },
  ];
  if (schema.type === "string") {
    const min = schema.minLength ?? 0;
    const inEnum = (value: string) => !schema.enum || schema.enum.includes(value);
    const verdict = (value: string): Verdict =>
      inEnum(value) && value.length >= min && (schema.maxLength === undefined || value.length <= schema.maxLength) ? "accepted" : "refused";
    cases.push({ what: "an empty string", value: "", verdict: verdict("") });
    cases.push({ what: "a NUL character", value: "a\u0000b", verdict: inEnum("a\u0000b") ? "refusedHereOnly" : "refused" });
    for (const allowed of (schema.enum ?? []) as string[]) cases.push({ what: `enum value ${allowed}`, value: allowed, verdict: "accepted" });
    if (schema.maxLength !== undefined) {
      const at = `${name}-`.padEnd(schema.maxLength, "x");
      cases.push({ what: `maxLength ${schema.maxLength}`, value: at, verdict: verdict(at) });
      cases.push({ what: `maxLength ${schema.maxLength} + 1`, value: `${at}x`, verdict: "refused" });
    } else {
      cases.push({ what: "100 000 characters", value: LONG_STRING, verdict: verdict(LONG_STRING) });
    }
  }
  if (schema.type === "integer") {
    cases.push({ what: "a fraction", value: 1.5, verdict: "refused" });
    if (typeof schema.minimum === "number") cases.push({ what: "minimum - 1", value: schema.minimum - 1, verdict: "refused" });
    else cases.push({ what: "0 and below (no minimum)", value: -1, verdict: "accepted" });
    if (schema.maximum === undefined) cases.push({ what: "1 000 000 (no maximum)", value: 1_000_000, verdict: "accepted" });
    if (typeof schema.maximum === "number") {
      cases.push({ what: "maximum", value: schema.maximum, verdict: "accepted" });
      cases.push({ what: "maximum + 1", value: schema.maximum + 1, verdict: "refused" });
    }
  }
  return cases;
}

/** Every case for a tool, each starting from `base`: arguments with every required property valid. */
function casesFor(name: ToolName, base: Record<string, unknown>): EdgeCase[] {
  const schema = TOOLS[name].inputSchema as JsonSchema;
  const required = (schema.required ?? []) as string[];
  const closed = schema.additionalProperties === false;
  const cases: EdgeCase[] = [
    { what: "valid arguments", args: base, verdict: "accepted" },
    { what: "arguments null (read as {})", args: null, verdict: required.length === 0 ? "accepted" : "refused" },
    { what: "arguments a string", args: "x", verdict: "refused" },
    { what: "arguments a huge array", args: HUGE_ARRAY, verdict: "refused" },
    { what: "an unknown property", args: { ...base, zzUnknown: 1 }, verdict: closed ? "refused" : "accepted" },
    { what: "an unknown property holding a huge array", args: { ...base, zzUnknown: HUGE_ARRAY }, verdict: closed ? "refused" : "accepted" },
  ];
  for (const property of required) {
    const { [property]: _left, ...rest } = base;
    cases.push({ what: `${property} left out`, args: rest, verdict: "refused" });
  }
  for (const [property, propertySchema] of Object.entries(propertiesOf(schema))) {
    for (const edge of propertyCases(property, propertySchema))
      cases.push({ what: `${property}: ${edge.what}`, args: { ...base, [property]: edge.value }, verdict: edge.verdict });
  }
  return cases;
}

/**
 * Accepted calls Platos's own tool answers with -32603 "internal error" (mcp-router.ts@ceea22d7 L704-L724 catch-all),
 * so the emulator must too. Each is a call for an id that names nothing, which is what these cases send:
 * - approvals.get: `if (!row) throw new Error(\`approval ${id} not found in scope\`)`
 *   (apps/agent/src/mcp-platform/tools/platos-control.ts@15d08141, approvals.get `execute`).
 * agents.get and agents.update are sent an agent of the environment (AGENT_TOOLS), so each accepted case reaches the
 * store: an update Platos stores as given (any model string, maxSteps with no bound) is answered with the agent; only
 * the cases that change `agentId` itself name nothing (Platos: "Agent not found").
 */
const PLATOS_THROWS: ReadonlySet<string> = new Set(["approvals.get"]);
const AGENT_TOOLS: ReadonlySet<ToolName> = new Set(["agents.get", "agents.update"]);

describe("platform gateway: edge inputs to every tool the provider uses", function () {
  this.timeout(240_000);
  const suite = platformSuite();
  let token: string;
  let agentId: string;
  /** Whether Platos's tool throws for this accepted call: its id names nothing. */
  const throwsInPlatos = (name: ToolName, args: unknown): boolean =>
    PLATOS_THROWS.has(name) || (AGENT_TOOLS.has(name) && (args as { agentId?: unknown } | null)?.agentId !== agentId);
  const base: Partial<Record<ToolName, Record<string, unknown>>> = {};
  before(async () => {
    const environment = await suite().environment();
    token = await suite().mint(environment.id);
    // Each tool's arguments with every required property valid; ids name nothing, so an accepted call reaches the
    // tool's own not-found answer.
    for (const name of TOOL_NAMES) {
      const schema = TOOLS[name].inputSchema as JsonSchema;
      const properties = propertiesOf(schema);
      base[name] = Object.fromEntries(((schema.required ?? []) as string[]).map((property) => [property, validValue(property, properties[property] ?? {})]));
    }
    const made = await callTool(suite(), token, "agents.create", { name: "Edge agent", model: "anthropic:claude-sonnet-4-6" });
    assert.ok(!("error" in made), JSON.stringify(made));
    agentId = made.id;
    for (const name of AGENT_TOOLS) base[name] = { ...base[name], agentId };
  });

  for (const name of TOOL_NAMES) {
    it(name, async () => {
      const findings: string[] = [];
      for (const edge of casesFor(name, base[name]!)) {
        const reply = await suite().rpc(token, toolCall(name, edge.args));
        const label = `${name} with ${edge.what}`;
        if (reply.status !== 200) {
          findings.push(`${label}: HTTP ${reply.status}`);
          continue;
        }
        const response = RpcResponse.parse(reply.json);
        const code = "error" in response ? response.error.code : undefined;
        const refused = code === RPC_ERRORS.INVALID_PARAMS;
        if (code === RPC_ERRORS.INTERNAL_ERROR && !(edge.verdict === "accepted" && throwsInPlatos(name, edge.args))) findings.push(`${label}: -32603`);
        else if (edge.verdict === "accepted" && refused) findings.push(`${label}: refused, Platos accepts (${JSON.stringify(response)})`.slice(0, 400));
        else if (edge.verdict !== "accepted" && !refused)
          findings.push(`${label}: not refused, Platos's validator refuses (${JSON.stringify(response)})`.slice(0, 400));
      }
      assert.deepEqual(findings, []);
    });
  }
});
