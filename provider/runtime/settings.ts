/**
 * Where the provider finds Platos and its credentials: the stack config handed to `configure` (`platos:*` keys),
 * else the environment, read at call time. Never captured at program time, so no credential is serialised into
 * state, and no message here ever includes a value.
 */
import { z } from "zod";
import { PROTOCOLS, type PlatosSettings, type Protocol } from "../platos/api";
import { PROTOCOL_DESCRIPTORS, protocolDescriptor } from "../platos/protocols";
import { productionRule, PROD_PATTERN_SETTING, type ProductionRule } from "../rules/production";

/** Each setting's stack config key and environment variable. */
export const SETTINGS = {
  protocol: { key: "platos:protocol", env: "PLATOS_PROTOCOL", secret: false },
  apiUrl: { key: "platos:apiUrl", env: "PLATOS_API_URL", secret: false },
  coreApiUrl: { key: "platos:coreApiUrl", env: "PLATOS_CORE_API_URL", secret: false },
  token: { key: "platos:token", env: "PLATOS_TOKEN", secret: true },
  operatorToken: { key: "platos:operatorToken", env: "PLATOS_OPERATOR_TOKEN", secret: true },
  prodPattern: { ...PROD_PATTERN_SETTING, secret: false },
  dashboardUrl: { key: "platos:dashboardUrl", env: "PLATOS_DASHBOARD_URL", secret: false },
} as const;
export type SettingName = keyof typeof SETTINGS;
const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** Real Platos serves the platform surface (MCP gateway + core-api); the uniform V1 contract is opt-in. */
const DEFAULT_PROTOCOL: Protocol = "platform";

/** Settings that must not carry whitespace: a token file saved with CRLF line ends adds a stray "\r". */
const UNTRIMMED: readonly SettingName[] = ["apiUrl", "coreApiUrl", "dashboardUrl"];

/** Tokens, sent as `Authorization: Bearer <token>`: each has the character rule of tokenCharacterProblem. */
const TOKENS: readonly SettingName[] = ["token", "operatorToken"];

/**
 * A bearer token is visible ASCII (0x21–0x7E) only: RFC 6750's b64token is a subset, and Platos mints its tokens
 * that way (`plt_mcp_` + base64url of 32 random bytes: apps/agent/src/mcp-platform/token.service.ts@28b7cfa6,
 * `mint`). Anything else cannot be sent at all (a NUL, CR/LF or a character beyond Latin-1 makes the HTTP client
 * throw before any request, which surfaced as Platos being unreachable at platos:apiUrl) or is a copy-paste
 * accident (a zero-width space, a no-break space). The message names the setting and the rule, never the value.
 */
function tokenCharacterProblem(name: SettingName, value: string): string | undefined {
  const { key, env, secret } = SETTINGS[name];
  const where = `(read from stack config ${key}, else ${env})`;
  if (/[\r\n]/.test(value)) return whitespaceProblem(name);
  if (/^[\x21-\x7e]+ +$/.test(value)) return `${key} ends with a space: remove the trailing space and set it again ${where}`;
  if (/^[\x21-\x7e]*$/.test(value)) return undefined;
  const kind = /\p{Cc}/u.test(value)
    ? "a control character such as NUL"
    : /[\s\p{Cf}]/u.test(value)
      ? "whitespace or an invisible character such as a zero-width space"
      : "a character outside ASCII";
  return (
    `${key} contains ${kind}, which an HTTP header cannot carry: a Platos token is visible ASCII (0x21–0x7E) only. ` +
    `Copy it again from Platos and set it with \`pulumi config set ${secret ? "--secret " : ""}${key}\` ${where}`
  );
}

/** `"platform" (real Platos: …) or "v1" (…)`: every protocol, as its descriptor describes it. */
function protocolChoices(): string {
  const choices = PROTOCOLS.map((protocol) => `"${protocol}" (${PROTOCOL_DESCRIPTORS[protocol].describe})`);
  return choices.length === 1 ? choices[0]! : `${choices.slice(0, -1).join(", ")} or ${choices.at(-1)!}`;
}

const Settings = z
  .object({
    protocol: z.enum(PROTOCOLS, { error: `must be ${protocolChoices()}` }).default(DEFAULT_PROTOCOL),
    apiUrl: z.url({ protocol: /^https?$/, error: "must be the http(s) base URL of Platos, e.g. https://platos.example.com" }),
    coreApiUrl: z.url({ protocol: /^https?$/, error: "must be the http(s) base URL of Platos's core-api, e.g. https://core.platos.example.com" }).optional(),
    token: z.string(),
    operatorToken: z.string().optional(),
  })
  .superRefine((s, ctx) => {
    // Each protocol says which tokens it takes.
    const problem = protocolDescriptor(s.protocol).tokenProblem(s.token);
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: ["token"], message: problem });
  });

