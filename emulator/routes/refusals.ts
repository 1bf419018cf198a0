/**
 * The store's refusals (store/refusals.ts) as the V1 contract and core-api answer them: one WireError each. The
 * emulator's routes all answer in that envelope, so every route says a refusal the same way.
 */
import { PlatosError } from "../errors";
import { isRefusal, type CredentialUnavailable, type Refusal, type SlugTaken } from "../store/refusals";

const SLUG_TAKEN: { readonly [Of in SlugTaken["of"]]: (slug: string) => PlatosError } = {
  project: (slug) => new PlatosError("TENANCY_SLUG_TAKEN", `a project with slug ${slug} exists`),
  environment: (slug) => new PlatosError("TENANCY_SLUG_TAKEN", `the project already has an environment with slug ${slug}`),
  agent: (slug) => new PlatosError("AGENTS_AGENT_ALREADY_EXISTS", `the environment already has an agent with slug ${slug}`),
};

function credentialUnavailable({ wanted, envVarName, provider, foundPlain }: CredentialUnavailable): PlatosError {
  if (wanted === "providerCredential") {
    return new PlatosError("PROVIDER_KEY_CREDENTIAL_UNAVAILABLE", `no ${provider} provider credential named ${envVarName} in this environment`, [
      { field: "envVarName", code: "credential_unavailable", message: "must name a provider credential of the same environment and provider" },
    ]);
  }
  const why = foundPlain ? `variable ${envVarName} is PLAIN` : `there is no variable ${envVarName}`;
  return new PlatosError("PROVIDER_KEY_CREDENTIAL_UNAVAILABLE", `no SECRET variable ${envVarName} in this environment holds key material (${why})`, [
    { field: "envVarName", code: "credential_unavailable", message: "must name a SECRET variable of the same environment" },
  ]);
}

function refusalError(refusal: Refusal): PlatosError {
  switch (refusal.refused) {
    case "slug_taken":
      return SLUG_TAKEN[refusal.of](refusal.slug);
    case "organization_not_found":
      return new PlatosError("TENANCY_NOT_FOUND", "organization not found");
    case "label_taken":
      return new PlatosError("PROVIDER_KEY_ALREADY_EXISTS", `the environment already has a ${refusal.provider} key labelled ${JSON.stringify(refusal.label)}`);
    case "credential_unavailable":
      return credentialUnavailable(refusal);
    case "pinned_by_agents": {
      const agents = refusal.agents.map((agent) => `"${agent.slug}"`).join(", ");
      return new PlatosError("PROVIDER_KEY_PINNED", `the provider key is pinned by agents ${agents}: their configuration names it`);
    }
    case "not_pending":
      return new PlatosError("APPROVAL_NOT_PENDING", `the approval is ${refusal.status}, not pending`);
    case "edits_missing":
      return new PlatosError("TRANSPORT_REQUEST_INVALID", "approved_with_edits needs editedArgs", [
        { field: "editedArgs", code: "required", message: "is required with approved_with_edits" },
      ]);
  }
}

/** The outcome's value; a refusal is thrown as its WireError, which the error handler sends. */
export function unlessRefused<T>(outcome: T | Refusal): T {
  if (isRefusal(outcome)) throw refusalError(outcome);
  return outcome;
}
