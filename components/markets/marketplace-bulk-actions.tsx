"use client";

import { useSession } from "@/components/auth/session-context";
import { manageRefusal, usePermissionActions } from "@/components/permissions/bulk-permissions";
import { switchActions, type BulkAction } from "@/components/ui/bulk-actions";
import { countOf, firstRefusal } from "@/components/ui/bulk-plan";
import type { MarketplaceDto } from "./api";
import { useDeleteMarketplace, useInvalidateMarketplaces, useUpdateMarketplace } from "./queries";

/** What the marketplaces list offers for its selected rows. */
export function useMarketplaceBulkActions(): BulkAction<MarketplaceDto>[] {
  const me = useSession().user;
  const update = useUpdateMarketplace();
  const remove = useDeleteMarketplace();
  const invalidate = useInvalidateMarketplaces();
  const manage = (m: MarketplaceDto) => manageRefusal(me, m);
  return [
    ...switchActions<MarketplaceDto>({
      enabled: (m) => m.enabled,
      refusal: manage,
      set: (m, enabled) => update.mutateAsync({ id: m.id, patch: { enabled } }),
    }),
    {
      label: "Delete",
      color: "red",
      message: "Only marketplaces without apps are deleted here; one with apps is deleted with them from its own page.",
      applies: (m) =>
        firstRefusal(
          manage(m),
          !m.local && `Only zone ${m.zone.name} can delete it`,
          m.appCount > 0 &&
            `It holds ${countOf(m.appCount, { one: "app" })}; delete it from its page to delete them with it`,
        ),
      // never its apps: that choice is made one marketplace at a time, on its page
      run: (m) => remove.mutateAsync({ id: m.id, deleteApps: false }),
    },
    ...usePermissionActions<MarketplaceDto>({ collection: "/marketplaces", invalidate }),
  ];
}
