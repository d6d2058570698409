import type { z } from "zod";
import type { Operation } from "@/lib/api/operation";

export type { Page } from "@/lib/api/schemas";

/** What every list endpoint accepts (lib/api/schemas.ts listQuery). */
export interface ListParams {
  page: number;
  perPage: number;
  sort?: string;
  order?: "asc" | "desc";
  q?: string;
}

/** The JSON body an operation accepts, as the client sends it (before server defaults). */
export type BodyOf<O extends Operation> = z.input<NonNullable<O["body"]>>;
