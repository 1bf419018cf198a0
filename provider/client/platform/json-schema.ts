/**
 * The JSON Schema subset Platos's tool input schemas use, and the TypeScript type a schema literal describes, so a
 * tool's `inputSchema` (kept verbatim) is also the one source of its argument type.
 */
export type JsonSchemaType = "object" | "string" | "integer" | "number" | "boolean" | "array" | "null";

export interface JsonSchema {
  readonly type?: JsonSchemaType | readonly JsonSchemaType[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly enum?: readonly unknown[];
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly oneOf?: readonly JsonSchema[];
  readonly format?: "email" | "date-time";
  readonly description?: string;
}

type Primitive<T> = T extends "string"
  ? string
  : T extends "integer" | "number"
    ? number
    : T extends "boolean"
      ? boolean
      : T extends "null"
        ? null
        : T extends "array"
          ? unknown[]
          : T extends "object"
            ? Record<string, unknown>
            : unknown;

type RequiredKeys<S> = S extends { readonly required: readonly (infer K extends string)[] } ? K : never;

type ObjectOf<S, P> = { -readonly [K in keyof P & RequiredKeys<S>]: FromSchema<P[K]> } & {
  -readonly [K in Exclude<keyof P, RequiredKeys<S>>]?: FromSchema<P[K]>;
} & (S extends { readonly additionalProperties: true } ? Record<string, unknown> : unknown);

/** The value type a schema literal (declared `as const`) accepts. */
export type FromSchema<S> = S extends { readonly enum: readonly (infer E)[] }
  ? E
  : S extends { readonly oneOf: readonly (infer O)[] }
    ? FromSchema<O>
    : S extends { readonly type: "object"; readonly properties: infer P }
      ? ObjectOf<S, P>
      : S extends { readonly type: "array"; readonly items: infer I }
        ? FromSchema<I>[]
        : S extends { readonly type: infer T }
          ? T extends readonly (infer U)[]
            ? Primitive<U>
            : Primitive<T>
          : unknown;
