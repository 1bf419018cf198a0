/**
 * Agent slugs Platos holds for rows no tool lists: `agents.delete` only unbinds (the row stays, inactive, and keeps
 * its slug), and a create that Platos answered with a suffixed slug is undone the same way. MCP cannot tell who holds
 * a slug before a create, so what this machine learned is written down, and a later create of a slug held here fails
 * before it is sent: a failed create never leaves another row behind. Local, like the create journal (and in its
 * directory): another machine learns it from its own first refusal.
 *
 * An entry is a file named by an HMAC, keyed by the token, of the API URL, project and slug; it holds only why the
 * slug is held. No slug, id or token can be read back from it.
 */
import { createHmac } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** `deleted`: an agent this provider deleted; `taken`: Platos suffixed this slug on a create, for a holder not seen. */
export type HeldBy = "deleted" | "taken";

export interface HeldSlugs {
  heldBy(projectId: string, slug: string): Promise<HeldBy | undefined>;
  hold(projectId: string, slug: string, by: HeldBy): Promise<void>;
}

const heldDir = () => join(process.env.PLATOS_CREATE_JOURNAL_DIR || join(tmpdir(), "pulumi-platos-creates"), "held-agent-slugs");

export function heldSlugs(apiUrl: string, token: string): HeldSlugs {
  const entry = (projectId: string, slug: string) => join(heldDir(), createHmac("sha256", token).update(`${apiUrl}\n${projectId}\n${slug}`).digest("hex"));
  return {
    async heldBy(projectId, slug) {
      const said = await readFile(entry(projectId, slug), "utf8").catch(() => undefined);
      return said === "deleted" || said === "taken" ? said : undefined;
    },
    async hold(projectId, slug, by) {
      try {
        await mkdir(heldDir(), { recursive: true, mode: 0o700 });
        await writeFile(entry(projectId, slug), by, { mode: 0o600 });
      } catch {
        // A note that cannot be written costs a suffixed twin later, never the delete or the error being reported.
      }
    },
  };
}
