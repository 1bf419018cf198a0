/**
 * A user's own Pulumi TypeScript project, made as the README's install section says: both workspaces packed with
 * `npm pack`, then installed by their tarballs (and platos-emulator as a dev dependency, as "Test your stacks in CI"
 * says) into a project with the files of Pulumi's `typescript` template
 * (pulumi/templates typescript/: strict, commonjs, es2020, `moduleResolution: node`, no `esModuleInterop`, no
 * `skipLibCheck`; TypeScript ^5 as the template's lockfile pins). TypeScript 6 sits beside it under an npm alias,
 * so one install serves both compilers. Needs the npm registry (or npm's cache), nothing else.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = path.resolve(__dirname, "../..");
const fixture = path.join(__dirname, "project");

export const PACKAGES = { provider: "pulumi-platos", policy: "platos-policy", emulator: "platos-emulator" } as const;

const versionOf = (dir: string, repo = root) => (JSON.parse(fs.readFileSync(path.join(repo, dir, "package.json"), "utf8")) as { version: string }).version;
/** The file `npm pack` writes for a workspace of the repository at `repo`. */
const tarballOf = (name: string, dir: string, repo = root) => `${name}-${versionOf(dir, repo)}.tgz`;

/** The README's install commands for the repository at `repo`, as the tests run them. */
export const installCommandsFor = (repo: string) => ({
  pack: `npm pack -w ${PACKAGES.provider} -w ${PACKAGES.policy} --pack-destination`,
  install: `npm install ./${tarballOf(PACKAGES.provider, "provider", repo)} ./${tarballOf(PACKAGES.policy, "policy", repo)}`,
  policyPack: `--policy-pack node_modules/${PACKAGES.policy}`,
});

/** The README's commands, as this test runs them (the README is checked against these strings). */
export const INSTALL_COMMANDS = installCommandsFor(root);

/** The README's "Test your stacks in CI" commands that add the emulator, as a dev dependency (checked like the above). */
export const CI_COMMANDS = {
  pack: `npm pack -w ${PACKAGES.emulator} --pack-destination`,
  install: `npm install --save-dev ./${tarballOf(PACKAGES.emulator, "emulator")}`,
};

/** tsconfig.json of Pulumi's `typescript` template, verbatim. */
const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

export interface ScratchProject {
  readonly dir: string;
  /** The packed tarballs, in the project directory. */
  readonly tarballs: { readonly provider: string; readonly policy: string; readonly emulator: string };
  readonly policyPackDir: string;
  /** Seconds each step took: pack, install. */
  readonly timings: Readonly<Record<string, number>>;
  /** What npm printed installing the tarballs (provider and pack, then the emulator). */
  readonly installOutput: string;
  /** Runs a command in the project; resolves with its output, rejects with it. */
  exec(file: string, args: readonly string[]): Promise<string>;
  remove(): void;
}

let made: Promise<ScratchProject> | undefined;

/** One scratch project per test process, shared by every test that asks for it. */
export function scratchProject(): Promise<ScratchProject> {
  made ??= makeScratchProject();
  return made;
}

/** A project of its own, packed from the repository at `repo` (a test's copy; the repository itself by default). */
export async function makeScratchProject(repo = root): Promise<ScratchProject> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platos-consumer-"));
  const timings: Record<string, number> = {};
  const exec = async (file: string, args: readonly string[], cwd = dir): Promise<string> => {
    try {
      const { stdout, stderr } = await run(file, [...args], { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_update_notifier: "false" } });
      return `${stdout}${stderr}`;
    } catch (err) {
      const failed = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${file} ${args.join(" ")} failed in ${cwd}:\n${failed.stdout ?? ""}${failed.stderr ?? failed.message}`);
    }
  };
  const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await fn();
    } finally {
      timings[step] = (Date.now() - started) / 1000;
    }
  };

  const commands = installCommandsFor(repo);
  const [npm, ...pack] = commands.pack.split(" ");
  await timed("pack", () => exec(npm!, [...pack, dir, "--silent"], repo));

  const sdkVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify(
      {
        name: "platos-consumer",
        main: "index.ts",
        // The SDK the test harness runs: a second copy of it in this process must be the same version.
        dependencies: { "@pulumi/pulumi": sdkVersion },
        devDependencies: { "@types/node": "^20", typescript: "^5.0.0", "typescript-6": "npm:typescript@~6.0.3" },
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG, null, 4));
  // TypeScript 6 refuses the template's `moduleResolution: node` unless its deprecation is acknowledged.
  fs.writeFileSync(
    path.join(dir, "tsconfig.ts6.json"),
    JSON.stringify({ extends: "./tsconfig.json", compilerOptions: { ignoreDeprecations: "6.0" } }, null, 4),
  );
  for (const file of fs.readdirSync(fixture)) fs.copyFileSync(path.join(fixture, file), path.join(dir, file));

  const [, ...install] = commands.install.split(" ");
  let installOutput = await timed("install", () => exec("npm", [...install, "--no-audit", "--no-fund", "--prefer-offline"]));
  const [, ...packEmulator] = CI_COMMANDS.pack.split(" ");
  const [, ...installEmulator] = CI_COMMANDS.install.split(" ");
  await timed("emulator", async () => {
    await exec(npm!, [...packEmulator, dir, "--silent"], repo);
    installOutput += await exec("npm", [...installEmulator, "--no-audit", "--no-fund", "--prefer-offline"]);
  });

  return {
    dir,
    tarballs: {
      provider: path.join(dir, tarballOf(PACKAGES.provider, "provider", repo)),
      policy: path.join(dir, tarballOf(PACKAGES.policy, "policy", repo)),
      emulator: path.join(dir, tarballOf(PACKAGES.emulator, "emulator", repo)),
    },
    policyPackDir: path.join(dir, "node_modules", PACKAGES.policy),
    timings,
    installOutput,
    exec: (file, args) => exec(file, args),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
