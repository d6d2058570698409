"use client";

import { useCallback, useMemo, useState } from "react";
import type { ListDefaults, ListPatch, ListUrlState } from "./use-list-url-state";

/**
 * useListUrlState's twin for lists embedded in a detail view's tab (a datastore's images, an
 * image's jobs): the same paging, sorting, search and filters, kept in component state so
 * that they do not fight the page's own URL.
 */
export function useListLocalState<F extends string = never>(defaults: ListDefaults<F>): ListUrlState<F> {
  const { sort: defSort, order: defOrder = "asc", perPage: defPerPage = 25 } = defaults;
  const [params, setParams] = useState({ page: 1, perPage: defPerPage, sort: defSort, order: defOrder, q: "" });
  const [filters, setFilters] = useState<Partial<Record<F, string>>>({});

  const update = useCallback((patch: ListPatch<F>) => {
    setParams((p) => ({
      page: patch.page ?? 1,
      perPage: patch.perPage ?? p.perPage,
      sort: patch.sort ?? p.sort,
      order: patch.order ?? p.order,
      q: patch.q ?? p.q,
    }));
    if (patch.filters) {
      setFilters((f) => {
        const next = { ...f };
        for (const [key, value] of Object.entries(patch.filters ?? {}) as [F, string | null | undefined][]) {
          if (value === undefined) continue;
          if (value === null || value === "") delete next[key];
          else next[key] = value;
        }
        return next;
      });
    }
  }, []);

  return useMemo(
    () => ({ params, filters, query: { ...params, q: params.q || undefined, ...filters }, update }),
    [params, filters, update],
  );
}
