/**
 * Agent slugs Platos holds for rows no tool lists: `agents.delete` only unbinds (the row stays, inactive, and keeps
 * its slug), and a create that Platos answered with a suffixed slug is undone the same way. MCP cannot tell who holds
 * a slug before a create, so what this machine learned is written down, and a later create of a slug held here fails
 * before it is sent: a failed create never leaves another row behind. Local, like the create journal, and in its
 * directory, under the same checks (runtime/journal-directory.ts: this user's alone, 0700, no symbolic link; a note
 * planted as a symlink is neither read nor written through). Another machine learns it from its own first refusal.
 *
 * An entry is a file named by an HMAC, keyed by the token, of the API URL, project and slug; it holds only why the
 * slug is held. No slug, id or token can be read back from it.
 */
import { createHmac } from "node:crypto";
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { checkedJournalSubdirectory } from "../../runtime/journal-directory";

/** `deleted`: an agent this provider deleted; `taken`: Platos suffixed this slug on a create, for a holder not seen. */
export type HeldBy = "deleted" | "taken";

export interface HeldSlugs {
  heldBy(projectId: string, slug: string): Promise<HeldBy | undefined>;
  hold(projectId: string, slug: string, by: HeldBy): Promise<void>;
}

const HELD_DIR = "held-agent-slugs";

export function heldSlugs(apiUrl: string, token: string): HeldSlugs {
  const entry = async (projectId: string, slug: string, make: boolean) =>
    join(await checkedJournalSubdirectory(HELD_DIR, make), createHmac("sha256", token).update(`${apiUrl}\n${projectId}\n${slug}`).digest("hex"));
  return {
    async heldBy(projectId, slug) {
      try {
        const file = await open(await entry(projectId, slug, false), constants.O_RDONLY | constants.O_NOFOLLOW);
        try {
          const said = await file.readFile("utf8");
          return said === "deleted" || said === "taken" ? said : undefined;
        } finally {
          await file.close();
        }
      } catch {
        return undefined;
      }
    },
    async hold(projectId, slug, by) {
      try {
        const file = await open(await entry(projectId, slug, true), constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
        try {
          await file.writeFile(by);
        } finally {
          await file.close();
        }
      } catch {
        // A note that cannot be written costs a suffixed twin later, never the delete or the error being reported.
      }
    },
  };
}
