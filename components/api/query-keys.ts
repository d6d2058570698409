/**
 * The React Query key factory every area uses: `keys.all` invalidates everything of the area,
 * `keys.lists()` every list, `keys.list(filters)` one page, `keys.detail(id)` one object.
 */
export function createQueryKeys<const Name extends string, Filters>(name: Name) {
  const all = [name] as const;
  return {
    all,
    lists: () => [...all, "list"] as const,
    list: (filters: Filters) => [...all, "list", filters] as const,
    details: () => [...all, "detail"] as const,
    detail: (id: number) => [...all, "detail", id] as const,
  };
}
