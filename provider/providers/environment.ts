/** The engine side of `platos:Environment`: check, diff and CRUD against the Platos API. */
import { z } from "zod";
import { isConflict } from "../client/errors";
import { Name, Slug } from "../client/schemas";
import type { PlatosEnvironment } from "../platos";
import { providerContext } from "../runtime/context";
import { sendJournalled, settleCreate, type JournalledCreate } from "../runtime/create-journal";
import { dashboardLink, type DashboardLink } from "../runtime/dashboard-links";
import { noticeOnce } from "../runtime/notices";
import { DeclaredBy } from "./declared-by";
import { engineProvider } from "./engine-provider";
import { alreadyExists, describeFailure, describing } from "./describe-error";
import { planDiff, type DiffPlan } from "./diff";
import { contentsError, contentsOf } from "./environment-contents";
import { checkInputs, givenFields, knownFields } from "./inputs";
import { isOwnInterruptedCreate } from "./own-create";
import { protocolFailures } from "./protocol-check";

export const ProjectRef = z.string().min(1, { error: "must name a project by id or slug" });
export const Adopt = z.boolean().optional();

export const EnvironmentInputs = z.object({
  /** Project id or slug. */
  project: ProjectRef,
  /** The environment's natural key within the project; changing it replaces the environment. */
  slug: Slug,
  /** Display name; defaults to the slug. */
  name: Name.optional(),
  /** Take over an existing environment with this slug instead of failing. */
  adopt: Adopt,
  /** Leave the environment in Platos when the resource is deleted. Default: true when created with `adopt`, else false. */
  retain: z.boolean().optional(),
  /** Let a delete take with it what this stack does not declare or cannot check (on real Platos, bound agents still stop it). Default: false. */
  deleteContents: z.boolean().optional(),
  declaredBy: DeclaredBy,
});
export type EnvironmentInputs = z.infer<typeof EnvironmentInputs>;

export type EnvironmentOutputs = EnvironmentInputs & {
  readonly name: string;
  readonly projectId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
} & DashboardLink;

const environmentDiffPlan: DiffPlan<EnvironmentInputs> = {
  replaceOn: ["project", "slug"],
  // retain and deleteContents decide what a delete does: state must hold the program's latest word. `adopt` says
  // how the environment came under Pulumi, at create; it is kept as it was then.
  updateOn: ["name", "retain", "deleteContents"],
};

/** The inputs kept in outputs as given: those that change only what Pulumi does on delete, and who declares it. */
const KEPT_AS_GIVEN = ["adopt", "retain", "deleteContents", "declaredBy"] as const;

/** Whether a delete leaves the environment in Platos: as the program says, else when it was created with `adopt`. */
const retained = (props: Pick<EnvironmentInputs, "adopt" | "retain">) => props.retain ?? props.adopt === true;

const ENVIRONMENT_PAGE = { kind: "environment" } as const;

async function toOutputs(environment: PlatosEnvironment, inputs: EnvironmentInputs): Promise<EnvironmentOutputs> {
  return {
    project: inputs.project,
    slug: environment.slug,
    name: environment.name,
    ...givenFields(inputs, KEPT_AS_GIVEN),
    projectId: environment.projectId,
    createdAt: environment.createdAt,
    updatedAt: environment.updatedAt,
    ...(await dashboardLink({ project: inputs.project, environment: environment.slug }, ENVIRONMENT_PAGE)),
  };
}

const describedEnvironment = (inputs: { project: string; slug: string }) => `environment "${inputs.slug}" in project "${inputs.project}"`;

async function adopt(existing: PlatosEnvironment, inputs: EnvironmentInputs): Promise<PlatosEnvironment> {
  const name = inputs.name ?? inputs.slug;
  return existing.name === name ? existing : providerContext().api.environments.rename(existing.id, name);
}

/**
 * The environment holding the slug, when it is this resource's own create whose answer an interrupted run lost
 * (a create sent before this one, `sentAt`).
 */
async function ownInterruptedCreate(inputs: EnvironmentInputs, journalled: JournalledCreate, sentAt: number): Promise<PlatosEnvironment | undefined> {
  const holder = await providerContext().api.environments.findBySlug(inputs.project, inputs.slug);
  return holder && (await isOwnInterruptedCreate(journalled, holder, describedEnvironment(inputs), { sentBefore: sentAt })) ? holder : undefined;
}

