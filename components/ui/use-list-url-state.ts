"use client";

import { useCallback, useMemo } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { ListParams } from "@/components/api/types";

/** Mirrors PAGE_SIZES in lib/api/schemas.ts (not imported: that module pulls zod into the bundle). */
export const PAGE_SIZES = [10, 25, 50, 100, 200];

export interface ListDefaults<F extends string> {
  sort: string;
  order?: "asc" | "desc";
  perPage?: number;
  /** names of extra filters kept in the URL (e.g. objectType, action) */
  filters?: readonly F[];
}

export type ListPatch<F extends string> = Partial<Omit<ListParams, "page">> & {
  page?: number;
  filters?: Partial<Record<F, string | null>>;
};

export interface ListUrlState<F extends string = string> {
  params: ListParams & { sort: string; order: "asc" | "desc" };
  filters: Partial<Record<F, string>>;
  /** everything the API needs: paging, sorting, search and filters */
  query: ListParams & Partial<Record<F, string>>;
  update: (patch: ListPatch<F>) => void;
}

/**
 * The URL a list asked for and the router has not shown yet. `router.replace` commits in a
 * transition, so `useSearchParams` still gives the old query for a moment: a second change in
 * that moment (a filter picked while the search box commits) must build on the first, or one of
 * the two is lost. `through` holds the queries the chain went through, the one it started from
 * included: while the URL shows one of them, the chain is still on its way; any other URL (the
 * back button, a link) ends it. Module-wide, since the search box and the filters of one list
 * may hold separate instances of the hook.
 */
let pending: { pathname: string; through: Set<string>; query: string } | null = null;

/** The query to build a change on: the one asked for last, while it is on its way. */
function latestQuery(pathname: string, shown: string): string {
  if (pending && pending.pathname === pathname && pending.query !== shown && pending.through.has(shown))
    return pending.query;
  pending = null;
  return shown;
}

/**
 * Paging, sorting, search and filters of a list, kept in the URL so that a list view can be
 * bookmarked, shared and restored with the back button. Only non-default values are written.
 * Any change other than the page goes back to page 1.
 */
export function useListUrlState<F extends string = never>(defaults: ListDefaults<F>): ListUrlState<F> {
  const search = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const { sort: defSort, order: defOrder = "asc", perPage: defPerPage = 25, filters: filterNames = [] } = defaults;

  const state = useMemo(() => {
    const num = (key: string, fallback: number) => {
      const n = Number(search.get(key));
      return Number.isInteger(n) && n > 0 ? n : fallback;
    };
    const order = search.get("order");
    const params = {
      page: num("page", 1),
      perPage: Math.min(num("perPage", defPerPage), 200),
      sort: search.get("sort") || defSort,
      order: order === "asc" || order === "desc" ? order : defOrder,
      q: search.get("q") ?? "",
    };
    const filters: Partial<Record<F, string>> = {};
    for (const name of filterNames) {
      const value = search.get(name);
      if (value) filters[name] = value;
    }
    return { params, filters, query: { ...params, q: params.q || undefined, ...filters } };
    // filterNames is a constant list per page; its identity must not re-trigger the memo
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search, defSort, defOrder, defPerPage]);

  const update = useCallback(
    (patch: ListPatch<F>) => {
      // the user left the list (a link clicked as the search box committed): not pulled back
      if (window.location.pathname !== pathname) return;
      const shown = search.toString();
      const base = latestQuery(pathname, shown);
      const next = new URLSearchParams(base);
      const put = (key: string, value: string | number | null | undefined, fallback?: string | number) => {
        if (value === undefined) return;
        if (value === null || value === "" || value === fallback) next.delete(key);
        else next.set(key, String(value));
      };
      put("perPage", patch.perPage, defPerPage);
      put("sort", patch.sort, defSort);
      put("order", patch.order, defOrder);
      put("q", patch.q);
      for (const [key, value] of Object.entries(patch.filters ?? {})) put(key, value as string | null | undefined);
      if (patch.page !== undefined) put("page", patch.page, 1);
      else next.delete("page");
      const qs = next.toString();
      if (qs === base) return;
      pending = {
        pathname,
        through: new Set([...(pending?.through ?? []), shown, base]),
        query: qs,
      };
      router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
    },
    [search, router, pathname, defSort, defOrder, defPerPage],
  );

  return { ...state, update };
}
