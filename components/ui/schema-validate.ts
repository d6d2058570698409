import { schemaResolver } from "@mantine/form";
import { z } from "zod";
import { readableSchema } from "@/lib/api/readable-issues";

/**
 * A form's `validate` from the API's own zod schema (or one derived from it with pick, extend or
 * preprocess): the same rules, and the same sentences the API answers with.
 */
export const schemaValidate = (schema: z.ZodType) => schemaResolver(readableSchema(schema), { sync: true });

/** An id rule for a select's value: the form holds "42" (or "" and null for none), the API 42. */
export const selected = <S extends z.ZodType>(id: S) =>
  z.preprocess((v) => (v === "" || v === null || v === undefined ? undefined : Number(v)), id);

/** An id list rule for a multi-select's values ("12"s). */
export const selectedList = <S extends z.ZodType>(ids: S) =>
  z.preprocess((v) => (Array.isArray(v) ? v.map(Number) : v), ids);

/** A rule for an optional input: blank (nothing, or only spaces) is what the API takes as none. */
export const blank = <S extends z.ZodType>(none: null | undefined, rule: S) =>
  z.preprocess((v) => (v === "" || (typeof v === "string" && !v.trim()) ? none : v), rule);

/** A body with a password typed twice: the second field must repeat the first (the form's own rule). */
export const confirmed = <S extends z.ZodObject, K extends string>(body: S, password: keyof S["shape"], again: K) =>
  body
    .extend({ [again]: z.string() } as Record<K, z.ZodString>)
    .refine((v) => (v as Record<string, unknown>)[again] === (v as Record<string, unknown>)[password as string], {
      path: [again],
      message: "does not match the new password",
    });
