import { z } from "zod";
import { schemaValidate } from "@/components/ui/schema-validate";
import { quotasInput } from "@/lib/quotas/quota-schemas";
import type { DatastoreQuotaDto, QuotaUsage, QuotasDto, QuotasInput } from "./api";

export const SIZE_UNITS = { MiB: 1024 ** 2, GiB: 1024 ** 3 } as const;
export type SizeUnit = keyof typeof SIZE_UNITS;

/** A number field: "" while empty (no limit). */
type Amount = number | "";

export interface DatastoreQuotaRow {
  /** React's key for the row while it is edited */
  key?: string;
  /** null: all datastores together; "" while none is picked */
  datastoreId: string | null;
  maxBytes: Amount;
  unit: SizeUnit;
  maxImages: Amount;
}

export interface QuotaFormValues {
  maxTransfers: Amount;
  /** the all-datastores row first, then one per datastore; indexes match the API's field names */
  datastores: DatastoreQuotaRow[];
}

/** A byte limit in the largest unit that shows it without a long fraction. */
export function toSizeField(bytes: number | null): { maxBytes: Amount; unit: SizeUnit } {
  if (bytes === null) return { maxBytes: "", unit: "GiB" };
  if (bytes >= SIZE_UNITS.GiB && bytes % (SIZE_UNITS.GiB / 16) === 0)
    return { maxBytes: bytes / SIZE_UNITS.GiB, unit: "GiB" };
  return { maxBytes: Math.round((bytes / SIZE_UNITS.MiB) * 1000) / 1000, unit: "MiB" };
}

export const toBytes = (amount: Amount, unit: SizeUnit): number | null =>
  amount === "" ? null : Math.round(Number(amount) * SIZE_UNITS[unit]);

const orEmpty = (n: number | null): Amount => n ?? "";
const hasLimit = (d: DatastoreQuotaDto) => d.bytes.limit !== null || d.images.limit !== null;

/** The form for what is set now: the all-datastores row always, datastores that have a limit. */
export function formValuesOf(quotas: QuotasDto): QuotaFormValues {
  const all = quotas.datastores.find((d) => d.datastore === null);
  const row = (d: DatastoreQuotaDto | undefined, datastoreId: string | null): DatastoreQuotaRow => ({
    datastoreId,
    ...toSizeField(d?.bytes.limit ?? null),
    maxImages: orEmpty(d?.images.limit ?? null),
  });
  return {
    maxTransfers: orEmpty(quotas.transfers.limit),
    datastores: [
      row(all, null),
      ...quotas.datastores
        .filter((d) => d.datastore !== null && hasLimit(d))
        .map((d) => row(d, String(d.datastore!.id))),
    ],
  };
}

/** The PUT body; empty fields are no limit. Rows keep their order so field errors find them. */
export function toQuotasInput(v: QuotaFormValues): QuotasInput {
  return {
    maxTransfers: v.maxTransfers === "" ? null : Number(v.maxTransfers),
    datastores: v.datastores.map((d) => ({
      datastoreId: d.datastoreId === null ? null : Number(d.datastoreId),
      maxBytes: toBytes(d.maxBytes, d.unit),
      maxImages: d.maxImages === "" ? null : Number(d.maxImages),
    })),
  };
}

/** The API's rules (a datastore listed twice included) over the body the form sends. */
export const quotaFormValidate = schemaValidate(z.preprocess((v) => toQuotasInput(v as QuotaFormValues), quotasInput));

/** How full: 100 at or past the limit (a limit of 0 is full from the start); 0 without a limit. */
export function usagePercent(u: QuotaUsage): number {
  if (u.limit === null) return 0;
  if (u.limit === 0) return 100;
  return Math.min(100, (u.used / u.limit) * 100);
}

export const atLimit = (u: QuotaUsage) => u.limit !== null && u.used >= u.limit;
