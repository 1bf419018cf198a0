/**
 * Checks tool arguments against a tool's inputSchema with the keywords Platos's validator supports (`type`,
 * `required`, `properties`, `additionalProperties: false`, `enum`, `minLength`/`maxLength`, `minimum`/`maximum`,
 * `items`/`minItems`/`maxItems`, `oneOf`, `format: email|date-time`); like Platos, no `pattern`, `$ref`, `anyOf` or
 * `allOf`; and in its words (apps/agent/src/mcp-platform/schema-validator.ts@50f73dc5).
 */
import type { JsonSchema, JsonSchemaType } from "../../provider/client/platform/json-schema";

export interface SchemaError {
  readonly path: string;
  readonly message: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function typeOf(value: unknown): JsonSchemaType | "undefined" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as JsonSchemaType | "undefined";
}

const matchesType = (value: unknown, type: JsonSchemaType): boolean => {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
};

export function validateArgs(value: unknown, schema: JsonSchema, path = ""): SchemaError[] {
  const at = path === "" ? "(root)" : path;
  if (schema.type !== undefined) {
    const types = typeof schema.type === "string" ? [schema.type] : schema.type;
    if (!types.some((type) => matchesType(value, type)))
      return [{ path: at, message: `expected type ${JSON.stringify(schema.type)} but got ${typeOf(value)}` }];
  }
  const errors: SchemaError[] = [];
  if (schema.enum && !schema.enum.some((allowed) => allowed === value))
    errors.push({ path: at, message: `value must be one of ${JSON.stringify(schema.enum)}` });
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) errors.push({ path: at, message: `string length < minLength ${schema.minLength}` });
    if (schema.maxLength !== undefined && value.length > schema.maxLength) errors.push({ path: at, message: `string length > maxLength ${schema.maxLength}` });
    if (schema.format === "email" && !EMAIL.test(value)) errors.push({ path: at, message: "string must be a valid email" });
    if (schema.format === "date-time" && Number.isNaN(Date.parse(value))) errors.push({ path: at, message: "string must be a valid date-time" });
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) errors.push({ path: at, message: `value < minimum ${schema.minimum}` });
    if (schema.maximum !== undefined && value > schema.maximum) errors.push({ path: at, message: `value > maximum ${schema.maximum}` });
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) errors.push({ path: at, message: `array length < minItems ${schema.minItems}` });
    if (schema.maxItems !== undefined && value.length > schema.maxItems) errors.push({ path: at, message: `array length > maxItems ${schema.maxItems}` });
    const items = schema.items;
    if (items) value.forEach((item, index) => errors.push(...validateArgs(item, items, `${path}[${index}]`)));
  }
  if (typeOf(value) === "object") {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? [])
      if (object[name] === undefined) errors.push({ path: path === "" ? name : `${path}.${name}`, message: `required property '${name}' is missing` });
    for (const [name, item] of Object.entries(object)) {
      const child = schema.properties?.[name];
      const childPath = path === "" ? name : `${path}.${name}`;
      if (child) errors.push(...validateArgs(item, child, childPath));
      else if (schema.additionalProperties === false) errors.push({ path: childPath, message: `unknown property '${name}' (additionalProperties: false)` });
    }
  }
  const matched = schema.oneOf?.filter((option) => validateArgs(value, option, path).length === 0).length;
  if (matched !== undefined && matched !== 1) errors.push({ path: at, message: `value must match exactly one oneOf branch (matched ${matched})` });
  return errors;
}
