import type { PlatosVariable } from "../platos";

/** Adopting a PLAIN variable that already holds the declared value needs no write; a secret cannot be compared. */
export function holdsDeclaredValue(existing: PlatosVariable, declared: { readonly secret: boolean; readonly value: string }): boolean {
  return existing.kind === "PLAIN" && !declared.secret && existing.value === declared.value;
}
