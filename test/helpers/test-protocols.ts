/**
 * What the test tooling knows of each protocol, one entry per protocol, as provider/platos/protocols.ts is the
 * provider's: how a world of stacks reaches its emulator, where a provider key's credential lives, how the request
 * recorder names a call, how much of the end-to-end matrix runs on it, and its fault streams. Tests, helpers and
 * benches read these facts instead of branching on a protocol's name (what a test expects of one protocol's own
 * behaviour stays in that test); a third protocol is one more entry, which `tsc` asks for.
 */
import { CORE_API_PREFIX } from "../../emulator/layout";
import type { Protocol } from "../../provider/platos";

/**
 * How the recorder names calls (writesDone): a gateway call by its tool, any other by method and path, the
 * environment's id as `<env>`, core-api's paths as one port serves them (below `/core`).
 */
interface RecordedCallNames {
  /** The list of an environment's variables. */
  variableList(): string;
  /** A PLAIN variable's write. */
  plainWrite(key: string): string;
  /** A SECRET variable's write. */
  secretWrite(key: string): string;
  /** A variable's delete. */
  variableDelete(key: string): string;
  /** A provider key's relabel or new credential, `:keyId` standing for the key. */
  providerKeyUpdate(environmentId: string): string;
  /** The list of an environment's provider keys. */
  providerKeyList(environmentId: string): string;
}

interface TestProtocol {
  /**
   * Where a world of stacks finds core-api: on a port of its own, as Platos deploys it, with platos:coreApiUrl set
   * (platform); or below `/core` on the one port (V1, whose stacks never need it).
   */
  readonly layout: "two-ports" | "one-port";
  /**
   * Where a provider key's credential lives: V1 names a SECRET variable of the key's environment; real Platos links a
   * key only to a provider credential its dashboard's Add key flow made, so its stacks adopt keys added there.
   */
  readonly keyCredential: "variable" | "dashboard";
  readonly calls: RecordedCallNames;
  /** Whether the whole end-to-end matrix runs on it (the protocol real Platos serves) or a lean part of it. */
  readonly wholeE2eMatrix: boolean;
  /** A suite's fault stream seeded for this protocol, so that each protocol's run of the suite meets faults of its own. */
  faultSeed(suiteSeed: number): number;
}

const variablePath = (key: string, prefix = "") => `${prefix}/api/v1/environments/<env>/variables/${key}`;
const providerKeysPath = (environmentId: string) => `/api/v1/environments/${environmentId}/provider-keys`;

const TEST_PROTOCOLS = {
  platform: {
    layout: "two-ports",
    keyCredential: "dashboard",
    calls: {
      // PLAIN values go through core-api; the recorder sees its paths as the one port would serve them.
      variableList: () => `GET ${CORE_API_PREFIX}/api/v1/environments/<env>/variables`,
      plainWrite: (key) => `PUT ${variablePath(key, CORE_API_PREFIX)}`,
      secretWrite: () => "environments.set_secret",
      variableDelete: () => "environments.delete_secret",
      providerKeyUpdate: () => "providers.rotate_key",
      providerKeyList: () => "providers.list_keys",
    },
    wholeE2eMatrix: true,
    faultSeed: (suiteSeed) => suiteSeed + 2,
  },
  v1: {
    layout: "one-port",
    keyCredential: "variable",
    calls: {
      variableList: () => "GET /api/v1/environments/<env>/variables",
      plainWrite: (key) => `PUT ${variablePath(key)}`,
      secretWrite: (key) => `PUT ${variablePath(key)}`,
      variableDelete: (key) => `DELETE ${variablePath(key)}`,
      providerKeyUpdate: (environmentId) => `PATCH ${providerKeysPath(environmentId)}/:keyId`,
      providerKeyList: (environmentId) => `GET ${providerKeysPath(environmentId)}`,
    },
    wholeE2eMatrix: false,
    faultSeed: (suiteSeed) => suiteSeed + 1,
  },
} as const satisfies Record<Protocol, TestProtocol>;

export const testProtocol = (protocol: Protocol): TestProtocol => TEST_PROTOCOLS[protocol];
