/**
 * The public fields of each resource and of `getAgent`, read with the TypeScript compiler from the package's own
 * source (provider/index.ts): a resource's inputs are the properties of its constructor's `args` type, its outputs
 * the properties its class declares that are not inputs; getAgent's are its argument types and its result.
 * This is what the reference pages in docs/resources/ are checked against.
 */
import * as path from "node:path";
import ts from "typescript";
import { PLATOS_TYPE_NAMES } from "../../provider/registry";

export interface PublicField {
  readonly name: string;
  readonly optional: boolean;
}

/** The field sections of one page, by heading. */
export type PageFields = Readonly<Record<string, readonly PublicField[]>>;

export interface PublicItem {
  /** The exported name: a resource class or a function. */
  readonly name: string;
  readonly sections: PageFields;
}

const root = path.resolve(__dirname, "../..");
const entry = path.join(root, "provider/index.ts");

function fieldsOf(checker: ts.TypeChecker, type: ts.Type): PublicField[] {
  return checker.getPropertiesOfType(type).map((symbol) => ({ name: symbol.getName(), optional: (symbol.flags & ts.SymbolFlags.Optional) !== 0 }));
}

function resourceFields(checker: ts.TypeChecker, symbol: ts.Symbol): PageFields {
  const declaration = symbol.declarations?.find(ts.isClassDeclaration);
  if (!declaration) throw new Error(`${symbol.getName()} is not a class`);
  const constructor = declaration.members.find(ts.isConstructorDeclaration);
  const argsParameter = constructor?.parameters[1];
  if (!argsParameter) throw new Error(`${symbol.getName()} has no constructor args`);
  const inputs = fieldsOf(checker, checker.getTypeAtLocation(argsParameter));
  const inputNames = new Set(inputs.map((field) => field.name));
  // Only what the class itself declares: `id` and `urn` come from CustomResource, the same for every resource.
  const declared = declaration.members.filter(
    (member): member is ts.PropertyDeclaration => ts.isPropertyDeclaration(member) && !member.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword),
  );
  const outputs = declared.map((member) => member.name.getText()).filter((name) => !inputNames.has(name));
  return { Inputs: inputs, Outputs: outputs.map((name) => ({ name, optional: false })) };
}

function functionFields(checker: ts.TypeChecker, symbol: ts.Symbol): PageFields {
  const declaration = symbol.declarations?.find(ts.isFunctionDeclaration);
  if (!declaration) throw new Error(`${symbol.getName()} is not a function`);
  const signature = checker.getSignatureFromDeclaration(declaration)!;
  const [args, overrides] = declaration.parameters.map((parameter) => checker.getTypeAtLocation(parameter));
  const result = checker.getAwaitedType(signature.getReturnType())!;
  return {
    Inputs: fieldsOf(checker, args!),
    "Access overrides": fieldsOf(checker, overrides!),
    Outputs: fieldsOf(checker, result).map(({ name }) => ({ name, optional: false })),
  };
}

/** The public fields of every resource in the registry, and of getAgent. */
export function publicItems(): PublicItem[] {
  const program = ts.createProgram([entry], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    types: ["node"],
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const exported = new Map(checker.getExportsOfModule(module).map((symbol) => [symbol.getName(), symbol]));
  const resolve = (name: string) => {
    const symbol = exported.get(name);
    if (!symbol) throw new Error(`provider/index.ts does not export ${name}`);
    return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  };
  const resources = PLATOS_TYPE_NAMES.map((name) => ({ name, sections: resourceFields(checker, resolve(name)) }));
  return [...resources, { name: "getAgent", sections: functionFields(checker, resolve("getAgent")) }];
}

/** `ProviderKey` → `provider-key`, `getAgent` → `get-agent`: the page's file name. */
export function pageName(item: string): string {
  return item.replace(/[A-Z]/g, (letter, at: number) => (at === 0 ? "" : "-") + letter.toLowerCase());
}
