/**
 * Which Pulumi state backend the running stack lives in, for the create journal's identity: two backends may hold
 * stacks of the same organization, project and stack names on one machine (two `file://` state directories both
 * use the organization "organization"), and one's interrupted create must never be evidence for the other's.
 * Resolved as the Pulumi CLI resolves it (pulumi/pulumi `sdk/go/common/workspace/creds.go`, GetCurrentCloudURL):
 * PULUMI_BACKEND_URL, else `backend.url` of the project file, else the current login in the CLI's credentials
 * file (`current`, the only field read; its tokens are never looked at). The provider host runs with the CLI's
 * environment and the program directory as its working directory. A `file://` path is made absolute there, so two
 * checkouts each keeping state in `./state` differ. The URL only ever goes into the journal's HMAC.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { load } from "js-yaml";

function projectBackend(): string | undefined {
  for (const name of ["Pulumi.yaml", "Pulumi.yml"]) {
    try {
      const project = load(readFileSync(join(process.cwd(), name), "utf8")) as { backend?: { url?: unknown } } | undefined;
      const url = project?.backend?.url;
      return typeof url === "string" && url !== "" ? url : undefined;
    } catch {
      // No such project file, or one Pulumi itself would refuse: try the next source.
    }
  }
  return undefined;
}

function currentLogin(): string | undefined {
  const folder = process.env.PULUMI_CREDENTIALS_PATH || process.env.PULUMI_HOME || join(homedir(), ".pulumi");
  try {
    const current = (JSON.parse(readFileSync(join(folder, "credentials.json"), "utf8")) as { current?: unknown }).current;
    return typeof current === "string" && current !== "" ? current : undefined;
  } catch {
    return undefined;
  }
}

/** A `file://` backend with a relative path, made absolute against the program directory. */
function absolute(url: string): string {
  const match = /^file:\/\/(.*)$/.exec(url);
  if (!match) return url;
  const path = match[1]!;
  if (path === "" || isAbsolute(path) || path.startsWith("~")) return url;
  return `file://${resolve(process.cwd(), path)}`;
}

const resolved = new Map<string, string>();

/** The state backend's URL, or "" when none can be told (then only the stack names tell stacks apart). */
export function stateBackend(): string {
  const { PULUMI_BACKEND_URL, PULUMI_HOME, PULUMI_CREDENTIALS_PATH } = process.env;
  const key = [PULUMI_BACKEND_URL, PULUMI_HOME, PULUMI_CREDENTIALS_PATH, homedir(), process.cwd()].join("\u0000");
  let url = resolved.get(key);
  if (url === undefined) {
    url = absolute(PULUMI_BACKEND_URL || projectBackend() || currentLogin() || "");
    resolved.set(key, url);
  }
  return url;
}

/** For tests: files may have changed since. */
export function forgetStateBackend(): void {
  resolved.clear();
}
