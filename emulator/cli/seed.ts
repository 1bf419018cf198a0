/**
 * `platos-emulator seed`: the organization, project and environments a user's stacks expect, found or made by slug,
 * so running it again changes nothing. The emulator has one organization (`default`, made by its migrations), as a
 * Platos account has the one it signed up with: seed checks the one named exists rather than making one.
 */
import type { EmulatorConnection } from "./connection";

export interface SeedRequest {
  readonly organization: string;
  readonly project: string;
  readonly projectName?: string;
  readonly environments: readonly string[];
}

/** One line per object: `<kind> <slug>: created|exists (<id>)`. */
export async function seed(emulator: EmulatorConnection, request: SeedRequest): Promise<string[]> {
  const lines: string[] = [];
  const organizations = await emulator.coreApi.organizations.list();
  const organization = organizations.find((each) => each.slug === request.organization);
  if (!organization) {
    const known = organizations.map((each) => each.slug).join(", ");
    throw new Error(`--organization: the emulator has no organization "${request.organization}" (it has: ${known})`);
  }
  lines.push(`organization ${organization.slug}: exists (${organization.id})`);

  const projects = await emulator.admin.projects.list();
  let project = projects.find((each) => each.slug === request.project);
  if (project && project.organizationId !== organization.id) throw new Error(`--project: project "${request.project}" belongs to another organization`);
  if (project) {
    lines.push(`project ${project.slug}: exists (${project.id})`);
  } else {
    project = await emulator.admin.projects.create({ slug: request.project, name: request.projectName ?? request.project });
    lines.push(`project ${project.slug}: created (${project.id})`);
  }

  for (const slug of request.environments) {
    const found = await emulator.admin.environments.findBySlug(project.slug, slug);
    const environment = found ?? (await emulator.admin.environments.create(project.slug, { slug }));
    lines.push(`environment ${slug}: ${found ? "exists" : "created"} (${environment.id})`);
  }
  return lines;
}
