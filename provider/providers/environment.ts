/** The engine side of `platos:Environment`: check, diff and CRUD against the Platos API. */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { z } from "zod";
import { hasCode, type Environment } from "../client";
import { Name, Slug } from "../client/schemas";
import { providerContext } from "../runtime/context";
import { configureFrom } from "../runtime/settings";
import { alreadyExists, deleteUnlessGone, describeFailure, readUnlessGone } from "./describe-error";
import { planDiff, type DiffPlan } from "./diff";
import { checkInputs, type Raw } from "./inputs";

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
});
export type EnvironmentInputs = z.infer<typeof EnvironmentInputs>;

export type EnvironmentOutputs = EnvironmentInputs & {
  readonly name: string;
  readonly projectId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const environmentDiffPlan: DiffPlan<EnvironmentInputs> = {
  replaceOn: ["project", "slug"],
  updateOn: ["name"],
};

function toOutputs(environment: Environment, inputs: EnvironmentInputs): EnvironmentOutputs {
  return {
    project: inputs.project,
    slug: environment.slug,
    name: environment.name,
    ...(inputs.adopt === undefined ? {} : { adopt: inputs.adopt }),
    projectId: environment.projectId,
    createdAt: environment.createdAt,
    updatedAt: environment.updatedAt,
  };
}

const label = (inputs: { project: string; slug: string }) => `environment "${inputs.slug}" in project "${inputs.project}"`;

async function adopt(existing: Environment, inputs: EnvironmentInputs): Promise<Environment> {
  const name = inputs.name ?? inputs.slug;
  return existing.name === name ? existing : providerContext().client.environments.update(existing.id, { name });
}

export const environmentProvider: dynamic.ResourceProvider<Raw, Raw> = {
  async configure(req) {
    configureFrom(req.config);
  },

  async check(_olds, news) {
    return checkInputs(EnvironmentInputs, news);
  },

  async diff(_id, olds, news) {
    // `project` may be given as the id the old state resolved it to: that is the same project.
    const comparableOlds = news.project === olds.projectId ? { ...olds, project: news.project } : olds;
    const withDefaultName = { ...news, name: news.name ?? news.slug };
    return planDiff(environmentDiffPlan, comparableOlds, withDefaultName);
  },

  async create(raw) {
    const inputs = raw as EnvironmentInputs;
    const { client, cache } = providerContext();
    // With adopt, look first so that taking over makes no failed write; without it, the server's 409 decides.
    const existing = inputs.adopt ? await cache.environment(inputs.project, inputs.slug) : undefined;
    let environment: Environment;
    try {
      environment = existing
        ? await adopt(existing, inputs)
        : await client.environments.create(inputs.project, { slug: inputs.slug, ...(inputs.name ? { name: inputs.name } : {}) });
    } catch (err) {
      if (hasCode(err, "TENANCY_SLUG_TAKEN")) throw alreadyExists(label(inputs));
      throw describeFailure(`${existing ? "adopting" : "creating"} ${label(inputs)}`, err);
    }
    cache.forgetEnvironment(inputs.project, inputs.slug);
    return { id: environment.id, outs: toOutputs(environment, inputs) };
  },

  async read(id, props) {
    const prior = props as EnvironmentOutputs;
    const { client } = providerContext();
    const environment = await readUnlessGone(`reading ${label(prior)}`, () => client.environments.get(id));
    if (!environment) return { id: "" };
    const inputs: EnvironmentInputs = { project: prior.project, slug: environment.slug, name: environment.name, ...(prior.adopt === undefined ? {} : { adopt: prior.adopt }) };
    return { id, props: toOutputs(environment, prior), inputs };
  },

  async update(id, _olds, news) {
    const inputs = news as EnvironmentInputs;
    const { client } = providerContext();
    try {
      const environment = await client.environments.update(id, { name: inputs.name ?? inputs.slug });
      return { outs: toOutputs(environment, inputs) };
    } catch (err) {
      throw describeFailure(`updating ${label(inputs)}`, err);
    }
  },

  async delete(id, raw) {
    const props = raw as EnvironmentOutputs;
    const { client, cache } = providerContext();
    await deleteUnlessGone(`deleting ${label(props)}`, () => client.environments.delete(id));
    cache.forgetEnvironment(props.project, props.slug);
  },
};
