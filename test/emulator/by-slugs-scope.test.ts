/**
 * `GET /api/v1/environments/by-slugs` with a scoped token: it answers only environments in the token's scope, and
 * an environment outside it is 404 TENANCY_NOT_FOUND, the same answer as for one that does not exist. The admin
 * token (the operator) keeps reaching everything.
 */
import assert from "node:assert/strict";
import { EnvironmentBySlugs } from "../../provider/client/platform/core-api";
import { ProjectResource, TokenResource, type Environment } from "../../provider/client/schemas";
import { apiAs, createEnvironment, eachBackend, expectError, itemOf, uniqueSlug, type Api } from "./support";

const lookup = (project: string, environment: string, prefix = "") =>
  `${prefix}/api/v1/environments/by-slugs?organizationSlug=default&projectSlug=${project}&environmentSlug=${environment}`;

eachBackend("by-slugs within a token's scope", (suite) => {
  let dev: Environment;
  let prod: Environment;
  let otherProject: string;
  let hidden: Environment;
  let devApi: Api;
  let projectWideApi: Api;

  const mint = async (project: string, environments: string[] | "*") =>
    itemOf(await suite().admin.post("/api/v1/tokens", { name: uniqueSlug("tok"), project, environments }), TokenResource, 201).token;

  before(async () => {
    const { admin, emulator } = suite();
    dev = await createEnvironment(admin, uniqueSlug("dev"));
    prod = await createEnvironment(admin, uniqueSlug("prod"));
    otherProject = itemOf(await admin.post("/api/v1/projects", { slug: uniqueSlug("other"), name: "Other" }), ProjectResource, 201).slug;
    hidden = await createEnvironment(admin, uniqueSlug("hidden"), otherProject);
    devApi = apiAs(emulator.app, await mint("default", [dev.slug]));
    projectWideApi = apiAs(emulator.app, await mint("default", "*"));
  });

  it("finds an environment in scope and lists only the scope's environments", async () => {
    const found = itemOf(await devApi.get(lookup("default", dev.slug)), EnvironmentBySlugs);
    assert.equal(found.environment.id, dev.id);
    assert.deepEqual(
      found.environments.map((environment) => environment.id),
      [dev.id],
    );
    assert.deepEqual([found.organizationRole, found.projectRole], [null, null]);
    const wide = itemOf(await projectWideApi.get(lookup("default", prod.slug)), EnvironmentBySlugs);
    const ids = wide.environments.map((environment) => environment.id);
    assert.ok(ids.includes(dev.id) && ids.includes(prod.id) && !ids.includes(hidden.id), JSON.stringify(wide.environments));
  });

  it("answers 404 alike for an existing environment outside the scope and a missing one", async () => {
    const outside = [
      await devApi.get(lookup("default", prod.slug)), // same project, not in the token's list
      await devApi.get(lookup(otherProject, hidden.slug)), // another project
      await projectWideApi.get(lookup(otherProject, hidden.slug)),
      await devApi.get(lookup(otherProject, hidden.slug, "/core")),
    ];
    const missing = [
      await devApi.get(lookup("default", "no-such-env")),
      await devApi.get(lookup(otherProject, "no-such-env")),
      await devApi.get(lookup("no-such-project", "no-such-env")),
      await projectWideApi.get(lookup(otherProject, "no-such-env")),
    ];
    const bodies = [...outside, ...missing].map((reply) => expectError(reply, "TENANCY_NOT_FOUND").body);
    assert.equal(new Set(bodies).size, 1, `the refusals differ: ${JSON.stringify(bodies)}`);
  });

  it("keeps the admin token reaching every project's environments", async () => {
    const found = itemOf(await suite().admin.get(lookup(otherProject, hidden.slug)), EnvironmentBySlugs);
    assert.deepEqual([found.environment.id, found.organizationRole, found.projectRole], [hidden.id, "OWNER", null]);
    assert.deepEqual(
      found.environments.map((environment) => environment.id),
      [hidden.id],
    );
    const inDefault = itemOf(await suite().admin.get(lookup("default", dev.slug)), EnvironmentBySlugs).environments.map((environment) => environment.id);
    assert.ok(inDefault.includes(dev.id) && inDefault.includes(prod.id));
    expectError(await suite().admin.get(lookup(otherProject, "no-such-env")), "TENANCY_NOT_FOUND");
  });
});
