/**
 * A resource's `__provider` exactly as pulumi-platos 0.1 left it in state: @pulumi/pulumi 3.248's closure serialiser
 * writing a require of the shim file (the kinds differ only in file name). State of that age must keep running.
 */
export function providerCodeFrom01(shimFile: string): string {
  return (
    `exports.handler = __f0;\nconst provider = require("pulumi-platos/lib/shims/${shimFile}.js");\n\nfunction __f0() {\n` +
    "  return (function() {\n    with({ this: undefined, arguments: undefined }) {\n\nreturn () => provider;\n\n    }\n" +
    "  }).apply(undefined, undefined).apply(this, arguments);\n}\n"
  );
}
