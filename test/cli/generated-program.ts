/**
 * Runs a program `pulumi-platos import` wrote, as JavaScript, against stand-ins for `@pulumi/pulumi` and
 * `pulumi-platos` that record each resource's arguments: what the program would hand the provider, value for value.
 */
import ts from "typescript";

export interface Declared {
  readonly type: string;
  readonly name: string;
  readonly args: Record<string, unknown>;
}

/** What the generated program declares, in order; it throws if the program does not compile or run. */
export function runGeneratedProgram(program: string): Declared[] {
  const output = ts.transpileModule(program, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const diagnostics = (output.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  if (diagnostics.length > 0) throw new Error(`the program does not compile: ${diagnostics.join("; ")}`);
  const declared: Declared[] = [];
  const resource = (type: string) =>
    class {
      readonly id = `${type}-id`;
      readonly slug: unknown;
      readonly dashboardUrl = "dashboard-url";
      constructor(name: string, args: Record<string, unknown>) {
        declared.push({ type, name, args });
        this.slug = args.slug;
      }
    };
  const modules: Record<string, unknown> = {
    "@pulumi/pulumi": {
      Config: class {
        requireSecret = (key: string) => ({ secretFromConfig: key });
      },
    },
    "pulumi-platos": {
      Environment: resource("Environment"),
      EnvironmentVariable: resource("EnvironmentVariable"),
      ProviderKey: resource("ProviderKey"),
      Agent: resource("Agent"),
    },
  };
  const requireStub = (name: string) => {
    if (!(name in modules)) throw new Error(`the program requires ${name}`);
    return modules[name];
  };
  const module = { exports: {} };
  // The generated program is the code under test: it runs with nothing but the two stand-in modules in reach.
  new Function("require", "exports", "module", output.outputText)(requireStub, module.exports, module);
  return declared;
}

/** The arguments of the one resource of `type` named `name` (or the only one of `type`, without a name). */
export function argsOf(declared: readonly Declared[], type: string, name?: string): Record<string, unknown> {
  const found = declared.filter((d) => d.type === type && (name === undefined || d.name === name));
  if (found.length !== 1) throw new Error(`${found.length} ${type} resources named ${name}: ${declared.map((d) => `${d.type} ${d.name}`).join(", ")}`);
  return found[0]!.args;
}