export interface ConfigSource {
  get(key: string): string | undefined;
}

export type SettingsReading =
  { readonly settings: PlatosSettings; readonly problems?: undefined } | { readonly settings?: undefined; readonly problems: string[] };

/** The last reading and the values it was read from: every Check and step reads the settings, which rarely change. */
let lastReading: { readonly values: readonly (string | undefined)[]; readonly reading: SettingsReading } | undefined;

/** Every setting from `source` by its config key, else from its environment variable; empty counts as unset. */
export function readSettings(source: ConfigSource): SettingsReading {
  const values = SETTING_NAMES.map((name) => (source.get(SETTINGS[name].key) ?? process.env[SETTINGS[name].env]) || undefined);
  if (lastReading?.values.every((value, i) => value === values[i])) return lastReading.reading;
  const reading = parseSettings(Object.fromEntries(SETTING_NAMES.map((name, i) => [name, values[i]])));
  lastReading = { values, reading };
  return reading;
}

/** What is wrong with the characters of a setting's value, before its form is checked. */
function characterProblem(name: SettingName, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (TOKENS.includes(name)) return tokenCharacterProblem(name, value);
  return UNTRIMMED.includes(name) && /\s/.test(value) ? whitespaceProblem(name) : undefined;
}

function parseSettings(raw: Record<string, string | undefined>): SettingsReading {
  const stray = SETTING_NAMES.flatMap((name) => characterProblem(name, raw[name]) ?? []);
  if (stray.length > 0) return { problems: stray };
  const parsed = Settings.safeParse(raw);
  if (parsed.success) {
    const { coreApiUrl, ...settings } = parsed.data;
    return { settings: { ...settings, operatorToken: settings.operatorToken, ...(coreApiUrl === undefined ? {} : { coreApiUrl }) } };
  }
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path[0] as SettingName;
    const { key, env, secret } = SETTINGS[name];
    return raw[name] === undefined
      ? `${key} is not set: run \`pulumi config set ${secret ? "--secret " : ""}${key} <value>\` or set ${env}`
      : `${key} ${issue.message} (read from stack config ${key}, else ${env})`;
  });
  return { problems: [...new Set(problems)] };
}

function whitespaceProblem(name: SettingName): string {
  const { key, env, secret } = SETTINGS[name];
  return (
    `${key} contains whitespace (a line end at its end, such as the "\\r" of a file saved with CRLF line ends?): ` +
    `set it again without it, e.g. \`tr -d '\\r\\n' < file | pulumi config set ${secret ? "--secret " : ""}${key}\` (read from stack config ${key}, else ${env})`
  );
}

/** Values given by setting name (a CLI flag, a function argument) in front of a config source. */
export function withOverrides(overrides: Partial<Record<SettingName, string>>, source: ConfigSource): ConfigSource {
  const byKey = new Map(Object.entries(overrides).map(([name, value]) => [SETTINGS[name as SettingName].key as string, value]));
  return { get: (key) => byKey.get(key) ?? source.get(key) };
}

/** What `configure` said, by config key. */
let configured: Record<string, string | undefined> = {};
const configuredSource: ConfigSource = { get: (key) => configured[key] };

/** Called by each resource provider's `configure` with the engine's stack config. */
export function configureFrom(config: ConfigSource): void {
  for (const { key } of Object.values(SETTINGS)) configured[key] = config.get(key) ?? configured[key];
}

/** For tests: forget what `configure` said. */
export function resetConfiguration(): void {
  configured = {};
}

/** What is missing or malformed in the provider's settings, for `check` to report at preview. */
export function settingsProblems(): string[] {
  const { problem } = readDashboardUrl(configuredSource);
  return [...(readSettings(configuredSource).problems ?? []), ...(problem === undefined ? [] : [problem])];
}

export function providerSettings(): PlatosSettings {
  const reading = readSettings(configuredSource);
  if (reading.problems) throw new Error(`Platos provider settings: ${reading.problems.join("; ")}`);
  return reading.settings;
}

/** The production rule of the provider's own guard, as the stack config (or the environment) configures it. */
export function stackProductionRule(): ProductionRule {
  return productionRule((key) => configuredSource.get(key));
}

const DashboardUrl = z.url({ protocol: /^https?$/, error: "must be the http(s) base URL of the Platos dashboard, e.g. https://app.platos.example.com" });

export type DashboardUrlReading = { readonly url?: string; readonly problem?: string };

