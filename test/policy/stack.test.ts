import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { projectNameOf, stackIdentity, stackNameOf } from "../../policy/stack";
import { typeTokens, urnOf } from "./fixtures";

describe("policy stack identity", () => {
  afterEach(() => pulumi.runtime.setAllConfig({}));

  it("takes the stack name from the URN", () => {
    assert.equal(stackNameOf(urnOf("prod", typeTokens.EnvironmentVariable, "x")), "prod");
    assert.equal(stackNameOf("urn:pulumi:staging-eu::proj::pulumi:pulumi:Stack::proj-staging-eu"), "staging-eu");
  });

  it("falls back to the running stack for something that is not a URN", () => {
    assert.equal(stackNameOf("not-a-urn"), pulumi.getStack());
  });

  it("uses platos:environment from the stack config, else the stack name", () => {
    const urn = urnOf("main", typeTokens.Agent, "a");
    assert.deepEqual(stackIdentity(urn), { stack: "main", project: "platos", environment: "main", environmentSource: "stack name" });
    pulumi.runtime.setAllConfig({ "platos:environment": "prod" });
    assert.deepEqual(stackIdentity(urn), { stack: "main", project: "platos", environment: "prod", environmentSource: "config" });
  });

  it("takes the project name from the URN", () => {
    assert.equal(projectNameOf(urnOf("main", typeTokens.Agent, "a", "payments-prod")), "payments-prod");
    assert.equal(projectNameOf("urn:pulumi:staging-eu::proj::pulumi:pulumi:Stack::proj-staging-eu"), "proj");
  });
});
