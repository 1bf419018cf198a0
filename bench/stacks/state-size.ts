/**
 * What a stack's state costs per resource, read from the harness's state file (secrets as stored: encrypted).
 * A resource's "own fields" are its outputs without `__provider`: what the object is. The rest of its entry
 * (URN, type, id, inputs, `__provider` in inputs and outputs) is what Pulumi's bookkeeping adds.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { PROVIDER_KEY, type PropertyMap } from "../../test/harness/wire";

export interface StateSize {
  readonly resources: number;
  /** The file as written (indented JSON), per resource. */
  readonly fileBytesPerResource: number;
  /** A resource's entry as compact JSON less its own fields, averaged. */
  readonly beyondOwnFieldsBytesPerResource: number;
  /** `__provider` in inputs and outputs, averaged. */
  readonly providerBytesPerResource: number;
}

const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));

interface StoredResource {
  readonly inputs: PropertyMap;
  readonly outputs: PropertyMap;
}

/** Over several stacks' state files together. */
export function measureStateSize(stateFiles: readonly string[]): StateSize | undefined {
  const resources = stateFiles.flatMap((file) =>
    existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { resources: StoredResource[] }).resources : [],
  );
  if (resources.length === 0) return undefined;
  const fileBytes = stateFiles.reduce((total, file) => total + (existsSync(file) ? statSync(file).size : 0), 0);
  let beyond = 0;
  let provider = 0;
  for (const resource of resources) {
    const { [PROVIDER_KEY]: providerInOutputs, ...ownFields } = resource.outputs;
    const providerInInputs = resource.inputs[PROVIDER_KEY];
    beyond += bytesOf(resource) - bytesOf(ownFields);
    provider += (providerInOutputs === undefined ? 0 : bytesOf(providerInOutputs)) + (providerInInputs === undefined ? 0 : bytesOf(providerInInputs));
  }
  const n = resources.length;
  return { resources: n, fileBytesPerResource: fileBytes / n, beyondOwnFieldsBytesPerResource: beyond / n, providerBytesPerResource: provider / n };
}