/** The last dashboard URL read, and what it read as. */
let lastDashboardUrl: { readonly raw: string; readonly reading: DashboardUrlReading } | undefined;

/** The dashboard's base URL (no trailing slash) when one is set; absent, there is no dashboard link at all. */
export function readDashboardUrl(source: ConfigSource): DashboardUrlReading {
  const { key, env } = SETTINGS.dashboardUrl;
  const raw = source.get(key) ?? process.env[env];
  if (!raw) return {};
  if (lastDashboardUrl?.raw === raw) return lastDashboardUrl.reading;
  const reading = parseDashboardUrl(raw);
  lastDashboardUrl = { raw, reading };
  return reading;
}

function parseDashboardUrl(raw: string): DashboardUrlReading {
  const { key, env } = SETTINGS.dashboardUrl;
  const parsed = DashboardUrl.safeParse(raw);
  if (!parsed.success) return { problem: `${key} ${parsed.error.issues[0]?.message ?? "is malformed"} (read from stack config ${key}, else ${env})` };
  return { url: parsed.data.replace(/\/+$/, "") };
}

/** The configured dashboard base URL, as `configure` said or from the environment. */
export function dashboardBaseUrl(): DashboardUrlReading {
  return readDashboardUrl(configuredSource);
}

/** A positive integer setting from the environment, or the fallback; a malformed value names the variable. */
export function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
}

// ---- where the tokens go -----------------------------------------------------------------------------------------

/** 127.0.0.0/8, ::1 and localhost: a token sent there does not leave this machine. */
function isLoopback(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Where core-api's URL came from: the stack config, the environment variable, or platos:apiUrl as its fallback. */
function coreApiUrlSource(): "stack config" | "environment" | "apiUrl" {
  const { key, env } = SETTINGS.coreApiUrl;
  if (configuredSource.get(key)) return "stack config";
  return process.env[env] ? "environment" : "apiUrl";
}

/**
 * What the user should know about where the tokens go, said once per process when the provider first builds the
 * clients that send them (runtime/context.ts): the operator token going to another origin than platos:apiUrl or to a
 * URL taken from the environment rather than the stack config, and any token crossing the network over plain http://.
 * Platos's core-api takes the operator session token as `Authorization: Bearer` on every V1 route (the cookie, else
 * the bearer: apps/core-api/src/transports/rest/operator.ts@199911ab, `presentedOperatorToken`), and real Platos
 * deploys it apart from the agent app (apps/webapp/app/services/coreApi.server.ts@4e08c46a: PLATOS_AGENT_API_URL and
 * PLATOS_CORE_API_URL are two upstreams), so a core-api origin of its own is normal but worth naming. Two loopback
 * origins (the emulator on two ports) are the same machine: no notice.
 * Lines name settings and origins, never a token.
 */
export function tokenDestinationNotices(settings: PlatosSettings): string[] {
  const apiUrl = new URL(settings.apiUrl);
  const sendsOperatorToken = settings.protocol === "platform" && settings.operatorToken !== undefined;
  const lines: string[] = [];
  const insecure = (url: URL, setting: string, token: string) =>
    url.protocol === "http:" && !isLoopback(url)
      ? [`Platos warning: ${setting} is plain http:// to ${url.host}, not loopback: ${token} crosses the network unencrypted and readable; use https://`]
      : [];
  lines.push(...insecure(apiUrl, "platos:apiUrl", "platos:token"));
  if (!sendsOperatorToken) return lines;

  const coreApiUrl = new URL(settings.coreApiUrl ?? settings.apiUrl);
  const source = coreApiUrlSource();
  if (source === "environment") {
    lines.push(
      `Platos: platos:operatorToken goes to core-api at ${coreApiUrl.origin}, a URL read from the environment variable ${SETTINGS.coreApiUrl.env}, not from the stack config (${SETTINGS.coreApiUrl.key} is not set)`,
    );
  } else if (coreApiUrl.origin !== apiUrl.origin && !(isLoopback(coreApiUrl) && isLoopback(apiUrl))) {
    lines.push(
      `Platos: platos:operatorToken goes to core-api at ${coreApiUrl.origin} (${SETTINGS.coreApiUrl.key}), another origin than platos:apiUrl's ${apiUrl.origin}`,
    );
  }
  if (coreApiUrl.origin !== apiUrl.origin)
    lines.push(...insecure(coreApiUrl, source === "environment" ? SETTINGS.coreApiUrl.env : SETTINGS.coreApiUrl.key, "platos:operatorToken"));
  else if (apiUrl.protocol === "http:" && !isLoopback(apiUrl))
    lines[0] = lines[0]!.replace("platos:token crosses", "platos:token and platos:operatorToken cross");
  return lines;
}