export const environmentProvider = engineProvider<EnvironmentInputs, EnvironmentOutputs>({
  async check(olds, news) {
    const checked = checkInputs(EnvironmentInputs, news);
    const prior = Object.keys(olds).length > 0 ? knownFields(olds) : undefined;
    return {
      inputs: checked.inputs,
      failures: [...checked.failures, ...(await protocolFailures((api) => api.environments.limits(knownFields(checked.inputs), prior)))],
    };
  },

  async diff(_id, olds, news) {
    // `project` may be given as the id the old state resolved it to: that is the same project.
    const comparableOlds = news.project === olds.projectId ? { ...olds, project: news.project } : olds;
    const withDefaultName = { ...news, name: news.name ?? news.slug };
    return planDiff(environmentDiffPlan, comparableOlds, withDefaultName);
  },

  async create(inputs) {
    const { api, cache } = providerContext();
    // With adopt, look first so that taking over makes no failed write; without it, the server's conflict decides.
    const existing = inputs.adopt ? await cache.environment(inputs.project, inputs.slug) : undefined;
    const request = { slug: inputs.slug, ...(inputs.name ? { name: inputs.name } : {}) };
    const journalled: JournalledCreate = { kind: "environment", declaredBy: inputs.declaredBy, request: { project: inputs.project, ...request } };
    const sentAt = Date.now();
    let environment: PlatosEnvironment;
    try {
      if (existing) environment = await adopt(existing, inputs);
      else environment = await sendJournalled(journalled, () => api.environments.create(inputs.project, request), sentAt);
    } catch (err) {
      if (!isConflict(err)) throw describeFailure(`${existing ? "adopting" : "creating"} ${describedEnvironment(inputs)}`, err);
      const own = existing ? undefined : await describing(`creating ${describedEnvironment(inputs)}`, () => ownInterruptedCreate(inputs, journalled, sentAt));
      if (!own) {
        await settleCreate(journalled); // somebody else's: none of the sends made it
        throw alreadyExists(describedEnvironment(inputs));
      }
      // The entry stays: this take-over's answer can be lost as the create's was (own-create.ts `takeOver`).
      environment = await describing(`adopting ${describedEnvironment(inputs)}`, () => adopt(own, inputs));
    }
    cache.rememberEnvironment(inputs.project, inputs.slug, environment);
    return { id: environment.id, outs: await toOutputs(environment, inputs) };
  },

  async read(id, prior) {
    const { api } = providerContext();
    const environment = await describing(`reading ${describedEnvironment(prior)}`, () => api.environments.get(id));
    if (!environment) return { id: "" };
    const inputs: EnvironmentInputs = { project: prior.project, slug: environment.slug, name: environment.name, ...givenFields(prior, KEPT_AS_GIVEN) };
    return { id, props: await toOutputs(environment, prior), inputs };
  },

  async update(id, olds, inputs) {
    const { api } = providerContext();
    const name = inputs.name ?? inputs.slug;
    // A change of the delete choices alone writes nothing.
    const environment = await describing(`updating ${describedEnvironment(inputs)}`, async () =>
      olds.name === name ? ((await api.environments.get(id)) ?? api.environments.rename(id, name)) : api.environments.rename(id, name),
    );
    return { outs: await toOutputs(environment, { ...inputs, adopt: olds.adopt }) };
  },

  async delete(id, props) {
    const { api, cache } = providerContext();
    if (retained(props)) {
      noticeOnce(
        `${describedEnvironment(props)} is left in Platos: it ${props.retain ? "sets `retain: true`" : "was adopted (`adopt: true`)"}; set \`retain: false\` to let Pulumi delete it`,
      );
      return;
    }
    // Checked with the stack's own credentials, before any write: what cannot be listed stops the delete as
    // what is left does. With deleteContents nothing is listed; Platos's own refusals (env_in_use) still apply.
    if (!props.deleteContents) {
      const refusal = contentsError(describedEnvironment(props), await describing(`deleting ${describedEnvironment(props)}`, () => contentsOf(api, id)));
      if (refusal) throw refusal;
    }
    await describing(`deleting ${describedEnvironment(props)}`, () => api.environments.delete(id));
    cache.forgetEnvironment(props.project, props.slug);
  },
});
